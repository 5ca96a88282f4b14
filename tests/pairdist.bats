#!/usr/bin/env bats
# pairdist: DeepFace's distances on the article's data, every option, the
# three store forms, every error.

load test_helper
bats_require_minimum_version 1.5.0

# A tiny store: x, y, z and a zero vector o, and pairs over them.
store() { printf 'x\t1\t0\t0\ny\t0\t1\t0\nz\t1\t1\t0\no\t0\t0\t0\n' > "$TMP/s.tsv"; }
pairs() { printf 'a\tb\nx\ty\nx\tz\n' > "$TMP/p.tsv"; }
# A store with these contents, then run pairdist -e on the tiny pairs.
bad_store() {
    printf "$1" > "$TMP/bad.tsv"
    pairs
    run -1 --separate-stderr pairdist -e "$TMP/bad.tsv" "$TMP/p.tsv"
}

@test "the article's 300 pairs: every distance equals DeepFace's to the printed 6 decimals" {
    pairgen "$FIX/identities.yaml" | pairdist -m all > "$TMP/out.tsv"
    # same rows in the same order as facenet-pairs.tsv
    tail -n +3 "$TMP/out.tsv" | cut -f1,2 > "$TMP/ours-pairs"
    tail -n +2 "$FIX/facenet-pairs.tsv" | cut -f2,3 > "$TMP/ref-pairs"
    cmp "$TMP/ours-pairs" "$TMP/ref-pairs"
    run -0 sed -n 2p "$TMP/out.tsv"
    assert_output "a	b	same	cosine	euclidean	euclidean_l2	angular"
    tail -n +3 "$TMP/out.tsv" | cut -f4-7 > "$TMP/ours"
    tail -n +2 "$FIX/facenet-pairs.tsv" | cut -f5-8 > "$TMP/ref"
    [ "$(wc -l < "$TMP/ours")" -eq 300 ]
    cmp "$TMP/ours" "$TMP/ref"
}

@test "from the repository root: pairgen tests/fixtures/identities.yaml | pairdist -m all" {
    cd "$ROOT"
    run -0 bash -c "pairgen tests/fixtures/identities.yaml | pairdist -m all | head -3"
    assert_output "#embeddings=tests/fixtures/facenet-embeddings.tsv
a	b	same	cosine	euclidean	euclidean_l2	angular
img1.jpg	img2.jpg	1	0.220304	7.776059	0.663783	0.215374"
    # and from the fixtures folder, the identities file on standard input
    cd "$FIX"
    run -0 bash -c "pairgen < identities.yaml | pairdist | sed -n 3p"
    assert_output "img1.jpg	img2.jpg	1	0.220304"
}

@test "the four metrics on small vectors; -m keeps the order given; the default is cosine" {
    store
    pairs
    run -0 pairdist -e "$TMP/s.tsv" -m all "$TMP/p.tsv"
    assert_output "a	b	cosine	euclidean	euclidean_l2	angular
x	y	1.000000	1.414214	1.414214	0.500000
x	z	0.292893	1.000000	0.765367	0.250000"
    run -0 pairdist -e "$TMP/s.tsv" --metrics=angular,cosine "$TMP/p.tsv"
    assert_output "a	b	angular	cosine
x	y	0.500000	1.000000
x	z	0.250000	0.292893"
    run -0 pairdist -e "$TMP/s.tsv" "$TMP/p.tsv"
    assert_output "a	b	cosine
x	y	1.000000
x	z	0.292893"
}

@test "an item with itself: every distance is 0, never NaN or -0" {
    pairgen "$FIX/identities.yaml" | head -2 > "$TMP/p.tsv"
    for i in $(seq 1 25); do printf 'img%d.jpg\timg%d.jpg\t1\n' "$i" "$i"; done >> "$TMP/p.tsv"
    run -0 bash -c "pairdist -m all -p 9 '$TMP/p.tsv' | tail -n +3 | cut -f4- | sort -u"
    assert_output "0.000000000	0.000000000	0.000000000	0.000000000"
}

@test "-p sets the decimals; 6 by default, as DeepFace rounds" {
    store
    pairs
    run -0 pairdist -e "$TMP/s.tsv" -m cosine,euclidean -p 12 "$TMP/p.tsv"
    assert_line -n 2 "x	z	0.292893218813	1.000000000000"
    run -0 pairdist -e "$TMP/s.tsv" -m euclidean_l2 --precision=0 "$TMP/p.tsv"
    assert_line -n 1 "x	y	1"
    # 12 decimals, rounded to 6, give the default output
    pairgen "$FIX/identities.yaml" | pairdist -m all > "$TMP/p6"
    pairgen "$FIX/identities.yaml" | pairdist -m all -p 12 > "$TMP/p12"
    run -0 sed -n 3p "$TMP/p12"
    assert_output "img1.jpg	img2.jpg	1	0.220304083709	7.776058740222	0.663783223207	0.215373654382"
    awk -F'\t' -v OFS='\t' 'NR > 2 { for (i = 4; i <= 7; i++) $i = sprintf("%.6f", $i) } 1' "$TMP/p12" | cmp - "$TMP/p6"
}

