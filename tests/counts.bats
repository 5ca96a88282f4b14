#!/usr/bin/env bats
# Counts (distconf(7), COUNTS): logfit --counts, pairdist --counts, logfit
# reading counts; the model of counts is the model of the rows bit for bit
# however the rows were split, the format, and every error of a counts file.

load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
    local d="$BATS_FILE_TMPDIR"
    make_streams "$d"
    logfit --counts "$d/dist.tsv" > "$d/dist.counts"
    # shards of the article's pairs, N = 1, 2, 3, 7: counts of each
    local n k
    for n in 1 2 3 7; do
        for ((k = 0; k < n; k++)); do
            pairgen --shard $k/$n "$FIX/identities.yaml" | pairdist -m all --counts > "$d/s$n-$k.counts"
        done
    done
}

D="$BATS_FILE_TMPDIR"

# fits_alike ROWS COUNTS OPTION...: logfit OPTION... on the rows and on the
# counts: the same model, byte for byte, and the same standard error.
fits_alike() {
    local rows=$1 counts=$2
    shift 2
    # each step checked: set -e is off in a function called before ||
    logfit "$@" "$rows" > "$TMP/rows.yaml" 2> "$TMP/rows.err" &&
        logfit "$@" "$counts" > "$TMP/counts.yaml" 2> "$TMP/counts.err" &&
        [ -s "$TMP/rows.yaml" ] &&
        cmp "$TMP/rows.yaml" "$TMP/counts.yaml" &&
        cmp "$TMP/rows.err" "$TMP/counts.err"
}

# The counts file $TMP/x.counts from a printf format and its arguments.
counts() { mkdir -p "$TMP/w"; printf "$@" > "$TMP/w/x.counts"; }
H='#distconf-counts=1\ncolumn\tvalue\tn\tn_same\n'
# counts_refused MESSAGE FORMAT [ARG...]: logfit -t 0.4 -o FILE refuses the
# counts from printf FORMAT ARG... (as x.counts, in $TMP) with MESSAGE,
# status 1, and leaves no output file.
counts_refused() {
    local message=$1
    shift
    counts "$@"
    cd "$TMP/w"
    refused "logfit: $message" logfit -t 0.4 -o out.yaml x.counts
    [ ! -e out.yaml ]
    assert_equal "$(ls -A)" "x.counts"
}

# ---- bit for bit: the model of counts is the model of the rows ----

@test "the article's stream: counts fit the model of its rows, for every kind of threshold, target and cost" {
    local opts
    for opts in "--model Facenet" "" "-d cosine,angular -t 0.4" "-t cosine=0.3,euclidean=10,euclidean_l2=0.8,angular=0.35" \
        "--target truth" "--target truth --model Facenet" "-C 0.5" "-C 0.5 --target truth" \
        "-d cosine" "-d angular,cosine --model Facenet" "-v" "-v --model Facenet --target truth" "-v -d angular -t 0.4"; do
        fits_alike "$D/dist.tsv" "$D/dist.counts" $opts || { echo "options: $opts" >&2; return 1; }
    done
    # -v reports on standard error: compared above, and not empty
    logfit -v "$D/dist.counts" 2>&1 > /dev/null | grep -q .
}

@test "counts of one column only (-d) fit as the counts of all" {
    logfit --counts -d cosine "$D/dist.tsv" > "$TMP/cos.counts"
    [ "$(cut -f1 "$TMP/cos.counts" | sort -u | grep -vc -e '^#' -e '^column$')" = 1 ]
    fits_alike "$D/dist.tsv" "$TMP/cos.counts" -d cosine --model Facenet
    fits_alike "$D/dist.tsv" "$TMP/cos.counts" -d cosine
    fits_alike "$D/dist.tsv" "$TMP/cos.counts" -d cosine --target truth -C 2
}

@test "shards (N = 1, 2, 3, 7) merged as files in several orders, as one cat, and in two levels: the model of the rows" {
    local n k models="--model=Facenet" files
    logfit --model Facenet "$D/dist.tsv" > "$TMP/want.yaml"
    logfit "$D/dist.tsv" > "$TMP/want-tuned.yaml"
    logfit --target truth "$D/dist.tsv" > "$TMP/want-truth.yaml"
    for n in 1 2 3 7; do
        files=()
        for ((k = 0; k < n; k++)); do files+=("$D/s$n-$k.counts"); done
        # in order, reversed, rotated by one
        logfit --model Facenet "${files[@]}" | cmp - "$TMP/want.yaml"
        logfit --model Facenet $(printf '%s\n' "${files[@]}" | tac) | cmp - "$TMP/want.yaml"
        logfit --model Facenet "${files[@]:1}" "${files[0]}" | cmp - "$TMP/want.yaml"
        logfit "${files[@]:1}" "${files[0]}" | cmp - "$TMP/want-tuned.yaml"
        logfit --target truth $(printf '%s\n' "${files[@]}" | tac) | cmp - "$TMP/want-truth.yaml"
        # concatenated on standard input (each shard's preamble and header repeated)
        cat $(printf '%s\n' "${files[@]}" | tac) | logfit --model Facenet | cmp - "$TMP/want.yaml"
        # two levels: the merged counts are the counts of the whole stream, byte for byte
        logfit --counts "${files[@]}" | cmp - "$D/dist.counts"
        if [ $n -gt 1 ]; then
            logfit --counts "${files[@]:0:n/2}" > "$TMP/m1.counts"
            logfit --counts -o "$TMP/m2.counts" $(printf '%s\n' "${files[@]:n/2}" | tac)
            logfit --model Facenet "$TMP/m2.counts" "$TMP/m1.counts" | cmp - "$TMP/want.yaml"
            logfit --counts "$TMP/m2.counts" "$TMP/m1.counts" | cmp - "$D/dist.counts"
            # a merged file and the shards it does not hold
            logfit --model Facenet "$TMP/m1.counts" "${files[@]:n/2}" | cmp - "$TMP/want.yaml"
        fi
    done
    # a shard is not the whole (the comparisons above can fail)
    if logfit --model Facenet "$D/s7-0.counts" "$D/s7-1.counts" | cmp -s - "$TMP/want.yaml"; then false; fi
}

