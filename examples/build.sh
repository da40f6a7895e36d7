#!/bin/bash
# Rebuilds the bundled example programs (examples/hello-<arch>) from their committed assembly.
# Each is a static, libc-free ELF of a few hundred bytes: one PT_LOAD holding headers and code,
# no build-id, stripped. Needs the Debian cross compilers (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")"
for arch in aarch64 riscv64; do
    "$arch-linux-gnu-gcc" -nostdlib -static -s -Wl,--build-id=none -Wl,-z,noseparate-code \
        -o "hello-$arch" "hello-$arch.S"
    echo "hello-$arch: $(stat -c %s "hello-$arch") bytes"
done
