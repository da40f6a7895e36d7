#!/bin/bash
# Fetch a newer qemu-user (10.x/11.x, statically linked) from Debian's backports suites into a
# folder, installing nothing: a private apt root resolves and downloads the .deb, dpkg-deb
# unpacks it. Used as the second qemu-user the benchmarks compare against (the first is
# bookworm's 7.2 from scripts/install-deps.sh).
#
# Usage: scripts/fetch-qemu-new.sh [DEST]   (default /opt/remu-qemu-new)
# Prints the directory holding qemu-aarch64 and qemu-riscv64, and their version.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DEST=${1:-/opt/remu-qemu-new}
lib=$here/../../shared/tools/sysroot-lib.sh
[ -f "$lib" ] || { echo "fetch-qemu-new: $lib not found (shared/ must sit beside the repo)" >&2; exit 1; }
export CORPUS_ROOT=${CORPUS_ROOT:-/var/cache/remu-sysroots}
. "$lib"
if [ -x "$DEST/usr/bin/qemu-aarch64" ] || [ -x "$DEST/usr/bin/qemu-aarch64-static" ]; then
    :
else
    for suite in trixie-backports bookworm-backports; do
        apt_root_init amd64 "$suite" || exit 1
        apt_root update -q -o Acquire::Retries=3 >/dev/null 2>&1 || continue
        ver=$(APT_CONFIG="$APTDIR/apt.conf" apt-cache show qemu-user 2>/dev/null | awk '/^Version:/{print $2; exit}')
        case "$ver" in 1:1[0-9].*) ;; *) continue ;; esac
        mkdir -p "$APTDIR/debs" && cd "$APTDIR/debs"
        rm -f ./*.deb
        apt_root download "qemu-user=$ver" >/dev/null
        mkdir -p "$DEST"
        for d in ./*.deb; do dpkg-deb -x "$d" "$DEST"; done
        break
    done
fi
bin=$DEST/usr/bin
[ -x "$bin/qemu-aarch64" ] || { echo "fetch-qemu-new: no qemu-user 10.x/11.x found in backports" >&2; exit 1; }
file "$bin/qemu-aarch64" | grep -Eq 'static(-pie)? linked|statically linked' || echo "fetch-qemu-new: note: $bin/qemu-aarch64 is not static" >&2
echo "$bin $("$bin/qemu-aarch64" --version | head -n1)"