@test "shards counted from rows (pairdist | logfit --counts) equal shards of pairdist --counts" {
    local k
    for k in 0 1 2; do
        pairgen --shard $k/3 "$FIX/identities.yaml" | pairdist -m all | logfit --counts | cmp - "$D/s3-$k.counts"
    done
}

@test "ties and spellings of one double (0.50, 0.5, 5e-1; -0, 0): one key each, the model of the rows" {
    {
        printf 'a\tb\tsame\tcosine\teuclidean\n'
        awk 'BEGIN {
            split("0.50 0.5 5e-1 0.500 -0 0 0.0 -0.0 0.25 2.5e-1 1 1.000 0.75 7.5E-1 0.125", v, " ")
            for (i = 0; i < 600; i++)
                printf "x%d\ty%d\t%d\t%s\t%s\n", i, i, (i * 7) % 3 == 0, v[i % 15 + 1], v[(i * 11) % 15 + 1] * 4
        }'
    } > "$TMP/ties.tsv"
    logfit --counts "$TMP/ties.tsv" > "$TMP/ties.counts"
    # one row a distinct double: 0, 0.125, 0.25, 0.5, 0.75, 1 in cosine
    run -0 awk -F'\t' '$1 == "cosine" { print $2 }' "$TMP/ties.counts"
    assert_output "0
0.125
0.25
0.5
0.75
1"
    # 0.5 counts every spelling: 4 of the 15 values, 40 rows each
    run -0 awk -F'\t' '$1 == "cosine" && $2 == "0.5" { print $3 }' "$TMP/ties.counts"
    assert_output 160
    run -0 awk -F'\t' '$1 == "cosine" && $2 == "0" { print $3 }' "$TMP/ties.counts"
    assert_output 160
    local opts
    for opts in "-t 0.5" "" "--target truth" "-t cosine=0.25,euclidean=2 -C 0.3" "-v" "-v --target truth -t 0.75"; do
        fits_alike "$TMP/ties.tsv" "$TMP/ties.counts" $opts || { echo "options: $opts" >&2; return 1; }
    done
}

@test "20000 synthetic rows with 3 decimals (many ties), split in 3 files: counts merged fit the model of the rows" {
    awk 'BEGIN {
        srand(12); print "a\tb\tsame\tcosine\tangular"
        for (i = 0; i < 20000; i++) {
            s = rand() < 0.3; c = s ? rand() * 0.6 : 0.3 + rand() * 0.7
            printf "p%d\tq%d\t%d\t%.3f\t%.3f\n", i, i, s, c, c * 0.8 + rand() * 0.05
        }
    }' > "$TMP/big.tsv"
    local k
    for k in 0 1 2; do
        awk -v k=$k 'NR == 1 || NR % 3 == k' "$TMP/big.tsv" | logfit --counts -o "$TMP/big$k.counts"
    done
    logfit --counts "$TMP/big.tsv" > "$TMP/big.counts"
    [ "$(wc -l < "$TMP/big.counts")" -lt 2100 ] # ties: at most 1001 values a column
    logfit --counts "$TMP/big2.counts" "$TMP/big0.counts" "$TMP/big1.counts" | cmp - "$TMP/big.counts"
    local opts
    for opts in "" "-t 0.45" "--target truth" "-v" "-C 0.01 -t 0.4"; do
        logfit $opts "$TMP/big.tsv" > "$TMP/a.yaml" 2> "$TMP/a.err"
        logfit $opts "$TMP/big1.counts" "$TMP/big2.counts" "$TMP/big0.counts" > "$TMP/b.yaml" 2> "$TMP/b.err"
        cmp "$TMP/a.yaml" "$TMP/b.yaml"
        cmp "$TMP/a.err" "$TMP/b.err"
    done
    # a row more is another model (the comparison can fail)
    { cat "$TMP/big0.counts"; printf 'cosine\t0.5\t1\t1\n'; } > "$TMP/more.counts"
    if logfit "$TMP/more.counts" "$TMP/big1.counts" "$TMP/big2.counts" | cmp -s - "$TMP/a.yaml"; then false; fi
}

# ---- pairdist --counts: the bytes of pairdist | logfit --counts ----

# pd_alike OPTION... INPUT: pairdist --counts and pairdist | logfit --counts
# write the same bytes, and pairdist's standard error is the same.
pd_alike() {
    pairdist --counts "$@" > "$TMP/pd.counts" 2> "$TMP/pd.err" &&
        pairdist "$@" 2> "$TMP/rows.err" > "$TMP/rows.tsv" &&
        logfit --counts "$TMP/rows.tsv" > "$TMP/lf.counts" &&
        head -1 "$TMP/pd.counts" | grep -qx '#distconf-counts=1' &&
        cmp "$TMP/pd.counts" "$TMP/lf.counts" &&
        cmp "$TMP/pd.err" "$TMP/rows.err"
}

@test "pairdist --counts: the bytes of pairdist | logfit --counts, for each metric set and precision" {
    local m p
    # an item against itself: distances 0 (and -0 where a metric rounds below 0)
    { grep '^#' "$D/pairs.tsv"; grep -v '^#' "$D/pairs.tsv"; printf 'img1.jpg\timg1.jpg\t1\nimg5.jpg\timg5.jpg\t1\n'; } > "$TMP/p.tsv"
    for m in all cosine euclidean,angular euclidean_l2 angular,cosine; do
        for p in 0 3 6 17; do
            pd_alike -m $m -p $p "$TMP/p.tsv" || { echo "-m $m -p $p" >&2; return 1; }
        done
    done
    pairdist -m all --counts "$D/pairs.tsv" | cmp - "$D/dist.counts"
}

