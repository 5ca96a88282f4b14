# common.bash: what the example scripts share, sourced by them (not run):
# their error, the arguments after the options, where the programs are,
# absolute paths, and the shards of a run.  The script sets $me (its name)
# and $here (its folder) first.
# shellcheck shell=bash disable=SC2034,SC2154 # globals: the sourcing script sets and reads them

die() { printf '%s: %s\n' "$me" "$*" >&2; exit 1; }

# After getopts: up to MAX file arguments into the array `files`, then
# logfit's options (after '--') into the array `fitopts`.
#   after_options MAX "$OPTIND" "$@"
after_options() {
    local max=$1 optind=$2 ended=0
    shift 2
    # getopts takes a '--' that ends the options: what follows is logfit's
    [ "$optind" -gt 1 ] && [ "${*:optind-1:1}" = -- ] && ended=1
    shift $((optind - 1))
    files=()
    while [ "$ended" = 0 ] && [ "${#files[@]}" -lt "$max" ] && [ $# -gt 0 ] && [ "$1" != -- ]; do
        files+=("$1")
        shift
    done
    [ "$ended" = 1 ] || [ $# -eq 0 ] || { [ "$1" = -- ] && shift; } ||
        die "unexpected argument '$1' (logfit's options go after --)"
    fitopts=("$@")
}

# The folder of the programs into $bin: DISTCONF_BIN, else where PROG is on
# PATH, else the repository's build.
find_bin() {
    local prog=$1
    if [ -n "${DISTCONF_BIN:-}" ]; then
        bin=$DISTCONF_BIN
    elif command -v "$prog" >/dev/null; then
        bin=$(dirname "$(command -v "$prog")")
    else
        bin=$here/../build/bin
    fi
    bin=$(cd "$bin" && pwd) || die "no programs in '$bin' (set DISTCONF_BIN)"
    [ -x "$bin/$prog" ] || die "no $prog in '$bin' (set DISTCONF_BIN)"
}

# An existing file's absolute path: the jobs may run on other hosts, in
# other folders.
abs() { [ -e "$1" ] || die "$1: no such file"; printf '%s/%s' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")"; }

# The shards of the run in $dir ($n of $ids and $emb): a folder of another
# run is refused (its shard files must never be added in), this run is
# recorded in $dir/run, and the shards to (re)do go into the array `todo`:
# all with $force = 1, else those missing or empty (a failed run's).
shards_todo() {
    local run k
    run=$(printf 'n=%s\nids=%s %s\nemb=%s %s\nmap=pairdist -m all --counts\n' "$n" \
        "$ids" "$(stat -L -c '%s %Y' "$ids")" "$emb" "$(stat -L -c '%s %Y' "$emb")")
    if [ -f "$dir/run" ] && [ "$(cat "$dir/run")" != "$run" ]; then
        die "$dir holds the shards of another run (see $dir/run): give another -d, or remove it"
    fi
    printf '%s\n' "$run" > "$dir/run"
    todo=()
    for ((k = 0; k < n; k++)); do
        [ "$force" = 0 ] && [ -s "$dir/shard-$k.counts" ] || todo+=("$k")
    done
}
