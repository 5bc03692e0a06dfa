"""scripts/ensure-system-packages.sh waits, for a bounded time and saying so, when another package
manager holds Debian's package lock, then fails with a clear message (run against a fake
apt-get that reports a held lock, as apt-get 2.6 does)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from cstoreport.paths import ROOT

SCRIPT = ROOT / "scripts" / "ensure-system-packages.sh"
FAKE_APT_GET = """#!/bin/sh
echo "apt-get $*" >> "$FAKE_LOG"
n=$(cat "$FAKE_COUNT" 2>/dev/null || echo 0); echo $((n + 1)) > "$FAKE_COUNT"
if [ "$n" -lt "$FAKE_LOCKED_CALLS" ]; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
  exit 100
fi
exit 0
"""


def run_script(
    tmp_path: Path, locked_calls: int, timeout_s: int
) -> tuple[subprocess.CompletedProcess, float, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fakes = {
        "apt-get": FAKE_APT_GET,
        "dpkg-query": "#!/bin/sh\nexit 1\n",  # every package is missing
        "sudo": '#!/bin/sh\nexec "$@"\n',
    }
    for name, text in fakes.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "calls.log"
    env = dict(
        os.environ,
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        FAKE_LOG=str(log),
        FAKE_COUNT=str(tmp_path / "count"),
        FAKE_LOCKED_CALLS=str(locked_calls),
        APT_LOCK_TIMEOUT=str(timeout_s),
        APT_LOCK_POLL="0.2",
    )
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(SCRIPT), "test"], env=env, capture_output=True, text=True, timeout=30
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, time.monotonic() - started, calls


def test_a_lock_released_in_time_is_waited_for(tmp_path):
    result, _, calls = run_script(tmp_path, locked_calls=2, timeout_s=20)
    assert result.returncode == 0, result.stderr
    assert "waiting for it, at most 20 s" in result.stderr
    assert "/var/lib/apt/lists/lock" in result.stderr
    assert [c.split()[-2:] for c in calls[:3]] == [["update", "-qq"]] * 3
    assert "install" in calls[3] and "chromium" in calls[3]
    # the first try does not wait (so that the script can say it waits); then apt-get itself
    # waits for the lock, for the time that is left
    timeouts = [int(c.split("DPkg::Lock::Timeout=")[1].split()[0]) for c in calls]
    assert timeouts[0] == 0 and all(0 < t <= 20 for t in timeouts[1:3]), calls


def test_a_lock_held_too_long_fails_with_a_clear_message_after_the_timeout(tmp_path):
    result, seconds, calls = run_script(tmp_path, locked_calls=10**6, timeout_s=2)
    assert result.returncode != 0
    assert "Gave up after 2 s: another package manager" in result.stderr
    assert "APT_LOCK_TIMEOUT" in result.stderr
    assert 1 <= seconds < 15 and len(calls) >= 2  # the deadline counts whole seconds
    assert not any("install" in c for c in calls)
