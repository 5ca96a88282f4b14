#!/usr/bin/env bash
# make check-valgrind: the C unit tests and the bats suite with every program
# run under valgrind's memcheck; any leak or invalid access fails the test
# that ran it.
#   tests/valgrind.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/.."
b=${1:-build}
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install -y valgrind)" >&2; exit 1; }
wrap=$(mktemp -d)
trap 'rm -rf "$wrap"' EXIT
for p in "$b"/bin/*; do
    name=$(basename "$p")
    cat > "$wrap/$name" <<SH
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect "$PWD/$p" "\$@"
SH
    chmod +x "$wrap/$name"
done
failed=0
for t in "$b"/tests/test_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    # Status 99 is valgrind's own finding.  A test's assertions may fail
    # under valgrind for another reason: it computes long double as double,
    # and some references here are long double.
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        "$t" > /dev/null 2> "$wrap/unit.err"
    rc=$?
    if [ $rc -eq 99 ]; then
        echo "not ok - valgrind $t"
        cat "$wrap/unit.err"
        failed=1
    else
        echo "ok - valgrind $t (no memory error; test status $rc)"
    fi
done
# The bats suite sees valgrind's reports on stderr, where its exact-stderr
# assertions catch them, and status 99 where they check the status.
DISTCONF_BIN="$wrap" bats --tap tests/*.bats
status=$?
[ $failed -eq 0 ] && [ $status -eq 0 ]
