"""`make lab`: the pinned JupyterLab serves the report's kernel on loopback only, with a token,
and is configured to fetch nothing (no news, no update check, no extension search).

JupyterLab lives in its own environment, `.venv-lab` (`make lab-env`, which `make test` runs
before the offline run); these tests run in the report's `.venv` and start the server from
`.venv-lab` as a subprocess."""

from __future__ import annotations

import ast
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cstoreport.machinery import lab


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, token: str | None = None, method: str = "GET", body: dict | None = None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        content = response.read()
        return json.loads(content) if content else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("lab")
    if not lab.LAB_PYTHON.exists():
        pytest.fail(
            f"JupyterLab's environment {lab.LAB_PYTHON.parent.parent} is missing: "
            "run `make lab-env` (`make test` does)"
        )
    port, token = free_loopback_port(), secrets.token_hex(16)
    # A token of our own, so the test can authenticate; user config and runtime files kept apart.
    env = dict(
        lab.environment(),
        JUPYTER_TOKEN=token,
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 (closed in the finally below)
    proc = subprocess.Popen(
        lab.command(port=port, open_browser=False), env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "JupyterLab did not start:\n"
                        + (tmp_path / "server.log").read_text()[-3000:]
                    )
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
    schema = get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification", token)[
        "schema"
    ]["properties"]
    assert schema["fetchNews"]["default"] == "false"
    assert schema["checkForUpdates"]["default"] is False


def test_the_kernel_lab_offers_runs_the_reports_environment(server):
    """The kernel runs .venv's Python (this test's), not JupyterLab's .venv-lab, and imports the
    working tree's cstoreport."""
    from jupyter_client import BlockingKernelClient

    base, token, runtime = server
    spec = get(f"{base}/api/kernelspecs", token)["kernelspecs"]["python3"]["spec"]
    # The same environment directory (a clone may reach it through a symbolic link).
    venv = Path(sys.prefix).resolve()
    assert Path(spec["argv"][0]).parent.parent.resolve() == venv
    kernel = get(f"{base}/api/kernels", token, method="POST", body={"name": "python3"})
    client = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel['id']}.json"))
    try:
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        reply = client.execute(
            "import importlib.util, sys, cstoreport",
            reply=True,
            timeout=60,
            user_expressions={
                "prefix": "sys.prefix",
                "root": "str(cstoreport.ROOT)",
                "has_lab": "importlib.util.find_spec('jupyterlab') is not None",
            },
        )
    finally:
        client.stop_channels()
        get(f"{base}/api/kernels/{kernel['id']}", token, method="DELETE")
    found = {
        name: ast.literal_eval(value["data"]["text/plain"])
        for name, value in reply["content"]["user_expressions"].items()
    }
    assert Path(found.pop("prefix")).resolve() == venv
    assert found == {"root": str(lab.ROOT), "has_lab": False}
