#!/usr/bin/env bash
# Stop at once, with what to do, when the Python that would build the environment is too old
# (or lacks venv). requirements.txt is pinned for Python 3.11.2 and newer (Debian 12's and 13's).
set -euo pipefail
python="${1:-python3}"
minimum="3.11.2"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "error: $python was not found. Install Python >= $minimum (Debian: apt-get install python3 python3-venv)," >&2
  echo "       or name another interpreter: make book PYTHON=/path/to/python3.12" >&2
  exit 1
fi
found="$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
if ! "$python" -c "import sys; sys.exit(sys.version_info[:3] < (3, 11, 2))"; then
  echo "error: $python is Python $found; this report needs Python >= $minimum." >&2
  echo "       Debian 12 and 13 ship one (apt-get install python3 python3-venv); elsewhere install" >&2
  echo "       Python 3.11, 3.12 or 3.13 and run: make book PYTHON=/path/to/python3.1x" >&2
  exit 1
fi
if ! "$python" -c "import venv, ensurepip" >/dev/null 2>&1; then
  echo "error: $python ($found) cannot create virtual environments." >&2
  echo "       Debian: apt-get install python3-venv" >&2
  exit 1
fi
