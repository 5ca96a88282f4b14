#!/usr/bin/env bash
# make bench: every bench/*.sh in turn, against the programs in BINDIR, all
# measurements into one results file (bench/data/results.tsv, or
# $BENCH_OUT), then one summary table of that run in markdown
# (bench/summary.sh), ready to paste into README.md's Speed section.
#   BENCH=confmap make bench          one bench (a glob: BENCH='conf*')
#   ROWS=100000 make bench            small files, for a quick run
#   BENCH_RUNS, BENCH_PEER_RUNS, BENCH_SLOW_RUNS: runs of each (see common.sh)
set -uo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/data"
export BENCH_OUT=${BENCH_OUT:-$here/data/results.tsv}
: >"$BENCH_OUT"
start=$(date -u '+%Y-%m-%d %H:%M UTC')
t0=$SECONDS
load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -m); load average $load0; $start"
status=0
for b in "$here"/*.sh; do
    case $(basename "$b") in run.sh | common.sh | summary.sh) continue ;; esac
    # shellcheck disable=SC2053 # BENCH is a glob
    [ -n "${BENCH:-}" ] && [[ "$(basename "$b" .sh)" != $BENCH ]] && continue
    echo
    bash "$b" "$bin"
    rc=$?
    [ $rc = 0 ] || { status=1; echo "bench/$(basename "$b") failed (exit $rc)" >&2; }
done
echo
BENCH_START=$start BENCH_LOAD_BEFORE=$load0 BENCH_SECONDS=$((SECONDS - t0)) \
    bash "$here/summary.sh" "$BENCH_OUT"
exit $status
