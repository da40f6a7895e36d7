#!/bin/bash
# Installs what remu's tests need on a Debian/Ubuntu host, idempotently: the aarch64 and riscv64
# cross compilers and C libraries (guest programs are compiled at test time), qemu-user (the
# reference the tests compare against), and what fetch-sysroot.sh uses for the opt-in real-software
# test. Only missing packages are installed; `apt-get update` runs once, and only if something is
# missing. Uses sudo when not root.
set -euo pipefail

packages=(
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
    qemu-user
    # fetch-sysroot.sh (tests/real_software.rs): apt, dpkg-deb, Debian archive keys.
    apt dpkg debian-archive-keyring
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

# rustfmt and clippy are used by scripts/test.sh; install them through rustup when it is present.
if command -v rustup >/dev/null 2>&1; then
    for c in rustfmt clippy; do
        rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
    done
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all packages present"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