@test "pairdist --counts: --missing=skip drops the rows (the same warning), and items missing are an error without it" {
    { grep -v '^ghost' "$D/pairs.tsv"; printf 'ghost.jpg\timg1.jpg\t0\nimg2.jpg\tnobody.jpg\t1\n'; } > "$TMP/p.tsv"
    pd_alike -m all --missing=skip "$TMP/p.tsv"
    grep -q 'skipped 2 rows' "$TMP/pd.err"
    cmp "$TMP/pd.counts" "$D/dist.counts"
    cd "$TMP"
    run -1 --separate-stderr pairdist --counts -o out.counts p.tsv
    [[ $stderr == "pairdist: p.tsv:303: no embedding in "*"('ghost.jpg')" ]]
    [ ! -e out.counts ]
}

@test "pairdist --counts: the stream's own distance columns are counted first, in its order" {
    pairdist -m angular "$D/pairs.tsv" > "$TMP/ang.tsv"
    pd_alike -m cosine,euclidean "$TMP/ang.tsv"
    run -0 awk -F'\t' 'NR > 2 && $1 != last { print $1; last = $1 }' "$TMP/pd.counts"
    assert_output "angular
cosine
euclidean"
    # and the counts are those of the whole stream
    logfit --counts -d angular,cosine,euclidean "$D/dist.tsv" | cmp - "$TMP/pd.counts"
}

@test "pairdist --counts: no column same, no n_same; #model= kept, #embeddings= dropped; gzip input; no rows" {
    cut -f1,2 "$D/pairs.tsv" > "$TMP/nosame.tsv"
    pd_alike -m all "$TMP/nosame.tsv"
    run -0 sed -n 2p "$TMP/pd.counts"
    assert_output "$(printf 'column\tvalue\tn')"
    [ "$(awk -F'\t' 'NF != 3' "$TMP/pd.counts" | wc -l)" = 1 ] # only the first line
    local t=cosine=0.4,euclidean=10,euclidean_l2=0.8,angular=0.4
    logfit -t $t "$TMP/pd.counts" > "$TMP/a.yaml"
    logfit -t $t "$D/dist.counts" | cmp - "$TMP/a.yaml"

    { grep '^#' "$D/pairs.tsv"; echo '#model=Facenet'; grep -v '^#' "$D/pairs.tsv"; } > "$TMP/model.tsv"
    pd_alike -m all "$TMP/model.tsv"
    run -0 head -3 "$TMP/pd.counts"
    assert_output "$(printf '#distconf-counts=1\n#model=Facenet\ncolumn\tvalue\tn\tn_same')"
    if grep -q '^#embeddings=' "$TMP/pd.counts"; then false; fi
    logfit --model Facenet "$TMP/pd.counts" | grep -q '^embedding_model: Facenet$'

    gzip -c "$D/pairs.tsv" > "$TMP/pairs.tsv.gz"
    pd_alike -m all "$TMP/pairs.tsv.gz"
    cmp "$TMP/pd.counts" "$D/dist.counts"

    grep '^#' "$D/pairs.tsv" > "$TMP/empty.tsv"
    printf 'a\tb\tsame\n' >> "$TMP/empty.tsv"
    pd_alike -m all "$TMP/empty.tsv"
    run -0 cat "$TMP/pd.counts"
    assert_output "$(printf '#distconf-counts=1\ncolumn\tvalue\tn\tn_same')"
}

@test "pairdist --counts -o writes the counts atomically; an error leaves no file, an old file intact" {
    mkdir "$TMP/w"
    cd "$TMP/w"
    pairdist -m all --counts -o out.counts "$D/pairs.tsv"
    cmp out.counts "$D/dist.counts"
    { grep -v '^#' "$D/pairs.tsv"; printf 'ghost.jpg\timg1.jpg\t0\n'; } > bad.tsv
    run -1 --separate-stderr pairdist -m all -e "$FIX/facenet-embeddings.tsv" --counts -o out.counts bad.tsv
    cmp out.counts "$D/dist.counts"
    run -1 --separate-stderr pairdist -m all -e "$FIX/facenet-embeddings.tsv" --counts -o new.counts bad.tsv
    [ ! -e new.counts ]
    assert_equal "$(ls -A | sort | tr '\n' ' ')" "bad.tsv out.counts "
}

# ---- the format ----

@test "the format: first line, header, the stream's columns in order, values ascending, no #embeddings=" {
    run -0 head -2 "$D/dist.counts"
    assert_output "$(printf '#distconf-counts=1\ncolumn\tvalue\tn\tn_same')"
    if grep -q '^#embeddings' "$D/dist.counts"; then false; fi
    # the columns in the stream's order, each in one run of rows
    run -0 awk -F'\t' 'NR > 2 && $1 != last { print $1; last = $1 }' "$D/dist.counts"
    assert_output "cosine
euclidean
euclidean_l2
angular"
    # values strictly ascending in each column; n >= 1, 0 <= n_same <= n, whole numbers
    awk -F'\t' 'NR > 2 {
        if (NF != 4 || $3 !~ /^[1-9][0-9]*$/ || $4 !~ /^(0|[1-9][0-9]*)$/ || $4 + 0 > $3 + 0) { print "bad row " NR; exit 1 }
        if ($1 == c && !($2 + 0 > v + 0)) { print "not ascending at " NR; exit 1 }
        c = $1; v = $2
    }' "$D/dist.counts"
    # each column counts the 300 rows, and the 38 same-person ones
    run -0 awk -F'\t' 'NR > 2 { n[$1] += $3; s[$1] += $4 } END { for (c in n) print c, n[c], s[c] }' "$D/dist.counts"
    [ "$(echo "$output" | awk '$2 != 300 || $3 != 38' | wc -l)" = 0 ]
    [ "$(echo "$output" | wc -l)" = 4 ]
    [ "$(grep -v '^#' "$D/dist.tsv" | awk -F'\t' 'NR > 1 && $3 == 1' | wc -l)" = 38 ]
}

