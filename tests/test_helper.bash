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
