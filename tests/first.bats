#!/usr/bin/env bats
# The first hour: pairgen's warnings and its scoring modes (--probes,
# --gallery, -e, --exclude), --list-models, the man pages' EXAMPLES and
# quotes, make install's examples, and a plain make that never installs.

load test_helper
bats_require_minimum_version 1.5.0

# A fake apt-get first on PATH that records being called, and a compiler
# that finds no header: every package looks missing.
fake_missing() {
    mkdir -p "$TMP/fake"
    printf '#!/bin/sh\necho "$@" >> "%s/apt.log"\nexit 0\n' "$TMP" > "$TMP/fake/apt-get"
    printf '#!/bin/sh\nexit 1\n' > "$TMP/fake/nocc"
    chmod +x "$TMP/fake/apt-get" "$TMP/fake/nocc"
}

@test "plain make and make install never run apt-get: they stop with the command to run" {
    fake_missing
    want="deps: missing packages; install them with: $([ "$(id -u)" = 0 ] || echo 'sudo ')apt-get install -y libyaml-dev zlib1g-dev"
    for target in "" all install; do
        run -2 --separate-stderr env PATH="$TMP/fake:$PATH" make -s -C "$ROOT" $target CC="$TMP/fake/nocc" DESTDIR="$TMP/stage"
        assert_equal "${stderr%%$'\n'*}" "$want"
        assert_output ""
        [ ! -e "$TMP/apt.log" ]
        [ ! -e "$TMP/stage" ]
    done
    # the script itself, with -n: the same line, status 1, even as root
    run -1 --separate-stderr env PATH="$TMP/fake:$PATH" CC="$TMP/fake/nocc" sh "$ROOT/tests/deps.sh" -n build
    assert_equal "$stderr" "$want"
    [ ! -e "$TMP/apt.log" ]
}

@test "make deps, as root, is what installs" {
    [ "$(id -u)" = 0 ] || skip "needs root"
    fake_missing
    run -0 --separate-stderr env PATH="$TMP/fake:$PATH" make -s -C "$ROOT" deps CC="$TMP/fake/nocc"
    assert_equal "$stderr" "deps: installing libyaml-dev zlib1g-dev"
    assert_equal "$(cat "$TMP/apt.log")" "update -qq
install -y -qq libyaml-dev zlib1g-dev"
}

