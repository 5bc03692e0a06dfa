#!/usr/bin/env bash
# Install the Debian packages the PDF build and its checks need, only when missing.
# The smallest set that builds Jupyter Book's LaTeX output with pdflatex, plus poppler-utils
# (pdftotext, pdfinfo, pdffonts) for the tests that read the PDF.
set -euo pipefail
packages=(latexmk texlive-latex-recommended texlive-fonts-recommended tex-gyre
          texlive-latex-extra poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "==> Installing Debian packages for the PDF build: ${missing[*]} (about 100 MB, once)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "==> Debian packages installed"