@test "the format: each distinct value of the stream once, as the shortest decimal that reads back to it" {
    pairdist -m all -p 17 "$D/pairs.tsv" > "$TMP/p17.tsv"
    logfit --counts "$TMP/p17.tsv" > "$TMP/p17.counts"
    local i col
    i=4
    for col in cosine euclidean euclidean_l2 angular; do
        # the distinct doubles of the stream's column and of the counts: equal sets
        grep -v '^#' "$TMP/p17.tsv" | awk -F'\t' -v i=$i 'NR > 1 { printf "%.17g\n", $i }' | sort -u -g > "$TMP/want"
        awk -F'\t' -v c=$col '$1 == c { printf "%.17g\n", $2 }' "$TMP/p17.counts" > "$TMP/got"
        cmp "$TMP/want" "$TMP/got"
        i=$((i + 1))
    done
    # shortest: one significant digit fewer reads back to another double
    awk -F'\t' 'FNR > 2 {
        s = $2; sub(/[eE].*/, "", s); gsub(/[^0-9]/, "", s); sub(/^0+/, "", s); L = length(s)
        if (L > 1 && sprintf("%." (L - 1) "g", $2) + 0 == $2 + 0) { print "not shortest: " $2; bad = 1 }
        if ($2 ~ /^-|^\+|0$|^0[0-9]|e/ && $2 != "0") { print "odd spelling: " $2; bad = 1 }
    } END { exit bad }' "$TMP/p17.counts" "$D/dist.counts"
    # 6 decimals: "0.0889" for 0.088900
    grep -q $'^cosine\t0.0889\t' "$D/dist.counts"
}

@test "logfit --counts -o writes atomically: an error leaves no file and an old file intact, no temporary file" {
    mkdir "$TMP/w"
    cd "$TMP/w"
    cp "$D/dist.counts" old.counts
    logfit --counts -o out.counts "$D/dist.tsv"
    cmp out.counts "$D/dist.counts"
    { cat "$D/dist.tsv"; printf 'x\ty\t1\t0.5\tnope\t0.5\t0.5\n'; } > bad.tsv
    run -1 --separate-stderr logfit --counts -o old.counts bad.tsv
    assert_equal "$stderr" "logfit: bad.tsv:303: column 'euclidean' is not a number ('nope')"
    cmp old.counts "$D/dist.counts"
    run -1 logfit --counts -o new.counts bad.tsv
    [ ! -e new.counts ]
    run -1 logfit --counts -o new.counts.gz bad.tsv
    [ ! -e new.counts.gz ]
    assert_equal "$(ls -A | sort | tr '\n' ' ')" "bad.tsv old.counts out.counts "
    # gzip output reads back
    logfit --counts -o out.counts.gz "$D/dist.tsv"
    zcat out.counts.gz | cmp - "$D/dist.counts"
    logfit --model Facenet out.counts.gz | cmp - <(logfit --model Facenet "$D/dist.tsv")
    # -o naming an input is refused
    run -1 --separate-stderr logfit --counts -o out.counts out.counts
    [ -n "$stderr" ]
    zcat out.counts.gz | cmp - out.counts
}

# ---- errors of a counts file ----

@test "a version other than 1 is refused, naming it" {
    counts_refused "x.counts:1: counts of version '2': this version of distconf reads version 1 (#distconf-counts=1)" \
        '#distconf-counts=2\ncolumn\tvalue\tn\tn_same\ncosine\t0.5\t1\t1\ncosine\t0.3\t1\t0\n'
    counts_refused "x.counts:1: counts of version '': this version of distconf reads version 1 (#distconf-counts=1)" \
        '#distconf-counts=\ncolumn\tvalue\tn\tn_same\ncosine\t0.5\t1\t1\ncosine\t0.3\t1\t0\n'
    counts_refused "x.counts:1: counts of version '1.0': this version of distconf reads version 1 (#distconf-counts=1)" \
        '#distconf-counts=1.0\ncolumn\tvalue\tn\tn_same\ncosine\t0.5\t1\t1\ncosine\t0.3\t1\t0\n'
    # counts of two versions, as two files
    printf '#distconf-counts=1\ncolumn\tvalue\tn\tn_same\ncosine\t0.5\t1\t1\n' > "$TMP/v1.counts"
    printf '#distconf-counts=2\ncolumn\tvalue\tn\tn_same\ncosine\t0.3\t1\t1\n' > "$TMP/v2.counts"
    cd "$TMP"
    run -1 --separate-stderr logfit -t 0.4 v1.counts v2.counts
    assert_equal "$(echo "$stderr" | wc -l)" 1
    assert_equal "$stderr" "logfit: v2.counts:1: counts of another version ('#distconf-counts=2'; those of v1.counts are version 1)"
}

@test "a header with columns wrong, extra, missing or reordered is refused, naming them" {
    local h why="counts need the columns column, value, n and, optionally, n_same, in that order"
    for h in 'column\tvalue\tn\tn_same\tx' 'column\tvalue\tn_same\tn' 'column\tvalue' 'column\tvalue\tn_same' \
        'name\tvalue\tn\tn_same' 'value\tcolumn\tn' 'column\tvalue\tN\tn_same' 'column\tvalue\tn\tsame'; do
        counts_refused "x.counts:2: $why (found: $(printf "$h" | sed 's/\t/, /g'))" \
            "#distconf-counts=1\n$h\ncosine\t0.5\t1\t1\t1\n"
    done
}

