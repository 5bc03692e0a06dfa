#!/usr/bin/env bash
# Run the README's two commands on a brand-new Debian machine: a minimal chroot built with
# debootstrap, holding only python3, python3-venv, python3-pip, make, git and ca-certificates,
# and a clone of the committed tree (HEAD). Prints each command's exit status and time.
#
#   sudo scripts/fresh-machine-check.sh bookworm|trixie [WORKDIR]
#
# Maintainer tool, not part of `make test`: it takes several minutes and downloads the
# Debian base system, TeX, Chromium and the Python packages. WORKDIR (default
# /var/tmp/fresh-machine-SUITE) is removed first and left in place afterwards for inspection.
set -euo pipefail

suite="${1:-}"
case "$suite" in
  bookworm|trixie) ;;
  *) echo "usage: $0 bookworm|trixie [WORKDIR]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "error: debootstrap and chroot need root" >&2
  exit 1
fi
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${2:-/var/tmp/fresh-machine-$suite}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
log="$root.log"

if ! command -v debootstrap >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

unmount_all() {
  for m in dev/pts dev/shm dev proc sys; do
    mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true
  done
}
trap unmount_all EXIT
unmount_all
rm -rf "$root"
mkdir -p "$root"
: >"$log"

echo "==> debootstrap $suite into $root (log: $log)"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >>"$log" 2>&1

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs shm "$root/dev/shm"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# A machine behind a TLS-inspecting proxy needs its local CAs inside the chroot too.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi

in_chroot() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt DEBIAN_FRONTEND=noninteractive "$@"
}

echo "==> installing the new user's starting set: python3 python3-venv python3-pip make git ca-certificates"
in_chroot apt-get update -qq >>"$log" 2>&1
in_chroot apt-get install -y -qq --no-install-recommends \
  python3 python3-venv python3-pip make git ca-certificates >>"$log" 2>&1
in_chroot update-ca-certificates >>"$log" 2>&1
python_version="$(in_chroot python3 -c 'import platform; print(platform.python_version())')"

git clone --quiet "$repo" "$root/root/report"
commit="$(git -C "$root/root/report" rev-parse --short HEAD)"
echo "==> cloned the committed tree ($commit)"

results=()
status=0
for target in book test; do
  echo "==> make $target (Debian $suite, Python $python_version) ..."
  started=$(date +%s)
  if in_chroot sh -c "cd /root/report && make $target" >>"$log" 2>&1; then code=0; else code=$?; fi
  elapsed=$(( $(date +%s) - started ))
  results+=("make $target: exit $code, ${elapsed} s")
  echo "    exit $code after ${elapsed} s"
  [ "$code" -eq 0 ] || { status=1; tail -n 30 "$log"; break; }
done

echo "==> $(date -u +%F) Debian $suite, Python $python_version, commit $commit"
printf '    %s\n' "${results[@]}"
if [ "$status" -eq 0 ]; then
  tail -n 3 "$log" | sed 's/^/    /'
fi
exit $status
