#!/usr/bin/env bats
# Cost stays proportional to the work (issue 10, point 6): an embedding
# store loads in memory about its own size whatever its shape (checked with
# a cap on address space: not under ASan, which reserves terabytes of it),
# and pairgen samples and shards without walking the pairs it leaves out.

load test_helper
bats_require_minimum_version 1.5.0

# Run a program with address space capped at $1 KiB (no cap under ASan).
capped() {
    local kib=$1 cap
    shift
    cap="ulimit -v $kib;"
    grep -q -e __asan_init -e AddressSanitizer "$(command -v "$1")" 2>/dev/null && cap=""
    run --separate-stderr bash -c "$cap exec timeout 120 \"\$@\"" _ "$@"
}

# NAME<TAB>V repeated COUNT times, joined by SEP.
vector_line() { printf '%s\t%s' "$1" "$4"; yes "$2" | head -n "$3" | paste -sd "$5"; }

@test "two vectors of 10^7 floats load in 128 MiB (80 MB of floats)" {
    { vector_line v0 0.5 10000000 '' $'\t'; vector_line v1 0.25 10000000 '' $'\t'; } > "$TMP/e.tsv"
    printf 'a\tb\tsame\nv0\tv1\t0\nv1\tv1\t1\n' > "$TMP/p.tsv"
    capped 131072 pairdist -e "$TMP/e.tsv" -m euclidean,cosine -p 4 "$TMP/p.tsv"
    assert_equal "$status" 0
    assert_equal "$output" $'a\tb\tsame\teuclidean\tcosine\nv0\tv1\t0\t790.5694\t0.0000\nv1\tv1\t1\t0.0000\t0.0000'
}

@test "one vector of 2x10^7 floats, comma form and list form, load in 128 MiB" {
    vector_line v 1 20000000 '' , > "$TMP/c.tsv"
    printf 'a\tb\tsame\nv\tv\t1\n' > "$TMP/p.tsv"
    capped 131072 pairdist -e "$TMP/c.tsv" -m euclidean "$TMP/p.tsv"
    assert_equal "$status" 0
    assert_equal "$output" $'a\tb\tsame\teuclidean\nv\tv\t1\t0.000000'
    { vector_line v ' 1' 20000000 '[' , | sed 's/$/]/'; } > "$TMP/l.tsv"
    capped 131072 pairdist -e "$TMP/l.tsv" -m euclidean "$TMP/p.tsv"
    assert_equal "$status" 0
    assert_equal "$output" $'a\tb\tsame\teuclidean\nv\tv\t1\t0.000000'
}

@test "long lines of all three forms mixed, a header, CRLF, no final newline, gzip" {
    {
        vector_line id c 3000000 '' $'\t'
        vector_line x 1 3000000 '' $'\t' | sed 's/$/\r/'
        vector_line y 2 3000000 '' ,
        vector_line z ' 3' 3000000 '[' , | sed 's/$/]/' | tr -d '\n'
    } > "$TMP/m.tsv"
    gzip -c "$TMP/m.tsv" > "$TMP/m.tsv.gz"
    printf 'a\tb\tsame\nx\ty\t0\ny\tz\t0\nx\tz\t0\n' > "$TMP/p.tsv"
    for f in m.tsv m.tsv.gz; do
        capped 131072 pairdist -e "$TMP/$f" -m euclidean -p 3 "$TMP/p.tsv"
        assert_equal "$status" 0
        assert_equal "$output" $'a\tb\tsame\teuclidean\nx\ty\t0\t1732.051\ny\tz\t0\t1732.051\nx\tz\t0\t3464.102'
    done
}

@test "10^6 vectors of dimension 1 load" {
    seq 1 1000000 | awk '{ printf "n%d\t%s\n", $1, ($1 % 2 ? "[" $1 "]" : $1) }' > "$TMP/n.tsv"
    printf 'a\tb\tsame\nn1\tn1000000\t0\n' > "$TMP/p.tsv"
    capped 262144 pairdist -e "$TMP/n.tsv" -m euclidean -p 0 "$TMP/p.tsv"
    assert_equal "$status" 0
    assert_equal "$output" $'a\tb\tsame\teuclidean\nn1\tn1000000\t0\t999999'
}