@test "a value that is not a finite number is refused, naming file, line and text" {
    local v
    for v in abc NaN nan inf -inf Infinity 0x1p3 ' 0.5' '0.5 ' 0,5; do
        counts_refused "x.counts:4: column 'value' is not a number ('$v')" "$H"'cosine\t0.3\t1\t0\ncosine\t%s\t1\t1\n' "$v"
    done
    counts_refused "x.counts:4: column 'value' is empty" "$H"'cosine\t0.3\t1\t0\ncosine\t\t1\t1\n'
    counts_refused "x.counts:4: column 'value' is out of range ('1e400')" "$H"'cosine\t0.3\t1\t0\ncosine\t1e400\t1\t1\n'
}

@test "n of 0, negative, not a whole decimal number, or past 2^64 - 1 is refused" {
    local n count="is not a count (a whole number of rows, 0 or more)"
    counts_refused "x.counts:3: counts: column 'n' is 0 (a value counted has at least one row) ('0')" \
        "$H"'cosine\t0.3\t0\t0\ncosine\t0.5\t1\t1\n'
    for n in -1 1.5 1e3 +1 ' 1' '1 ' 0x10 1,000 '１'; do
        counts_refused "x.counts:3: counts: column 'n' $count ('$n')" "$H"'cosine\t0.3\t%s\t0\ncosine\t0.5\t1\t1\n' "$n"
    done
    counts_refused "x.counts:3: counts: column 'n' is empty ('')" "$H"'cosine\t0.3\t\t0\ncosine\t0.5\t1\t1\n'
    for n in 18446744073709551616 99999999999999999999 184467440737095516150; do
        counts_refused "x.counts:3: counts: column 'n' is past 2^64 - 1 rows ('$n')" "$H"'cosine\t0.3\t%s\t0\ncosine\t0.5\t1\t1\n' "$n"
    done
    # n_same alike
    counts_refused "x.counts:3: counts: column 'n_same' $count ('-1')" "$H"'cosine\t0.3\t1\t-1\ncosine\t0.5\t1\t1\n'
    counts_refused "x.counts:3: counts: column 'n_same' is empty ('')" "$H"'cosine\t0.3\t1\t\ncosine\t0.5\t1\t1\n'
    counts_refused "x.counts:3: counts: column 'n_same' is past 2^64 - 1 rows ('18446744073709551616')" \
        "$H"'cosine\t0.3\t1\t18446744073709551616\ncosine\t0.5\t1\t1\n'
    # 2^64 - 1 itself is a count (the fit then refuses more than 2^53 rows)
    counts "$H"'cosine\t0.3\t18446744073709551615\t0\ncosine\t0.5\t1\t1\n'
    run -1 --separate-stderr logfit --counts "$TMP/w/x.counts"
    assert_equal "$stderr" "logfit: $TMP/w/x.counts:4: column 'cosine': more than 2^64 - 1 rows in all"
}

@test "n_same more than n is refused" {
    counts_refused "x.counts:4: counts: n_same is more than n (2 same-person rows of 1)" "$H"'cosine\t0.3\t1\t0\ncosine\t0.5\t1\t2\n'
    counts_refused "x.counts:3: counts: n_same is more than n (18446744073709551615 same-person rows of 18446744073709551614)" \
        "$H"'cosine\t0.3\t18446744073709551614\t18446744073709551615\n'
    # n_same = n is fine
    counts "$H"'cosine\t0.3\t3\t3\ncosine\t0.5\t2\t0\n'
    run -0 logfit -t 0.4 "$TMP/w/x.counts"
}

@test "sums past 2^64 - 1 rows are refused, in one file and across files, on the line that passes" {
    # one value's rows twice
    counts_refused "x.counts:4: column 'cosine': more than 2^64 - 1 rows in all" \
        "$H"'cosine\t0.3\t18446744073709551615\t0\ncosine\t0.3\t1\t0\n'
    # two values of one column
    counts_refused "x.counts:5: column 'cosine': more than 2^64 - 1 rows in all" \
        "$H"'cosine\t0.5\t1\t1\ncosine\t0.3\t9223372036854775808\t0\ncosine\t0.4\t9223372036854775807\t0\n'
    # other columns have their own sums
    counts "$H"'cosine\t0.3\t9223372036854775807\t0\nangular\t0.3\t9223372036854775807\t0\ncosine\t0.3\t9223372036854775807\t0\nangular\t0.4\t9223372036854775807\t0\n'
    run -0 logfit --counts "$TMP/w/x.counts"
    assert_line --index 2 "$(printf 'cosine\t0.3\t18446744073709551614\t0')"
    # across files (and on standard input)
    printf "$H"'cosine\t0.3\t18446744073709551000\t5\n' > "$TMP/a.counts"
    printf "$H"'cosine\t0.4\t616\t0\n' > "$TMP/b.counts"
    cd "$TMP"
    refused "logfit: b.counts:3: column 'cosine': more than 2^64 - 1 rows in all" logfit --counts -o o.counts a.counts b.counts
    [ ! -e o.counts ]
    run -1 --separate-stderr sh -c 'cat a.counts b.counts | logfit --counts'
    assert_equal "$stderr" "logfit: <stdin>:6: column 'cosine': more than 2^64 - 1 rows in all"
    # 615 more is exactly 2^64 - 1: counted, but more than a fit adds up exactly
    printf "$H"'cosine\t0.4\t615\t0\n' > "$TMP/c.counts"
    run -0 logfit --counts a.counts c.counts
    run -1 --separate-stderr logfit -t 0.4 a.counts c.counts
    assert_equal "$stderr" "logfit: c.counts: column 'cosine': 18446744073709551615 rows: the fit adds them up exactly only to 2^53"
}

