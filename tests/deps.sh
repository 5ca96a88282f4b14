#!/bin/sh
# Checks for the Debian packages distconf needs and, run as root, installs
# the missing ones; otherwise prints the one command that installs them.
#   deps.sh [-n] build   what building needs
#   deps.sh [-n] check   what the test suite needs too
#   deps.sh [-n] fuzz    what the fuzz targets need (clang with libFuzzer)
# With -n it never installs, even as root: it only stops with that command
# (what plain `make` and `make install` use; only `make deps`, `make demo`
# and `make check` install).
set -u
install=1
if [ "${1:-}" = -n ]; then
    install=0
    shift
fi
need=""
have_header() { printf '#include <%s>\n' "$1" | ${CC:-cc} -E -x c - >/dev/null 2>&1; }
have_header yaml.h || need="$need libyaml-dev"
have_header zlib.h || need="$need zlib1g-dev"
if [ "${1:-build}" = check ]; then
    command -v bats >/dev/null 2>&1 || need="$need bats"
    [ -f /usr/lib/bats/bats-support/load.bash ] || [ -f /usr/lib/bats/bats-support/load ] || need="$need bats-support"
    [ -f /usr/lib/bats/bats-assert/load.bash ] || [ -f /usr/lib/bats/bats-assert/load ] || need="$need bats-assert"
    command -v groff >/dev/null 2>&1 || need="$need groff-base"
    command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
    # PyYAML reads logfit's models back in tests/names.bats (skipped without it)
    /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || need="$need python3-yaml"
fi
if [ "${1:-build}" = fuzz ]; then
    command -v clang >/dev/null 2>&1 || need="$need clang"
    # libFuzzer's runtime comes with compiler-rt
    if command -v clang >/dev/null 2>&1 && ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
        clang -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1; then
        need="$need libclang-rt-dev"
    fi
fi
[ -z "$need" ] && exit 0
if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$need" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >&2 && exit 0
    echo "deps: apt-get failed; install by hand: apt-get install -y$need" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    echo "deps: missing packages; install them with: apt-get install -y$need" >&2
else
    echo "deps: missing packages; install them with: sudo apt-get install -y$need" >&2
fi
exit 1
