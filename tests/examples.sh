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
#
#   tests/examples.sh --update FILE...
# writes what the examples print into the documents instead (escaped for
# roff in a man page, where every example with output is in a .Bd -literal
# block): after a change of output, run it and read the diff.
set -u
update=0
if [ "${1:-}" = --update ]; then
    update=1
    shift
fi
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
            groff -mdoc -Tutf8 2>/dev/null | LC_ALL=C.UTF-8 col -bx |
            awk '/^EXAMPLES/ { on = 1; next } on && /^[A-Z]/ { exit }
                 on && /^ +\$ / { sub(/^ +\$ /, ""); print "$ " $0; ex = 1; next }
                 on && ex && /^ +[^ ]/ { sub(/^ +/, ""); print "> " $0; next }
                 { ex = 0 }'
        ;;
    esac
}

squeeze() { sed 's/[[:space:]]\{1,\}/ /g; s/ $//; s/^ //'; }

# Rewrite the document with the outputs in $outdir/1, 2, ... (the order of
# the examples).
rewrite() {
    local doc=$1 outdir=$2
    case $doc in
    *.md)
        awk -v dir="$outdir" '
            skip && /^    / && !/^    \$ / { next }
            { skip = 0 }
            /^    \$ / { print; k++; f = dir "/" k
                while ((getline l < f) > 0) print "    " l
                close(f); skip = 1; next }
            { print }' "$doc"
        ;;
    *)
        awk -v dir="$outdir" '
            /^\.Sh / { ex = ($2 == "EXAMPLES") }
            skip && !/^\$ / && !/^\.Ed/ { next }
            { skip = 0 }
            ex && /^\.Dl \$ / { k++ }
            ex && /^\$ / { print; k++; f = dir "/" k
                while ((getline l < f) > 0) {
                    gsub(/\\/, "\\e", l); gsub(/\047/, "\\(aq", l); gsub(/`/, "\\(ga", l)
                    if (l ~ /^[.]/) l = "\\&" l
                    print l }
                close(f); skip = 1; next }
            { print }' "$doc"
        ;;
    esac > "$doc.new" && mv "$doc.new" "$doc"
}

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
    outdir=$scratch.out
    mkdir -p "$outdir"
    for i in "${!cmds[@]}"; do
        cmd=${cmds[i]}
        got=$(cd "$scratch" && bash -c "$cmd" 2>&1)
        rc=$?
        [ -z "$got" ] || printf '%s\n' "$got" > "$outdir/$((i + 1))"
        : >> "$outdir/$((i + 1))"
        want=$(printf '%s' "${outs[i]}" | squeeze)
        have=$(printf '%s\n' "$got" | squeeze)
        if [ $rc -ne 0 ] || [ "$want" != "$have" ]; then
            echo "not ok - $name: \$ $cmd (status $rc)"
            diff <(printf '%s\n' "$want") <(printf '%s\n' "$have") | sed 's/^/#   /'
            # --update writes the new output; a command that fails is still a failure
            [ "$update" = 1 ] && [ $rc -eq 0 ] || status=1
        else
            echo "ok - $name: \$ $cmd"
        fi
    done
    if [ "$update" = 1 ]; then
        rewrite "$doc" "$outdir"
        echo "# $name: updated"
    fi
    rm -rf "$scratch" "$outdir"
done
exit $status