@test "a bad column name in the field column is refused; names YAML would misread are quoted in the model" {
    counts_refused "x.counts:3: counts: column 'column' is empty ('')" "$H"'\t0.3\t1\t0\ncosine\t0.5\t1\t1\n'
    counts_refused "x.counts:4: counts: column 'column' is not valid UTF-8 ('?')" "$H"'cosine\t0.5\t1\t1\n\xff\t0.3\t1\t0\n'
    counts_refused "x.counts:3: counts: column 'column' holds a carriage return ('co?s')" "$H"'co\rs\t0.3\t1\t0\ncosine\t0.5\t1\t1\n'
    # null, true, a: b are names: the model quotes them and confmap reads them back
    counts "$H"'null\t0.3\t1\t0\nnull\t0.5\t1\t1\ntrue\t0.3\t1\t0\ntrue\t0.5\t1\t1\n'
    logfit -d null,true -t 0.4 "$TMP/w/x.counts" > "$TMP/m.yaml"
    printf 'null\ttrue\n0.3\t0.5\n' > "$TMP/s.tsv"
    run -0 confmap -M "$TMP/m.yaml" "$TMP/s.tsv"
    assert_line --index 0 "$(printf 'null\ttrue\tnull_confidence\ttrue_confidence')"
}

@test "counts and a distance stream do not mix, in either order, as files or on standard input" {
    cd "$TMP"
    cp "$D/dist.counts" d.counts
    cp "$D/dist.tsv" dist.tsv
    refused "logfit: dist.tsv:1: a distance stream after counts (d.counts is counts): counts and distance streams do not mix; count this stream first (logfit --counts dist.tsv)" \
        logfit --model Facenet -o m.yaml d.counts dist.tsv
    refused "logfit: d.counts:1: counts after a distance stream (dist.tsv is a distance stream): counts and distance streams do not mix; count that stream first (logfit --counts dist.tsv)" \
        logfit --model Facenet -o m.yaml dist.tsv d.counts
    grep -v '^#' dist.tsv > nopre.tsv
    refused "logfit: d.counts:1: counts after a distance stream (nopre.tsv is a distance stream): counts and distance streams do not mix; count that stream first (logfit --counts nopre.tsv)" \
        logfit --counts -o m.yaml nopre.tsv d.counts
    refused "logfit: <stdin>:1203: a distance stream after counts (<stdin> is counts): counts and distance streams do not mix; count this stream first (logfit --counts <stdin>)" \
        sh -c 'cat d.counts dist.tsv | logfit -o m.yaml'
    refused "logfit: <stdin>:303: counts after a distance stream (<stdin> is a distance stream): counts and distance streams do not mix; count that stream first (logfit --counts <stdin>)" \
        sh -c 'cat dist.tsv d.counts | logfit -o m.yaml'
    refused "logfit: <stdin>:1: a distance stream after counts (d.counts is counts): counts and distance streams do not mix; count this stream first (logfit --counts <stdin>)" \
        sh -c 'logfit -o m.yaml d.counts - < dist.tsv'
    [ ! -e m.yaml ]
}

@test "counts then a distance stream without preamble: the message says they do not mix" {
    cd "$TMP"
    cp "$D/dist.counts" d.counts
    grep -v '^#' "$D/dist.tsv" > nopre.tsv
    run -1 --separate-stderr logfit --model Facenet d.counts nopre.tsv
    [[ $stderr == *"do not mix"* ]]
    # a stream of 4 columns: its header is not taken for a row of counts
    cut -f1-4 nopre.tsv > nopre4.tsv
    run -1 --separate-stderr logfit --model Facenet d.counts nopre4.tsv
    [[ $stderr == *"do not mix"* ]]
}

@test "counts with n_same and counts without: refused, in either order" {
    cd "$TMP"
    cp "$D/dist.counts" d.counts
    printf '#distconf-counts=1\ncolumn\tvalue\tn\ncosine\t0.5\t1\ncosine\t0.3\t2\n' > ns.counts
    refused "logfit: ns.counts:2: counts without n_same after counts with (d.counts): counts of a stream with a column 'same' and of one without do not mix" \
        logfit -t 0.4 d.counts ns.counts
    refused "logfit: d.counts:2: counts with n_same after counts without (ns.counts): counts of a stream with a column 'same' and of one without do not mix" \
        logfit --counts ns.counts d.counts
    # two counts of other preambles (#model=)
    { echo '#distconf-counts=1'; echo '#model=VGG-Face'; tail -n +2 d.counts; } > vgg.counts
    { echo '#distconf-counts=1'; echo '#model=Facenet'; tail -n +2 d.counts; } > fn.counts
    run -1 --separate-stderr logfit -t 0.4 fn.counts vgg.counts
    assert_equal "$stderr" "logfit: vgg.counts:2: a second header: a preamble line that is not in the preamble of fn.counts ('#model=VGG-Face'; run each input on its own)"
}

@test "logfit --counts with an option of the fit is a usage error" {
    local o
    for o in "-t 0.4:--threshold" "--model=Facenet:--model" "--target=truth:--target" "--target=decision:--target" "-C 0.5:--cost" "-v:--verbose"; do
        exits_with 2 "logfit: --counts writes counts, not a model: ${o#*:} has no use with it (give it to the logfit that fits the counts)
Try 'logfit --help' for more information." logfit --counts ${o%%:*} -o "$TMP/o" "$D/dist.tsv"
        [ ! -e "$TMP/o" ]
    done
}