@test "-a and -b choose the item columns; every column passes through, in order" {
    store
    printf '#embeddings=%s\n#note=kept\nleft\tk\tright\tsame\nx\t7\ty\t0\nz\t8\tx\t1\n' "$TMP/s.tsv" > "$TMP/p.tsv"
    run -0 pairdist -a left --column-b=right -m cosine "$TMP/p.tsv"
    assert_output "#embeddings=$TMP/s.tsv
#note=kept
left	k	right	same	cosine
x	7	y	0	1.000000
z	8	x	1	0.292893"
}

@test "the store: the #embeddings= line, or -e, which wins" {
    store
    printf 'x\t2\t0\t0\ny\t0\t0\t5\n' > "$TMP/t.tsv"
    printf '#embeddings=%s\na\tb\nx\ty\n' "$TMP/s.tsv" > "$TMP/p.tsv"
    run -0 pairdist -m euclidean "$TMP/p.tsv"
    assert_line -n 2 "x	y	1.414214"
    # the line names the store used (issue 10), never the other one
    run -0 pairdist -m euclidean -e "$TMP/t.tsv" "$TMP/p.tsv"
    assert_output "#embeddings=$TMP/t.tsv
a	b	euclidean
x	y	5.385165"
    # -e - reads the store from standard input when the stream is a file;
    # a store with no name drops the line
    run -0 bash -c "pairdist -m euclidean -e - '$TMP/p.tsv' < '$TMP/t.tsv'"
    assert_output "a	b	euclidean
x	y	5.385165"
}

@test "the store's three line forms, gzip, a header, CRLF, no final newline: one result" {
    pairgen "$FIX/identities.yaml" | tail -n +2 > "$TMP/p.tsv"
    E="$FIX/facenet-embeddings.tsv"
    pairdist -m all -e "$E" "$TMP/p.tsv" > "$TMP/want"
    # NAME<TAB>v1,v2,...
    sed 's/\t/,/g; s/,/\t/' "$E" > "$TMP/comma.tsv"
    # NAME<TAB>[v1, v2, ...] under a header, as pandas writes a list column
    { printf 'name\tembedding\n'; sed 's/\t/, /g; s/, /\t[/; s/$/]/' "$E"; } > "$TMP/list.tsv"
    # a header of the TAB form, CRLF line ends, no final newline
    { printf 'name'; for i in $(seq 1 128); do printf '\tv%d' "$i"; done; printf '\r\n'
      sed 's/$/\r/' "$E" | head -c -1; } > "$TMP/crlf.tsv"
    gzip -c "$E" > "$TMP/e.tsv.gz"
    head -c 300 "$TMP/list.tsv" | grep -q '^img1.jpg	\[0.6404417753219604, 0.6990238428115845, '
    for s in comma.tsv list.tsv crlf.tsv e.tsv.gz; do
        pairdist -m all -e "$TMP/$s" "$TMP/p.tsv" > "$TMP/got"
        cmp "$TMP/want" "$TMP/got" || { echo "differs with $s"; false; }
    done
    # a gzip-compressed stream too
    gzip -c "$TMP/p.tsv" > "$TMP/p.tsv.gz"
    pairdist -m all -e "$E" "$TMP/p.tsv.gz" | cmp "$TMP/want" -
}

@test "several stream files read as one; a header-only stream gives the header" {
    store
    printf 'a\tb\nx\ty\n' > "$TMP/p1.tsv"
    printf 'a\tb\nx\tz\n' > "$TMP/p2.tsv"
    printf 'a\tb\n' > "$TMP/p3.tsv"
    run -0 pairdist -e "$TMP/s.tsv" "$TMP/p1.tsv" - "$TMP/p3.tsv" < "$TMP/p2.tsv"
    assert_output "a	b	cosine
x	y	1.000000
x	z	0.292893"
    run -0 pairdist -e "$TMP/s.tsv" -m all "$TMP/p3.tsv"
    assert_output "a	b	cosine	euclidean	euclidean_l2	angular"
}

