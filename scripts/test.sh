#!/bin/bash
# The project's test command (README "Quick start"): installs the test dependencies, checks
# formatting and lints, then runs every test of the workspace. `--real` (or REMU_REAL_SOFTWARE=1)
# also runs tests/real_software.rs, which downloads Debian arm64/riscv64 userlands (~40 MB).
# Exits non-zero on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
    case $arg in
        --real) export REMU_REAL_SOFTWARE=1 ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "test.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

step() {
    echo
    echo "==> $*"
    local t0=$SECONDS
    "$@"
    echo "==> done in $((SECONDS - t0)) s: $*"
}

step scripts/install-deps.sh
step cargo fmt --all -- --check
step cargo clippy --workspace --all-targets -- -D warnings
step cargo test --workspace
echo
echo "test.sh: all steps passed in $SECONDS s"
