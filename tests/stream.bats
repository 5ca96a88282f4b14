#!/usr/bin/env bats
# Streams as the Unix tools make them (issue 10, points 3 to 5): gzip members
# and what follows them, concatenated files with their headers and
# preambles, byte-order marks, CRLF, headers sorted away, `same` as pandas
# and R write it, #embeddings= paths relative to their file, the README's
# idioms with sort, awk and join.

bats_require_minimum_version 1.5.0
load test_helper

T=$'\t'

# d1, d2, d3: three day files of one stream (rows differ)
days() {
    printf 'a\tb\tsame\tcosine\nx1\ty1\t1\t0.2\nx2\ty2\t0\t0.9\n' > "$TMP/d1.tsv"
    printf 'a\tb\tsame\tcosine\nx3\ty3\t1\t0.3\nx4\ty4\t0\t0.7\n' > "$TMP/d2.tsv"
    printf 'a\tb\tsame\tcosine\nx5\ty5\t1\t0.1\nx6\ty6\t0\t0.8\n' > "$TMP/d3.tsv"
    # what they make as one file
    { cat "$TMP/d1.tsv"; tail -n +2 "$TMP/d2.tsv"; tail -n +2 "$TMP/d3.tsv"; } > "$TMP/all.tsv"
    confmap --model Facenet "$TMP/all.tsv" > "$TMP/want"
}

size() { stat -c %s "$1"; }

# --- gzip: members, and what follows the last one ---------------------------

@test "gzip: concatenated members read as gzip -d reads them, an empty member too" {
    days
    gzip -c "$TMP/d1.tsv" > "$TMP/x.gz"
    gzip -c < /dev/null >> "$TMP/x.gz"
    tail -n +2 "$TMP/d2.tsv" | gzip -c >> "$TMP/x.gz"
    tail -n +2 "$TMP/d3.tsv" | gzip -c >> "$TMP/x.gz"
    run -0 confmap --model Facenet "$TMP/x.gz"
    assert_output "$(cat "$TMP/want")"
    # members that each repeat the header (zcat *.gz), on stdin
    cat "$TMP/d1.tsv" | gzip -c > "$TMP/y.gz"
    gzip -c "$TMP/d2.tsv" >> "$TMP/y.gz"
    gzip -c "$TMP/d3.tsv" >> "$TMP/y.gz"
    run -0 bash -c "confmap --model Facenet < '$TMP/y.gz'"
    assert_output "$(cat "$TMP/want")"
}

@test "gzip: a plain file appended to a gzip file is an error, not dropped (gzip only warns)" {
    days
    gzip -c "$TMP/d1.tsv" > "$TMP/g.gz"
    n=$(( $(size "$TMP/g.gz") + 1 ))
    tail -n +2 "$TMP/d2.tsv" >> "$TMP/g.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/g.gz"
    assert_equal "$stderr" "confmap: $TMP/g.gz: data after the end of the gzip data, from byte $n: were two files concatenated? give them as separate files ('x3?y3?1?0.3?x4?y4?0?0.7?')"
    [ -z "$output" ]
    run -1 --separate-stderr bash -c "logfit --model Facenet < '$TMP/g.gz'"
    assert_equal "$stderr" "logfit: <stdin>: data after the end of the gzip data, from byte $n: were two files concatenated? give them as separate files ('x3?y3?1?0.3?x4?y4?0?0.7?')"
    # the fix the message gives: the two as separate files
    gzip -c "$TMP/d1.tsv" > "$TMP/h.gz"
    tail -n +2 "$TMP/d2.tsv" > "$TMP/rest.tsv"
    run -0 confmap --model Facenet "$TMP/h.gz" "$TMP/rest.tsv"
    assert_output "$(head -5 "$TMP/want")"
}

@test "gzip: garbage after the data, one stray byte, a broken second member" {
    days
    gzip -c "$TMP/d1.tsv" > "$TMP/g.gz"
    n=$(( $(size "$TMP/g.gz") + 1 ))
    cp "$TMP/g.gz" "$TMP/b.gz"
    printf '\x1f' >> "$TMP/b.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/b.gz"
    assert_equal "$stderr" "confmap: $TMP/b.gz: data after the end of the gzip data, from byte $n: were two files concatenated? give them as separate files ('?')"
    # a second member cut short: damaged data, not the end
    cp "$TMP/g.gz" "$TMP/c.gz"
    gzip -c "$TMP/d2.tsv" | head -c 20 >> "$TMP/c.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/c.gz"
    [[ "$stderr" == "confmap: $TMP/c.gz:"*"cannot read gzip data (unexpected end of file)" ]]
    # a member whose data is damaged
    cp "$TMP/g.gz" "$TMP/e.gz"
    printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff' >> "$TMP/e.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/e.gz"
    [[ "$stderr" == "confmap: $TMP/e.gz:"*"cannot read gzip data ("*")" ]]
}

@test "gzip: zero padding after the data is an error that says so" {
    days
    gzip -c "$TMP/d1.tsv" > "$TMP/z.gz"
    n=$(( $(size "$TMP/z.gz") + 1 ))
    head -c 512 /dev/zero >> "$TMP/z.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/z.gz"
    assert_equal "$stderr" "confmap: $TMP/z.gz: 512 zero bytes after the end of the gzip data, from byte $n (gzip -d ignores them; strip them first: gzip -dc FILE | ...)"
    # the fix it gives
    run -0 bash -c "gzip -dc '$TMP/z.gz' 2>/dev/null | confmap --model Facenet"
    assert_output "$(confmap --model Facenet "$TMP/d1.tsv")"
    # zeros then garbage: garbage
    cp "$TMP/d1.tsv" "$TMP/p" && gzip -c "$TMP/p" > "$TMP/zg.gz"
    printf '\0\0x' >> "$TMP/zg.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/zg.gz"
    [[ "$stderr" == "confmap: $TMP/zg.gz: data after the end of the gzip data, from byte "* ]]
}

