#!/usr/bin/env bats
# Every list of names that --help and the man pages write out by hand (the
# metrics, the styles) against the tables the programs use: a name added to
# or taken from a table fails here until the texts follow.  The tables are
# read from the programs' own output (--list-models, a message that lists
# the choices), which are made from them.

load test_helper
bats_require_minimum_version 1.5.0

MAN="$ROOT/man"

# metric.h's metric_names, in order: --list-models' header.
table_metrics() { logfit --list-models | head -1 | cut -f2- | tr '\t' ' '; }

# confidence.h's conf_style_names, in order: --style's message.
table_styles() {
    run -2 --separate-stderr confmap --model Facenet --style ''
    local l=${stderr#*"(expected "}
    l=${l%%")"*}
    echo "$l" | sed 's/, / /g; s/ or / /'
}

# "a b c" as "a, b or c"
choices() {
    local -a w=($1)
    local n=${#w[@]} s=${w[0]} i
    for ((i = 1; i < n - 1; i++)); do s+=", ${w[i]}"; done
    ((n > 1)) && s+=" or ${w[n - 1]}"
    echo "$s"
}

# the count in words, as the texts say it ("the four")
count_word() {
    local -a words=(zero one two three four five six seven eight nine ten)
    echo "${words[$1]}"
}

# One paragraph of --help: from the line matching $2 to the next option.
help_paragraph() {
    "$1" --help | awk -v start="$2" '
        index($0, start) { f = 1; print; next }
        f && /^  +-/ { exit }
        f' | tr -s ' \n' '  '
}

# The lines of man page $1 from the one matching $2 to the one matching $3
# (extended regular expressions, taken as they are).
man_span() {
    A="$2" B="$3" awk '$0 ~ ENVIRON["A"] { f = 1 } f { print } f && $0 ~ ENVIRON["B"] { exit }' "$MAN/$1"
}

@test "the tables as the programs show them" {
    assert_equal "$(table_metrics)" "cosine euclidean euclidean_l2 angular"
    assert_equal "$(table_styles)" "clamped study deepface raw probability"
}

@test "pairdist --help and pairdist.1 list every metric, and all" {
    local -a m=($(table_metrics))
    local rest="${m[*]:1}"
    local want="${m[0]} (default), ${rest// /, }, or all (the $(count_word ${#m[@]}))"
    local got=$(help_paragraph pairdist "--metrics=LIST")
    assert_equal "${got#*the columns: }" "$want "
    got=$(man_span pairdist.1 '^\.It Fl m ' 'for the' | awk '$1 == ".Cm" { printf "%s ", $2 }')
    assert_equal "$got" "${m[*]} all "
    run -0 man_span pairdist.1 '^\.It Fl m ' 'for the'
    assert_output --partial "for the $(count_word ${#m[@]}):"
}

@test "logfit --help and logfit.1 list every metric as the default columns" {
    local m=$(table_metrics)
    local got=$(help_paragraph logfit "--distances=LIST")
    assert_equal "${got#*every column named }" "$(choices "$m") "
    got=$(man_span logfit.1 'fits every column named' 'in the order of the stream' |
        awk '$1 == ".Ql" { printf "%s ", $2 }')
    assert_equal "$got" "$m "
}

@test "confmap --help and confmap.1 list every style" {
    local s=$(table_styles)
    local got=$(confmap --help | awk '/^      --style=STYLE/ { f = 1; print $2; next }
        f && /^  +-/ { exit }
        f && /^                         [a-z]/ { print $1 }' | sed 's/:$//' | tr '\n' ' ')
    assert_equal "$got" "$s "
    got=$(man_span confmap.1 '^\.It Fl \\-style' '^\.Cm [a-z]+ ;' |
        awk '$1 == ".Cm" { printf "%s ", $2 }')
    assert_equal "$got" "$s "
    got=$(awk '/^The styles:/ { f = 1 } !f { next }
        $1 == ".Bl" { d++ } $1 == ".El" && --d == 0 { exit }
        d == 1 && $1 == ".It" && $2 == "Cm" { printf "%s ", $3 }' "$MAN/confmap.1")
    assert_equal "$got" "$s "
}
