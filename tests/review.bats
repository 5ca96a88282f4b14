#!/usr/bin/env bats
# Found in the review of issue 11's refactoring: each test pins a defect that
# was fixed after it.

load test_helper
bats_require_minimum_version 1.5.0

@test "--list-models after -t: the thresholds given are freed (LeakSanitizer)" {
    for t in logfit confmap; do
        run -0 --separate-stderr $t -t cosine=0.3,angular=0.2 --list-models
        assert_equal "${output%%$'\n'*}" $'model\tcosine\teuclidean\teuclidean_l2\tangular'
        assert_equal "$stderr" ""
    done
}

@test "confplot: min and max keep their sign as a stable sort leaves them (-0 and 0)" {
    # the first of the values equal to the least, the last of those equal to
    # the greatest: what 0.1.0 printed (its sort was glibc's stable qsort);
    # 200 rows, past the sort's insertion-sort cut-off
    run -0 bash -c "awk 'BEGIN { split(\"0 -0 3\", a, \" \"); split(\"-0 0 -3\", b, \" \")
        print \"same\tx_confidence\"
        for (i = 0; i < 200; i++) print \"1\t\" a[1 + i % 3]
        for (i = 0; i < 200; i++) print \"0\t\" b[1 + i % 3] }' | confplot -p 1 | tail -2"
    assert_output $'x_confidence\t1\t200\t0.0\t1.0\t3.0\t0.5\nx_confidence\t0\t200\t-3.0\t-1.0\t0.0\t0.5'
}

@test "a NUL byte on a first line with a byte-order mark: its column counted after the mark, as the store counts it" {
    printf 'x\t1\t1\ny\t1\t1\n' > "$TMP/s.tsv"
    # the store: BOM, then x<TAB>1<NUL>: column 4
    printf '\xef\xbb\xbfx\t1\000\t1\ny\t1\t1\n' > "$TMP/bom-store.tsv"
    printf 'a\tb\nx\ty\n' > "$TMP/p.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/bom-store.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/bom-store.tsv:1: NUL byte in the input (column 4)"
    # the stream: BOM, then a<TAB>b<NUL>: column 4 as well (not 7, the mark's bytes counted)
    printf '\xef\xbb\xbfa\tb\000\nx\ty\n' > "$TMP/bom-pairs.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/s.tsv" "$TMP/bom-pairs.tsv"
    assert_equal "$stderr" "pairdist: $TMP/bom-pairs.tsv:1: NUL byte in the input (column 4)"
}

@test "store through a pipe: a first value longer than 1 MiB (leading zeros) read as from the file" {
    # y's first value is 1 written with 1,200,000 leading zeros (strtod reads
    # it): read from the file it is taken, through a pipe the loader looks
    # for the separator in the first 1 MiB only, takes the line for
    # comma-separated, and refuses it
    { printf 'x\t1\t2\nz\t1\t2\ny\t'; head -c 1200000 /dev/zero | tr '\0' 0
      printf '1\t2\nw\t3\t4\n'; } > "$TMP/s.tsv"
    printf 'a\tb\nx\ty\n' > "$TMP/p.tsv"
    run -0 --separate-stderr pairdist -e "$TMP/s.tsv" "$TMP/p.tsv"
    assert_output $'a\tb\tcosine\nx\ty\t0.000000'
    run -0 --separate-stderr bash -c "cat '$TMP/s.tsv' | pairdist -e /dev/stdin '$TMP/p.tsv'"
    assert_equal "$stderr" ""
    assert_output $'a\tb\tcosine\nx\ty\t0.000000'
}

@test "store: a first value of 3 MB (leading zeros) read alike from a file, a pipe and gzip; a comma in it refused alike" {
    # the separator is the first TAB or comma of the values, however far
    # into the line and however the input is read
    { printf 'x\t1\t2\ny\t'; head -c 3000000 /dev/zero | tr '\0' 0
      printf '1\t2\nw\t3\t4\n'; } > "$TMP/s.tsv"
    gzip -c "$TMP/s.tsv" > "$TMP/s.tsv.gz"
    printf 'a\tb\nx\ty\n' > "$TMP/p.tsv"
    for src in "$TMP/s.tsv" "$TMP/s.tsv.gz"; do
        run -0 --separate-stderr pairdist -e "$src" "$TMP/p.tsv"
        assert_output $'a\tb\tcosine\nx\ty\t0.000000'
        run -0 --separate-stderr bash -c "cat '$src' | pairdist -e /dev/stdin '$TMP/p.tsv'"
        assert_output $'a\tb\tcosine\nx\ty\t0.000000'
    done
    # commas first: values 1 and 2 of a comma-separated line of the same length
    { printf 'x\t1,2\ny\t'; head -c 3000000 /dev/zero | tr '\0' 0; printf '1,2\n'; } > "$TMP/c.tsv"
    run -0 --separate-stderr bash -c "cat '$TMP/c.tsv' | pairdist -e /dev/stdin '$TMP/p.tsv'"
    assert_output $'a\tb\tcosine\nx\ty\t0.000000'
    # a comma in the first value of a TAB-separated line: its value 1 is
    # no number, as in a short line, from a file and through a pipe
    { printf 'x\t1\t2\ny\t'; head -c 3000000 /dev/zero | tr '\0' 0; printf '1,5\t2\n'; } > "$TMP/m.tsv"
    local want="value 1 of 'y' is not a number ('0000000000000000000000000000000000000000...')"
    run -1 --separate-stderr pairdist -e "$TMP/m.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/m.tsv:2: $want"
    run -1 --separate-stderr bash -c "cat '$TMP/m.tsv' | pairdist -e /dev/stdin '$TMP/p.tsv'"
    assert_equal "$stderr" "pairdist: /dev/stdin:2: $want"
    # (the message of the same line short: 300 zeros)
    { printf 'x\t1\t2\ny\t'; head -c 300 /dev/zero | tr '\0' 0; printf '1,5\t2\n'; } > "$TMP/m3.tsv"
    run -1 --separate-stderr pairdist -e "$TMP/m3.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/m3.tsv:2: $want"
}

@test "store: a long line whose first value holds a comma before its TAB: value 1 refused whole, as in a short line" {
    printf 'a\tb\nx\ty\n' > "$TMP/p.tsv"
    { printf 'x\t1\t2\ny\tabc,5\t2'; head -c 1200000 /dev/zero | tr '\0' 0; printf '\n'; } > "$TMP/long.tsv"
    printf 'x\t1\t2\ny\tabc,5\t2\n' > "$TMP/short.tsv"
    local want="value 1 of 'y' is not a number ('abc,5')"
    run -1 --separate-stderr pairdist -e "$TMP/short.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/short.tsv:2: $want"
    run -1 --separate-stderr pairdist -e "$TMP/long.tsv" "$TMP/p.tsv"
    assert_equal "$stderr" "pairdist: $TMP/long.tsv:2: $want"
    run -1 --separate-stderr bash -c "cat '$TMP/long.tsv' | pairdist -e /dev/stdin '$TMP/p.tsv'"
    assert_equal "$stderr" "pairdist: /dev/stdin:2: $want"
}
