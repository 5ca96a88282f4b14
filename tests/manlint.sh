#!/usr/bin/env bash
# Lints man pages:  tests/manlint.sh FILE...
# Prints one line per problem, "FILE:LINE: what", and exits 1 if any:
#  - groff -mdoc -ww reports anything;
#  - a line starts with ' (a control line to roff: the text vanishes);
#  - code holds a bare ' or ` : in a literal display (.Bd -literal,
#    -unfilled), and in .Dl, .Ql, .Li, .Ic, .Cm, .Fl, .Ar, .Pa, .Ev, .Va,
#    .Dv, .Sy lines.  Some groff versions and configurations draw them as the
#    typographic quotes U+2019 and U+2018, and a command or a message copied
#    from the page then breaks: write \(aq and \(ga;
#  - rendered with ' and ` drawn typographically, a command line ("$ ...")
#    shows U+2018 or U+2019.
set -u
status=0
for m in "$@"; do
    out=$(LC_ALL=C groff -mdoc -ww -z -Tutf8 "$m" 2>&1)
    if [ -n "$out" ]; then
        printf '%s\n' "$out"
        status=1
    fi
    awk -v f="$m" '
        function bad(what) { printf "%s:%d: %s\n", f, NR, what; st = 1 }
        /^\.\\"/ { next }
        /^\.Bd/ { lit = ($0 ~ /-literal|-unfilled/); next }
        /^\.Ed/ { lit = 0; next }
        /^\047/ { bad("a line that starts with \047 is a roff request: write \\&\047") }
        {
            s = $0
            if (!lit) {
                # a macro line: the text from the first code macro on
                if (!match(s, /^\.(.*[ \t])?(Dl|Ql|Li|Ic|Cm|Fl|Ar|Pa|Ev|Va|Dv|Sy)([ \t]|$)/)) next
                s = substr(s, RLENGTH)
            }
            gsub(/\\\(aq|\\\(ga|\\\[aq\]|\\\[ga\]|\\\(oq|\\\(cq/, "", s)
            if (s ~ /\047/) bad("\047 in code: write \\(aq (some groffs draw \047 as U+2019)")
            if (s ~ /`/) bad("` in code: write \\(ga (some groffs draw ` as U+2018)")
        }
        END { exit st }' "$m" || status=1
    # the commands as a reader sees them, quotes drawn typographically
    { printf ".char \047 \\\\[cq]\n.char \140 \\\\[oq]\n"; cat "$m"; } |
        LC_ALL=C groff -mdoc -Tutf8 2>/dev/null | LC_ALL=C.UTF-8 col -bx |
        LC_ALL=C grep -n '^ *\$ .*\(‘\|’\)' | sed "s|^|$m: rendered line |; s|\$|: a typographic quote in a command|" |
        grep . && status=1
done
exit $status
