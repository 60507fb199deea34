#!/usr/bin/env bash
# Runs each fuzz target for a bounded time, one after the other, on one core.
#
#   fuzz/run.sh SECONDS [TARGET...]      # default: every target
#
# With a nightly toolchain the targets are built with AddressSanitizer (the
# cargo fuzz default); on stable, without a sanitizer (`-s none`: libFuzzer's
# coverage instrumentation is stable, only -Zsanitizer is not). Override with
# FUZZ_SANITIZER=none|address and FUZZ_TOOLCHAIN=stable|nightly. Targets
# are built without comparison tracing (FUZZ_BUILD_ARGS, default
# --no-trace-compares: it took two thirds of the time) and fed inputs of at
# most FUZZ_MAX_LEN bytes (default 1024: every rule looks at a bounded
# neighbourhood, so short inputs reach them as well and many more of them
# run); extra libFuzzer flags go in FUZZ_ARGS.
#
# New inputs go to corpus/TARGET/ (ignored by git: only the seed-* files are
# kept), crashes to artifacts/TARGET/, the output to logs/TARGET.log. Exit
# status 1 when a target failed.
set -uo pipefail
cd "$(dirname "$0")"

secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pipeline spacing jsonl decode)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is missing: cargo install cargo-fuzz" >&2
    exit 2
fi
toolchain=${FUZZ_TOOLCHAIN:-}
if [ -z "$toolchain" ]; then
    if cargo +nightly --version >/dev/null 2>&1; then toolchain=nightly; else toolchain=stable; fi
fi
sanitizer=${FUZZ_SANITIZER:-}
if [ -z "$sanitizer" ]; then
    if [ "$toolchain" = nightly ]; then sanitizer=address; else sanitizer=none; fi
fi
echo "toolchain $toolchain, sanitizer $sanitizer, ${secs}s per target: ${targets[*]}"

mkdir -p logs
failed=0
summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t" "regressions/$t"
    # shellcheck disable=SC2086
    cargo "+$toolchain" fuzz run -s "$sanitizer" ${FUZZ_BUILD_ARGS---no-trace-compares} "$t" "corpus/$t" "regressions/$t" -- \
        -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096 -max_len="${FUZZ_MAX_LEN:-1024}" ${FUZZ_ARGS:-} \
        >"logs/$t.log" 2>&1
    status=$?
    runs=$(grep -o '^stat::number_of_executed_units:[[:space:]]*[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1)
    speed=$(grep -o '^stat::average_exec_per_sec:[[:space:]]*[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "logs/$t.log" | tail -1)
    if [ $status -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status; see fuzz/logs/$t.log and fuzz/artifacts/$t/)"
        failed=1
    fi
    summary+=("$t: ${runs:-?} executions (${speed:-?}/s), ${cov:-cov: ?}, corpus $(find "corpus/$t" -type f | wc -l) files: $result")
    echo "${summary[-1]}"
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $failed
