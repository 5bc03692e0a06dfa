"""`make lab`: the pinned JupyterLab serves the report's kernel on loopback only, with a token,
and is configured to fetch nothing (no news, no update check, no extension search).

`make test` installs requirements-lab.txt (`make lab-env`) before the offline run."""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from cstoreport.build import lab


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str | None = None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("lab")
    if importlib.util.find_spec("jupyterlab") is None:
        pytest.fail("JupyterLab is not installed: run `make lab-env` (`make test` does)")
    port, token = free_loopback_port(), secrets.token_hex(16)
    # A token of our own, so the test can authenticate; user config and runtime files kept apart.
    env = dict(lab.environment(), JUPYTER_TOKEN=token,
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen(lab.command(port=port, open_browser=False), env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n"
                                + (tmp_path / "server.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base, token, tmp_path / "runtime"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_lab_offers_the_reports_kernel_on_loopback_with_a_token(server):
    base, token, runtime = server
    specs = get(f"{base}/api/kernelspecs", token)
    assert specs["default"] == "python3"
    assert list(specs["kernelspecs"]) == ["python3"]
    assert get(f"{base}/api/kernels", token) == []
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{base}/api/kernelspecs")
    assert refused.value.code == 403
    info = [json.loads(p.read_text()) for p in runtime.glob("jpserver-*.json")]
    assert [i["url"] for i in info] == [f"{base}/"]
    assert info[0]["root_dir"] == str(lab.ROOT)


def test_lab_fetches_no_news_updates_or_extensions(server):
    base, token, _ = server
    assert get(f"{base}/lab/api/news", token) == {"news": []}
    assert get(f"{base}/lab/api/update", token) == {"notification": None}
    assert get(f"{base}/lab/api/extensions?query=pandas&page=1&per_page=10", token) == []
    # The front end does not ask to fetch news either.
    schema = get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification",
                 token)["schema"]["properties"]
    assert schema["fetchNews"]["default"] == "false"
    assert schema["checkForUpdates"]["default"] is False
