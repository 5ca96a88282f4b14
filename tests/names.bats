#!/usr/bin/env bats
# Names (issue 10, point 2): every kind of name is checked once, where it is
# read, by one rule (lib/common/name.c): no empty name, no TAB, LF, CR or NUL, and
# UTF-8 where it goes into a YAML model.  No name is cut, whatever its
# length.  Control characters and invalid UTF-8 never reach a terminal or an
# SVG raw.  A model quotes every name YAML 1.1 or 1.2 would read as
# something other than a string, and reads it back unchanged.

load test_helper
bats_require_minimum_version 1.5.0

# A stream with a `same` column and the given distance columns (header
# fields as given, bytes and all), 20 rows that a fit separates.
stream() {
    local out=$1
    shift
    {
        printf 'same'
        for c in "$@"; do printf '\t%s' "$c"; done
        printf '\n'
        for i in $(seq 1 20); do
            printf '%d' $((i % 2))
            for c in "$@"; do printf '\t0.%d%02d' $((i % 2 ? 1 : 7)) $(((i * 37 + ${#c}) % 100)); done
            printf '\n'
        done
    } > "$out"
}

# The names of the YAML 1.1 and 1.2 implicit types, indicators and the rest
# that a model must quote; one a line (no TAB, LF or comma in any).
hostile_keys() {
    printf '%s\n' 0x10 0o17 017 0b101 .inf -.Inf .NaN .nan 1_000 2024-01-01 \
        2024-01-01T12:00:00Z 12:30 1:20:30 190:20:30.15 yes Yes YES No no on On off OFF y Y n N \
        '~' null Null NULL true True FALSE 1e3 +1 -1 .5 1. '=' '<<' 'a: b' 'a #b' ' lead' \
        'trail ' -x '?x' '[x' ']x' '{x' '}x' '&x' '*x' '!x' '|x' '>x' "'x" '"x' '%x' '@x' \
        '`x' '#x' 'a:b' 'a#b' 'back\slash' '- x' '? x' ': x' 'multi  space' 'ünïcödé' \
        $'e\x1bx' $'\x01' $'\x7f' $'\xc2\x85' $'\xe2\x80\xa8x' $'\xef\xbb\xbfz' $'\xef\xbf\xbe' \
        $'\xf0\x9f\x98\x80'
}

# ---- the door: identities file ----

@test "identities: an identity name with a TAB, LF, CR or NUL is refused, at the name" {
    ids_refused '"a\\tb": [x, y]\nB: [z]\n' "pairgen: $TMP/ids.yaml:1:1: identity name holds a TAB ('a?b')"
    ids_refused 'A: [x]\n"a\\nb": [y]\n' "pairgen: $TMP/ids.yaml:2:1: identity name holds a line feed ('a?b')"
    ids_refused 'identities:\n  "a\\rb": [x]\n' "pairgen: $TMP/ids.yaml:2:3: identity name holds a carriage return ('a?b')"
    ids_refused '"a\\0b": [x]\n' "pairgen: $TMP/ids.yaml:1:1: identity name holds a NUL byte ('a?b')"
    assert_equal "$output" ""
}

@test "identities: an empty identity name is refused" {
    ids_refused '"": [x]\n' "pairgen: $TMP/ids.yaml:1:1: an identity name is empty"
    ids_refused "identities:\n  '': [x]\n" "pairgen: $TMP/ids.yaml:2:3: an identity name is empty"
}

@test "identities: an item name with a TAB, LF, CR or NUL is refused" {
    ids_refused 'A: ["a\\tb"]\n' "pairgen: $TMP/ids.yaml:1:5: item name holds a TAB ('a?b')"
    ids_refused 'A:\n  - x\n  - "a\\nb"\n' "pairgen: $TMP/ids.yaml:3:5: item name holds a line feed ('a?b')"
    ids_refused 'A: ["a\\rb"]\n' "pairgen: $TMP/ids.yaml:1:5: item name holds a carriage return ('a?b')"
    ids_refused 'A: ["\\0"]\n' "pairgen: $TMP/ids.yaml:1:5: item name holds a NUL byte ('?')"
    # a literal block scalar keeps its final newline: a name with a LF
    ids_refused 'A:\n  - |\n    x\n' "pairgen: $TMP/ids.yaml:2:5: item name holds a line feed ('x?')"
}

@test "identities: names with other control characters pass through, and messages show them as '?'" {
    yaml 'A: ["a\\eb", "c\\x01d"]\nB: ["\\u009b2J"]\n'
    run -0 --separate-stderr pairgen "$TMP/ids.yaml"
    assert_line -n 1 $'a\033b\tc\001d\t1'
    assert_line -n 2 $'a\033b\t\302\2332J\t0'
    assert_line -n 3 $'c\001d\t\302\2332J\t0'
    ids_refused 'A: ["\\e]0;owned\\a", "\\e]0;owned\\a"]\n' "pairgen: $TMP/ids.yaml:1:21: item '?]0;owned?' is listed twice under identity 'A'"
    ids_refused '"\\e[31m": [a]\n"\\e[31m": [b]\n' "pairgen: $TMP/ids.yaml:2:1: identity '?[31m' is listed twice"
}

@test "identities: the embeddings path may not hold a TAB, LF, CR or NUL, nor its folder" {
    ids_refused 'embeddings: "e\\nmb.tsv"\nidentities:\n  A: [x, y]\n' "pairgen: $TMP/ids.yaml:1:13: 'embeddings' path holds a line feed ('e?mb.tsv')"
    ids_refused 'embeddings: "e\\tmb.tsv"\nidentities:\n  A: [x, y]\n' "pairgen: $TMP/ids.yaml:1:13: 'embeddings' path holds a TAB ('e?mb.tsv')"
    ids_refused 'identities:\n  A: [x, y]\nembeddings: "e\\rmb"\n' "pairgen: $TMP/ids.yaml:3:13: 'embeddings' path holds a carriage return ('e?mb')"
    ids_refused 'embeddings: "e\\0"\nidentities:\n  A: [x, y]\n' "pairgen: $TMP/ids.yaml:1:13: 'embeddings' path holds a NUL byte ('e?')"
    # the folder of the identities file is joined to the path: it goes into
    # the stream's #embeddings= line too
    cd "$TMP"
    mkdir d$'\n'x
    printf 'embeddings: emb.tsv\nidentities:\n  A: [x, y]\n' > d$'\n'x/i.yaml
    run -1 --separate-stderr pairgen d$'\n'x/i.yaml
    assert_equal "$stderr" "pairgen: d"$'\n'"x/i.yaml: the embeddings path joined to this file's folder holds a line feed ('d?x/emb.tsv')"
    # an absolute path is not joined: the folder does not matter then
    printf 'embeddings: /e.tsv\nidentities:\n  A: [x, y]\n' > d$'\n'x/i.yaml
    run -0 --separate-stderr pairgen d$'\n'x/i.yaml
    assert_line -n 0 "#embeddings=/e.tsv"
}

# ---- the door: embedding store ----

@test "store: an item name with a CR inside, or empty, is refused" {
    printf 'a\rb\t1,2\nc\t1,3\n' > "$TMP/e.tsv"
    run -1 --separate-stderr bash -c "printf 'a\tb\nc\tc\n' | pairdist -e '$TMP/e.tsv'"
    assert_equal "$stderr" "pairdist: $TMP/e.tsv:1: item name holds a carriage return ('a?b')"
    printf 'c\t1,3\n\t1,2\n' > "$TMP/e.tsv"
    run -1 --separate-stderr bash -c "printf 'a\tb\nc\tc\n' | pairdist -e '$TMP/e.tsv'"
    assert_equal "$stderr" "pairdist: $TMP/e.tsv:2: empty name (expected NAME<TAB>VALUES)"
    # a CR at the end of the line is the line end, not part of the name
    printf 'c\t1,3\r\nd\t2,1\r\n' > "$TMP/e.tsv"
    run -0 bash -c "printf 'a\tb\nc\td\n' | pairdist -e '$TMP/e.tsv'"
    assert_line -n 1 "c	d	0.292893"
}

@test "store: names with controls and invalid UTF-8 are names; messages show them as '?'" {
    printf 'a\033b\t1,2\nc\xffd\t1,3\n' > "$TMP/e.tsv"
    run -0 bash -c "printf 'a\tb\na\033b\tc\xffd\n' | pairdist -e '$TMP/e.tsv'"
    assert_line -n 1 $'a\033b\tc\xffd\t0.010051'
    run -1 --separate-stderr bash -c "printf 'a\tb\na\033b\te\xc2\x9b\n' | pairdist -e '$TMP/e.tsv'"
    assert_equal "$stderr" "pairdist: <stdin>:2: no embedding in $TMP/e.tsv for the item of column 'b' ('e?')"
}

# ---- the door: columns into a model, metric names out of one ----

@test "logfit: a fitted column whose name is not UTF-8, or holds a CR, is refused" {
    stream "$TMP/s.tsv" $'co\xffs'
    run -1 --separate-stderr logfit -d $'co\xffs' "$TMP/s.tsv"
    assert_equal "$stderr" "logfit: $TMP/s.tsv:1: column name is not valid UTF-8 ('co?s')"
    stream "$TMP/s.tsv" $'co\rs'
    run -1 --separate-stderr logfit -d $'co\rs' "$TMP/s.tsv"
    assert_equal "$stderr" "logfit: $TMP/s.tsv:1: column name holds a carriage return ('co?s')"
    stream "$TMP/s.tsv" $'\xed\xa0\x80'
    run -1 --separate-stderr logfit -d $'\xed\xa0\x80' "$TMP/s.tsv"
    assert_equal "$stderr" "logfit: $TMP/s.tsv:1: column name is not valid UTF-8 ('???')"
    # the line is the header's, after a preamble; with several inputs, the first's
    { echo '#model=Facenet'; cat "$TMP/s.tsv"; } > "$TMP/p.tsv"
    run -1 --separate-stderr logfit -d $'\xed\xa0\x80' "$TMP/p.tsv" "$TMP/s.tsv"
    assert_equal "$stderr" "logfit: $TMP/p.tsv:2: column name is not valid UTF-8 ('???')"
    # a column that is not fitted may be anything
    stream "$TMP/s.tsv" cosine $'x\xff'
    run -0 logfit -o "$TMP/m.yaml" "$TMP/s.tsv"
}

@test "confmap: a model's metric name that is empty or holds a TAB, LF, CR or NUL is refused" {
    local blk='{w: -6.5, b: 1.6, normalizer: 1, denorm_max_true: 77, denorm_min_true: 41, denorm_max_false: 20, denorm_min_false: 0.7, threshold: 0.4}'
    stream "$TMP/s.tsv" cosine
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:3:3: metric name holds a TAB ('a?b')" 'version: 1\nmetrics:\n  "a\\tb": %s\n' "$blk"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:3:3: metric name holds a line feed ('a?b')" 'version: 1\nmetrics:\n  "a\\nb": %s\n' "$blk"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:1:2: metric name holds a carriage return ('co?s')" '{"co\\rs": %s}\n' "$blk"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:3:3: metric name holds a NUL byte ('?')" 'version: 1\nmetrics:\n  "\\0": %s\n' "$blk"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:3:3: a metric name is empty" "version: 1\nmetrics:\n  '': %s\n" "$blk"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:4:3: metric '?[2J' appears twice" 'version: 1\nmetrics:\n  "\\e[2J": %s\n  "\\e[2J": %s\n' "$blk" "$blk"
}

# ---- no name is cut ----

@test "long names: items, identities and a metric of 12000-15000 bytes go through the whole pipeline" {
    local L M
    L=$(head -c 12000 /dev/zero | tr '\0' x)
    M=$(head -c 15000 /dev/zero | tr '\0' m)
    {
        echo 'embeddings: emb.tsv'
        echo 'identities:'
        for i in 1 2 3 4; do
            # YAML allows 1024 characters in an implicit key: a longer one is explicit
            echo "  ? id$i$L"
            echo "  :"
            for j in 1 2 3; do echo "    - it$i$j$L"; done
        done
    } > "$TMP/ids.yaml"
    awk 'BEGIN{srand(3)} /^    - /{n=$2; c=substr(n,3,1); printf "%s\t%f,%f,%f\n", n, c+rand()*0.3, 1+rand()*0.3, 0.5+rand()*0.3}' \
        "$TMP/ids.yaml" > "$TMP/emb.tsv"
    run -0 bash -c "pairgen -i '$TMP/ids.yaml' | pairdist -m cosine | sed '1,2s/cosine\$/$M/' > '$TMP/d.tsv'"
    # every name whole in the stream
    run -0 awk -F'\t' 'NR > 2 { if (length($1) != 12004 || length($4) != 12003) bad++ } NR == 2 { h = length($6) } END { print NR, h, bad + 0 }' "$TMP/d.tsv"
    assert_output "68 15000 0"
    run -0 logfit -d "$M" -o "$TMP/m.yaml" "$TMP/d.tsv"
    run -0 confmap -M "$TMP/m.yaml" -o "$TMP/c.tsv" --verified "$TMP/d.tsv"
    run -0 awk -F'\t' 'NR == 2 { print NF, length($7), length($8), substr($7, 15000), substr($8, 15000) }' "$TMP/c.tsv"
    assert_output "8 15011 15009 m_confidence m_verified"
    run -0 --separate-stderr confplot -c "${M}_confidence" --svg "$TMP/c.svg" "$TMP/c.tsv"
    xmllint --noout "$TMP/c.svg"
    # the panel title holds the name whole
    run -0 grep -c "${M}_confidence</text>" "$TMP/c.svg"
    run -0 bash -c "confplot -c '${M}_confidence' --width 60 --height 9 '$TMP/c.tsv' | head -1"
    assert_output "$(head -c 60 <<< "$M")"
    # a class column of 15000 bytes: the SVG title and legend hold it whole
    sed "2s/same/s$M/" "$TMP/c.tsv" > "$TMP/c2.tsv"
    run -0 --separate-stderr confplot -y "s$M" -c "${M}_confidence" --svg "$TMP/c2.svg" "$TMP/c2.tsv"
    xmllint --noout "$TMP/c2.svg"
    run -0 grep -c "<title>Density of the confidence, by s$M</title>" "$TMP/c2.svg"
    run -0 grep -c ">s$M=1 (n = 12)</text>" "$TMP/c2.svg"
}

@test "long names: a model with a metric of 20000 bytes reads back whole (logfit -> confmap, PyYAML)" {
    local M
    M=$(printf 'é%.0s' $(seq 1 10000))
    stream "$TMP/s.tsv" "$M" "2024-$M"
    run -0 logfit -d "$M,2024-$M" -o "$TMP/m.yaml" "$TMP/s.tsv"
    run -0 bash -c "confmap -M '$TMP/m.yaml' '$TMP/s.tsv' | head -1"
    assert_output "same	$M	2024-$M	${M}_confidence	2024-${M}_confidence"
    [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no /usr/bin/python3 with PyYAML"
    run -0 /usr/bin/python3 -c 'import sys, yaml; m = yaml.safe_load(open(sys.argv[1], encoding="utf-8")); print([len(k) for k in m["metrics"]])' "$TMP/m.yaml"
    assert_output "[10000, 10005]"
}

@test "long names: messages show a name cut to 40 bytes, on a character's boundary" {
    local M
    M=$(printf 'é%.0s' $(seq 1 30))
    stream "$TMP/s.tsv" cosine
    run -1 --separate-stderr logfit -d "$M" "$TMP/s.tsv"
    assert_equal "$stderr" "logfit: $TMP/s.tsv:1: no column '$(printf 'é%.0s' $(seq 1 20))...' in the header (columns: same, cosine)"
}

# ---- YAML: every name that is not a plain string is quoted ----

@test "model: names YAML 1.1 or 1.2 would not read as strings are quoted, and come back unchanged" {
    mapfile -t keys < <(hostile_keys)
    stream "$TMP/s.tsv" "${keys[@]}"
    local IFS=,
    run -0 logfit -d "${keys[*]}" -o "$TMP/m.yaml" "$TMP/s.tsv"
    unset IFS
    # confmap appends NAME_confidence for each, in the model's order
    run -0 bash -c "confmap -M '$TMP/m.yaml' '$TMP/s.tsv' | head -1"
    local want="same" k
    for k in "${keys[@]}"; do want+=$'\t'"$k"; done
    for k in "${keys[@]}"; do want+=$'\t'"${k}_confidence"; done
    assert_output "$want"
    # a few of them, as written
    run -0 grep -c -x -e "  '0x10':" -e "  '1_000':" -e "  '2024-01-01':" -e "  '12:30':" -e "  'yes':" \
        -e "  '~':" -e "  '.inf':" -e "  ' lead':" -e "  '''x':" -e '  "e\\ex":' -e '  "\\uFEFFz":' "$TMP/m.yaml"
    assert_output 11
}

@test "model: PyYAML reads every name back unchanged" {
    [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no /usr/bin/python3 with PyYAML"
    mapfile -t keys < <(hostile_keys)
    stream "$TMP/s.tsv" "${keys[@]}"
    local IFS=,
    run -0 logfit -d "${keys[*]}" -o "$TMP/m.yaml" "$TMP/s.tsv"
    unset IFS
    hostile_keys > "$TMP/keys.txt"
    run -0 /usr/bin/python3 -c '
import sys, yaml
want = open(sys.argv[2], encoding="utf-8", newline="\n").read().split("\n")[:-1]
for load in (yaml.safe_load, lambda f: yaml.load(f, Loader=yaml.FullLoader)):
    m = load(open(sys.argv[1], encoding="utf-8"))
    got = list(m["metrics"])
    bad = [(g, w) for g, w in zip(got, want) if g != w or type(g) is not str]
    print(len(got) == len(want), bad, m["version"], type(m["metrics"][want[0]]["w"]).__name__,
          m["metrics"][want[0]]["threshold_from"])
' "$TMP/m.yaml" "$TMP/keys.txt"
    assert_output "True [] 1 float tuned
True [] 1 float tuned"
}

@test "model: plain names stay plain, and DeepFace's model names read back as strings" {
    stream "$TMP/s.tsv" cosine angular
    run -0 logfit --model Facenet512 -o "$TMP/m.yaml" "$TMP/s.tsv"
    run -0 grep -c -x -e "  cosine:" -e "  angular:" -e "    threshold_from: Facenet512" "$TMP/m.yaml"
    assert_output 4
    run -0 logfit --model VGG-Face -o "$TMP/m.yaml" "$TMP/s.tsv"
    run -0 grep -c -x "    threshold_from: VGG-Face" "$TMP/m.yaml"
    assert_output 2
    run -0 confmap -M "$TMP/m.yaml" -o /dev/null "$TMP/s.tsv"
}

# ---- what reaches a terminal or an SVG ----

@test "confplot: hostile column names never reach the terminal raw" {
    stream "$TMP/s.tsv" x
    # two value columns and the class column with escapes, C1 CSI, invalid UTF-8
    awk -F'\t' -v OFS='\t' 'NR == 1 { print "c\033]0;t\007", "a\033[2J_confidence", "b\302\233\377_confidence"; next }
        { print $1, $2 * 100, $2 * 90 }' "$TMP/s.tsv" > "$TMP/h.tsv"
    run -0 confplot -y $'c\033]0;t\007' --width 70 --height 9 "$TMP/h.tsv"
    refute_output --partial $'\033'
    refute_output --partial $'\302\233'
    refute_output --partial $'\007'
    assert_line -n 0 --partial "a?[2J_confidence: density by c?]0;t?"
    assert_line --partial "b??_confidence: density by c?]0;t?"
    assert_line --partial "c?]0;t?=1 "
    # the table under the drawing too
    assert_line $'column\tc?]0;t?\tn\tmin\tmean\tmax\tbandwidth'
    assert_line -n 19 --partial $'a?[2J_confidence\t1\t10\t'
    assert_line -n 22 --partial $'b??_confidence\t0\t10\t'
    # --kde writes the curves for another program: the names as they are
    run -0 bash -c "confplot -y \$'c\\033]0;t\\007' --kde '$TMP/h.tsv' | head -2"
    assert_line -n 0 $'column\tc\033]0;t\007\tx\tdensity'
    assert_line -n 1 --partial $'a\033[2J_confidence\t1\t'

}

@test "confplot: messages show hostile column names as '?'" {
    printf 'same\tx\033[2J_confidence\n1\t1\n0\tz\n' > "$TMP/h.tsv"
    run -1 --separate-stderr confplot "$TMP/h.tsv"
    assert_equal "$stderr" "confplot: $TMP/h.tsv:3: column 'x?[2J_confidence' is not a number ('z')"
    run -1 --separate-stderr confplot -c $'n\033[2J' "$TMP/h.tsv"
    assert_equal "$stderr" "confplot: $TMP/h.tsv:1: no column 'n?[2J' in the header (columns: same, x?[2J_confidence)"
}

@test "confplot --svg: valid XML 1.0 for names of any bytes (xmllint)" {
    stream "$TMP/s.tsv" x
    local -a names=(
        $'<&>"\'_confidence'
        $']]>_confidence'
        $'\x01\x02\x08\x0b\x0c\x1b\x1f_confidence'
        $'\xff\xfe\xc0\xaf\xed\xa0\x80_confidence'
        $'\xef\xbf\xbe\xef\xbf\xbf_confidence'
        $'\xc2\x80\xc2\x9f\x7f_confidence'
        $'<!--x--><![CDATA[y]]>&#0;&#x1;_confidence'
        $'\t'
    )
    local K=0 n
    for n in "${names[@]}"; do
        [ "$n" = $'\t' ] && continue
        awk -F'\t' -v OFS='\t' -v n="$n" -v c="k$K]]>&<\033\377" 'NR == 1 { print c, n; next } { print $1, $2 * 100 }' "$TMP/s.tsv" > "$TMP/h$K.tsv"
        run -0 --separate-stderr confplot -y "k$K]]>&<"$'\033\377' --svg "$TMP/h$K.svg" "$TMP/h$K.tsv"
        run -0 --separate-stderr xmllint --noout "$TMP/h$K.svg"
        assert_equal "$stderr" ""
        K=$((K + 1))
    done
    # all of them in one figure, with the markup escaped
    awk -F'\t' -v OFS='\t' 'NR == 1 { print "same", "<&>\"'"'"'_confidence", "]]>_confidence", "\001\033_confidence", "\377\376_confidence", "\357\277\276_confidence"; next }
        { print $1, $2 * 100, $2 * 99, $2 * 98, $2 * 97, $2 * 96 }' "$TMP/s.tsv" > "$TMP/all.tsv"
    run -0 --separate-stderr confplot --svg "$TMP/all.svg" "$TMP/all.tsv"
    run -0 xmllint --noout "$TMP/all.svg"
    run -0 grep -c -e '&lt;&amp;&gt;&quot;&apos;_confidence' -e ']]&gt;_confidence' -e '>??_confidence<' -e '>?_confidence<' "$TMP/all.svg"
    assert_output 5
}