@test "--missing=skip drops the rows and counts them on stderr at the end" {
    store
    printf 'a\tb\nx\tq\nx\ty\nw\tx\nq\tw\n' > "$TMP/p.tsv"
    run -0 --separate-stderr pairdist -e "$TMP/s.tsv" --missing=skip "$TMP/p.tsv"
    assert_output "a	b	cosine
x	y	1.000000"
    assert_equal "$stderr" "pairdist: skipped 3 rows whose item has no embedding in $TMP/s.tsv"
    printf 'a\tb\nx\tq\nx\ty\n' > "$TMP/p.tsv"
    run -0 --separate-stderr pairdist -e "$TMP/s.tsv" --missing=skip "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: skipped 1 row whose item has no embedding in $TMP/s.tsv"
    run -0 --separate-stderr pairdist -e "$TMP/s.tsv" --missing=skip -m euclidean "$TMP/p.tsv"
    assert_output "a	b	euclidean
x	y	1.414214"
}

@test "error: an item with no embedding (--missing=error, the default)" {
    store
    printf 'a\tb\nx\ty\nx\tq\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:3: no embedding in $TMP/s.tsv for the item of column 'b' ('q')"
    run -1 --separate-stderr bash -c "printf 'a\tb\nq\tx\n' | pairdist -e '$TMP/s.tsv' --missing=error"
    assert_equal "$stderr" "pairdist: <stdin>:2: no embedding in $TMP/s.tsv for the item of column 'a' ('q')"
}

@test "error: a zero vector for cosine or angular; the euclideans are defined" {
    store
    printf 'a\tb\nx\ty\nx\to\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" -m euclidean,angular,cosine "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:3: angular distance is undefined for a zero vector ('o')"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:3: cosine distance is undefined for a zero vector ('o')"
    refute_sanitizer
    printf 'a\tb\nx\to\no\to\n' > "$TMP/p.tsv"
    run -0 pairdist -e "$TMP/s.tsv" -m euclidean,euclidean_l2 "$TMP/p.tsv"
    assert_output "a	b	euclidean	euclidean_l2
x	o	1.000000	1.000000
o	o	0.000000	0.000000"
}

@test "error: a missing item column names the columns found" {
    store
    printf 'a\tc\nx\ty\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:1: no column 'b' in the header (columns: a, c)"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" -a left -b c "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:1: no column 'left' in the header (columns: a, c)"
}

@test "error: the stream already has the metric's column" {
    store
    printf 'a\tb\teuclidean\nx\ty\t1\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" -m cosine,euclidean "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:1: the input already has a column 'euclidean'"
}

@test "error: an unknown metric lists the known ones (status 2)" {
    run -2 --separate-stderr pairdist -m cosine,manhattan
    assert_equal "$stderr" "pairdist: unknown metric 'manhattan' (known: cosine, euclidean, euclidean_l2, angular, all)
Try 'pairdist --help' for more information."
}

@test "error: a metric given twice, an empty metric (status 2)" {
    run -2 --separate-stderr pairdist -m cosine,all
    assert_equal "$stderr" "pairdist: --metrics names 'cosine' twice
Try 'pairdist --help' for more information."
    run -2 --separate-stderr pairdist -m angular,angular
    assert_equal "${stderr%%$'\n'*}" "pairdist: --metrics names 'angular' twice"
    run -2 --separate-stderr pairdist -m cosine,
    assert_equal "$stderr" "pairdist: invalid value for --metrics: 'cosine,' (an empty name)
Try 'pairdist --help' for more information."
    run -2 --separate-stderr pairdist -m ''
    assert_equal "${stderr%%$'\n'*}" "pairdist: invalid value for --metrics: '' (an empty name)"
}

@test "error: no store, and the error says how to give one (status 2)" {
    pairs
    run -2 --separate-stderr pairdist "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: no embeddings: give the store with -e FILE ($TMP/p.tsv has no #embeddings= line)
Try 'pairdist --help' for more information."
    run -2 --separate-stderr bash -c "printf '#embeddings=\na\tb\n' | pairdist"
    assert_equal "${stderr%%$'\n'*}" "pairdist: no embeddings: give the store with -e FILE (<stdin>:1 has an empty #embeddings= line)"
}

@test "error: the store and the stream both on standard input (status 2)" {
    run -2 --separate-stderr pairdist -e - < /dev/null
    assert_equal "$stderr" "pairdist: -e - and the stream cannot both be standard input
Try 'pairdist --help' for more information."
    run -2 --separate-stderr pairdist -e - x.tsv - < /dev/null
    assert_equal "${stderr%%$'\n'*}" "pairdist: -e - and the stream cannot both be standard input"
}

