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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "==> Debian packages installed"