@test "gzip: a gzip file appended to a plain one is an error, not binary rows" {
    days
    cp "$TMP/d1.tsv" "$TMP/pg"
    n=$(( $(size "$TMP/pg") + 1 ))
    gzip -c "$TMP/d2.tsv" >> "$TMP/pg"
    for t in "confmap --model Facenet" "logfit --model Facenet" "pairdist -e $TMP/pg" "confplot -c cosine"; do
        run -1 --separate-stderr $t "$TMP/pg"
        assert_equal "$stderr" "${t%% *}: $TMP/pg: gzip data after plain text, from byte $n: were two files concatenated? give them as separate files"
    done
    # on stdin too, and a gzip magic split over two reads of a pipe
    run -1 --separate-stderr bash -c "{ cat '$TMP/d1.tsv'; printf '\x1f'; sleep 0.2; printf '\x8b\x08'; } | confmap --model Facenet"
    assert_equal "$stderr" "confmap: <stdin>: gzip data after plain text, from byte $n: were two files concatenated? give them as separate files"
    # 0x1f alone, or 1f 8b not followed by 08, is only text (an error elsewhere or not)
    printf 'a\tb\tsame\tcosine\nx\x1f\ty\t1\t0.2\n' > "$TMP/us"
    run -0 confmap --model Facenet "$TMP/us"
}

@test "gzip: the identities YAML and the embedding store refuse data after the gzip data too" {
    gzip -c "$FIX/identities.yaml" > "$TMP/ids.yaml.gz"
    n=$(( $(size "$TMP/ids.yaml.gz") + 1 ))
    echo 'extra: 1' >> "$TMP/ids.yaml.gz"
    run -1 --separate-stderr pairgen "$TMP/ids.yaml.gz"
    assert_equal "$stderr" "pairgen: $TMP/ids.yaml.gz: data after the end of the gzip data, from byte $n: were two files concatenated? give them as separate files ('extra: 1?')"
    printf 'x\t1\t2\n' | gzip -c > "$TMP/e.gz"
    n=$(( $(size "$TMP/e.gz") + 1 ))
    printf 'y\t3\t4\n' >> "$TMP/e.gz"
    printf 'a\tb\nx\tx\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/e.gz" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/e.gz: data after the end of the gzip data, from byte $n: were two files concatenated? give them as separate files ('y?3?4?')"
}

# --- headers and preambles that recur -------------------------------------

@test "headers: repeated at the start of each of 3 concatenated files, piped or given" {
    days
    run -0 bash -c "cat '$TMP/d1.tsv' '$TMP/d2.tsv' '$TMP/d3.tsv' | confmap --model Facenet"
    assert_output "$(cat "$TMP/want")"
    run -0 confmap --model Facenet "$TMP/d1.tsv" "$TMP/d2.tsv" "$TMP/d3.tsv"
    assert_output "$(cat "$TMP/want")"
    # logfit sees 6 rows, not 6 rows and 2 errors
    cat "$TMP/d1.tsv" "$TMP/d2.tsv" "$TMP/d3.tsv" | logfit --model Facenet -o "$TMP/m1.yaml"
    logfit --model Facenet -o "$TMP/m2.yaml" "$TMP/all.tsv"
    cmp "$TMP/m1.yaml" "$TMP/m2.yaml"
    grep -q '    n: 6$' "$TMP/m1.yaml"
    # a later file with no header (split -l) reads on
    tail -n +2 "$TMP/d2.tsv" > "$TMP/part"
    run -0 confmap --model Facenet "$TMP/d1.tsv" "$TMP/part" "$TMP/d3.tsv"
    assert_output "$(cat "$TMP/want")"
}

@test "headers: repeated inside one file, in the middle and at its end" {
    days
    { cat "$TMP/d1.tsv"; head -1 "$TMP/d1.tsv"; tail -n +2 "$TMP/d2.tsv"; head -1 "$TMP/d1.tsv"; tail -n +2 "$TMP/d3.tsv"; head -1 "$TMP/d1.tsv"; } > "$TMP/in.tsv"
    run -0 confmap --model Facenet "$TMP/in.tsv"
    assert_output "$(cat "$TMP/want")"
    run -0 confplot --kde -c cosine "$TMP/in.tsv"
    assert_output "$(confplot --kde -c cosine "$TMP/all.tsv")"
}

@test "headers: pairdist skips a repeated header, never looks it up (--missing=skip counts none)" {
    printf 'x\t1\t0\ny\t0\t1\n' > "$TMP/e.tsv"
    printf 'a\tb\tsame\nx\ty\t0\n' > "$TMP/p.tsv"
    run -0 --separate-stderr bash -c "cat '$TMP/p.tsv' '$TMP/p.tsv' | pairdist -e '$TMP/e.tsv' --missing=skip"
    assert_output "a${T}b${T}same${T}cosine
x${T}y${T}0${T}1.000000
x${T}y${T}0${T}1.000000"
    assert_equal "$stderr" ""
}

