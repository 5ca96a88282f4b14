#!/usr/bin/env bats
# Hostile input: every program, every parser, fed what a cron job may meet
# at 3 a.m.  Each case ends with status 0 (where the input is acceptable) or
# 1 with one line on stderr naming the program; never a crash, a sanitizer
# report, a hang or unbounded memory.

load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
    make_streams "$BATS_FILE_TMPDIR"
}

# Run a program with a memory cap (not under ASan, which reserves terabytes
# of address space) and a time cap; check the outcome's shape.
hostile() {
    local tool=$1
    shift
    local cap="ulimit -v 2097152;"
    # gcc links the sanitizer runtime dynamically: look for its entry point
    grep -q -e __asan_init -e AddressSanitizer "$(command -v "$tool")" 2>/dev/null && cap=""
    # stdout goes to a file (a bomb's output would swell bash itself); the
    # first 64 KiB of it are the output the tests look at
    run --separate-stderr bash -c "$cap exec timeout 60 \"\$@\" > \"$TMP/hostile.out\"" _ "$tool" "$@"
    output=$(head -c 65536 "$TMP/hostile.out")
    mapfile -t lines <<< "$output"
    if [[ "$stderr" == *Sanitizer* || "$stderr" == *"runtime error"* || "$stderr" == *valgrind* || "$stderr" == *"=="[0-9]*"=="* ]]; then
        echo "$tool $*: sanitizer report: $stderr" >&2
        return 1
    fi
    case $status in
    0) ;;
    1)
        local nl=$(printf '%s' "$stderr" | grep -c '')
        [ "$nl" -eq 1 ] && [[ "$stderr" == "$tool: "* ]] || {
            echo "$tool $*: status 1 wants one line '$tool: ...', got: $stderr" >&2
            return 1
        }
        ;;
    *)
        echo "$tool $*: status $status (a crash, a hang or a kill): $stderr" >&2
        return 1
        ;;
    esac
}

# The stream filters with their arguments, reading the file given last.
filters() {
    local d="$BATS_FILE_TMPDIR"
    printf '%s\n' "pairdist -e $FIX/facenet-embeddings.tsv -m all" "logfit --model Facenet" \
        "confmap --model Facenet" "confplot --width 60 --height 8"
}

each_filter() { # each_filter FILE [expect-status]
    local f line
    while IFS= read -r line; do
        hostile $line "$1" || return 1
        if [ -n "${2:-}" ] && [ "$status" -ne "$2" ]; then
            echo "$line $1: status $status, want $2: $stderr" >&2
            return 1
        fi
    done < <(filters)
}

@test "empty input and a header alone" {
    : > "$TMP/empty"
    each_filter "$TMP/empty" 1
    printf 'a\tb\tsame\tcosine\n' > "$TMP/header"
    while IFS= read -r line; do hostile $line "$TMP/header"; done < <(filters)
    hostile pairgen "$TMP/empty"
    [ "$status" -eq 1 ]
}

@test "no final newline, and CRLF line ends, give the same output" {
    head -c -1 "$BATS_FILE_TMPDIR/dist.tsv" > "$TMP/nofinal"
    sed 's/$/\r/' "$BATS_FILE_TMPDIR/dist.tsv" > "$TMP/crlf"
    for t in "logfit --model Facenet" "confmap --model Facenet"; do
        a=$($t "$BATS_FILE_TMPDIR/dist.tsv")
        b=$($t "$TMP/nofinal")
        c=$($t "$TMP/crlf")
        [ "$a" = "$b" ] && [ "$a" = "$c" ]
    done
    head -c -1 "$BATS_FILE_TMPDIR/pairs.tsv" | sed 's/$/\r/' > "$TMP/pairs"
    cmp <(pairdist -e "$FIX/facenet-embeddings.tsv" -m all "$TMP/pairs") <(pairdist -e "$FIX/facenet-embeddings.tsv" -m all "$BATS_FILE_TMPDIR/pairs.tsv")
}