@test "the installed examples run: article.sh finds the programs on PATH" {
    b=$(cd "$BIN/.." && pwd)
    b=${b#$ROOT/}
    [[ "$b" != /* ]] || skip "the programs under test are not a build folder of this tree"
    run -0 make -s -o all -C "$ROOT" install B="$b" DESTDIR="$TMP/stage" PREFIX=/usr
    doc="$TMP/stage/usr/share/doc/distconf"
    cd "$TMP"
    run -0 --separate-stderr env PATH="$TMP/stage/usr/bin:$PATH" "$doc/examples/article.sh"
    assert_output --partial "38 same-person pairs, 262 different-person pairs"
    [ -s "$TMP/article-demo/article.svg" ]
    # the README's commands, from DOCDIR
    cd "$doc"
    run -0 env PATH="$TMP/stage/usr/bin:$PATH" pairgen examples/identities.yaml
    assert_line -n 0 "#embeddings=examples/facenet-embeddings.tsv"
}

@test "--list-models: DeepFace's thresholds as TSV, in every program that takes --model" {
    n=0
    for t in pairgen pairdist logfit confmap confplot confeval; do
        $t --help | grep -q -- '--model=' || continue
        n=$((n + 1))
        $t --help | grep -q -- '--list-models' || { echo "$t --help: no --list-models"; return 1; }
        run -0 --separate-stderr $t --list-models
        assert_equal "$stderr" ""
        # DeepFace's own literals (tests/fixtures/thresholds.tsv), header first
        assert_equal "$output" "$(cat "$FIX/thresholds.tsv")"
        assert_line -n 0 "model	cosine	euclidean	euclidean_l2	angular"
        assert_line -n 2 "Facenet	0.40	10	0.80	0.33"
        [ "${#lines[@]}" -eq 12 ]
        # it acts at once, like --help, whatever else is on the line
        run -0 $t --list-models --no-such-file-read
        [ "${#lines[@]}" -eq 12 ]
        run -1 --separate-stderr bash -c "$t --list-models > /dev/full"
        assert_equal "$stderr" "$t: write error: <stdout>: No space left on device"
    done
    [ "$n" -eq 3 ]
    # every model --list-models names is one --model takes, and the other way round
    for m in $(logfit --list-models | tail -n +2 | cut -f1); do
        run -0 confmap --model "$m" --list-models
    done
    run -2 --separate-stderr logfit --model NoSuchModel
    assert_equal "${stderr%%$'\n'*}" "logfit: unknown model 'NoSuchModel' (models: $(logfit --list-models | tail -n +2 | cut -f1 | paste -sd, | sed 's/,/, /g'))"
}

@test "distconf(7)'s threshold table is the compiled one, as logfit(1) and confmap(1) promise" {
    # the .Bl -column block after THRESHOLDS, as TSV
    table=$(awk '/^\.Sh THRESHOLDS/ { on = 1 } on && /^\.El/ { exit } on && /^\.It / {
            sub(/^\.It /, ""); gsub(/Em /, ""); gsub(/ Ta /, "\t"); print }' "$ROOT/man/distconf.7")
    [ -n "$table" ]
    if [ "$table" != "$(logfit --list-models)" ]; then
        echo "man/distconf.7 THRESHOLDS differs from logfit --list-models (lib/mapping/deepface.c):"
        diff <(echo "$table") <(logfit --list-models)
        return 1
    fi
    # and it renders: 11 rows and the header under THRESHOLDS
    run -0 bash -c "groff -mdoc -Tutf8 '$ROOT/man/distconf.7' | col -b | sed -n '/^THRESHOLDS/,/^THE METHOD/p' | awk 'NF == 5 && (\$2 ~ /^[0-9.]+\$/ || \$1 == \"model\")' | wc -l"
    assert_output 12
    grep -q 'distconf 7' "$ROOT/man/logfit.1"
    grep -q -- 'list-models' "$ROOT/man/logfit.1"
    grep -q -- 'list-models' "$ROOT/man/confmap.1"
}

# --- pairgen: an identities file that gives no pairs, or one class only ---

@test "pairgen says so when the file gives no pairs, no positives or no negatives (status 0)" {
    printf 'A: []\nB:\n' > "$TMP/none.yaml"
    warns "pairgen: $TMP/none.yaml: no pairs: no identity has items" pairgen "$TMP/none.yaml"
    assert_output "a	b	same"
    printf 'A: [a1]\nB: []\n' > "$TMP/one.yaml"
    warns "pairgen: $TMP/one.yaml: no pairs: the file has one item only" pairgen "$TMP/one.yaml"
    assert_output "a	b	same"
    # one item per identity: negatives only
    printf 'A: [a1]\nB: [b1]\nC: [c1]\n' > "$TMP/singles.yaml"
    warns "pairgen: $TMP/singles.yaml: no positives: no identity has two items, so every pair is same=0" pairgen "$TMP/singles.yaml"
    assert_equal "${#lines[@]}" 4
    warns "pairgen: $TMP/singles.yaml: no positives: no identity has two items, so every pair is same=0" pairgen -P "$TMP/singles.yaml"
    assert_output "a	b	same"
    # asked for negatives only: nothing missing
    warns "" pairgen -N "$TMP/singles.yaml"
    # one identity with items: positives only
    printf 'A: [a1, a2, a3]\nB: []\n' > "$TMP/alone.yaml"
    warns "pairgen: $TMP/alone.yaml: no negatives: only one identity has items, so every pair is same=1" pairgen "$TMP/alone.yaml"
    assert_equal "${#lines[@]}" 4
    warns "" pairgen -P "$TMP/alone.yaml"
    # -n of a file with no positives: a ratio of nothing
    warns "pairgen: $TMP/singles.yaml: no positives: no identity has two items, so every pair is same=0" pairgen -n 2x "$TMP/singles.yaml"
    assert_output "a	b	same"
    # standard input is named as everywhere
    warns "pairgen: <stdin>: no pairs: the file has one item only" bash -c "pairgen < '$TMP/one.yaml'"
    # a file with both kinds: not a word
    warns "" pairgen "$FIX/identities.yaml"
    # -o: the file is still written
    run -0 --separate-stderr pairgen -o "$TMP/out.tsv" "$TMP/singles.yaml"
    [ "$(wc -l < "$TMP/out.tsv")" -eq 4 ]
}

# --- pairgen --probes: scoring new data ---

ids_small() {
    printf 'embeddings: emb.tsv\nidentities:\n  A: [a1, a2]\n  B: [b1, b2, b3]\n' > "$TMP/ids.yaml"
}

@test "--probes against an identities file: every item, probe by probe, no self-pair" {
    ids_small
    # probes not in the gallery: no 'same' (their identity is unknown)
    printf 'n1\nn2\n' > "$TMP/new.txt"
    run -0 --separate-stderr pairgen --probes "$TMP/new.txt" "$TMP/ids.yaml"
    assert_output "#embeddings=$TMP/emb.tsv
a	b
n1	a1
n1	a2
n1	b1
n1	b2
n1	b3
n2	a1
n2	a2
n2	b1
n2	b2
n2	b3"
    assert_equal "$stderr" ""
    # -i: the gallery's identity is known, the probe's is not
    run -0 pairgen -i --probes "$TMP/new.txt" "$TMP/ids.yaml"
    assert_line -n 1 "a	b	id_a	id_b"
    assert_line -n 2 "n1	a1		A"
    assert_line -n 11 "n2	b3		B"
    # probes in the gallery: 'same', and never an item with itself
    printf 'b2\na1\n' > "$TMP/known.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/known.txt" "$TMP/ids.yaml"
    assert_output "#embeddings=$TMP/emb.tsv
a	b	same
b2	a1	0
b2	a2	0
b2	b1	1
b2	b3	1
a1	a2	1
a1	b1	0
a1	b2	0
a1	b3	0"
    assert_equal "$stderr" ""
    run -0 pairgen -i --probes="$TMP/known.txt" "$TMP/ids.yaml"
    assert_line -n 2 "b2	a1	0	B	A"
    # some known, some not: no 'same', and a line that says which item
    printf 'a1\nnew\n' > "$TMP/mixed.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/mixed.txt" "$TMP/ids.yaml"
    assert_line -n 1 "a	b"
    [ "${#lines[@]}" -eq 11 ]
    assert_equal "$stderr" "pairgen: no column 'same': 'new' ($TMP/mixed.txt:2) is not an item of $TMP/ids.yaml"
}

@test "--probes: the list is one name a line, plain, CRLF, gzip or standard input" {
    ids_small
    pairgen --probes=<(printf 'a1\nz9\n') "$TMP/ids.yaml" > "$TMP/want"
    printf 'a1\r\nz9\r\n' > "$TMP/crlf.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/crlf.txt" "$TMP/ids.yaml"
    assert_equal "$output" "$(cat "$TMP/want")"
    printf 'a1\nz9' > "$TMP/nolf.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/nolf.txt" "$TMP/ids.yaml"
    assert_equal "$output" "$(cat "$TMP/want")"
    printf 'a1\nz9\n' | gzip > "$TMP/list.gz"
    run -0 --separate-stderr pairgen --probes="$TMP/list.gz" "$TMP/ids.yaml"
    assert_equal "$output" "$(cat "$TMP/want")"
    run -0 --separate-stderr bash -c "printf 'a1\nz9\n' | pairgen --probes=- '$TMP/ids.yaml'"
    assert_equal "$output" "$(cat "$TMP/want")"
    # names are bytes: spaces, quotes, UTF-8 kept as they are
    printf "it's me.jpg\n\xc3\xa9t\xc3\xa9.jpg\n" > "$TMP/odd.txt"
    run -0 pairgen --probes="$TMP/odd.txt" --gallery=<(printf 'x\n')
    assert_output "a	b
it's me.jpg	x
$(printf '\xc3\xa9t\xc3\xa9.jpg')	x"
}

@test "--probes: an empty list gives no pairs and says so; a bad list is an error with its line" {
    ids_small
    : > "$TMP/empty.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/empty.txt" "$TMP/ids.yaml"
    assert_output "#embeddings=$TMP/emb.tsv
a	b	same"
    assert_equal "$stderr" "pairgen: $TMP/empty.txt: no pairs: the list of probes is empty"
    warns "pairgen: <stdin>: no pairs: the list of probes is empty" bash -c "pairgen --probes=- '$TMP/ids.yaml' < /dev/null"
    # a name twice
    printf 'a1\nn1\na1\n' > "$TMP/dup.txt"
    refused "pairgen: $TMP/dup.txt:3: name given twice, first on line 1 ('a1')" pairgen --probes="$TMP/dup.txt" "$TMP/ids.yaml"
    assert_output ""
    # CRLF does not hide a duplicate
    printf 'a1\r\na1\n' > "$TMP/dup2.txt"
    refused "pairgen: $TMP/dup2.txt:2: name given twice, first on line 1 ('a1')" pairgen --probes="$TMP/dup2.txt" "$TMP/ids.yaml"
    printf 'a1\n\nb1\n' > "$TMP/blank.txt"
    refused "pairgen: $TMP/blank.txt:2: empty line (expected one name a line)" pairgen --probes="$TMP/blank.txt" "$TMP/ids.yaml"
    printf 'a1\tb1\n' > "$TMP/tab.txt"
    refused "pairgen: $TMP/tab.txt:1: a name holds a TAB (expected one name a line) ('a1?b1')" pairgen --probes="$TMP/tab.txt" "$TMP/ids.yaml"
    printf 'a1\nb\0x\n' > "$TMP/nul.txt"
    refused "pairgen: $TMP/nul.txt:2: NUL byte in the input (column 2)" pairgen --probes="$TMP/nul.txt" "$TMP/ids.yaml"
    refused "pairgen: $TMP/missing.txt: No such file or directory" pairgen --probes="$TMP/missing.txt" "$TMP/ids.yaml"
    # the gallery is empty: the identities file has no items
    printf 'A: []\n' > "$TMP/noitems.yaml"
    warns "pairgen: $TMP/noitems.yaml: no pairs: the gallery is empty" pairgen --probes=<(echo x) "$TMP/noitems.yaml"
    assert_output "a	b"
    # the only pair is an item with itself
    printf 'A: [a1]\n' > "$TMP/single.yaml"
    warns "pairgen: no pairs: the only pair is an item with itself" pairgen --probes=<(echo a1) "$TMP/single.yaml"
    assert_output "a	b	same"
}

@test "--probes with -e: the store's names are the gallery, and its path the preamble" {
    ids_small
    printf 'name\tv1\tv2\nb1\t1\t0\nq1\t0\t1\nb3\t[1, 1]\n' > "$TMP/store.tsv"
    printf 'b1\nq9\n' > "$TMP/p.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/p.txt" -e "$TMP/store.tsv"
    assert_output "#embeddings=$TMP/store.tsv
a	b
b1	q1
b1	b3
q9	b1
q9	q1
q9	b3"
    assert_equal "$stderr" ""
    # a store without a header: every line is a name
    printf 'b1\t1\t0\nq1\t0,1\n' > "$TMP/bare.tsv"
    run -0 pairgen --probes="$TMP/p.txt" -e "$TMP/bare.tsv"
    assert_line -n 2 "b1	q1"
    [ "${#lines[@]}" -eq 5 ]
    # gzip store; and the identities file for 'same' and -i (the store stays the gallery)
    gzip -c "$TMP/store.tsv" > "$TMP/store.tsv.gz"
    printf 'b1\nb3\n' > "$TMP/kp.txt"
    printf 'identities:\n  B: [b1, b3]\n  Q: [q1]\n' > "$TMP/bq.yaml"
    run -0 --separate-stderr pairgen -i --probes="$TMP/kp.txt" -e "$TMP/store.tsv.gz" "$TMP/bq.yaml"
    assert_output "#embeddings=$TMP/store.tsv.gz
a	b	same	id_a	id_b
b1	q1	0	B	Q
b1	b3	1	B	B
b3	b1	1	B	B
b3	q1	0	B	Q"
    # errors of the store, as pairdist words them
    printf 'b1\t1\nb1\t2\n' > "$TMP/dup.tsv"
    refused "pairgen: $TMP/dup.tsv:2: name given twice, first on line 1 ('b1')" pairgen --probes="$TMP/p.txt" -e "$TMP/dup.tsv"
    printf 'b1\t1\nnotab\n' > "$TMP/notab.tsv"
    refused "pairgen: $TMP/notab.tsv:2: no TAB after the name (expected NAME<TAB>VALUES) ('notab')" pairgen --probes="$TMP/p.txt" -e "$TMP/notab.tsv"
    printf 'b1\t1\n\nq1\t2\n' > "$TMP/blank.tsv"
    refused "pairgen: $TMP/blank.tsv:2: empty line (expected NAME<TAB>VALUES)" pairgen --probes="$TMP/p.txt" -e "$TMP/blank.tsv"
    printf 'b1\t1\n\t2\n' > "$TMP/noname.tsv"
    refused "pairgen: $TMP/noname.tsv:2: empty name (expected NAME<TAB>VALUES)" pairgen --probes="$TMP/p.txt" -e "$TMP/noname.tsv"
    printf 'name\tvector\n' > "$TMP/hdr.tsv"
    refused "pairgen: $TMP/hdr.tsv: no embeddings in the store" pairgen --probes="$TMP/p.txt" -e "$TMP/hdr.tsv"
    # -e without --probes: only the preamble changes, the store is not read
    run -0 pairgen -e other.tsv "$TMP/ids.yaml"
    assert_line -n 0 "#embeddings=other.tsv"
    assert_line -n 1 "a	b	same"
    run -0 pairgen -e - "$TMP/ids.yaml"
    assert_line -n 0 "a	b	same"
}

@test "--probes with --gallery: the cross product of two lists" {
    printf 'p1\np2\nx\n' > "$TMP/p.txt"
    printf 'x\ng1\n' > "$TMP/g.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/p.txt" --gallery="$TMP/g.txt"
    assert_output "a	b
p1	x
p1	g1
p2	x
p2	g1
x	g1"
    assert_equal "$stderr" ""
    # with an identities file for 'same' (which is then not the gallery)
    printf 'P: [p1, g1]\nQ: [p2, x]\n' > "$TMP/pq.yaml"
    run -0 pairgen -i --probes="$TMP/p.txt" --gallery="$TMP/g.txt" "$TMP/pq.yaml"
    assert_output "a	b	same	id_a	id_b
p1	x	0	P	Q
p1	g1	1	P	P
p2	x	1	Q	Q
p2	g1	0	Q	P
x	g1	0	Q	P"
    # a list against itself: every ordered pair of two names
    run -0 pairgen --probes="$TMP/g.txt" --gallery="$TMP/g.txt"
    assert_output "a	b
x	g1
g1	x"
    # -e with --gallery only names the store
    run -0 pairgen --probes="$TMP/p.txt" --gallery="$TMP/g.txt" -e "$TMP/not-read.tsv"
    assert_line -n 0 "#embeddings=$TMP/not-read.tsv"
    # an empty gallery
    : > "$TMP/none.txt"
    run -0 --separate-stderr pairgen --probes="$TMP/p.txt" --gallery="$TMP/none.txt"
    assert_output "a	b"
    assert_equal "$stderr" "pairgen: $TMP/none.txt: no pairs: the gallery is empty"
    printf 'g1\ng1\n' > "$TMP/gdup.txt"
    run -1 --separate-stderr pairgen --probes="$TMP/p.txt" --gallery="$TMP/gdup.txt"
    assert_equal "$stderr" "pairgen: $TMP/gdup.txt:2: name given twice, first on line 1 ('g1')"
}

@test "--exclude leaves out the pairs of a stream, in either order" {
    # the training pairs: a sample; the rest is everything else
    pairgen -n 20 --seed 3 "$FIX/identities.yaml" > "$TMP/train.tsv"
    run -0 --separate-stderr pairgen --exclude "$TMP/train.tsv" "$FIX/identities.yaml"
    assert_equal "$stderr" ""
    [ "${#lines[@]}" -eq $((302 - 58)) ]
    # train and the rest partition the pairs
    cat <(tail -n +3 "$TMP/train.tsv") <(printf '%s\n' "${lines[@]:2}") | sort > "$TMP/union"
    pairgen "$FIX/identities.yaml" | tail -n +3 | sort > "$TMP/all"
    cmp "$TMP/union" "$TMP/all"
    # reversed pairs, other columns, gzip, another column order: all the same
    printf '#x=1\nid\tb\ta\nr1\timg2.jpg\timg1.jpg\nr2\timg1.jpg\timg4.jpg\nr3\timg1.jpg\timg4.jpg\n' | gzip > "$TMP/ex.gz"
    run -0 pairgen -P --exclude="$TMP/ex.gz" "$FIX/identities.yaml"
    [ "${#lines[@]}" -eq $((2 + 38 - 2)) ]
    refute_line "img1.jpg	img2.jpg	1"
    refute_line "img1.jpg	img4.jpg	1"
    assert_line -n 2 "img1.jpg	img5.jpg	1"
    # shards number the rows before the exclusion: still a partition
    for k in 0 1 2; do pairgen -k $k/3 --exclude "$TMP/train.tsv" "$FIX/identities.yaml" | tail -n +3; done | sort > "$TMP/shards"
    pairgen --exclude "$TMP/train.tsv" "$FIX/identities.yaml" | tail -n +3 | sort > "$TMP/whole"
    cmp "$TMP/shards" "$TMP/whole"
    # with --probes
    printf 'a\tb\nimg2.jpg\timg1.jpg\n' > "$TMP/ex.tsv"
    run -0 pairgen --probes=<(echo img1.jpg) --exclude "$TMP/ex.tsv" "$FIX/identities.yaml"
    [ "${#lines[@]}" -eq $((2 + 24 - 1)) ]
    assert_line -n 2 "img1.jpg	img4.jpg	1"
    # everything excluded: said
    run -0 --separate-stderr pairgen -P --exclude "$TMP/train.tsv" "$FIX/identities.yaml"
    assert_equal "${#lines[@]}" 2
    assert_equal "$stderr" "pairgen: no pairs: every pair is in $TMP/train.tsv"
    run -0 --separate-stderr pairgen --probes=<(echo img2.jpg) --gallery=<(printf 'img1.jpg\nimg2.jpg\n') --exclude "$TMP/ex.tsv"
    assert_output "a	b"
    assert_equal "$stderr" "pairgen: no pairs: every pair is an item with itself or in $TMP/ex.tsv"
    run -0 --separate-stderr pairgen --probes=<(echo img1.jpg) --gallery=<(echo img2.jpg) --exclude "$TMP/ex.tsv"
    assert_equal "$stderr" "pairgen: no pairs: every pair is in $TMP/ex.tsv"
    # a header only: nothing excluded
    printf 'a\tb\n' > "$TMP/hdr.tsv"
    run -0 pairgen --exclude "$TMP/hdr.tsv" "$FIX/identities.yaml"
    [ "${#lines[@]}" -eq 302 ]
    # errors: no column b; empty; a row too short
    printf 'a\tc\nx\ty\n' > "$TMP/nob.tsv"
    run -1 --separate-stderr pairgen --exclude "$TMP/nob.tsv" "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: $TMP/nob.tsv:1: no column 'b' in the header (columns: a, c)"
    assert_output ""
    : > "$TMP/empty.tsv"
    run -1 --separate-stderr pairgen --exclude "$TMP/empty.tsv" "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: $TMP/empty.tsv: empty input (expected a header line)"
}

@test "--exclude with many pairs: memory for the file, time for the output" {
    # 300 x 300 probes against a gallery, 45,000 of the 90,000 pairs excluded
    seq -f 'p%g' 300 > "$TMP/p.txt"
    seq -f 'g%g' 300 > "$TMP/g.txt"
    pairgen --probes="$TMP/p.txt" --gallery="$TMP/g.txt" | awk 'NR == 1 || NR % 2 == 0 { print $2 "\t" $1 }' > "$TMP/ex.tsv"
    sed -i '1s/.*/a\tb/' "$TMP/ex.tsv"
    run -0 bash -c "pairgen --probes='$TMP/p.txt' --gallery='$TMP/g.txt' --exclude='$TMP/ex.tsv' | wc -l"
    assert_output $((1 + 90000 - 45000))
}

@test "--probes with --shard: the shards split the rows exactly" {
    printf 'p1\na1\nb2\n' > "$TMP/p.txt"
    ids_small
    pairgen --probes="$TMP/p.txt" "$TMP/ids.yaml" | tail -n +3 > "$TMP/whole"
    for n in 1 2 3 4 7 15 16 100; do
        for ((k = 0; k < n; k++)); do pairgen -k $k/$n --probes="$TMP/p.txt" "$TMP/ids.yaml" | tail -n +3; done | sort > "$TMP/shards"
        sort "$TMP/whole" | cmp - "$TMP/shards"
    done
    # a shard that falls on self-pairs only is empty, and not an error or a warning
    run -0 --separate-stderr pairgen -k 0/100 --probes=<(echo a1) "$TMP/ids.yaml"
    assert_equal "$stderr" ""
    # a shard jumps: 10^4 x 10^4 pairs, one shard of 10 rows, at once
    seq -f 'x%g' 10000 > "$TMP/big.txt"
    run -0 timeout 5 pairgen -k 3/10000000 --probes="$TMP/big.txt" --gallery="$TMP/big.txt"
    [ "${#lines[@]}" -eq 11 ]
    assert_line -n 1 "x1	x4"
}

@test "--probes: usage errors" {
    ids_small
    printf 'a1\n' > "$TMP/p.txt"
    run -2 --separate-stderr pairgen --gallery="$TMP/p.txt" "$TMP/ids.yaml"
    assert_equal "$stderr" "pairgen: --gallery is the other side of --probes, which is missing
Try 'pairgen --help' for more information."
    for opt in -P -N "-n 5"; do
        run -2 --separate-stderr pairgen $opt --probes="$TMP/p.txt" "$TMP/ids.yaml"
        assert_equal "${stderr%%$'\n'*}" "pairgen: --probes pairs names with a gallery: -P, -N and -n choose among the pairs of an identities file"
    done
    run -2 --separate-stderr pairgen --probes=- -
    assert_equal "${stderr%%$'\n'*}" "pairgen: the identities file and --probes cannot both be standard input"
    run -2 --separate-stderr pairgen --probes=-
    assert_equal "${stderr%%$'\n'*}" "pairgen: the identities file and --probes cannot both be standard input"
    run -2 --separate-stderr pairgen --probes=- --gallery=-
    assert_equal "${stderr%%$'\n'*}" "pairgen: --probes and --gallery cannot both be standard input"
    run -2 --separate-stderr pairgen --probes="$TMP/p.txt" -e - --exclude=-
    assert_equal "${stderr%%$'\n'*}" "pairgen: --exclude and --embeddings cannot both be standard input"
    run -2 --separate-stderr pairgen --exclude=- -
    assert_equal "${stderr%%$'\n'*}" "pairgen: the identities file and --exclude cannot both be standard input"
    run -2 --separate-stderr pairgen -i --probes="$TMP/p.txt" --gallery="$TMP/p.txt"
    assert_equal "${stderr%%$'\n'*}" "pairgen: --identities needs an identities file"
    run -2 --separate-stderr pairgen -e $'a\nb' "$TMP/ids.yaml"
    assert_equal "${stderr%%$'\n'*}" "pairgen: invalid value for --embeddings: a newline cannot go in the #embeddings= line"
    # -e - is the store when it is the gallery: fine when nothing else is stdin
    run -0 bash -c "printf 'a1\t1\nz\t2\n' | pairgen --probes='$TMP/p.txt' -e -"
    assert_output "a	b
a1	z"
}

@test "--probes into pairdist and confmap: new pairs scored end to end" {
    cd "$ROOT"
    printf 'img1.jpg\nimg3.jpg\n' > "$TMP/p.txt"
    run -0 --separate-stderr bash -c "pairgen --probes='$TMP/p.txt' examples/identities.yaml | pairdist -m cosine | confmap --model Facenet --verified"
    assert_equal "$stderr" ""
    assert_line -n 1 "a	b	same	cosine	cosine_confidence	cosine_verified"
    [ "${#lines[@]}" -eq $((2 + 2 * 24)) ]
    # the same distances as the full run gives for those pairs
    pairgen examples/identities.yaml | pairdist -m cosine | awk -F'\t' 'NR > 2 { print $1 "\t" $2 "\t" $4; print $2 "\t" $1 "\t" $4 }' | sort > "$TMP/all"
    pairgen --probes="$TMP/p.txt" examples/identities.yaml | pairdist -m cosine | awk -F'\t' 'NR > 2 { print $1 "\t" $2 "\t" $4 }' | sort > "$TMP/some"
    [ -z "$(comm -13 "$TMP/all" "$TMP/some")" ]
    # one probe against the store, as DeepFace's find: the closest first
    run -0 bash -c "pairgen --probes=<(echo img1.jpg) -e examples/facenet-embeddings.tsv | pairdist -m cosine | tail -n +3 | sort -t '	' -k3,3g | head -1 | cut -f2"
    assert_output "img7.jpg"
}

# --- the man pages and the README: examples that run, quotes that copy ---

@test "every man page's EXAMPLES, and the README's, print what they show" {
    run -0 bash "$ROOT/tests/examples.sh" "$ROOT"/man/*.[17] "$ROOT/README.md"
    refute_output --partial "not ok"
    # every page has examples, and the ones that name data name examples/ files
    for m in "$ROOT"/man/*.[17]; do
        assert_output --partial "ok - man/$(basename "$m"): \$ "
        sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$m" | grep '^\$ ' | grep -v 'ids\.yaml' > /dev/null
        ! sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$m" | grep -q ' ids\.yaml'
    done
    # no example writes a model with >
    ! grep -n '|.*> *model\.yaml' "$ROOT"/man/*.[17] "$ROOT/README.md"
}

@test "tests/examples.sh fails on wrong output, a failing command, a curly quote" {
    mkdir -p "$TMP/m"
    page() { printf '.Dd x\n.Dt X 1\n.Os\n.Sh NAME\n.Nm x\n.Nd y\n.Sh EXAMPLES\n.Bd -literal\n%s\n.Ed\n' "$1" > "$TMP/m/x.1"; }
    page '$ echo one
one'
    run -0 bash "$ROOT/tests/examples.sh" "$TMP/m/x.1"
    page '$ echo one
two'
    run -1 bash "$ROOT/tests/examples.sh" "$TMP/m/x.1"
    assert_output --partial "not ok"
    page '$ false'
    run -1 bash "$ROOT/tests/examples.sh" "$TMP/m/x.1"
    assert_output --partial "(status 1)"
    # a bare quote in a command: drawn curly by some groffs, and then the
    # command is not the one meant
    page "\$ echo 'a  b'
a  b"
    run -1 bash "$ROOT/tests/examples.sh" "$TMP/m/x.1"
    page '$ echo \(aqa  b\(aq
a  b'
    run -0 bash "$ROOT/tests/examples.sh" "$TMP/m/x.1"
    # --update writes what the commands print, escaped for roff
    page '$ printf \(aq%s\en\(aq .x\e\e \e\(aqy\e\(aq
old'
    run -0 bash "$ROOT/tests/examples.sh" --update "$TMP/m/x.1"
    run -0 bash "$ROOT/tests/examples.sh" "$TMP/m/x.1"
    grep -qxF '\&.x\e' "$TMP/m/x.1"
    grep -qxF '\(aqy\(aq' "$TMP/m/x.1"
}

@test "the man lint: groff -ww, and no quote in code that renders curly" {
    run -0 bash "$ROOT/tests/manlint.sh" "$ROOT"/man/*.[17]
    assert_output ""
    head='.Dd x\n.Dt X 1\n.Os\n.Sh NAME\n.Nm x\n.Nd y\n.Sh DESCRIPTION\n'
    printf "$head"'Prose can say DeepFace'"'"'s.\n.Ql it\\(aqs\n.Dl $ awk \\(aq{ print }\\(aq\n' > "$TMP/good.1"
    run -0 bash "$ROOT/tests/manlint.sh" "$TMP/good.1"
    assert_output ""
    printf "$head"'.Dl $ awk '"'"'{ print }'"'"'\n' > "$TMP/dl.1"
    run -1 bash "$ROOT/tests/manlint.sh" "$TMP/dl.1"
    assert_output --partial "$TMP/dl.1:8: ' in code: write \\(aq"
    printf "$head"'.Bd -literal\nx = `y`\n.Ed\n' > "$TMP/lit.1"
    run -1 bash "$ROOT/tests/manlint.sh" "$TMP/lit.1"
    assert_output "$TMP/lit.1:9: \` in code: write \\(ga (some groffs draw \` as U+2018)"
    printf "$head"'.Bl -tag -width x\n.It Ql prog: no column '"'"'same'"'"'\ntext\n.El\n' > "$TMP/it.1"
    run -1 bash "$ROOT/tests/manlint.sh" "$TMP/it.1"
    assert_output --partial "$TMP/it.1:9: ' in code"
    printf "$head"'text\n'"'"'cosine'"'"': 0.4\n' > "$TMP/ctl.1"
    run -1 bash "$ROOT/tests/manlint.sh" "$TMP/ctl.1"
    assert_output --partial "$TMP/ctl.1:9: a line that starts with ' is a roff request"
    # a command in running text: only the rendering shows it
    printf "$head"'Run\n$ echo '"'"'x'"'"'\nto see.\n.Pp\n$ echo '"'"'x'"'"'\n' > "$TMP/run.1"
    run -1 bash "$ROOT/tests/manlint.sh" "$TMP/run.1"
    assert_output --partial "a typographic quote in a command"
    # and check.sh runs this lint
    grep -q 'tests/manlint.sh' "$ROOT/tests/check.sh"
}