@test "preambles: repeated with each file are kept once; another line is a second header" {
    days
    for f in d1 d2 d3; do { printf '#embeddings=e.tsv\n'; cat "$TMP/$f.tsv"; } > "$TMP/p$f.tsv"; done
    run -0 bash -c "cd '$TMP' && cat pd1.tsv pd2.tsv pd3.tsv | confmap --model Facenet"
    assert_output "#embeddings=e.tsv
$(cat "$TMP/want")"
    # the preamble repeated inside a file, and given as several files
    run -0 bash -c "cd '$TMP' && confmap --model Facenet pd1.tsv pd2.tsv pd3.tsv"
    assert_output "#embeddings=e.tsv
$(cat "$TMP/want")"
    # a preamble line the first file has not: an error, not dropped
    { printf '#note=x\n'; cat "$TMP/d2.tsv"; } > "$TMP/n.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/pd1.tsv" "$TMP/n.tsv"
    assert_equal "$stderr" "confmap: $TMP/n.tsv:1: a second header: a preamble line that is not in the preamble of $TMP/pd1.tsv ('#note=x'; run each input on its own)"
    # an #embeddings= line when the first file has none
    run -1 --separate-stderr confmap --model Facenet "$TMP/d1.tsv" "$TMP/pd2.tsv"
    assert_equal "$stderr" "confmap: $TMP/pd2.tsv:1: a second header: an #embeddings= line, and the preamble of $TMP/d1.tsv has none ('#embeddings=e.tsv'; run each input on its own)"
    # a row whose first field starts with '#' is a row (it has TABs)
    printf 'a\tb\tsame\tcosine\n#x\ty\t1\t0.2\n' > "$TMP/h.tsv"
    run -0 confmap --model Facenet "$TMP/h.tsv"
    assert_line -n 1 "#x${T}y${T}1${T}0.2${T}82.58"
}

@test "preambles: two different #embeddings= stores are an error; one store named two ways is not" {
    days
    mkdir -p "$TMP/u" "$TMP/v"
    printf 'x\t1\n' > "$TMP/u/e.tsv"
    printf 'x\t1\n' > "$TMP/v/e.tsv"
    { printf '#embeddings=e.tsv\n'; cat "$TMP/d1.tsv"; } > "$TMP/u/s.tsv"
    { printf '#embeddings=e.tsv\n'; cat "$TMP/d2.tsv"; } > "$TMP/v/s.tsv"
    # the same text, but relative to two folders: two stores
    run -1 --separate-stderr confmap --model Facenet "$TMP/u/s.tsv" "$TMP/v/s.tsv"
    assert_equal "$stderr" "confmap: $TMP/v/s.tsv:1: two different #embeddings= preambles, a second header: this one names '$TMP/v/e.tsv', the one on $TMP/u/s.tsv:1 '$TMP/u/e.tsv' (run each input on its own)"
    # other text naming the same file: one store
    { printf '#embeddings=../u/e.tsv\n'; cat "$TMP/d2.tsv"; } > "$TMP/v/t.tsv"
    run -0 confmap --model Facenet "$TMP/u/s.tsv" "$TMP/v/t.tsv"
    assert_line -n 0 "#embeddings=$TMP/u/e.tsv"
    # piped: both relative to the current folder
    run -1 --separate-stderr bash -c "cd '$TMP' && { printf '#embeddings=a\n'; cat d1.tsv; printf '#embeddings=b\n'; cat d2.tsv; } | logfit --model Facenet"
    assert_equal "$stderr" "logfit: <stdin>:5: two different #embeddings= preambles, a second header: this one names 'b', the one on <stdin>:1 'a' (run each input on its own)"
    # two in the first preamble
    run -1 --separate-stderr bash -c "printf '#embeddings=a\n#embeddings=b\n' | cat - '$TMP/d1.tsv' | confmap --model Facenet"
    assert_equal "$stderr" "confmap: <stdin>:2: two different #embeddings= preambles: this one names 'b', the one on <stdin>:1 'a' (run each input on its own)"
}

@test "headers: a byte-order mark at the start of any input is skipped" {
    days
    bom=$'\xef\xbb\xbf'
    printf '%s' "$bom" | cat - "$TMP/d1.tsv" > "$TMP/b1.tsv"
    printf '%s' "$bom" | cat - "$TMP/d2.tsv" > "$TMP/b2.tsv"
    printf '%s' "$bom" | cat - "$TMP/d3.tsv" > "$TMP/b3.tsv"
    # each file given, the first on stdin, all concatenated on stdin
    run -0 confmap --model Facenet "$TMP/b1.tsv" "$TMP/b2.tsv" "$TMP/b3.tsv"
    assert_output "$(cat "$TMP/want")"
    run -0 bash -c "confmap --model Facenet - '$TMP/b2.tsv' '$TMP/d3.tsv' < '$TMP/b1.tsv'"
    assert_output "$(cat "$TMP/want")"
    run -0 bash -c "cat '$TMP/d1.tsv' '$TMP/b2.tsv' '$TMP/b3.tsv' | confmap --model Facenet"
    assert_output "$(cat "$TMP/want")"
    # before a preamble, and a gzip file whose text starts with one
    { printf '%s#embeddings=e.tsv\n' "$bom"; cat "$TMP/d1.tsv"; } | gzip -c > "$TMP/b.gz"
    run -0 bash -c "cd '$TMP' && confmap --model Facenet b.gz"
    assert_line -n 0 "#embeddings=e.tsv"
    # the embedding store: the name of its first item has no mark
    printf '%sx\t1\t0\ny\t0\t1\n' "$bom" > "$TMP/e.tsv"
    printf 'a\tb\nx\ty\n' | pairdist -e "$TMP/e.tsv" > /dev/null
}

@test "headers: CRLF files concatenated, alone or with LF files" {
    days
    for f in d1 d2 d3; do sed 's/$/\r/' "$TMP/$f.tsv" > "$TMP/c$f.tsv"; done
    run -0 bash -c "cat '$TMP/cd1.tsv' '$TMP/cd2.tsv' '$TMP/cd3.tsv' | confmap --model Facenet"
    assert_output "$(cat "$TMP/want")"
    run -0 confmap --model Facenet "$TMP/d1.tsv" "$TMP/cd2.tsv" "$TMP/d3.tsv"
    assert_output "$(cat "$TMP/want")"
}