@test "a NUL byte is an error naming the line" {
    { head -5 "$BATS_FILE_TMPDIR/dist.tsv"; printf 'img1.jpg\timg2.jpg\t1\t0.2\0x\t7\t0.6\t0.2\n'; } > "$TMP/nul"
    each_filter "$TMP/nul" 1
    run -1 --separate-stderr logfit --model Facenet "$TMP/nul"
    assert_equal "$stderr" "logfit: $TMP/nul:6: NUL byte in the input (column 24)"
    printf 'A: [a, b\0]\n' > "$TMP/nul.yaml"
    hostile pairgen "$TMP/nul.yaml"
    [ "$status" -eq 1 ]
}

@test "invalid UTF-8 in names passes through as bytes" {
    printf 'A: ["a\\xff", "b\\xc3"]\n' > "$TMP/ids.yaml"
    printf "A: [\"a\xff\", b]\n" > "$TMP/raw.yaml"
    hostile pairgen "$TMP/raw.yaml"
    # libyaml refuses bytes that are not UTF-8 in the file itself
    [ "$status" -eq 1 ]
    { printf 'a\tb\tsame\n'; printf 'x\xff\ty\xc3\t1\n'; } > "$TMP/pairs"
    printf 'x\xff\t1\t0\ny\xc3\t0\t1\n' > "$TMP/emb"
    hostile pairdist -e "$TMP/emb" -m cosine "$TMP/pairs"
    [ "$status" -eq 0 ]
    assert_line -n 1 $'x\xff\ty\xc3\t1\t1.000000'
}

@test "a 10 MB line" {
    { printf 'a\tb\tsame\tcosine\n'; head -c 10000000 /dev/zero | tr '\0' 'x'; printf '\ty\t1\t0.3\nq\tr\t0\t0.9\n'; } > "$TMP/long"
    each_filter "$TMP/long"
    hostile confmap --model Facenet "$TMP/long"
    [ "$status" -eq 0 ]
    # the row after the long one comes through whole
    [ "$(tail -1 "$TMP/hostile.out" | cut -f1-4)" = $'q\tr\t0\t0.9' ]
}

@test "a million columns" {
    awk 'BEGIN { printf "cosine"; for (i = 1; i < 1000000; i++) printf "\tc%d", i; print ""; for (r = 0; r < 3; r++) { printf "0.%d", r + 2; for (i = 1; i < 1000000; i++) printf "\t1"; print "" } }' > "$TMP/wide"
    each_filter "$TMP/wide"
    hostile confmap --model Facenet "$TMP/wide"
    [ "$status" -eq 0 ]
}

@test "duplicate column names: an error when the column is one a program needs" {
    printf 'a\tb\tsame\tcosine\tcosine\nx\ty\t1\t0.2\t0.3\nx\tz\t0\t0.8\t0.9\n' > "$TMP/dup"
    for t in "logfit --model Facenet" "confmap --model Facenet"; do
        hostile $t "$TMP/dup"
        [ "$status" -eq 1 ]
    done
    run -1 --separate-stderr confmap --model Facenet "$TMP/dup"
    assert_equal "$stderr" "confmap: $TMP/dup:1: column 'cosine' appears twice in the header"
}

@test "a truncated gzip file is an error, not a short read" {
    gzip -c "$BATS_FILE_TMPDIR/dist.tsv" > "$TMP/full.gz"
    head -c $(( $(stat -c %s "$TMP/full.gz") / 2 )) "$TMP/full.gz" > "$TMP/cut.gz"
    each_filter "$TMP/cut.gz" 1
    run -1 --separate-stderr confmap --model Facenet "$TMP/cut.gz"
    [[ "$stderr" == "confmap: $TMP/cut.gz:"*": cannot read gzip data (unexpected end of file)" ]]
    gzip -c "$FIX/identities.yaml" | head -c 200 > "$TMP/ids.yaml.gz"
    hostile pairgen "$TMP/ids.yaml.gz"
    [ "$status" -eq 1 ]
}

