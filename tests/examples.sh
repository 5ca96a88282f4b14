#!/usr/bin/env bash
# Runs the examples a document shows and compares what they print with what
# it shows:  tests/examples.sh FILE...   (README.md, man/*.1, man/*.7)
#
# An example is a line "$ COMMAND" followed by the lines it prints (none:
# it prints nothing).  In markdown they are the 4-space indented blocks; in
# a man page, the EXAMPLES section as groff renders it, with ' and ` drawn
# as the typographic quotes some groff versions and configurations give
# them (a command is copied from what the reader sees, so a quote meant as
# ASCII that renders curly breaks it here).  Each document's examples run in
# order, in one scratch folder holding a copy of examples/, as from the
# repository's root; stdout and stderr are compared together, white space
# squeezed (groff expands tabs).  Programs: DISTCONF_BIN, else build/bin.
# Prints one line per example, "ok" or "not ok" with a diff; status 1 if any
# differs.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${DISTCONF_BIN:-$root/build/bin}
export PATH="$bin:$PATH" LC_ALL=C
status=0

# The examples of one document, as records: "$ CMD" lines and output lines.
extract() {
    case $1 in
    *.md)
        awk '/^    \$ / { print "$ " substr($0, 7); on = 1; next }
             on && /^    / { print "> " substr($0, 5); next }
             { on = 0 }' "$1"
        ;;
    *)
        { printf ".char ' \\\\[cq]\n.char \\\\[ga] \\\\[oq]\n.char \` \\\\[oq]\n"; cat "$1"; } |
            groff -mdoc -Tutf8 2>/dev/null | col -bx |
            awk '/^EXAMPLES/ { on = 1; next } on && /^[A-Z]/ { exit }
                 on && /^ +\$ / { sub(/^ +\$ /, ""); print "$ " $0; ex = 1; next }
                 on && ex && /^ +[^ ]/ { sub(/^ +/, ""); print "> " $0; next }
                 { ex = 0 }'
        ;;
    esac
}

squeeze() { sed 's/[[:space:]]\{1,\}/ /g; s/ $//; s/^ //'; }

for doc in "$@"; do
    name=${doc#"$root"/}
    scratch=$(mktemp -d)
    cp -r "$root/examples" "$scratch/"
    n=0
    cmds=() outs=()
    while IFS= read -r line; do
        case $line in
        '$ '*) cmds+=("${line#\$ }"); outs+=("") ;;
        '> '*) i=$((${#outs[@]} - 1)); outs[i]+="${line#> }"$'\n' ;;
        esac
    done < <(extract "$doc")
    if [ "${#cmds[@]}" -eq 0 ]; then
        echo "not ok - $name: no examples found"
        status=1
    fi
    for i in "${!cmds[@]}"; do
        cmd=${cmds[i]}
        got=$(cd "$scratch" && bash -c "$cmd" 2>&1)
        rc=$?
        want=$(printf '%s' "${outs[i]}" | squeeze)
        have=$(printf '%s\n' "$got" | squeeze)
        if [ $rc -ne 0 ] || [ "$want" != "$have" ]; then
            echo "not ok - $name: \$ $cmd (status $rc)"
            diff <(printf '%s\n' "$want") <(printf '%s\n' "$have") | sed 's/^/#   /'
            status=1
        else
            echo "ok - $name: \$ $cmd"
        fi
    done
    rm -rf "$scratch"
done
exit $status