@test "error: bad option values (status 2)" {
    run -2 --separate-stderr pairdist --missing=ignore
    assert_equal "$stderr" "pairdist: invalid value for --missing: 'ignore' (expected error or skip)
Try 'pairdist --help' for more information."
    run -2 --separate-stderr pairdist -p 18
    assert_equal "${stderr%%$'\n'*}" "pairdist: invalid value for --precision: '18' (expected an integer from 0 to 17)"
    run -2 --separate-stderr pairdist -p x
    assert_equal "${stderr%%$'\n'*}" "pairdist: invalid value for --precision: 'x' (expected an integer from 0 to 17)"
    run -2 --separate-stderr pairdist --frobnicate
    assert_equal "${stderr%%$'\n'*}" "pairdist: unrecognized option '--frobnicate'"
    run -2 --separate-stderr pairdist -m
    assert_equal "${stderr%%$'\n'*}" "pairdist: option requires an argument -- 'm'"
    run -2 --separate-stderr pairdist --missing
    assert_equal "${stderr%%$'\n'*}" "pairdist: option '--missing' requires an argument"
    run -2 --separate-stderr pairdist -x
    assert_equal "${stderr%%$'\n'*}" "pairdist: invalid option -- 'x'"
}

@test "error: a store that cannot be opened" {
    pairs
    run -1 --separate-stderr pairdist -e "$TMP/none.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/none.tsv: No such file or directory"
}

@test "error: an empty store, or a header only" {
    bad_store ''
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv: no embeddings in the store"
    bad_store 'name\tembedding\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv: no embeddings in the store"
}

@test "error: a vector of another dimension" {
    bad_store 'x\t1\t0\t0\ny\t0\t1\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: vector of dimension 2, expected 3 as on line 1 ('y')"
    bad_store 'name\tembedding\nx\t[1, 0]\ny\t[0, 1, 0, 1]\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:3: vector of dimension 4, expected 2 as on line 2 ('y')"
    bad_store 'x\t1,0,0\ny\t0,1,0,\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: vector of dimension 4, expected 3 as on line 1 ('y')"
}

@test "error: a name given twice" {
    bad_store 'x\t1\t0\t0\ny\t0\t1\t0\nx\t0\t0\t1\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:3: name given twice, first on line 1 ('x')"
}

@test "error: a bad number" {
    bad_store 'x\t1\t0\t0\ny\t0\t1.5x\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: value 2 of 'y' is not a number ('1.5x')"
    bad_store 'x\t1,0x10,0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 2 of 'x' is not a number ('0x10')"
    bad_store 'x\t[1, 2 3, 0]\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 2 of 'x' is not a number ('2 3')"
}

@test "error: NaN in a vector" {
    bad_store 'x\t1\t0\t0\ny\t0\tnan\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: value 2 of 'y' is NaN ('nan')"
    # on the first line too: a vector with a NaN is not a header
    bad_store 'x\tNaN,0,0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 1 of 'x' is NaN ('NaN')"
}

@test "error: Inf in a vector" {
    bad_store 'x\t1\t0\t-inf\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 3 of 'x' is infinite ('-inf')"
    bad_store 'x\t[1.0, Infinity, 0.0]\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 2 of 'x' is infinite ('Infinity')"
}

@test "error: a value out of float32 range" {
    bad_store 'x\t1\t3.5e38\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 2 of 'x' is out of float32 range ('3.5e38')"
    bad_store 'x\t1\t-1e999\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 2 of 'x' is out of float32 range ('-1e999')"
}

@test "error: an empty value" {
    bad_store 'x\t1\t\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: value 2 of 'x' is empty"
}

@test "error: a line that is not NAME<TAB>VALUES" {
    bad_store 'x\t1\t0\t0\ny 0 1 0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: no TAB after the name (expected NAME<TAB>VALUES) ('y 0 1 0')"
    bad_store 'x\t1\t0\t0\n\t0\t1\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: empty name (expected NAME<TAB>VALUES)"
    bad_store 'x\t1\t0\t0\n\ny\t0\t1\t0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:2: empty line (expected NAME<TAB>VALUES)"
    bad_store 'x\t[1, 0, 0\n'
    assert_equal "$stderr" "pairdist: $TMP/bad.tsv:1: list without a closing ']' ('[1, 0, 0')"
}

@test "error: a bad stream (empty, short row)" {
    store
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" < /dev/null
    assert_equal "$stderr" "pairdist: <stdin>: empty input (expected a header line)"
    printf 'a\tb\nx\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/p.tsv:2: expected 2 fields as in the header, found 1"
}