@test "a gzip bomb: bounded memory, a clear error or a streamed answer" {
    # 300 MB of zeros in one "line" (300 KB compressed): the 256 MiB line
    # limit stops it
    head -c 300000000 /dev/zero | gzip -1 > "$TMP/bomb.gz"
    each_filter "$TMP/bomb.gz" 1
    hostile pairgen "$TMP/bomb.gz"
    [ "$status" -eq 1 ]
    # a bomb of valid rows streams in constant memory
    { printf 'cosine\n'; yes 0.25 | head -n 5000000; } | gzip -1 > "$TMP/rows.gz"
    hostile confmap --model Facenet "$TMP/rows.gz"
    [ "$status" -eq 0 ]
}

@test "binary garbage" {
    head -c 100000 /dev/urandom > "$TMP/garbage"
    each_filter "$TMP/garbage" 1
    hostile pairgen "$TMP/garbage"
    [ "$status" -eq 1 ]
    hostile pairdist -e "$TMP/garbage" "$BATS_FILE_TMPDIR/pairs.tsv"
    [ "$status" -eq 1 ]
    hostile confmap -M "$TMP/garbage" "$BATS_FILE_TMPDIR/dist.tsv"
    [ "$status" -eq 1 ]
}

@test "YAML: billion laughs and deep nesting" {
    cat > "$TMP/laughs.yaml" <<'Y'
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
Y
    hostile pairgen "$TMP/laughs.yaml"
    [ "$status" -eq 1 ]
    hostile confmap -M "$TMP/laughs.yaml" "$BATS_FILE_TMPDIR/dist.tsv"
    [ "$status" -eq 1 ]
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' > "$TMP/deep.yaml"
    hostile pairgen "$TMP/deep.yaml"
    [ "$status" -eq 1 ]
    hostile confmap -M "$TMP/deep.yaml" "$BATS_FILE_TMPDIR/dist.tsv"
    [ "$status" -eq 1 ]
    awk 'BEGIN { printf "A: "; for (i = 0; i < 100000; i++) printf "{a: "; for (i = 0; i < 100000; i++) printf "}"; print "" }' > "$TMP/deepmap.yaml"
    hostile pairgen "$TMP/deepmap.yaml"
    [ "$status" -eq 1 ]
}

@test "numbers: a distance as pairdist prints it, one byte in it just past the digits (':' to '?', '/')" {
    # ':' to '?' share the digits' high nibble: the eight-at-once scan of
    # a fraction once took them for digits (0.58:285 read as a number)
    for v in 0.58:285 '0.584?85' 10.08899/ '-0.58428;' '1.2345<7' 0:584285 0.584285= '9.99999>9'; do
        printf 'a\tb\tsame\tcosine\nx\ty\t1\t0.2\nx\tz\t0\t%s\n' "$v" > "$TMP/num"
        each_filter "$TMP/num" 1
    done
    run -1 --separate-stderr confmap --model Facenet <<< $'cosine\n0.584285\n0.58:285'
    assert_equal "$stderr" "confmap: <stdin>:3: column 'cosine' is not a number ('0.58:285')"
    run -1 --separate-stderr logfit <<< $'same\tcosine\n1\t0.2\n0\t0.584?85'
    assert_equal "$stderr" "logfit: <stdin>:3: column 'cosine' is not a number ('0.584?85')"
}