@test "counts that cannot make the model asked for: -d naming a column they lack, no distance column, one row, no n_same" {
    mkdir -p "$TMP/w"
    cd "$TMP/w"
    cp "$D/dist.counts" d.counts
    refused "logfit: d.counts:2: the counts have no column 'nosuch' (their columns: cosine, euclidean, euclidean_l2, angular)" \
        logfit -d nosuch,cosine --model Facenet -o m.yaml d.counts
    refused "logfit: d.counts:2: the counts have no column 'nosuch' (their columns: cosine, euclidean, euclidean_l2, angular)" \
        logfit --counts -d nosuch -o m.yaml d.counts
    counts "$H"'x\t0.5\t1\t0\nx\t0.3\t1\t1\n'
    refused "logfit: x.counts:2: the counts have no distance column (expected cosine, euclidean, euclidean_l2, angular, or name them with -d; columns counted: x)" \
        logfit -t 0.4 -o m.yaml x.counts
    # counted again, counts keep their columns (a merge loses nothing)
    run -0 logfit --counts x.counts
    assert_output "$(printf "$H"'x\t0.3\t1\t1\nx\t0.5\t1\t0')"
    # with -d it is a column like another
    run -0 logfit -d x -t 0.4 x.counts
    counts "$H"
    refused "logfit: x.counts:2: the counts have no distance column (expected cosine, euclidean, euclidean_l2, angular, or name them with -d; columns counted: none)" \
        logfit --model Facenet -o m.yaml x.counts
    counts "$H"'cosine\t0.5\t1\t0\n'
    refused "logfit: x.counts: a fit needs at least 2 rows (found 1)" logfit -t 0.4 -o m.yaml x.counts
    # one value of 2 rows is 2 rows: as the rows would
    counts "$H"'cosine\t0.5\t2\t1\n'
    printf 'cosine\tsame\n0.5\t1\n0.5\t0\n' > two.tsv
    run logfit -t 0.4 two.tsv
    local want_status=$status want_output=$output
    run logfit -t 0.4 x.counts
    assert_equal "$status" "$want_status"
    [ "$status" != 0 ] || assert_equal "$output" "$want_output"
    printf '#distconf-counts=1\ncolumn\tvalue\tn\ncosine\t0.5\t1\ncosine\t0.3\t2\n' > ns.counts
    refused "logfit: ns.counts:2: --target truth fits the same-person rows, and the counts have no n_same (their stream had no column 'same')" \
        logfit --target truth -t 0.4 -o m.yaml ns.counts
    refused "logfit: ns.counts:2: no threshold for column 'cosine', and the counts have no n_same (their stream had no column 'same') to tune one on (give -t or --model)" \
        logfit -o m.yaml ns.counts
    [ ! -e m.yaml ]
    # with a threshold they fit, as the rows without same
    printf 'cosine\n0.5\n0.3\n0.3\n' > ns.tsv
    fits_alike ns.tsv ns.counts -t 0.4
}

@test "-d naming a column the counts lack after one they have: the message lists all their columns" {
    cd "$TMP"
    cp "$D/dist.counts" d.counts
    refused "logfit: d.counts:2: the counts have no column 'nosuch' (their columns: cosine, euclidean, euclidean_l2, angular)" \
        logfit -d cosine,nosuch --model Facenet d.counts
}

@test "a reader adds repeated rows of one value, in any order, and a header repeated by cat" {
    # the counts of the article, each column's values descending, split in two rows each, the header twice
    {
        echo '#distconf-counts=1'
        printf 'column\tvalue\tn\tn_same\n'
        tail -n +3 "$D/dist.counts" | awk -F'\t' -v OFS='\t' '
            $1 != last { o[++k] = $1; last = $1 }
            { s = $4 > 0; r[k, ++n[k]] = $1 OFS $2 OFS 1 OFS s; if ($3 > 1) r[k, ++n[k]] = $1 OFS $2 OFS $3 - 1 OFS $4 - s }
            END { for (i = 1; i <= k; i++) for (j = n[i]; j >= 1; j--) print r[i, j] }'
        echo '#distconf-counts=1'
        printf 'column\tvalue\tn\tn_same\n'
    } > "$TMP/messy.counts"
    logfit --counts "$TMP/messy.counts" | cmp - "$D/dist.counts"
    fits_alike "$D/dist.tsv" "$TMP/messy.counts" --model Facenet -v
    # spellings of one value in counts: one key, written shortest
    counts "$H"'cosine\t0.50\t1\t1\ncosine\t5e-1\t2\t0\ncosine\t-0\t1\t1\ncosine\t0.000\t1\t0\n'
    run -0 logfit --counts "$TMP/w/x.counts"
    assert_output "$(printf '#distconf-counts=1\ncolumn\tvalue\tn\tn_same\ncosine\t0\t2\t1\ncosine\t0.5\t3\t1')"
}

@test "shards with no rows (N more than the pairs) merge with the others, in any order" {
    printf 'id0: [x0, x1]\nid1: [y0, y1]\n' > "$TMP/ids.yaml"
    printf 'x0\t1,0,0\nx1\t0.9,0.1,0\ny0\t0,1,0.2\ny1\t0.1,1,0\n' > "$TMP/emb.tsv"
    pairgen -e "$TMP/emb.tsv" "$TMP/ids.yaml" | pairdist -m all > "$TMP/all.tsv"
    [ "$(grep -vc '^#' "$TMP/all.tsv")" = 7 ] # 6 pairs
    local k files=()
    for k in 0 1 2 3 4 5 6 7; do
        pairgen --shard $k/8 -e "$TMP/emb.tsv" "$TMP/ids.yaml" | pairdist -m all --counts > "$TMP/s$k.counts"
        files+=("$TMP/s$k.counts")
    done
    # shards 6 and 7 are empty: the head alone
    run -0 cat "$TMP/s7.counts"
    assert_output "$(printf '#distconf-counts=1\ncolumn\tvalue\tn\tn_same')"
    logfit --counts "$TMP/all.tsv" > "$TMP/all.counts"
    logfit --counts "${files[@]}" | cmp - "$TMP/all.counts"
    logfit --counts $(printf '%s\n' "${files[@]}" | tac) | cmp - "$TMP/all.counts"
    cat "$TMP/s7.counts" "$TMP/s2.counts" "$TMP/s6.counts" "$TMP/s0.counts" "$TMP/s1.counts" "$TMP/s3.counts" "$TMP/s4.counts" "$TMP/s5.counts" |
        logfit --counts | cmp - "$TMP/all.counts"
    logfit --target truth -d cosine -t 0.5 "$TMP/all.tsv" > "$TMP/want.yaml"
    logfit --target truth -d cosine -t 0.5 "$TMP/s6.counts" "${files[@]}" | cmp - "$TMP/want.yaml"
}