@test "-o writes the file atomically; on an error an existing file is left alone" {
    store
    pairs
    run -0 pairdist -e "$TMP/s.tsv" --output="$TMP/out.tsv" "$TMP/p.tsv"
    assert_output ""
    run -0 cat "$TMP/out.tsv"
    assert_line -n 2 "x	z	0.292893"
    printf 'a\tb\nx\ty\nx\tq\n' > "$TMP/p2.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" -o "$TMP/out.tsv" "$TMP/p2.tsv"
    run -0 cat "$TMP/out.tsv"
    assert_line -n 2 "x	z	0.292893"
    [ "$(ls "$TMP" | grep -c out)" -eq 1 ]
}

@test "a full disk is an error; a closed pipe ends quietly" {
    run -1 --separate-stderr bash -c "pairgen '$FIX/identities.yaml' | pairdist -m all > /dev/full"
    assert_equal "$stderr" "pairdist: write error: <stdout>: No space left on device"
    store
    run -0 --separate-stderr bash -c "awk 'BEGIN { print \"a\tb\"; for (i = 0; i < 500000; i++) print \"x\ty\" }' |
        pairdist -m all -e '$TMP/s.tsv' | head -2; echo \"status \${PIPESTATUS[1]}\""
    assert_output "a	b	cosine	euclidean	euclidean_l2	angular
x	y	1.000000	1.414214	1.414214	0.500000
status 141"
    assert_equal "$stderr" ""
}

@test "--help: usage on stdout, an example; --version" {
    run -0 pairdist --help
    assert_line -n 0 --regexp '^Usage: pairdist '
    assert_line --regexp '^  pairgen .*\| pairdist'
    run -0 pairdist --version
    assert_output --regexp '^pairdist \(distconf\) [0-9]'
}

# A store of 4000 items of 64 dimensions (some 3 MB: more than a batch of
# the store's lines) and 6000 pairs over them (several batches of rows),
# made with awk.
big() {
    awk 'BEGIN { srand(15); for (i = 0; i < 4000; i++) { printf "i%d", i;
        for (k = 0; k < 64; k++) printf "\t%.9f", rand() * 2 - 1; printf "\n" } }' > "$TMP/big.tsv"
    awk 'BEGIN { srand(16); print "a\tb\tsame"; for (r = 0; r < 6000; r++)
        printf "i%d\ti%d\t%d\n", int(rand() * 4000), int(rand() * 4000), r % 7 == 0 }' > "$TMP/bp.tsv"
}

@test "-j N: the same bytes for every N (rows, --counts, --missing=skip, a gzip store)" {
    big
    pairdist -j 1 -e "$TMP/big.tsv" -m all "$TMP/bp.tsv" > "$TMP/1.out"
    [ "$(wc -l < "$TMP/1.out")" -eq 6001 ]
    for j in 2 3 8; do
        pairdist -j $j -e "$TMP/big.tsv" -m all "$TMP/bp.tsv" | cmp - "$TMP/1.out"
        pairdist --jobs=$j -e "$TMP/big.tsv" -m all "$TMP/bp.tsv" | cmp - "$TMP/1.out"
    done
    pairdist -e "$TMP/big.tsv" -m all "$TMP/bp.tsv" | cmp - "$TMP/1.out"
    # the store's lines not all parsed by the fast path (values it cannot
    # tell, a header, CRLF, lists): the same rows
    awk 'BEGIN { print "id\tembedding" }
         NR % 7 == 0 { sub(/\t[^\t]*/, "&0000000000000") }
         NR % 5 == 0 { t = index($0, "\t"); rest = substr($0, t + 1); gsub(/\t/, ", ", rest);
                       $0 = substr($0, 1, t) "[" rest "]" }
         NR % 3 == 0 { $0 = $0 "\r" } { print }' "$TMP/big.tsv" > "$TMP/mixed.tsv"
    gzip -c "$TMP/mixed.tsv" > "$TMP/mixed.tsv.gz"
    for j in 1 2 3; do
        pairdist -j $j -e "$TMP/mixed.tsv" -m all "$TMP/bp.tsv" | cmp - "$TMP/1.out"
        pairdist -j $j -e "$TMP/mixed.tsv.gz" -m all "$TMP/bp.tsv" | cmp - "$TMP/1.out"
    done
    pairdist -j 1 -e "$TMP/big.tsv" -m all --counts "$TMP/bp.tsv" > "$TMP/1.counts"
    awk 'NR <= 3 || NR % 11 != 0' "$TMP/bp.tsv" | sed '500s/^i[0-9]*/nobody/' > "$TMP/skip.tsv"
    printf '%s\n' 'i1	gone	0' >> "$TMP/skip.tsv"
    run -0 --separate-stderr pairdist -j 1 -e "$TMP/big.tsv" --missing=skip "$TMP/skip.tsv"
    cp /dev/stdin "$TMP/1.skip" <<< "$output"
    assert_equal "$stderr" "pairdist: skipped 2 rows whose item has no embedding in $TMP/big.tsv"
    for j in 2 3; do
        pairdist -j $j -e "$TMP/big.tsv" -m all --counts "$TMP/bp.tsv" | cmp - "$TMP/1.counts"
        run -0 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" --missing=skip "$TMP/skip.tsv"
        assert_equal "$output" "$(cat "$TMP/1.skip")"
        assert_equal "$stderr" "pairdist: skipped 2 rows whose item has no embedding in $TMP/big.tsv"
    done
}