@test "numbers: 1e400, -0, 0x1p3, nan, ' 1'" {
    for v in 1e400 0x1p3 nan " 1" "1 " inf ""; do
        printf 'a\tb\tsame\tcosine\nx\ty\t1\t%s\nx\tz\t0\t0.9\n' "$v" > "$TMP/num"
        each_filter "$TMP/num" 1
    done
    printf 'a\tb\tsame\tcosine\nx\ty\t1\t-0\nx\tz\t0\t0.9\n' > "$TMP/negzero"
    hostile confmap --model Facenet "$TMP/negzero"
    [ "$status" -eq 0 ]
    run -1 --separate-stderr confmap --model Facenet <<< $'cosine\n0x1p3'
    assert_equal "$stderr" "confmap: <stdin>:2: column 'cosine' is not a number ('0x1p3')"
    run -1 --separate-stderr confmap --model Facenet <<< $'cosine\n1e400'
    assert_equal "$stderr" "confmap: <stdin>:2: column 'cosine' is out of range ('1e400')"
    printf 'x\t1e400,1\ny\t1,1\n' > "$TMP/emb"
    hostile pairdist -e "$TMP/emb" "$BATS_FILE_TMPDIR/pairs.tsv"
    [ "$status" -eq 1 ]
}

@test "numbers: an underflow reads as strtod reads it (a subnormal, or 0), in every filter" {
    for v in 4.9406564584124654e-324 1e-310 -2.2250738585072009e-308 1e-400 -1e-400; do
        printf 'a\tb\tsame\tcosine\nx\ty\t1\t%s\nx\tz\t0\t0.9\nx\tw\t1\t0.1\nx\tv\t0\t0.8\n' "$v" > "$TMP/num"
        for line in "logfit --model Facenet" "confmap --model Facenet" "confeval" \
            "confplot --width 60 --height 8 -c cosine"; do
            hostile $line "$TMP/num"
            [ "$status" -eq 0 ] || { echo "$line, $v: status $status: $stderr" >&2; return 1; }
        done
    done
    run -0 --separate-stderr confmap --model Facenet --style raw <<< $'cosine\n1e-310\n1e-400\n0'
    assert_output $'cosine\tcosine_confidence\n1e-310\t84.28\n1e-400\t84.28\n0\t84.28'
    # Platt's slope on distances that small is no double: an error, at
    # once, for the fit, its report and its cross-fit; the other methods fit
    printf 'same\tcosine\n1\t1e-320\n0\t2e-320\n1\t1.5e-320\n0\t3e-320\n' > "$TMP/tiny"
    for opt in "" -v "--cv 2"; do
        run -1 --separate-stderr timeout 20 logfit --method platt $opt "$TMP/tiny"
        # (--cv: the largest of a training fold)
        [[ "$stderr" == "logfit: $TMP/tiny: column 'cosine': the distances are too small for Platt's fit (the largest is "*"e-320): its slope would pass the largest double; scale them" ]]
        [ -n "$opt" ] || assert_equal "$stderr" "logfit: $TMP/tiny: column 'cosine': the distances are too small for Platt's fit (the largest is 3e-320): its slope would pass the largest double; scale them"
        assert_output ""
    done
    for m in isotonic venn-abers; do
        run -0 --separate-stderr logfit --method $m "$TMP/tiny"
        assert_equal "$stderr" ""
    done
    # a value that is no double at all is still refused
    run -1 --separate-stderr confmap --model Facenet <<< $'cosine\n-1e400'
    assert_equal "$stderr" "confmap: <stdin>:2: column 'cosine' is out of range ('-1e400')"
}

@test "fuzz regressions replay through the programs" {
    shopt -s nullglob
    for f in "$ROOT"/tests/fuzz/regress/ids/*; do hostile pairgen "$f"; done
    for f in "$ROOT"/tests/fuzz/regress/model/*; do hostile confmap -M "$f" --model Facenet "$BATS_FILE_TMPDIR/dist.tsv"; done
    for f in "$ROOT"/tests/fuzz/regress/emb/*; do hostile pairdist -e "$f" -m all "$BATS_FILE_TMPDIR/pairs.tsv"; done
    for f in "$ROOT"/tests/fuzz/regress/tsv/*; do each_filter "$f"; done
    for f in "$ROOT"/tests/fuzz/regress/counts/*; do hostile logfit "$f"; hostile logfit --counts "$f"; done
}
