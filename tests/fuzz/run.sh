#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) on a corpus seeded from
# tests/fuzz/seeds, and prints executions and coverage per target.  A crash
# stops with status 1 and leaves the input in build-fuzz/crash-TARGET-*;
# copy it into tests/fuzz/regress/TARGET/ once fixed (hostile.bats replays
# that folder through the programs).
#   tests/fuzz/run.sh [SECONDS [TARGET...]]
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ids model emb tsv names counts)
status=0
for t in "${targets[@]}"; do
    corpus=build-fuzz/corpus/$t
    mkdir -p "$corpus"
    cp -n tests/fuzz/seeds/$t/* "$corpus/" 2>/dev/null
    [ -d tests/fuzz/regress/$t ] && cp -n tests/fuzz/regress/$t/* "$corpus/" 2>/dev/null
    log=build-fuzz/$t.log
    # -fork keeps each job short, so what an error path leaves allocated
    # (the programs exit there) never piles up; leaks are valgrind's job.
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ./build-fuzz/fuzz_$t "$corpus" -fork=1 -ignore_crashes=0 -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="build-fuzz/crash-$t-" \
        -print_final_stats=1 > "$log" 2>&1
    rc=$?
    stats=$(grep -E '^#[0-9]+' "$log" | tail -1)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    [ -n "$execs" ] || execs=$(echo "$stats" | sed -n 's/^#\([0-9]*\).*/\1/p')
    cov=$(echo "$stats" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*')
    ft=$(echo "$stats" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*')
    files=$(ls "$corpus" | wc -l)
    if [ $rc -eq 0 ]; then
        printf 'fuzz %-6s ok: %ss, %s executions, coverage %s edges (%s features), corpus %s\n' \
            "$t" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$files"
    else
        printf 'fuzz %-6s FAILED (status %s); see %s\n' "$t" "$rc" "$log"
        grep -E 'ERROR|SUMMARY|crash-' "$log" | head -5
        status=1
    fi
done
exit $status
