#!/usr/bin/env bash
# Install Debian packages only when missing.
#   pdf:     the smallest set that builds Jupyter Book's LaTeX output with pdflatex, plus
#            poppler-utils (pdftotext, pdfinfo, pdffonts) for the tests that read the PDF
#   test:    Debian's Chromium for the browser tests (never a browser a test tool downloads) and
#            iproute2, which brings up loopback in the offline test run's network namespace, and
#            libatomic1, which Playwright's bundled driver needs (Debian 12's chromium lacks it)
set -euo pipefail
case "${1:-}" in
  pdf) packages=(latexmk texlive-latex-recommended texlive-fonts-recommended tex-gyre
                 texlive-latex-extra poppler-utils) ;;
  test) packages=(chromium iproute2 libatomic1) ;;
  *) echo "usage: $0 pdf|test" >&2; exit 2 ;;
esac
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "==> Not a Debian system: make sure these (or your system's equivalents) are installed: ${packages[*]}"
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "==> Installing Debian packages ($1): ${missing[*]} (once; apt-get, no recommends)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# Another package manager (automatic updates, often) may hold Debian's package locks. Wait for it
# for a bounded time, saying so, then fail with a clear message. apt-get waits for a lock itself
# when given DPkg::Lock::Timeout, silently under -qq: so the first try does not wait (a held lock
# is then reported here), the next ones wait for the time that is left, and a failure that still
# names a lock is retried until the deadline.
LOCK_TIMEOUT=${APT_LOCK_TIMEOUT:-600}   # seconds
LOCK_POLL=${APT_LOCK_POLL:-5}
deadline=$(( $(date +%s) + LOCK_TIMEOUT ))
apt_get() {
  local log status left said=""
  log=$(mktemp)
  while true; do
    left=$(( deadline - $(date +%s) )); [ "$left" -gt 0 ] || left=0
    [ -n "$said" ] || left=0
    # apt-get's messages are shown as they come and kept, to tell a lock from another failure;
    # its other output goes where the caller's does.
    exec 3>&1
    set +e
    $SUDO apt-get -o DPkg::Lock::Timeout="$left" "$@" 2>&1 1>&3 3>&- | tee "$log" >&2
    status=${PIPESTATUS[0]}
    set -e
    exec 3>&-
    if [ "$status" -eq 0 ]; then rm -f "$log"; return 0; fi
    if ! grep -qiE "could not get lock|unable to acquire|is held by process" "$log"; then
      rm -f "$log"; return "$status"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      rm -f "$log"
      echo "==> Gave up after ${LOCK_TIMEOUT} s: another package manager (automatic updates?) still holds Debian's package lock. Let it finish (see: ps aux | grep -E 'apt|dpkg'), then run make again; APT_LOCK_TIMEOUT=SECONDS waits longer." >&2
      return 1
    fi
    if [ -z "$said" ]; then
      echo "==> Another package manager holds Debian's package lock ($(grep -oE '/[^ (),]*lock[^ (),.]*' "$log" | head -1)): waiting for it, at most ${LOCK_TIMEOUT} s in all" >&2
      said=1
    else
      sleep "$LOCK_POLL"
    fi
  done
}
apt_get update -qq
apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "==> Debian packages installed"
