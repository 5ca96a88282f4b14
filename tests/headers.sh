#!/usr/bin/env bash
# Headers are contracts:  tests/headers.sh [CC]
# For every lib/*/*.h, one TAP line: ok when it
#  - compiles alone, included first and twice, with the project's warnings
#    as errors (so it includes what it uses, and its guard covers all of it);
#  - has nothing but comments and blank lines outside its include guard
#    (#ifndef X / #define X first, #endif last);
#  - has no #include after its first declaration.
set -u
cd "$(dirname "$0")/.."
cc=${1:-${CC:-cc}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for h in lib/*/*.h; do
    n=$((n + 1))
    rel=${h#lib/}
    printf '#include "%s"\n#include "%s"\ntypedef int headers_sh_not_empty;\n' "$rel" "$rel" >"$tmp/t.c"
    why=$("$cc" -std=c11 -Ilib -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
        -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Werror \
        -fsyntax-only "$tmp/t.c" 2>&1 | head -5)
    # the layout: comments stripped (also /* ... */ over several lines)
    why2=$(awk '
        BEGIN { c = 0 }
        {
            s = $0; out = ""
            while (length(s)) {
                if (c) { i = index(s, "*/"); if (!i) { s = ""; break } s = substr(s, i + 2); c = 0; continue }
                i = index(s, "/*")
                if (!i) { out = out s; break }
                out = out substr(s, 1, i - 1); s = substr(s, i + 2); c = 1
            }
            gsub(/^[ \t]+|[ \t]+$/, "", out)
            if (out != "") { n++; line[n] = out; at[n] = NR }
        }
        END {
            if (n < 3 || line[1] !~ /^#ifndef [A-Z0-9_]+$/ || line[2] != "#define " substr(line[1], 9) || line[n] != "#endif") {
                print FILENAME ": not wholly inside an include guard (#ifndef X, #define X first, #endif last)"; exit
            }
            decl = 0
            for (k = 3; k < n; k++) {
                if (line[k] ~ /^#include/ && decl) { print FILENAME ":" at[k] ": #include after a declaration"; exit }
                if (line[k] !~ /^#/) decl = 1
            }
        }' "$h")
    if [ -z "$why$why2" ]; then
        echo "ok $n - header $h stands alone"
    else
        echo "not ok $n - header $h stands alone"
        printf '%s\n' "$why" "$why2" | sed '/^$/d; s/^/# /'
    fi
done
echo "1..$n"