@test "headers: sorted away by sort, the first line looks like data (line 2 after a preamble)" {
    days
    run -1 --separate-stderr bash -c "sort -t '$T' -k4,4gr '$TMP/all.tsv' | confmap --model Facenet"
    assert_equal "$stderr" "confmap: <stdin>:1: line 1 looks like data, not a header: was the header sorted away? ('x2?y2?0?0.9')"
    sort -r "$TMP/all.tsv" > "$TMP/s.tsv"
    for t in "logfit --model Facenet" "confplot -c cosine" "pairdist -e $TMP/s.tsv"; do
        run -1 --separate-stderr $t "$TMP/s.tsv"
        assert_equal "$stderr" "${t%% *}: $TMP/s.tsv:1: line 1 looks like data, not a header: was the header sorted away? ('x6?y6?0?0.8')"
    done
    { echo '#embeddings=e.tsv'; tail -n +2 "$TMP/all.tsv"; } > "$TMP/p.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/p.tsv"
    assert_equal "$stderr" "confmap: $TMP/p.tsv:2: line 2 looks like data, not a header: was the header sorted away? ('x1?y1?1?0.2')"
    # only numbers; true/false as pandas writes them
    printf '0.2\n0.3\n' | { run -1 --separate-stderr logfit --model Facenet -d 0.2; }
    printf 'x\tTrue\ny\tFalse\n' > "$TMP/b.tsv"
    run -1 --separate-stderr confplot -c x "$TMP/b.tsv"
    assert_equal "$stderr" "confplot: $TMP/b.tsv:1: line 1 looks like data, not a header: was the header sorted away? ('x?True')"
    # a column named like a number is a header when another column differs in kind
    printf 'same\t1e5\n1\t0.2\n0\t0.9\n1\t0.3\n' > "$TMP/n.tsv"
    run -0 logfit -d 1e5 -t 0.4 "$TMP/n.tsv"
}

@test "headers: another order is a second header; the awk the message gives fixes it" {
    days
    awk -F '\t' -v OFS='\t' '{ print $4, $1, $3, $2 }' "$TMP/d2.tsv" > "$TMP/o.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/d1.tsv" "$TMP/o.tsv"
    assert_equal "$stderr" "confmap: $TMP/o.tsv:1: a second header, with the columns of the one on $TMP/d1.tsv:1 in another order ('cosine?a?same?b'): put that input's columns in the header's order first: awk -F'\\t' -v OFS='\\t' '{print \$2, \$4, \$3, \$1}'"
    awk -F'\t' -v OFS='\t' '{print $2, $4, $3, $1}' "$TMP/o.tsv" > "$TMP/fixed.tsv"
    run -0 confmap --model Facenet "$TMP/d1.tsv" "$TMP/fixed.tsv" "$TMP/d3.tsv"
    assert_output "$(cat "$TMP/want")"
    # inside a piped stream
    run -1 --separate-stderr bash -c "cat '$TMP/d1.tsv' '$TMP/o.tsv' | logfit --model Facenet"
    [[ "$stderr" == "logfit: <stdin>:4: a second header, with the columns of the one on <stdin>:1 in another order"* ]]
}

@test "headers: other columns are a second header, also with another field count; cut fixes it" {
    days
    awk -F '\t' -v OFS='\t' '{ print $0, ($4 == "cosine" ? "euclidean" : 1) }' "$TMP/d2.tsv" > "$TMP/w.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/d1.tsv" "$TMP/w.tsv"
    assert_equal "$stderr" "confmap: $TMP/w.tsv:1: a second header, not the one on $TMP/d1.tsv:1 ('a?b?same?cosine?euclidean', there 'a?b?same?cosine'): the inputs have other columns; run each on its own, or give them the same columns first (cut -f)"
    cut -f1-4 "$TMP/w.tsv" > "$TMP/cut.tsv"
    run -0 confmap --model Facenet "$TMP/d1.tsv" "$TMP/cut.tsv" "$TMP/d3.tsv"
    assert_output "$(cat "$TMP/want")"
    # the same field count, one name other
    sed '1s/cosine/angular/' "$TMP/d2.tsv" > "$TMP/a.tsv"
    run -1 --separate-stderr bash -c "cat '$TMP/d1.tsv' '$TMP/a.tsv' | confmap --model Facenet"
    assert_equal "$stderr" "confmap: <stdin>:4: a second header, not the one on <stdin>:1 ('a?b?same?angular', there 'a?b?same?cosine'): the inputs have other columns; run each on its own, or give them the same columns first (cut -f)"
    # a column name where a number is expected (the first field is not a name)
    printf 'a\tb\tsame\tcosine\nx\ty\tsame\tcosine\n' > "$TMP/l.tsv"
    run -1 --separate-stderr logfit --model Facenet "$TMP/l.tsv"
    [[ "$stderr" == "logfit: $TMP/l.tsv:2: a second header, not the one on $TMP/l.tsv:1 "* ]]
    # pairdist does not look the names of a second header up
    printf 'x\t1\t0\n' > "$TMP/e.tsv"
    printf 'a\tb\tsame\nx\tx\t1\nb\ta\tsame\n' > "$TMP/q.tsv"
    run -1 --separate-stderr pairdist --missing=skip -e "$TMP/e.tsv" "$TMP/q.tsv"
    [[ "$stderr" == "pairdist: $TMP/q.tsv:3: a second header, with the columns of the one on $TMP/q.tsv:1 in another order"* ]]
}

