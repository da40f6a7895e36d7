#!/bin/bash
# The project's test command (README "Quick start"): installs the test dependencies, checks
# formatting and lints, then runs every test of the workspace. `--real` (or REMU_REAL_SOFTWARE=1)
# also runs tests/real_software.rs, which downloads Debian arm64/riscv64 userlands (~40 MB).
# Every step runs; exits non-zero when any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
    case $arg in
        --real) export REMU_REAL_SOFTWARE=1 ;;
        -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
        *) echo "test.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

failed=()
step() {
    echo
    echo "==> $*"
    local t0=$SECONDS
    if "$@"; then
        echo "==> done in $((SECONDS - t0)) s: $*"
    else
        echo "==> FAILED in $((SECONDS - t0)) s: $*"
        failed+=("$*")
    fi
}

# Dependencies first: without them the rest cannot mean anything.
scripts/install-deps.sh
# The remaining steps all run, so one report shows every problem.
step cargo fmt --all -- --check
step cargo clippy --workspace --all-targets -- -D warnings
step cargo test --workspace --no-fail-fast
echo
if [ ${#failed[@]} -ne 0 ]; then
    printf 'test.sh: FAILED step: %s\n' "${failed[@]}"
    echo "test.sh: ${#failed[@]} step(s) failed after $SECONDS s"
    exit 1
fi
echo "test.sh: all steps passed in $SECONDS s"
