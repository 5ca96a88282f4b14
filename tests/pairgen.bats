#!/usr/bin/env bats
# pairgen: the article's pairs, sampling, sharding, identities file errors.

load test_helper
bats_require_minimum_version 1.5.0

@test "the article's identities give 38 positives then 262 negatives in the article's order" {
    run -0 pairgen "$FIX/identities.yaml"
    [ "${lines[1]}" = "a	b	same" ]
    [ "${#lines[@]}" -eq 302 ]
    pairgen "$FIX/identities.yaml" | tail -n +3 | cut -f1,2 > "$TMP/ours"
    tail -n +2 "$FIX/facenet-pairs.tsv" | cut -f2,3 > "$TMP/article"
    cmp "$TMP/ours" "$TMP/article"
    run -0 bash -c "pairgen '$FIX/identities.yaml' | awk 'NR > 2 { n[\$3]++ } END { print n[1], n[0] }'"
    assert_output "38 262"
    # the ground truth matches the article's labels, row for row
    run -0 bash -c "pairgen '$FIX/identities.yaml' | tail -n +3 | cut -f3 | paste - <(tail -n +2 '$FIX/facenet-pairs.tsv' | cut -f4) | sort | uniq -c | awk '{print \$1, \$2, \$3}'"
    assert_output $'262 0 Different\n38 1 Same'
}

@test "the embeddings preamble is joined to the identities file's folder" {
    run -0 pairgen "$FIX/identities.yaml"
    assert_line -n 0 "#embeddings=$FIX/facenet-embeddings.tsv"
    cd "$FIX"
    run -0 pairgen identities.yaml
    assert_line -n 0 "#embeddings=facenet-embeddings.tsv"
    run -0 bash -c "pairgen < identities.yaml | head -1"
    assert_output "#embeddings=facenet-embeddings.tsv"
    run -0 bash -c "pairgen /$(pwd)/identities.yaml | head -1"
}

@test "the plain shape: a mapping identity -> items, no preamble" {
    yaml 'A: [a1, a2, a3]\nB: [b1]\nC: []\nD:\nE: [e1, e2]\n'
    run -0 pairgen "$TMP/ids.yaml"
    assert_output "a	b	same
a1	a2	1
a1	a3	1
a2	a3	1
e1	e2	1
a1	b1	0
a2	b1	0
a3	b1	0
a1	e1	0
a1	e2	0
a2	e1	0
a2	e2	0
a3	e1	0
a3	e2	0
b1	e1	0
b1	e2	0"
}

@test "item names are strings, whatever YAML would make of them" {
    yaml 'A: [1, 2.50, true, "x y"]\n'
    run -0 pairgen -P "$TMP/ids.yaml"
    assert_line -n 1 "1	2.50	1"
    assert_line -n 6 "true	x y	1"
}

@test "-P and -N write one kind only" {
    run -0 bash -c "pairgen -P '$FIX/identities.yaml' | tail -n +3 | cut -f3 | sort | uniq -c | awk '{print \$1, \$2}'"
    assert_output "38 1"
    run -0 bash -c "pairgen --negatives-only '$FIX/identities.yaml' | tail -n +3 | cut -f3 | sort | uniq -c | awk '{print \$1, \$2}'"
    assert_output "262 0"
}

@test "-i adds the identities of both items" {
    run -0 bash -c "pairgen -i '$FIX/identities.yaml' | sed -n '2p;3p;302p'"
    assert_output "a	b	same	id_a	id_b
img1.jpg	img2.jpg	1	Angelina	Angelina
img23.jpg	img25.jpg	0	Marissa	Sundar"
}

@test "-n COUNT samples negatives without replacement, in file order, reproducibly" {
    pairgen -N "$FIX/identities.yaml" | tail -n +3 > "$TMP/all"
    pairgen -n 50 "$FIX/identities.yaml" | tail -n +3 > "$TMP/s1"
    [ "$(grep -c '	1$' "$TMP/s1")" -eq 38 ]
    grep '	0$' "$TMP/s1" > "$TMP/neg1"
    [ "$(wc -l < "$TMP/neg1")" -eq 50 ]
    [ "$(sort -u "$TMP/neg1" | wc -l)" -eq 50 ]
    # a subsequence of the negatives, in their order
    run -0 awk 'NR == FNR { want[$0] = FNR; next } { if (!($0 in want) || want[$0] <= last) bad++; last = want[$0] } END { print bad + 0 }' "$TMP/all" "$TMP/neg1"
    assert_output 0
    pairgen -n 50 "$FIX/identities.yaml" | tail -n +3 > "$TMP/s2"
    cmp "$TMP/s1" "$TMP/s2"
    pairgen -n 50 --seed 7 "$FIX/identities.yaml" | tail -n +3 > "$TMP/s3"
    ! cmp -s "$TMP/s1" "$TMP/s3"
}