@test "headers: errors about the header name its line, after a preamble too" {
    printf '#embeddings=e.tsv\n#note=1\na\tb\tsame\nx\ty\t1\n' > "$TMP/p.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/p.tsv"
    assert_equal "$stderr" "confmap: $TMP/p.tsv:3: no metric of the model is a column of the stream (model: cosine, euclidean, euclidean_l2, angular; columns: a, b, same)"
    run -1 --separate-stderr logfit --model Facenet "$TMP/p.tsv"
    assert_equal "$stderr" "logfit: $TMP/p.tsv:3: no distance column (expected cosine, euclidean, euclidean_l2, angular, or name them with -d; columns: a, b, same)"
    run -1 --separate-stderr pairdist -e "$TMP/p.tsv" -a left "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:3: no column 'left' in the header (columns: a, b, same)"
    run -1 --separate-stderr confplot "$TMP/p.tsv"
    assert_equal "$stderr" "confplot: $TMP/p.tsv:3: no value column: no column name ends in '_confidence' (columns: a, b, same); name them with -c"
    printf '#x\na\tcosine\tcosine\n' > "$TMP/d.tsv"
    run -1 --separate-stderr logfit -d cosine --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" "logfit: $TMP/d.tsv:2: column 'cosine' appears twice in the header"
    printf '#x\na\tb\tcosine\tcosine_confidence\n' | { run -1 --separate-stderr confmap --model Facenet; assert_equal "$stderr" "confmap: <stdin>:2: the input already has a column 'cosine_confidence'"; }
}

@test "columns: a million looked up in time linear in their number" {
    awk 'BEGIN { for (i = 1; i < 1000000; i++) printf "c%d\t", i; print "cosine\tsame"; for (r = 0; r < 4; r++) { for (i = 1; i < 999999; i++) printf "1\t"; printf "%s\t", r % 2 ? "0.2" : "0.9"; print "0." r + 2 "\t" r % 2 } }' > "$TMP/wide"
    SECONDS=0
    run -0 --separate-stderr logfit -d cosine,c999999 -t cosine=0.4,c999999=0.5 "$TMP/wide"
    [ "$SECONDS" -lt 30 ]
    assert_line "  c999999:"
    run -0 confplot --kde -c cosine "$TMP/wide"
    [ "$SECONDS" -lt 60 ]
}

# --- same: 0/1, true/false, as pandas and R write it -----------------------

@test "same: 0/1, true/false, True/False, TRUE/FALSE and 1.0/0.0 read alike in logfit and confplot" {
    days
    logfit -v -o "$TMP/m01.yaml" "$TMP/all.tsv" 2> "$TMP/v01"
    confplot --kde "$TMP/all.tsv" -c cosine > "$TMP/k01"
    for w in true:false True:False TRUE:FALSE 1.0:0.0; do
        awk -F '\t' -v OFS='\t' -v t="${w%:*}" -v f="${w#*:}" 'NR > 1 { $3 = $3 == 1 ? t : f } 1' "$TMP/all.tsv" > "$TMP/b.tsv"
        logfit -v -o "$TMP/m.yaml" "$TMP/b.tsv" 2> "$TMP/v"
        cmp "$TMP/m01.yaml" "$TMP/m.yaml"
        diff "$TMP/v01" "$TMP/v"
        confplot --kde "$TMP/b.tsv" -c cosine | cmp - "$TMP/k01"
    done
    for bad in yes T 2 -1 0.5 ''; do
        awk -F '\t' -v OFS='\t' -v b="$bad" 'NR == 3 { $3 = b } 1' "$TMP/all.tsv" > "$TMP/bad.tsv"
        run -1 --separate-stderr logfit "$TMP/bad.tsv"
        if [ -z "$bad" ]; then
            assert_equal "$stderr" "logfit: $TMP/bad.tsv:3: column 'same' is empty"
        else
            assert_equal "$stderr" "logfit: $TMP/bad.tsv:3: column 'same' is not 0 or 1 (nor true or false) ('$bad')"
        fi
        run -1 confplot -c cosine "$TMP/bad.tsv"
    done
}

# --- #embeddings=: relative to the file that carries it --------------------

@test "#embeddings=: resolved against the folder of its file; stdin against the current one" {
    mkdir -p "$TMP/run/data" "$TMP/elsewhere"
    printf 'x\t1\t0\ny\t0\t1\n' > "$TMP/run/data/e.tsv"
    printf '#embeddings=e.tsv\na\tb\nx\ty\n' > "$TMP/run/data/p.tsv"
    run -0 bash -c "cd '$TMP/elsewhere' && pairdist '$TMP/run/data/p.tsv'"
    assert_line -n 2 "x${T}y${T}1.000000"
    run -0 bash -c "cd '$TMP/run' && pairdist data/p.tsv"
    assert_output "#embeddings=data/e.tsv
a${T}b${T}cosine
x${T}y${T}1.000000"
    # stdin: the current folder
    run -0 bash -c "cd '$TMP/run/data' && pairdist < p.tsv"
    assert_line -n 0 "#embeddings=e.tsv"
    run -1 --separate-stderr bash -c "cd '$TMP/run' && pairdist < data/p.tsv"
    assert_equal "$stderr" "pairdist: e.tsv: No such file or directory (path from the #embeddings= line at <stdin>:1)"
    # an absolute path stays
    printf '#embeddings=%s\na\tb\nx\ty\n' "$TMP/run/data/e.tsv" > "$TMP/elsewhere/q.tsv"
    run -0 pairdist "$TMP/elsewhere/q.tsv"
    assert_line -n 0 "#embeddings=$TMP/run/data/e.tsv"
}