@test "a store of more than 8 MiB of vectors (sized from a plain file, grown from gzip or a pipe): the same distances" {
    big
    pairdist -j 1 -e "$TMP/big.tsv" -m all "$TMP/bp.tsv" | cut -f 4- > "$TMP/1.d"
    # ten copies of the big store under other names: 40,000 rows, 10 MiB of
    # vectors; the big pairs on the last copy
    for k in 0 1 2 3 4 5 6 7 8 9; do sed "s/^i/c${k}_i/" "$TMP/big.tsv"; done > "$TMP/huge.tsv"
    gzip -c "$TMP/huge.tsv" > "$TMP/huge.tsv.gz"
    sed '2,$s/i\([0-9]\)/c9_i\1/g' "$TMP/bp.tsv" > "$TMP/hp.tsv"
    [ "$(sed -n 2p "$TMP/hp.tsv" | cut -c 1-3)" = c9_ ]
    for j in 1 3; do
        pairdist -j $j -e "$TMP/huge.tsv" -m all "$TMP/hp.tsv" | cut -f 4- | cmp - "$TMP/1.d"
        pairdist -j $j -e "$TMP/huge.tsv.gz" -m all "$TMP/hp.tsv" | cut -f 4- | cmp - "$TMP/1.d"
        pairdist -j $j -e <(cat "$TMP/huge.tsv") -m all "$TMP/hp.tsv" | cut -f 4- | cmp - "$TMP/1.d"
    done
    # and the first copy, read first
    sed '2,$s/i\([0-9]\)/c0_i\1/g' "$TMP/bp.tsv" > "$TMP/hp0.tsv"
    pairdist -e "$TMP/huge.tsv.gz" -m all "$TMP/hp0.tsv" | cut -f 4- | cmp - "$TMP/1.d"
}

@test "a truncated gzip store: the line it breaks in, for every N" {
    big
    gzip -c "$TMP/big.tsv" > "$TMP/big.tsv.gz"
    for bytes in 20000 600000 1100000; do
        head -c $bytes "$TMP/big.tsv.gz" > "$TMP/cut.gz"
        # the line gzip -d breaks in: its last, partial line
        line=$(gzip -dc "$TMP/cut.gz" 2>/dev/null | awk 'END { print NR }')
        for j in 1 2 3; do
            run -1 --separate-stderr pairdist -j $j -e "$TMP/cut.gz" "$TMP/bp.tsv"
            assert_equal "$stderr" "pairdist: $TMP/cut.gz:$line: cannot read gzip data (unexpected end of file)"
        done
    done
}

