#!/bin/sh
# Builds a statically linked remu: no PT_INTERP and no shared libraries, so the kernel can start
# it as the binfmt_misc interpreter inside chroots and containers whose root filesystem lacks
# remu and its libraries (the F flag opens it once, at registration, in the host's root).
#
# usage: scripts/build-static.sh [cargo build options...]
#   PROFILE=release|dev (default release)   STATIC_TARGET_DIR=dir (default target/static)
# Prints the path of the binary on success; fails if the result is not static.
#
# Why these flags: on x86_64-unknown-linux-gnu, `-C target-feature=+crt-static` links glibc's
# libc.a and produces a static-pie executable. Passing --target explicitly keeps RUSTFLAGS away
# from build scripts and proc-macros, which must stay dynamic. capstone-sys compiles its C
# library into a static archive, so it is linked in like any Rust code. A separate target dir
# keeps these artifacts from invalidating the normal (dynamic) build.
set -eu
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
target=x86_64-unknown-linux-gnu
target_dir=${STATIC_TARGET_DIR:-target/static}
case $profile in
    dev) out_dir=debug ;;
    *) out_dir=$profile ;;
esac

RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
    cargo build --profile "$profile" --target "$target" --target-dir "$target_dir" -p remu --bin remu "$@" >&2

bin=$target_dir/$target/$out_dir/remu
if readelf -lW "$bin" | grep -q 'INTERP'; then
    echo "build-static.sh: $bin has a PT_INTERP: it is not static" >&2
    exit 1
fi
if readelf -dW "$bin" 2>/dev/null | grep -q '(NEEDED)'; then
    echo "build-static.sh: $bin needs shared libraries:" >&2
    readelf -dW "$bin" | grep '(NEEDED)' >&2
    exit 1
fi
echo "$bin"