@test "#embeddings=: every error about the store names the line its path came from" {
    mkdir -p "$TMP/d"
    printf 'x\t1\t0\ny\t0\t1\tz\n' > "$TMP/d/bad.tsv"
    printf '#note=1\n#embeddings=bad.tsv\na\tb\nx\ty\n' > "$TMP/d/p.tsv"
    run -1 --separate-stderr pairdist "$TMP/d/p.tsv"
    [[ "$stderr" == "pairdist: $TMP/d/bad.tsv:2: "*" (path from the #embeddings= line at $TMP/d/p.tsv:2)" ]]
    printf '#embeddings=none.tsv\na\tb\nx\ty\n' > "$TMP/d/n.tsv"
    run -1 --separate-stderr pairdist "$TMP/d/n.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d/none.tsv: No such file or directory (path from the #embeddings= line at $TMP/d/n.tsv:1)"
    printf 'x\t1\t0\n' > "$TMP/d/one.tsv"
    printf '#embeddings=one.tsv\na\tb\nx\tw\n' > "$TMP/d/m.tsv"
    run -1 --separate-stderr pairdist "$TMP/d/m.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d/m.tsv:3: no embedding in $TMP/d/one.tsv (path from the #embeddings= line at $TMP/d/m.tsv:1) for the item of column 'b' ('w')"
    run -0 --separate-stderr pairdist --missing=skip "$TMP/d/m.tsv"
    assert_equal "$stderr" "pairdist: skipped 1 row whose item has no embedding in $TMP/d/one.tsv (path from the #embeddings= line at $TMP/d/m.tsv:1)"
    # with -e, no such note: the path came from the command line
    run -1 --separate-stderr pairdist -e "$TMP/d/none.tsv" "$TMP/d/m.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d/none.tsv: No such file or directory"
    # an error in the stream itself has no note either
    printf '#embeddings=one.tsv\na\tb\nx\n' > "$TMP/d/s.tsv"
    run -1 --separate-stderr pairdist "$TMP/d/s.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d/s.tsv:3: expected 2 fields as in the header, found 1"
}

@test "#embeddings=: pairdist -e passes on the store it used, written to open from where it is written" {
    mkdir -p "$TMP/w/out" "$TMP/w/s"
    printf 'x\t1\t0\ny\t0\t1\n' > "$TMP/w/s/used.tsv"
    printf 'x\t5\t0\ny\t0\t5\n' > "$TMP/w/other.tsv"
    printf '#embeddings=other.tsv\na\tb\nx\ty\n' > "$TMP/w/p.tsv"
    cd "$TMP/w"
    run -0 pairdist -e s/used.tsv p.tsv
    assert_line -n 0 "#embeddings=s/used.tsv"
    # -o into the store's folder: relative to it; elsewhere: absolute
    pairdist -e s/used.tsv -o s/d.tsv p.tsv
    assert_equal "$(head -1 s/d.tsv)" "#embeddings=used.tsv"
    pairdist -e s/used.tsv -o out/d.tsv p.tsv
    assert_equal "$(head -1 out/d.tsv)" "#embeddings=$TMP/w/s/used.tsv"
    # each written file opens its store: pairdist reads them back with it
    for f in s/d.tsv out/d.tsv; do
        run -0 bash -c "cut -f1,2 '$f' | sed 1d > /dev/null; pairdist -m euclidean '$f' | tail -1"
        assert_output "x${T}y${T}1.000000${T}1.414214"
    done
    # -e naming the preamble's store another way: the line stays
    run -0 pairdist -e ./other.tsv p.tsv
    assert_line -n 0 "#embeddings=other.tsv"
}

@test "#embeddings=: pairgen and confmap write it to open from the written file" {
    mkdir -p "$TMP/g/ids" "$TMP/g/out"
    cp "$FIX/identities.yaml" "$FIX/facenet-embeddings.tsv" "$TMP/g/ids/"
    cd "$TMP/g"
    run -0 bash -c "pairgen ids/identities.yaml | head -1"
    assert_output "#embeddings=ids/facenet-embeddings.tsv"
    pairgen -o ids/p.tsv ids/identities.yaml
    assert_equal "$(head -1 ids/p.tsv)" "#embeddings=facenet-embeddings.tsv"
    pairgen -o out/p.tsv ids/identities.yaml
    assert_equal "$(head -1 out/p.tsv)" "#embeddings=$TMP/g/ids/facenet-embeddings.tsv"
    # both read back from anywhere
    cd /
    pairdist "$TMP/g/ids/p.tsv" | cmp - <(pairdist "$TMP/g/out/p.tsv" | sed 1d | cat <(head -1 "$TMP/g/ids/p.tsv" | sed "s|=|=$TMP/g/ids/|") -)
    # confmap passes the line on, rewritten for where it writes
    cd "$TMP/g"
    pairdist -m cosine ids/p.tsv -o ids/d.tsv
    assert_equal "$(head -1 ids/d.tsv)" "#embeddings=facenet-embeddings.tsv"
    run -0 bash -c "confmap --model Facenet ids/d.tsv | head -1"
    assert_output "#embeddings=ids/facenet-embeddings.tsv"
    confmap --model Facenet ids/d.tsv -o out/c.tsv
    assert_equal "$(head -1 out/c.tsv)" "#embeddings=$TMP/g/ids/facenet-embeddings.tsv"
}

# --- README: "With sort, awk and join", run as written ----------------------