@test "-j N: the same error, line and status for every N (late in a big stream, in the store)" {
    big
    sed '4500s/^i[0-9]*/nobody/' "$TMP/bp.tsv" > "$TMP/unknown.tsv"
    sed '5000s/\t[01]$//' "$TMP/bp.tsv" > "$TMP/short.tsv"
    sed '5500s/[01]$/maybe/' "$TMP/bp.tsv" > "$TMP/same.tsv"
    sed '3700s/\t0\./\t0.x/' "$TMP/big.tsv" > "$TMP/badnum.tsv"
    sed '3900s/^i[0-9]*/i17/' "$TMP/big.tsv" > "$TMP/twice.tsv"
    sed '3800s/\t[^\t]*$//' "$TMP/big.tsv" > "$TMP/dim.tsv"
    # two errors: the first in the stream wins (an item looked up by a worker,
    # a short row or a bad `same` found by the reader after it)
    sed -e '4500s/^i[0-9]*/nobody/' -e '4501s/\t[01]$//' "$TMP/bp.tsv" > "$TMP/both.tsv"
    sed -e '4500s/^i[0-9]*/nobody/' -e '4501s/[01]$/maybe/' "$TMP/bp.tsv" > "$TMP/both2.tsv"
    # two errors: the first in the store wins
    sed -e '3000s/^i[0-9]*/i17/' -e '3950s/\t0\./\tnan/' "$TMP/big.tsv" > "$TMP/two.tsv"
    for j in 1 2 3; do
        run -1 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" "$TMP/unknown.tsv"
        assert_equal "$stderr" "pairdist: $TMP/unknown.tsv:4500: no embedding in $TMP/big.tsv for the item of column 'a' ('nobody')"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" "$TMP/short.tsv"
        [[ "$stderr" == "pairdist: $TMP/short.tsv:5000: "* ]]
        echo "$stderr" > "$TMP/short.$j"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" --counts "$TMP/same.tsv"
        [[ "$stderr" == "pairdist: $TMP/same.tsv:5500: "* ]]
        echo "$stderr" > "$TMP/same.$j"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/badnum.tsv" "$TMP/bp.tsv"
        [[ "$stderr" == "pairdist: $TMP/badnum.tsv:3700: value "*" is not a number ('0.x"* ]]
        echo "$stderr" > "$TMP/badnum.$j"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/twice.tsv" "$TMP/bp.tsv"
        assert_equal "$stderr" "pairdist: $TMP/twice.tsv:3900: name given twice, first on line 18 ('i17')"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/dim.tsv" "$TMP/bp.tsv"
        assert_equal "$stderr" "pairdist: $TMP/dim.tsv:3800: vector of dimension 63, expected 64 as on line 1 ('i3799')"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" "$TMP/both.tsv"
        assert_equal "$stderr" "pairdist: $TMP/both.tsv:4500: no embedding in $TMP/big.tsv for the item of column 'a' ('nobody')"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" --counts "$TMP/both2.tsv"
        assert_equal "$stderr" "pairdist: $TMP/both2.tsv:4500: no embedding in $TMP/big.tsv for the item of column 'a' ('nobody')"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/two.tsv" "$TMP/bp.tsv"
        assert_equal "$stderr" "pairdist: $TMP/two.tsv:3000: name given twice, first on line 18 ('i17')"
    done
    for f in short same badnum; do
        cmp "$TMP/$f.1" "$TMP/$f.2"
        cmp "$TMP/$f.1" "$TMP/$f.3"
    done
}

@test "-j N: a file glued on mid-stream (mark, header, CRLF) reads as the rows alone; errors after it in order" {
    big
    pairdist -j 1 -e "$TMP/big.tsv" -m all "$TMP/bp.tsv" > "$TMP/want"
    # the second part begins inside a block of lines read at once: its
    # header and the rows after it go through the general reader
    { head -n 3001 "$TMP/bp.tsv"; printf '\xef\xbb\xbf'; head -n 1 "$TMP/bp.tsv"
      tail -n +3002 "$TMP/bp.tsv" | sed 's/$/\r/'; } > "$TMP/glued.tsv"
    sed -e '3004s/^i[0-9]*/nobody/' -e '3006s/\t[01]\r$/\r/' "$TMP/glued.tsv" > "$TMP/bad.tsv"
    for j in 1 2 3; do
        pairdist -j $j -e "$TMP/big.tsv" -m all "$TMP/glued.tsv" | cmp - "$TMP/want"
        run -1 --separate-stderr pairdist -j $j -e "$TMP/big.tsv" -m all "$TMP/bad.tsv"
        assert_equal "$stderr" "pairdist: $TMP/bad.tsv:3004: no embedding in $TMP/big.tsv for the item of column 'a' ('nobody')"
        # what was written is the start of the good output
        pairdist -j $j -e "$TMP/big.tsv" -m all "$TMP/bad.tsv" > "$TMP/got" 2>/dev/null || :
        [ "$(wc -l < "$TMP/got")" -le 3002 ]
        cmp -n "$(wc -c < "$TMP/got")" "$TMP/got" "$TMP/want"
    done
}

@test "error: -j outside 1 to 64 (status 2)" {
    for v in 0 x 65 -1 ''; do
        usage_refused "pairdist: invalid value for --jobs: '$v' (expected an integer from 1 to 64)" pairdist -j "$v"
    done
    usage_refused "pairdist: invalid value for --jobs: '65' (expected an integer from 1 to 64)" pairdist --jobs=65
}

