#!/usr/bin/env bash
# The Python package: the wheel built in release mode and installed in a
# fresh virtual environment with the test dependencies (pandas, datasets,
# PySpark, Scrapy), pytest (the API, byte-for-byte equality with the
# command line on the evaluation sets, the framework helpers), the stubs
# checked against the module, and the binding crate's formatting and lints.
#
#     bash python/ci.sh            # from the repository root
#
# Environment: PYTHON (default python3), ZH_CLEAN_PY_VENV (default
# python/.venv, recreated), CARGO_TARGET_DIR (the wheel's; default
# python/target), ZH_CLEAN_BIN (a built binary to compare with; default:
# `cargo build --release` at the root).
# Needs Rust and Python >= 3.9; the Spark test needs Java 17 and is skipped,
# saying so, without it. The equality test needs ../shared/eval.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-python3}
venv=${ZH_CLEAN_PY_VENV:-$root/python/.venv}
target=${CARGO_TARGET_DIR:-$root/python/target}
start=$SECONDS

echo "== python: virtual environment ($venv)"
if ! "$python" -c "import ensurepip, venv" 2>/dev/null; then
    # Debian's Python comes without ensurepip until python3-venv is installed.
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3-venv >/dev/null
fi
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q "maturin>=1.9,<2" -r python/requirements-test.txt

echo "== python: the zh-clean binary the equality test compares with"
if [[ -z ${ZH_CLEAN_BIN:-} ]]; then
    cargo build --release --quiet --bin zh-clean
    cli_target=$(cargo metadata --format-version 1 --no-deps |
        "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    export ZH_CLEAN_BIN="$cli_target/release/zh-clean"
fi
echo "$ZH_CLEAN_BIN"

echo "== python: wheel (maturin build --release)"
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
CARGO_TARGET_DIR=$target "$venv/bin/maturin" build --release --quiet \
    --manifest-path python/Cargo.toml --interpreter "$venv/bin/python" --out "$wheels"
"$venv/bin/python" -m pip install -q "$wheels"/zh_clean-*.whl

echo "== python: pytest (against the installed wheel)"
# Run from the repository root, where `import zh_clean` can only find the
# installed package.
"$venv/bin/pytest" python/tests -ra -p no:cacheprovider

echo "== python: stubs against the module (mypy stubtest)"
"$venv/bin/python" -m mypy.stubtest zh_clean \
    --allowlist python/stubtest-allowlist.txt --mypy-config-file python/pyproject.toml

echo "== python: binding crate formatting and lints"
cargo fmt --manifest-path python/Cargo.toml -- --check
PYO3_PYTHON="$venv/bin/python" CARGO_TARGET_DIR=$target \
    cargo clippy --quiet --manifest-path python/Cargo.toml -- -D warnings

echo "== python: done in $((SECONDS - start)) s"
