# bench/common.sh: what the bench scripts share.  A bench sources it first:
#   . "$(dirname "$0")/common.sh"

# bench_args NAME DEFAULT_ROWS BINDIR [ROWS]: BIN, the programs' folder as an
# absolute path, and ROWS (DEFAULT_ROWS unless given); then into bench/, with
# its data/ folder made.
bench_args() {
    local name=$1 rows=$2
    shift 2
    BIN=${1:?usage: bash bench/$name.sh BINDIR [ROWS]}
    BIN=$(cd "$BIN" && pwd)
    ROWS=${2:-$rows}
    cd "$(dirname "$0")"
    mkdir -p data
}

# bench_measure LABEL COMMAND...: runs COMMAND, its output to /dev/null, and
# prints "LABEL wall_s cpu_s max_rss_KiB" (CPU: user + system); without
# /usr/bin/time, the wall time alone and "-" for the others.
bench_measure() {
    local label=$1 t s
    shift
    if [ -x /usr/bin/time ]; then
        t=$( { /usr/bin/time -f '%e %U %S %M' "$@" >/dev/null; } 2>&1 | tail -n 1)
        echo "$label $(echo "$t" | awk '{ printf "%s %.2f %s", $1, $2 + $3, $4 }')"
    else
        s=$(date +%s.%N)
        "$@" >/dev/null
        echo "$label $(echo "$(date +%s.%N) - $s" | bc) - -"
    fi
}