@test "a gzip store damaged past its data: the line it breaks in, not where the read began" {
    big
    gzip -c "$TMP/big.tsv" > "$TMP/big.tsv.gz"
    size=$(stat -c %s "$TMP/big.tsv.gz")
    # every line inflates whole; the CRC (the trailer's first byte) is wrong
    cp "$TMP/big.tsv.gz" "$TMP/crc.gz"
    printf '\377' | dd of="$TMP/crc.gz" bs=1 seek=$((size - 8)) conv=notrunc 2>/dev/null
    line=$(gzip -dc "$TMP/crc.gz" 2>/dev/null | awk 'END { print NR }')
    [ "$line" -eq 4000 ]
    for j in 1 2 3; do
        run -1 --separate-stderr pairdist -j $j -e "$TMP/crc.gz" "$TMP/bp.tsv"
        assert_equal "$stderr" "pairdist: $TMP/crc.gz:4000: cannot read gzip data (incorrect data check)"
    done
}

@test "a gzip store cut in its trailer: its last line, not the one after it" {
    big
    gzip -c "$TMP/big.tsv" > "$TMP/big.tsv.gz"
    size=$(stat -c %s "$TMP/big.tsv.gz")
    # every line inflates whole: 4000 lines, none after them
    head -c $((size - 4)) "$TMP/big.tsv.gz" > "$TMP/cut.gz"
    for j in 1 2 3; do
        run -1 --separate-stderr pairdist -j $j -e "$TMP/cut.gz" "$TMP/bp.tsv"
        assert_equal "$stderr" "pairdist: $TMP/cut.gz:4000: cannot read gzip data (unexpected end of file)"
    done
}

@test "a truncated gzip store after a line over 1 MiB: the line it breaks in" {
    # 40 rows of 60,000 values; rows 8 and 26 over 1 MiB, the others 0.3 MB
    awk 'BEGIN { srand(9); for (i = 0; i < 40; i++) { printf "l%d", i;
        f = (i == 7 || i == 25) ? "\t%.17f" : "\t%.1f";
        for (k = 0; k < 60000; k++) printf f, rand(); printf "\n" } }' > "$TMP/long.tsv"
    printf 'a\tb\tsame\nl0\tl1\t0\n' > "$TMP/lp.tsv"
    gzip -c "$TMP/long.tsv" > "$TMP/long.tsv.gz"
    size=$(stat -c %s "$TMP/long.tsv.gz")
    for pct in 40 80; do
        head -c $((size * pct / 100)) "$TMP/long.tsv.gz" > "$TMP/cut.gz"
        line=$(gzip -dc "$TMP/cut.gz" 2>/dev/null | awk 'END { print NR }')
        for j in 1 3; do
            run -1 --separate-stderr pairdist -j $j -e "$TMP/cut.gz" "$TMP/lp.tsv"
            assert_equal "$stderr" "pairdist: $TMP/cut.gz:$line: cannot read gzip data (unexpected end of file)"
        done
    done
}

@test "store lines longer than a batch (512 KiB) but not than 1 MiB, among short ones: each row whole, for every N" {
    # the same vector (values k/8, exact) printed short (240 KB) or long
    # (800 KB: zero-padded), and its negation: the distances are exact
    awk 'BEGIN { srand(21); for (k = 0; k < 40000; k++) v[k] = int(rand() * 16 - 8) / 8 + (k == 0);
        n = split("s+ l+ l- s- l+ s+ l- l+ s- s+", kind, " ");
        for (i = 1; i <= n; i++) { printf "r%d", i; f = substr(kind[i], 1, 1) == "l" ? "\t%.17f" : "\t%.3f";
            sgn = substr(kind[i], 2) == "-" ? -1 : 1;
            for (k = 0; k < 40000; k++) printf f, sgn * v[k]; printf "\n" } }' > "$TMP/mixed.tsv"
    [ "$(awk '{ print length($0) }' "$TMP/mixed.tsv" | sort -n | tail -1)" -gt 600000 ]
    printf 'a\tb\tsame\nr1\tr2\t1\nr1\tr3\t0\nr2\tr8\t1\nr7\tr10\t0\nr4\tr9\t1\nr5\tr6\t1\n' > "$TMP/mp.tsv"
    want=$(printf 'r1\tr2\t1\t0.000000\nr1\tr3\t0\t2.000000\nr2\tr8\t1\t0.000000\nr7\tr10\t0\t2.000000\nr4\tr9\t1\t0.000000\nr5\tr6\t1\t0.000000')
    for j in 1 2 3; do
        run -0 pairdist -j $j -e "$TMP/mixed.tsv" -m cosine "$TMP/mp.tsv"
        assert_equal "$(tail -n +2 <<< "$output")" "$want"
        run -0 pairdist -j $j -e <(cat "$TMP/mixed.tsv") -m cosine "$TMP/mp.tsv"
        assert_equal "$(tail -n +2 <<< "$output")" "$want"
    done
}