@test "README: the sort, awk and join idioms, run exactly as written" {
    awk '/^## With sort, awk and join/ { s = 1 } s && /^```sh$/ { c = 1; next } c && /^```$/ { exit } c' "$ROOT/README.md" > "$TMP/idioms.sh"
    [ "$(wc -l < "$TMP/idioms.sh")" -gt 10 ]
    cd "$TMP"
    mkdir -p in && cp "$FIX/identities.yaml" "$FIX/facenet-embeddings.tsv" in/
    pairgen in/identities.yaml > pairs.tsv
    pairdist -m cosine pairs.tsv > dist.tsv
    grep -v '^#' dist.tsv | confmap --model Facenet | cut -f1-3,5 > conf.tsv
    grep -v '^#' dist.tsv | cut -f1,3 | awk -F '\t' -v OFS='\t' 'NR == 1 { print "a", "label"; next } { print $1, $2 ? "P" : "N" }' | sort -u -t "$T" -k1,1 | awk -F '\t' '!s[$1]++' > labels.tsv
    { head -1 dist.tsv; sed -n '2,150p' dist.tsv; } > day1.tsv
    { head -1 dist.tsv; sed -n '2p;151,$p' dist.tsv; } > day2.tsv
    run -0 --separate-stderr bash "$TMP/idioms.sh"
    assert_equal "$stderr" ""
    # sorted: preamble and header on top, the rows sorted on the distance
    [ "$(head -2 sorted.tsv)" = "$(head -2 dist.tsv)" ]
    sed 1,2d dist.tsv | sort -t "$T" -k4,4g | cmp - <(sed 1,2d sorted.tsv)
    cmp sorted.tsv sorted2.tsv
    confmap --model Facenet sorted.tsv > /dev/null
    # close: the preamble, the header, the rows up to 0.4
    [ "$(head -2 close.tsv)" = "$(head -2 dist.tsv)" ]
    [ "$(sed 1,2d close.tsv | wc -l)" = "$(awk -F '\t' 'NR > 2 && $4 <= 0.4' dist.tsv | wc -l)" ]
    [ "$(sed 1,2d close.tsv | wc -l)" -gt 0 ]
    confmap --model Facenet close.tsv > /dev/null
    # joined: the two headers, then every row of conf.tsv with its label
    assert_equal "$(head -1 joined.tsv)" "a${T}b${T}same${T}cosine_confidence${T}label"
    [ "$(sed 1d joined.tsv | wc -l)" = "$(sed 1d conf.tsv | wc -l)" ]
    # the day files: the model of the whole
    logfit --model Facenet -o whole.yaml dist.tsv
    cmp whole.yaml model.yaml
}

@test "gzip cut or damaged anywhere: the line it breaks in (what gzip -d prints last), for confmap and logfit" {
    awk 'BEGIN { srand(3); print "a\tb\tsame\tcosine"; for (i = 0; i < 60000; i++)
        printf "p%d\tq%d\t%d\t%.6f\n", i, i, i % 2, rand() }' > "$TMP/s.tsv"
    gzip -c "$TMP/s.tsv" > "$TMP/s.gz"
    size=$(size "$TMP/s.gz")
    for bytes in 15 3000 200000 $((size / 2)) $((size - 4)); do
        head -c $bytes "$TMP/s.gz" > "$TMP/cut.gz"
        line=$(gzip -dc "$TMP/cut.gz" 2>/dev/null | awk 'END { print NR }')
        [ "$line" -ge 1 ] || line=1
        run -1 --separate-stderr confmap --model Facenet "$TMP/cut.gz"
        assert_equal "$stderr" "confmap: $TMP/cut.gz:$line: cannot read gzip data (unexpected end of file)"
        run -1 --separate-stderr logfit "$TMP/cut.gz"
        assert_equal "$stderr" "logfit: $TMP/cut.gz:$line: cannot read gzip data (unexpected end of file)"
    done
    # the CRC wrong: every line inflated, the last one named
    cp "$TMP/s.gz" "$TMP/crc.gz"
    printf '\377' | dd of="$TMP/crc.gz" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
    run -1 --separate-stderr confmap --model Facenet "$TMP/crc.gz"
    assert_equal "$stderr" "confmap: $TMP/crc.gz:60001: cannot read gzip data (incorrect data check)"
}

# --- pipes: 1 MiB buffers between the programs (lib/stream/pipebuf) ---------

# The size of the pipe PROG... writes into, seen by its reader once all is
# read (F_GETPIPE_SZ is 1032 on Linux).
out_pipe_size() {
    "$@" | perl -e 'local $/; <STDIN>; print fcntl(STDIN, 1032, 0) // "refused", "\n"'
}

# The size of the pipe PROG... reads from: its writer gives it FILE and waits
# (before the end of the input, so that the pipe still is) until the size
# changes, at most 10 s.
in_pipe_size() {
    local file=$1
    shift
    perl -e '
        my $file = shift;
        pipe(my $r, my $w) or die;
        my $pid = fork() // die;
        if (!$pid) { close $w; open(STDIN, "<&", $r) or die; open(STDOUT, ">", "/dev/null");
                     exec(@ARGV) or die }
        close $r;
        my $size = fcntl($w, 1032, 0);
        for (1 .. 1000) { last if fcntl($w, 1032, 0) != $size; select(undef, undef, undef, 0.01) }
        print fcntl($w, 1032, 0), "\n";
        open(my $in, "<", $file) or die; my $data = do { local $/; <$in> };
        print {$w} $data; close $w; waitpid($pid, 0);
        exit($? >> 8)' "$file" "$@"
}

@test "pipes: every program widens the pipes it writes and reads to 1 MiB" {
    # (not when this user's pipes are at /proc/sys/fs/pipe-user-pages-soft)
    perl -e 'pipe(my $r, my $w) or die; exit(fcntl($r, 1031, 1048576) ? 0 : 1)' ||
        skip "this user's pipes are at their quota: no pipe gets 1 MiB"
    cd "$TMP"
    pairgen "$FIX/identities.yaml" > pairs.tsv
    pairdist -e "$FIX/facenet-embeddings.tsv" -m all pairs.tsv > dist.tsv
    confmap --model Facenet dist.tsv > conf.tsv
    logfit --model Facenet dist.tsv > model.yaml
    assert_equal "$(out_pipe_size pairgen "$FIX/identities.yaml")" 1048576
    assert_equal "$(out_pipe_size pairdist -e "$FIX/facenet-embeddings.tsv" -m all pairs.tsv)" 1048576
    assert_equal "$(out_pipe_size confmap --model Facenet dist.tsv)" 1048576
    assert_equal "$(out_pipe_size logfit --model Facenet dist.tsv)" 1048576
    assert_equal "$(out_pipe_size logfit --counts dist.tsv)" 1048576
    assert_equal "$(out_pipe_size confplot conf.tsv)" 1048576
    assert_equal "$(out_pipe_size confeval dist.tsv)" 1048576
    # -o FILE: /dev/stdout and a named pipe
    assert_equal "$(out_pipe_size confmap --model Facenet -o /dev/stdout dist.tsv)" 1048576
    mkfifo fifo
    confmap --model Facenet -o fifo dist.tsv &
    assert_equal "$(perl -e 'open(my $f, "<", "fifo") or die; local $/; <$f>; print fcntl($f, 1032, 0), "\n"')" 1048576
    wait $!
    # the pipes they read: the stream on stdin, and "-"
    assert_equal "$(in_pipe_size pairs.tsv pairdist -e "$FIX/facenet-embeddings.tsv" -m all)" 1048576
    assert_equal "$(in_pipe_size dist.tsv confmap --model Facenet)" 1048576
    assert_equal "$(in_pipe_size dist.tsv logfit --model Facenet -)" 1048576
    assert_equal "$(in_pipe_size conf.tsv confplot)" 1048576
    assert_equal "$(in_pipe_size dist.tsv confeval)" 1048576
}