@test "-n as a ratio to the positives, and more than there are" {
    run -0 bash -c "pairgen -N -n 1x '$FIX/identities.yaml' | tail -n +3 | wc -l"
    assert_output 38
    run -0 bash -c "pairgen -N -n 0.5x '$FIX/identities.yaml' | tail -n +3 | wc -l"
    assert_output 19
    run -0 bash -c "pairgen -N -n 1000000 '$FIX/identities.yaml' | tail -n +3 | wc -l"
    assert_output 262
    run -0 bash -c "pairgen -N -n 0 '$FIX/identities.yaml' | wc -l"
    assert_output 2
}

@test "the sample is uniform: every negative about equally often over many seeds" {
    run -0 bash -c "for s in \$(seq 1 400); do pairgen -N -n 10 -s \$s '$FIX/identities.yaml' | tail -n +3; done |
        sort | uniq -c | awk '{ n++; chi += (\$1 - 4000/262)^2 / (4000/262) } END { print n, (chi < 262 + 6 * sqrt(2 * 262)) ? \"uniform\" : \"skewed \" chi }'"
    assert_output "262 uniform"
}

@test "--shard K/N: the shards partition the output" {
    pairgen "$FIX/identities.yaml" | tail -n +3 > "$TMP/all"
    for k in 0 1 2 3 4 5 6; do pairgen --shard $k/7 "$FIX/identities.yaml" | tail -n +3; done > "$TMP/shards"
    [ "$(wc -l < "$TMP/shards")" -eq 300 ]
    cmp <(sort "$TMP/all") <(sort "$TMP/shards")
    run -0 bash -c "pairgen -k 1/7 '$FIX/identities.yaml' | sed -n 3p"
    assert_output "$(sed -n 2p "$TMP/all")"
    run -0 bash -c "pairgen -k 0/1000 '$FIX/identities.yaml' | wc -l"
    assert_output 3
}

@test "--shard with a sample splits the sample" {
    pairgen -n 30 -s 3 "$FIX/identities.yaml" | tail -n +3 > "$TMP/sample"
    for k in 0 1 2; do pairgen -n 30 -s 3 -k $k/3 "$FIX/identities.yaml" | tail -n +3; done > "$TMP/shards"
    cmp <(sort "$TMP/sample") <(sort "$TMP/shards")
}

@test "100,000 items (5e9 pairs) start at once, and head ends pairgen quietly" {
    { echo identities:; many_ids 1000 100 | sed 's/^/  /'; } > "$TMP/big.yaml"
    run -0 --separate-stderr bash -c "pairgen -N '$TMP/big.yaml' | head -3"
    assert_output $'a\tb\tsame\ni0_0\ti1_0\t0\ni0_0\ti1_1\t0'
    assert_equal "$stderr" ""
    run -0 --separate-stderr bash -c "pairgen -N -n 5 '$TMP/big.yaml' | wc -l"
    assert_output 6
    run -0 --separate-stderr bash -c "pairgen -N -k 4994999999/4995000000 '$TMP/big.yaml' | tail -1"
    assert_output $'i998_99\ti999_99\t0'
}

@test "-o writes the file atomically and keeps the old one on error" {
    run -0 pairgen -o "$TMP/pairs.tsv" "$FIX/identities.yaml"
    assert_output ""
    [ "$(wc -l < "$TMP/pairs.tsv")" -eq 302 ]
    yaml 'A: [x, x]\n'
    run -1 pairgen -o "$TMP/pairs.tsv" "$TMP/ids.yaml"
    [ "$(wc -l < "$TMP/pairs.tsv")" -eq 302 ]
    [ "$(ls -A "$TMP" | grep -c -e tmp -e '^\.distconf-')" -eq 0 ]
}

@test "gzip-compressed identities are read transparently" {
    gzip -c "$FIX/identities.yaml" > "$TMP/ids.yaml.gz"
    run -0 bash -c "pairgen '$TMP/ids.yaml.gz' | wc -l"
    assert_output 302
}

# --- errors: one line, file:line:column, status 1 -------------------------

@test "error: not YAML" {
    ids_refused 'a: [x, y\n' "pairgen: $TMP/ids.yaml:2:1: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence (at line 1, column 4)"
    assert_output ""
}

@test "error: not a mapping" {
    ids_refused '- a\n- b\n' "pairgen: $TMP/ids.yaml:1:1: expected a mapping of identity -> list of items (found a list)"
}

@test "error: an identity whose value is not a list" {
    ids_refused 'A: x\n' "pairgen: $TMP/ids.yaml:1:4: identity 'A': expected a list of items (found a scalar 'x')"
}

