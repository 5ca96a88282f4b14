# Shared set-up for the bats files: C locale, the build under test first on
# PATH (DISTCONF_BIN, default build/bin), bats-support and bats-assert.
export LC_ALL=C
TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$TESTS_DIR")"
FIX="$TESTS_DIR/fixtures"
BIN="${DISTCONF_BIN:-$ROOT/build/bin}"
PATH="$BIN:$PATH"
export PATH
# Sanitizer builds: a report is a failure, and leaks are reported.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

load_lib() {
    local name=$1
    if [ -f "/usr/lib/bats/$name/load.bash" ]; then
        load "/usr/lib/bats/$name/load.bash"
    elif [ -f "/usr/lib/bats/$name/load" ]; then
        load "/usr/lib/bats/$name/load"
    else
        echo "missing $name (apt-get install -y $name)" >&2
        return 1
    fi
}
load_lib bats-support
load_lib bats-assert

# A scratch folder per test.
setup() {
    TMP="$BATS_TEST_TMPDIR"
}

# Fail if stderr of the last `run --separate-stderr` mentions a sanitizer.
refute_sanitizer() {
    if [[ "${stderr:-}" == *"Sanitizer"* || "${stderr:-}" == *"runtime error"* ]]; then
        echo "sanitizer report: $stderr" >&2
        return 1
    fi
}

# The article's stream at each stage, made once per file (setup_file):
# DIR/pairs.tsv, DIR/dist.tsv (all four metrics), DIR/conf.tsv.
make_streams() {
    local d=$1
    PATH="${DISTCONF_BIN:-$BATS_TEST_DIRNAME/../build/bin}:$PATH"
    pairgen "$BATS_TEST_DIRNAME/fixtures/identities.yaml" > "$d/pairs.tsv"
    pairdist -m all "$d/pairs.tsv" > "$d/dist.tsv"
    confmap --model Facenet "$d/dist.tsv" > "$d/conf.tsv"
}

# The five programs, and a valid input for each (as arguments, the input
# file last) among the streams make_streams left in $BATS_FILE_TMPDIR.
TOOLS="pairgen pairdist logfit confmap confplot confeval"
input_of() {
    local d="$BATS_FILE_TMPDIR"
    case $1 in
    pairgen) echo "$FIX/identities.yaml" ;;
    pairdist) echo "-m all $d/pairs.tsv" ;;
    logfit) echo "--model Facenet $d/dist.tsv" ;;
    confmap) echo "--model Facenet $d/dist.tsv" ;;
    confplot) echo "--width 60 --height 10 $d/conf.tsv" ;;
    confeval) echo "--model Facenet $d/dist.tsv" ;;
    esac
}

# many_ids N M: an identities file of N identities id0, id1, ... of M items
# each (i0_0, i0_1, ...), one flow list a line, on standard output.
many_ids() {
    awk -v n="$1" -v m="$2" 'BEGIN { for (i = 0; i < n; i++) { printf "id%d: [", i; for (j = 0; j < m; j++) printf "%si%d_%d", j ? ", " : "", i, j; print "]" } }'
}

# exits_with STATUS MESSAGE COMMAND...: COMMAND exits with STATUS and writes
# exactly MESSAGE to standard error ("": nothing); its output is left in
# $output.  refused: status 1 (bad data); warns: status 0.
exits_with() {
    local status=$1 message=$2
    shift 2
    run "-$status" --separate-stderr "$@"
    assert_equal "$stderr" "$message"
}
refused() { exits_with 1 "$@"; }
warns() { exits_with 0 "$@"; }
# usage_refused MESSAGE COMMAND...: COMMAND exits 2 with MESSAGE then the
# Try line on stderr, and writes nothing.
usage_refused() {
    local message=$1
    shift
    run -2 --separate-stderr "$@"
    assert_equal "$stderr" "$message
Try '$1 --help' for more information."
    assert_equal "$output" ""
}

# The identities file $TMP/ids.yaml from a printf format and its arguments.
yaml() { printf "$@" > "$TMP/ids.yaml"; }
# ids_refused FORMAT MESSAGE: pairgen refuses the identities file from
# printf FORMAT with MESSAGE (FORMAT may start with a dash).
ids_refused() {
    yaml -- "$1"
    refused "$2" pairgen "$TMP/ids.yaml"
}

# The model file $TMP/m.yaml from a printf format and its arguments.
model() { printf "$@" > "$TMP/m.yaml"; }
# The value of KEY in METRIC's block of a model file: key FILE METRIC KEY.
key() { awk -v m="  $2:" -v k="    $3:" '$0 == m { f = 1; next } /^  [^ ]/ { f = 0 } f && index($0, k) == 1 { print $2 }' "$1"; }
# $TMP/d.tsv: a one-column stream of the cosine distances given.
cosines() { { echo cosine; printf '%s\n' "$@"; } > "$TMP/d.tsv"; }

# model_refused STREAM MESSAGE FORMAT [ARG...]: confmap -M refuses the model
# file $TMP/m.yaml written by printf FORMAT ARG..., reading STREAM, with MESSAGE.
model_refused() {
    local stream=$1 message=$2
    shift 2
    model "$@"
    refused "$message" confmap -M "$TMP/m.yaml" "$stream"
}