@test "counts with no rows read back as counts with no rows (logfit --counts is idempotent)" {
    printf 'a\tb\tsame\tcosine\n' > "$TMP/empty.tsv"
    logfit --counts "$TMP/empty.tsv" > "$TMP/e1.counts"
    run -0 logfit --counts "$TMP/e1.counts"
    assert_output "$(cat "$TMP/e1.counts")"
}

@test "shards whose columns come in other orders: refused, in files or glued by cat, unless -d names the order" {
    cd "$TMP"
    pairgen --shard 0/2 "$FIX/identities.yaml" | pairdist -m cosine,angular --counts > h0.counts
    pairgen --shard 1/2 "$FIX/identities.yaml" | pairdist -m angular,cosine --counts > h1.counts
    refused "logfit: h1.counts:153: column 'cosine' after column 'angular', where h0.counts:3 has it before: counts of streams with their columns in other orders (name the order with -d)" \
        logfit --model Facenet -o m.yaml h0.counts h1.counts
    refused "logfit: h0.counts:153: column 'angular' after column 'cosine', where h1.counts:3 has it before: counts of streams with their columns in other orders (name the order with -d)" \
        logfit --model Facenet -o m.yaml h1.counts h0.counts
    run -1 --separate-stderr sh -c 'cat h0.counts h1.counts | logfit --model Facenet'
    [[ $stderr == *"counts of streams with their columns in other orders"* ]]
    [ ! -e m.yaml ]
    # -d names the order: one model whatever the order of the files, the rows' model
    logfit --model Facenet -d angular,cosine h0.counts h1.counts > m1.yaml
    logfit --model Facenet -d angular,cosine h1.counts h0.counts > m2.yaml
    pairgen "$FIX/identities.yaml" | pairdist -m angular,cosine | logfit --model Facenet > m0.yaml
    cmp m1.yaml m0.yaml
    cmp m2.yaml m0.yaml
    # within one part a column may come back: only first comings are ordered
    printf '#distconf-counts=1\ncolumn\tvalue\tn\tn_same\ncosine\t0.3\t2\t1\nangular\t0.3\t2\t1\ncosine\t0.5\t2\t0\nangular\t0.1\t1\t1\n' > i.counts
    run -0 logfit --counts i.counts
    assert_line --index 2 "$(printf 'cosine\t0.3\t2\t1')"
    assert_line --index 4 "$(printf 'angular\t0.1\t1\t1')"
}

@test "pairdist, confmap and confplot given counts say what they are and who reads them" {
    cd "$TMP"
    cp "$D/dist.counts" d.counts
    local msg="d.counts:1: counts (#distconf-counts=), not a distance stream: only logfit reads counts (pairdist --counts and logfit --counts write them)"
    refused "confmap: $msg" confmap --model Facenet -o out.tsv d.counts
    refused "confplot: $msg" confplot --svg out.svg d.counts
    refused "pairdist: $msg" pairdist -e "$FIX/facenet-embeddings.tsv" -o out.tsv d.counts
    [ ! -e out.tsv ] && [ ! -e out.svg ]
}

@test "an empty file among counts is refused, whatever its place (a shard whose run failed)" {
    cd "$TMP"
    : > empty.counts
    refused "logfit: empty.counts: empty file among counts (counts begin with #distconf-counts=1 and a header: did the run that wrote it fail?)" \
        logfit --model Facenet -o m.yaml "$D/s2-0.counts" empty.counts "$D/s2-1.counts"
    [ ! -e m.yaml ]
    refused "logfit: empty.counts: empty input (expected a header line)" \
        logfit --model Facenet -o m.yaml empty.counts "$D/s2-0.counts"
    refused "logfit: empty.counts: empty file among counts (counts begin with #distconf-counts=1 and a header: did the run that wrote it fail?)" \
        logfit --counts -o m.counts "$D/s2-0.counts" empty.counts
    [ ! -e m.counts ]
    # a distance stream reads as the concatenation of its files: an empty one adds nothing
    logfit --model Facenet "$D/dist.tsv" empty.counts > m1.yaml
    logfit --model Facenet "$D/dist.tsv" | cmp - m1.yaml
}

@test "counts counted again keep the columns of a -d (a merge of shards counted with -d loses nothing)" {
    cd "$TMP"
    printf 'a\tb\tsame\tcosine\tarc\n' > h
    printf 'x\ty\t1\t0.1\t0.2\nx\tz\t0\t0.7\t0.9\n' | cat h - > p0.tsv
    printf 'y\tz\t1\t0.2\t0.3\ny\tw\t0\t0.8\t0.9\n' | cat h - > p1.tsv
    cat p0.tsv p1.tsv > all.tsv
    logfit --counts -d cosine,arc p0.tsv > p0.counts
    logfit --counts -d cosine,arc p1.tsv > p1.counts
    logfit --counts -d cosine,arc all.tsv > all.counts
    grep -q '^arc' all.counts
    logfit --counts p0.counts p1.counts | cmp - all.counts
    cat p1.counts p0.counts | logfit --counts | cmp - all.counts
    # -d still chooses among them
    logfit --counts -d arc p0.counts p1.counts > arc.counts
    logfit --counts -d arc all.tsv | cmp - arc.counts
    # a fit of counts fits the metric columns, as of the rows
    logfit -t 0.5 p0.counts p1.counts | cmp - <(logfit -t 0.5 all.tsv)
}