@test "error: a non-scalar item" {
    ids_refused 'A: [x, [y]]\n' "pairgen: $TMP/ids.yaml:1:8: identity 'A': expected an item name (found a list)"
}

@test "error: an item listed twice" {
    ids_refused 'A: [x, y, x]\n' "pairgen: $TMP/ids.yaml:1:11: item 'x' is listed twice under identity 'A'"
}

@test "error: an item under two identities" {
    ids_refused 'A: [x, y]\nB: [z, x]\n' "pairgen: $TMP/ids.yaml:2:8: item 'x' is listed under two identities ('A' and 'B')"
}

@test "error: an identity listed twice" {
    ids_refused 'A: [a, b]\nA: [c]\n' "pairgen: $TMP/ids.yaml:2:1: identity 'A' is listed twice"
}

@test "error: an item name with a TAB" {
    ids_refused 'A: ["a\\tb"]\n' "pairgen: $TMP/ids.yaml:1:5: item name holds a TAB ('a?b')"
}

@test "error: an empty item name" {
    ids_refused 'A: [""]\n' "pairgen: $TMP/ids.yaml:1:5: identity 'A': an item name is empty"
}

@test "error: an empty document" {
    ids_refused '' "pairgen: $TMP/ids.yaml: empty document (expected a mapping of identity -> list of items)"
    ids_refused '# nothing\n' "pairgen: $TMP/ids.yaml: empty document (expected a mapping of identity -> list of items)"
    run -1 --separate-stderr pairgen < /dev/null
    assert_equal "$stderr" "pairgen: <stdin>: empty document (expected a mapping of identity -> list of items)"
}

@test "error: an unreadable file" {
    run -1 --separate-stderr pairgen "$TMP/missing.yaml"
    assert_equal "$stderr" "pairgen: $TMP/missing.yaml: No such file or directory"
    run -1 --separate-stderr pairgen "$TMP"
    assert_equal "$stderr" "pairgen: $TMP: read error: Is a directory"
}

@test "error: YAML aliases are refused (no billion laughs)" {
    ids_refused 'A: &x [a, b]\nB: *x\n' "pairgen: $TMP/ids.yaml:2:4: YAML aliases are not supported ('*x')"
}

@test "error: two documents" {
    ids_refused 'A: [a]\n---\nB: [b]\n' "pairgen: $TMP/ids.yaml:2:1: more than one YAML document (expected one)"
}

@test "error: an unknown key beside identities:" {
    ids_refused 'identities:\n  A: [a, b]\nother: 1\n' "pairgen: $TMP/ids.yaml:3:1: unknown key 'other' (a file with 'identities:' has only 'identities' and 'embeddings')"
}

# --- usage: status 2 ---------------------------------------------------------

@test "usage errors: status 2 with a hint" {
    run -2 --separate-stderr pairgen -P -N "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: --positives-only and --negatives-only exclude each other
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen --shard 3/3 "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: invalid value for --shard: '3/3' (expected K/N with 0 <= K < N)
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen --shard 3 "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: invalid value for --shard: '3' (expected K/N, e.g. 0/4)
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen -n abc "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: invalid value for --negatives: 'abc' (expected an integer from 0 to 9223372036854775807)
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen -n -1x "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: invalid value for --negatives: '-1x' (a ratio is not negative)
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen -P -n 5 "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: --negatives samples negatives, but --positives-only drops them
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen --seed x "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: invalid value for --seed: 'x' (expected an integer from 0 to 9223372036854775807)
Try 'pairgen --help' for more information."
    run -2 --separate-stderr pairgen a.yaml b.yaml
    assert_equal "$stderr" "pairgen: too many files: one identities file at a time
Try 'pairgen --help' for more information."
}

@test "error: 'embeddings' given twice, or empty" {
    ids_refused 'embeddings: a.tsv\nembeddings: b.tsv\nidentities:\n  A: [x, y]\n' "pairgen: $TMP/ids.yaml:2:13: 'embeddings' is given twice"
    ids_refused 'embeddings: ""\nidentities:\n  A: [x, y]\n' "pairgen: $TMP/ids.yaml:1:13: 'embeddings' is empty (expected a path)"
}

@test "error: a key that is not a name" {
    ids_refused '? [a, b]\n: [x, y]\n' "pairgen: $TMP/ids.yaml:1:3: expected an identity name (found a list)"
}

@test "error: an identities file over 256 MiB" {
    { printf 'A: [x, y]\n'; head -c 270000000 /dev/zero | tr '\0' '\n'; } | gzip -1 > "$TMP/big.yaml.gz"
    run -1 --separate-stderr pairgen "$TMP/big.yaml.gz"
    assert_equal "$stderr" "pairgen: $TMP/big.yaml.gz: file too large (more than 256 MiB)"
}
