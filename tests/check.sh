#!/usr/bin/env bash
# Runs the whole suite against each build folder given (the C unit tests and
# the bats files), lints the man pages, checks that every header stands alone
# (tests/headers.sh) and that lib/'s folders are layers (tests/layers.sh),
# and ends with one line
#   check: N passed, N failed
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Read TAP on stdin: echo it, count it.
tally() {
    local label=$1 line
    while IFS= read -r line; do
        printf '%s\n' "$line"
        case $line in
        "not ok "*) failed=$((failed + 1)); printf '%s: %s\n' "$label" "$line" >>"$log" ;;
        "ok "*"# skip"*|"ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
        "ok "*) passed=$((passed + 1)) ;;
        esac
    done
}

for b in "$@"; do
    echo "== unit tests ($b)"
    for t in "$b"/tests/test_*; do
        [ -x "$t" ] || continue
        tally "$b unit" < <("$t" 2>&1 || echo "not ok - $t exited with status $?")
    done
    echo "== bats ($b)"
    tally "$b bats" < <(DISTCONF_BIN="$PWD/$b/bin" bats --tap tests/*.bats 2>&1)
done

echo "== man pages"
# groff -ww, and quotes: a bare ' or ` in code, a line that starts with '
# (tests/manlint.sh says what each rule is for)
for m in man/*.[17]; do
    [ -f "$m" ] || continue
    out=$(bash tests/manlint.sh "$m" 2>&1)
    if [ -z "$out" ]; then
        tally man <<<"ok - lint $m"
    else
        printf '%s\n' "$out"
        tally man <<<"not ok - lint $m"
    fi
done

echo "== headers"
# every lib/*/*.h compiles alone and lies inside its include guard
tally headers < <(bash tests/headers.sh 2>&1 | grep -v '^1\.\.')

echo "== layers"
# lib/'s folders include only the folders lib/README lists above them
tally layers < <(bash tests/layers.sh 2>&1 | grep -v '^1\.\.')

if [ -s "$log" ]; then
    echo "== failures"
    cat "$log"
fi
if [ "$skipped" -gt 0 ]; then
    echo "check: $passed passed, $failed failed, $skipped skipped"
else
    echo "check: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
