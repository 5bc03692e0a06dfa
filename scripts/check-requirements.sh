#!/usr/bin/env bash
# Check that the pinned requirements.txt resolves, as wheels, for every supported Python:
# 3.11.2 (Debian 12), 3.12 and 3.13 (Debian 13). Needs the package index (run it before the
# offline part of the tests). Usage: scripts/check-requirements.sh [PYTHON_WITH_PIP]
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-.venv/bin/python}"
status=0
for version in 3.11.2 3.12 3.13; do
  target="$(mktemp -d)"
  if out="$("$python" -m pip install --dry-run --quiet --disable-pip-version-check \
        --ignore-installed --only-binary=:all: --python-version "$version" \
        --target "$target" --requirement requirements.txt 2>&1)"; then
    if grep -q "yanked version" <<<"$out"; then
      # A yanked release installs with only a warning, but was withdrawn for a reason (soupsieve
      # 3.0.x breaks on Python < 3.11.5, which is Debian 12's 3.11.2).
      echo "requirements.txt pins a yanked release for Python $version:" >&2
      grep -A1 "yanked version" <<<"$out" >&2
      status=1
    else
      echo "requirements.txt resolves for Python $version"
    fi
  else
    echo "requirements.txt does NOT resolve for Python $version:" >&2
    grep -E "ERROR|Requires-Python" <<<"$out" >&2 || tail -n 5 <<<"$out" >&2
    status=1
  fi
  rm -rf "$target"
done
exit $status