@test "pipes: DISTCONF_PIPE_SIZE sets the size asked for, 0 leaves pipes as they are; a bad value is a usage error" {
    cd "$TMP"
    pairgen "$FIX/identities.yaml" | pairdist -e "$FIX/facenet-embeddings.tsv" -m all > dist.tsv
    confmap --model Facenet dist.tsv > want.tsv
    assert_equal "$(DISTCONF_PIPE_SIZE=0 out_pipe_size confmap --model Facenet dist.tsv)" 65536
    assert_equal "$(DISTCONF_PIPE_SIZE=0 in_pipe_size dist.tsv confmap --model Facenet)" 65536
    if perl -e 'pipe(my $r, my $w) or die; exit(fcntl($r, 1031, 262144) ? 0 : 1)'; then
        assert_equal "$(DISTCONF_PIPE_SIZE=256K out_pipe_size confmap --model Facenet dist.tsv)" 262144
        assert_equal "$(DISTCONF_PIPE_SIZE=262144 in_pipe_size dist.tsv logfit --counts)" 262144
    fi
    # the output the same whatever the pipes
    for s in 0 4096 64k 1M; do
        cat dist.tsv | DISTCONF_PIPE_SIZE=$s confmap --model Facenet | cat > got.tsv
        cmp want.tsv got.tsv
    done
    # refused before anything is read or written, in every program; an
    # existing output kept
    echo keep > out.tsv
    for v in 1MB -1 " 1" 2G x 1.5M; do
        DISTCONF_PIPE_SIZE=$v run -2 --separate-stderr confmap --model Facenet -o out.tsv dist.tsv
        assert_equal "$stderr" "confmap: invalid DISTCONF_PIPE_SIZE '$v' (expected bytes from 0 to 1G: 0, 65536, 256K, 1M)
Try 'confmap --help' for more information."
        assert_equal "$(cat out.tsv)" keep
    done
    # checked first: before a missing input, and before a FIFO that no one
    # writes would block; the value shown on one line
    DISTCONF_PIPE_SIZE=bad run -2 --separate-stderr confmap --model Facenet -o out.tsv nope.tsv
    [[ "$stderr" == "confmap: invalid DISTCONF_PIPE_SIZE 'bad' "* ]]
    mkfifo ff
    DISTCONF_PIPE_SIZE=bad run -2 --separate-stderr timeout 10 confmap --model Facenet -o out.tsv ff
    [[ "$stderr" == "confmap: invalid DISTCONF_PIPE_SIZE 'bad' "* ]]
    DISTCONF_PIPE_SIZE=$'1M\n' run -2 --separate-stderr confmap --model Facenet dist.tsv
    assert_equal "${#lines[@]}" 0
    [[ "$stderr" == "confmap: invalid DISTCONF_PIPE_SIZE '1M?' "* ]]
    # more than a user may have (pipe-max-size): as much as it allows
    local max=$(cat /proc/sys/fs/pipe-max-size)
    if [ "$max" -eq 1048576 ] && ! perl -e 'pipe(my $r, my $w) or die; exit(fcntl($r, 1031, 2097152) ? 0 : 1)' &&
        perl -e 'pipe(my $r, my $w) or die; exit(fcntl($r, 1031, 1048576) ? 0 : 1)'; then
        assert_equal "$(DISTCONF_PIPE_SIZE=1G out_pipe_size confmap --model Facenet dist.tsv)" 1048576
    fi
    for p in "pairgen $FIX/identities.yaml" "pairdist -e $FIX/facenet-embeddings.tsv dist.tsv" \
        "logfit dist.tsv" "confplot -c cosine dist.tsv" "confeval dist.tsv"; do
        DISTCONF_PIPE_SIZE=1x run -2 --separate-stderr $p
        assert_equal "$output" ""
        [[ "$stderr" == "${p%% *}: invalid DISTCONF_PIPE_SIZE '1x' "* ]]
    done
    [ -z "$(ls -A | grep '^\.distconf-')" ] # (no temporary file left)
}

@test "pipes: what is no pipe is left as it was, and the output through a pipe is the file's" {
    cd "$TMP"
    pairgen "$FIX/identities.yaml" | pairdist -e "$FIX/facenet-embeddings.tsv" -m all > dist.tsv
    confmap --model Facenet dist.tsv > file.tsv
    cat dist.tsv | confmap --model Facenet | cat > piped.tsv
    cmp file.tsv piped.tsv
    # a terminal-less character device and a regular file: written as before
    confmap --model Facenet dist.tsv > /dev/null
    logfit --model Facenet -o model.yaml < dist.tsv
    logfit --model Facenet dist.tsv | cmp - model.yaml
}