# Lines longer than the reader's look-ahead (some MB) are read in pieces:
# their errors are those of short lines, with the same numbers.
@test "errors in long lines: a bad value, the dimension, a name twice" {
    { vector_line x 0.5 1000000 '' $'\t'; vector_line y 0.5 999999 '' $'\t'; } > "$TMP/d.tsv"
    printf 'a\tb\tsame\nx\ty\t0\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:2: vector of dimension 999999, expected 1000000 as on line 1 ('y')"
    { vector_line x 0.5 1000000 '' ,; vector_line y 0.5 1000002 '' ,; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:2: vector of dimension 1000002, expected 1000000 as on line 1 ('y')"
    { vector_line x 0.5 1000000 '' ,; vector_line x 0.5 1000000 '' ,; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:2: name given twice, first on line 1 ('x')"
    { vector_line x 0.5 900000 '' $'\t' | tr -d '\n'; printf '\tnan\t1\n'; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:1: value 900001 of 'x' is NaN ('nan')"
    { vector_line x ' 0.5' 900000 '[' ,; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:1: list without a closing ']' ('[ 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5...')"
}

@test "errors in long lines: NUL, no TAB, commas then a TAB" {
    printf 'a\tb\tsame\nx\ty\t0\n' > "$TMP/p.tsv"
    { vector_line x 0.5 900000 '' , | tr -d '\n'; printf ',1\0002\n'; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:1: NUL byte in the input (column 3600004)"
    { printf 'x\t1\n'; yes y | head -n 5000000 | tr -d '\n'; echo; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:2: no TAB after the name (expected NAME<TAB>VALUES) ('yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...')"
    { vector_line x 0.5 900000 '' , | tr -d '\n'; printf '\t1\n'; } > "$TMP/d.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/d.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/d.tsv:1: value 1 of 'x' is not a number ('0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,...')"
}

@test "a name longer than the look-ahead, and a byte-order mark, are read" {
    name=$(yes n | head -n 3000000 | tr -d '\n')
    { printf '\357\273\277'; vector_line "$name" 1 700000 '' ,; vector_line y 2 700000 '' ,; } > "$TMP/d.tsv"
    printf 'a\tb\tsame\n%s\ty\t0\n' "$name" > "$TMP/p.tsv"
    run -0 bash -c "pairdist -e '$TMP/d.tsv' -m euclidean -p 2 '$TMP/p.tsv' | cut -f 3-"
    assert_output $'same\teuclidean\n0\t836.66'
    printf '\357\273\277x\t1,2\ny\t[2, 2]\n' > "$TMP/b.tsv"
    printf 'a\tb\tsame\nx\ty\t0\n' > "$TMP/p.tsv"
    run -0 pairdist -e "$TMP/b.tsv" -m euclidean -p 2 "$TMP/p.tsv"
    assert_output $'a\tb\tsame\teuclidean\nx\ty\t0\t1.00'
}

singletons() { # N identities of one item each
    { echo 'identities:'; seq 0 $(($1 - 1)) | sed 's/.*/  p&: [x&]/'; } > "$2"
}

@test "pairgen: 10^5 identities of one item, -n 10 and --shard 3/7" {
    singletons 100000 "$TMP/ids.yaml"
    run -0 --separate-stderr timeout 60 pairgen -n 10 -s 5 "$TMP/ids.yaml"
    assert_equal "${#lines[@]}" 11
    # ten distinct negatives, each a before b, in file order
    run -0 bash -c "pairgen -N -n 10 -s 5 '$TMP/ids.yaml' | awk -F'\t' 'NR > 1 {
        a = substr(\$1, 2) + 0; b = substr(\$2, 2) + 0
        if (\$3 != 0 || a >= b || (NR > 2 && (a < pa || (a == pa && b <= pb)))) bad++
        pa = a; pb = b } END { print NR - 1, bad + 0 }'"
    assert_output "10 0"
    # a shard of the sample is every 7th of its rows, from the 4th
    run -0 bash -c "pairgen -N -n 1000 -s 9 '$TMP/ids.yaml' | awk 'NR == 1 || (NR - 2) % 7 == 3' > '$TMP/want'
        timeout 60 pairgen -N -n 1000 -s 9 --shard 3/7 '$TMP/ids.yaml' | cmp - '$TMP/want' && wc -l < '$TMP/want'"
    assert_output 144
    # the last negative, and one near the middle, by a shard of one row
    run -0 timeout 60 pairgen -N -k 4999949999/4999950000 "$TMP/ids.yaml"
    assert_output $'a\tb\tsame\nx99998\tx99999\t0'
    run -0 timeout 60 pairgen -N -k 2499950000/4999950000 "$TMP/ids.yaml"
    assert_output $'a\tb\tsame\nx29288\tx87405\t0'
}

@test "pairgen: a shard of every negative of 3000 singletons and empty identities is every Nth row" {
    { echo 'identities:'; seq 0 2999 | awk '{ print "  p" $1 ": [x" $1 "]"; if ($1 % 3 == 0) print "  e" $1 ": []" }'; } > "$TMP/ids.yaml"
    pairgen -N -i "$TMP/ids.yaml" > "$TMP/all"
    for k in 0 3 6; do
        run -0 bash -c "pairgen -N -i -k $k/7 '$TMP/ids.yaml' | cmp - <(awk 'NR == 1 || (NR - 2) % 7 == $k' '$TMP/all') && echo ok"
        assert_output ok
    done
}

big_model() { # N metrics m0 .. m(N-1), all alike
    { echo 'version: 1'; echo 'metrics:'
      seq 0 $(($1 - 1)) | awk '{ printf "  m%d:\n    threshold: 0.4\n    w: -6.5\n    b: 1.6\n    normalizer: 1.2\n    denorm_max_true: 77\n    denorm_min_true: 43\n    denorm_max_false: 20\n    denorm_min_false: 0.7\n", $1 }'
    } > "$2"
}

@test "confmap: a model of 10^5 metrics, looked up by the stream's columns and by -m" {
    big_model 100000 "$TMP/m.yaml"
    printf 'a\tb\tsame\tm99999\tx\tm5\nx\ty\t1\t0.3\t7\t0.5\n' > "$TMP/d.tsv"
    run -0 timeout 60 confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_output $'a\tb\tsame\tm99999\tx\tm5\tm99999_confidence\tm5_confidence\nx\ty\t1\t0.3\t7\t0.5\t60.19\t24.99'
    run -0 timeout 60 confmap -M "$TMP/m.yaml" -m m5 "$TMP/d.tsv"
    assert_output $'a\tb\tsame\tm99999\tx\tm5\tm5_confidence\nx\ty\t1\t0.3\t7\t0.5\t24.99'
    run -2 --separate-stderr timeout 60 confmap -M "$TMP/m.yaml" -m m5,m99999,m5 "$TMP/d.tsv"
    assert_equal "${stderr%%$'\n'*}" "confmap: --metrics names 'm5' twice"
    run -2 --separate-stderr timeout 60 confmap -M "$TMP/m.yaml" -m m100000 "$TMP/d.tsv"
    [[ "$stderr" == "confmap: --metrics names 'm100000', which the model does not have (model: m0, m1, m2, "* ]]
}

@test "confplot: a spread of 1e-300, or near DBL_MAX, is a density; one of a few ulps at 1e-307 is too narrow" {
    printf 'x_confidence\tsame\n1e-300\t1\n2e-300\t1\n3e-300\t1\n10\t0\n20\t0\n' > "$TMP/s.tsv"
    run -0 --separate-stderr confplot --svg "$TMP/p.svg" "$TMP/s.tsv"
    assert_equal "$stderr" ""
    grep -q '<svg' "$TMP/p.svg"
    printf 'x_confidence\tsame\n1.7e308\t1\n1.72e308\t1\n1.75e308\t1\n10\t0\n20\t0\n' > "$TMP/s.tsv"
    run -0 --separate-stderr confplot --svg "$TMP/p.svg" "$TMP/s.tsv"
    assert_equal "$stderr" ""
    printf 'x_confidence\tsame\n10\t1\n20\t1\n1e-307\t0\n1.0000000000000002e-307\t0\n' > "$TMP/s.tsv"
    run -1 --separate-stderr confplot "$TMP/s.tsv"
    assert_equal "$stderr" "confplot: $TMP/s.tsv: column 'x_confidence', class same=0: the values are too close together ('1e-307' to '1.0000000000000001e-307'): the density would exceed the largest double"
}

@test "a store of 80,000 rows (20 MiB of floats, 62 MB of text) loads in 80 MiB, plain or gzip" {
    # room for the rows is reserved from the file's size and its first row,
    # not from what the file could hold at most (three times as much here);
    # -j 1: each thread takes an arena of address space, not memory
    awk 'BEGIN { srand(15); for (i = 0; i < 4000; i++) { printf "i%d", i;
        for (k = 0; k < 64; k++) printf "\t%.9f", rand() * 2 - 1; printf "\n" } }' > "$TMP/big.tsv"
    for k in $(seq 0 19); do sed "s/^i/c${k}_i/" "$TMP/big.tsv"; done > "$TMP/huge.tsv"
    gzip -1 -c "$TMP/huge.tsv" > "$TMP/huge.tsv.gz"
    printf 'a\tb\tsame\ni5\ti7\t0\ni3999\ti0\t1\n' > "$TMP/p.tsv"
    sed '2,$s/i\([0-9]\)/c19_i\1/g' "$TMP/p.tsv" > "$TMP/hp.tsv"
    run -0 pairdist -e "$TMP/big.tsv" -m all "$TMP/p.tsv"
    want=$(cut -f 4- <<< "$output")
    for e in "$TMP/huge.tsv" "$TMP/huge.tsv.gz"; do
        capped 81920 pairdist -j 1 -e "$e" -m all "$TMP/hp.tsv"
        assert_equal "$status" 0
        assert_equal "$(cut -f 4- <<< "$output")" "$want"
    done
}

# The rows reserved from the first row's length: a short first row must not
# make the store cost more than it did (0.1.x: about 80 MiB here at -j 2).
@test "a store whose first row is short loads in 128 MiB at -j 2 (rows reserved from its size)" {
    awk 'BEGIN { srand(1); printf "r0"; for (k = 0; k < 128; k++) printf "\t0"; printf "\n";
        for (i = 1; i < 20000; i++) { printf "r%d", i;
            for (k = 0; k < 128; k++) printf "\t%.13f", rand(); printf "\n" } }' > "$TMP/s.tsv"
    printf 'a\tb\tsame\nr1\tr19999\t0\n' > "$TMP/p.tsv"
    pairdist -j 1 -e "$TMP/s.tsv" -m euclidean "$TMP/p.tsv" > "$TMP/want"
    for j in 1 2; do
        capped 131072 pairdist -j $j -e "$TMP/s.tsv" -m euclidean "$TMP/p.tsv"
        assert_equal "$stderr" ""
        assert_equal "$status" 0
        assert_equal "$output" "$(cat "$TMP/want")"
    done
}
