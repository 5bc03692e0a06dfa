#!/usr/bin/env bash
# Check that the pinned requirements resolve, as wheels, for every supported Python: 3.11.2
# (Debian 12), 3.12 and 3.13 (Debian 13): requirements.txt alone (.venv, where `make book` and
# `make test` run) and together with requirements-lab.txt (.venv-lab, JupyterLab's environment
# for `make lab`, which has the same pins as .venv, so its pins must not conflict). Every
# package the resolver picks must be pinned in one of the files (nothing unpinned slips in), and
# none may be a yanked release. Needs the package index (run it before the offline part of the
# tests).
# Usage: scripts/check-requirements.sh [PYTHON_WITH_PIP]
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-.venv/bin/python}"
status=0
for files in "requirements.txt" "requirements.txt requirements-lab.txt"; do
  args=()
  for f in $files; do args+=(--requirement "$f"); done
  for version in 3.11.2 3.12 3.13; do
    target="$(mktemp -d)"
    report="$(mktemp)"
    if out="$("$python" -m pip install --dry-run --quiet --disable-pip-version-check \
          --ignore-installed --only-binary=:all: --python-version "$version" \
          --target "$target" --report "$report" "${args[@]}" 2>&1)"; then
      if grep -q "yanked version" <<<"$out"; then
        # A yanked release installs with only a warning, but was withdrawn for a reason
        # (soupsieve 3.0.x breaks on Python < 3.11.5, which is Debian 12's 3.11.2).
        echo "${files// / + } pins a yanked release for Python $version:" >&2
        grep -A1 "yanked version" <<<"$out" >&2
        status=1
      elif ! unpinned="$("$python" - "$report" $files <<'PY'
import json, re, sys
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
pinned = {norm(line.split("==")[0]) for path in sys.argv[2:]
          for line in open(path, encoding="utf-8") if "==" in line and not line.startswith("#")}
picked = [f"{i['metadata']['name']}=={i['metadata']['version']}"
          for i in json.load(open(sys.argv[1]))["install"]]
missing = [p for p in picked if norm(p.split("==")[0]) not in pinned]
print(" ".join(missing))
sys.exit(1 if missing else 0)
PY
)"; then
        echo "${files// / + } pulls in unpinned packages for Python $version: $unpinned" >&2
        status=1
      else
        echo "${files// / + } resolves for Python $version"
      fi
    else
      echo "${files// / + } does NOT resolve for Python $version:" >&2
      grep -E "ERROR|Requires-Python" <<<"$out" >&2 || tail -n 5 <<<"$out" >&2
      status=1
    fi
    rm -rf "$target" "$report"
  done
done
exit $status
