#!/usr/bin/env bats
# The calibrated methods end to end: logfit --method platt|isotonic|venn-abers
# (the version 2 model), confmap's METRIC_probability (and _lo, _hi,
# --verified), counts, the model file's errors, option and data errors,
# logfit --cv (determinism, seeds, identity-pair folds), a synthetic stream
# whose true posterior is known, and scikit-learn's isotonic regression.
# Expected numbers are worked out by hand (in the comments) or computed
# independently here (awk; python with scikit-learn where installed).

load test_helper
bats_require_minimum_version 1.5.0

# The article's 300 pairs: a b same cosine euclidean euclidean_l2 angular.
D="$FIX/facenet-distances.tsv"

setup_file() {
    local d="$BATS_FILE_TMPDIR"
    PATH="${DISTCONF_BIN:-$BATS_TEST_DIRNAME/../build/bin}:$PATH"
    export PATH
    # the synthetic stream (test 6): same ~ Bernoulli(0.5), d | same=1 ~
    # N(0.35, 0.1), d | same=0 ~ N(0.65, 0.1) by Box-Muller, awk's srand(1)
    synthetic 100000 > "$d/syn.tsv"
    synthetic 1000 > "$d/syn1000.tsv"
}

# synthetic N: N rows 'same cosine' of the synthetic stream on standard output.
synthetic() {
    awk -v n="$1" 'BEGIN {
        srand(1); print "same\tcosine"
        for (i = 0; i < n; i++) {
            s = rand() < 0.5
            do u = rand(); while (u == 0)
            v = rand()
            z = sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
            printf "%d\t%.6f\n", s, (s ? 0.35 : 0.65) + 0.1 * z
        }
    }'
}

# A stream of the rows given as "same:d" words: stream FILE WORD...
stream() {
    local f=$1
    shift
    { printf 'same\tcosine\n'; for w in "$@"; do printf '%s\t%s\n' "${w%%:*}" "${w#*:}"; done; } > "$f"
}

# The flow list of KEY in METRIC's block of a model file, one value a line.
list() { awk -v m="  $2:" -v k="    $3: [" '$0 == m { f = 1; next } /^  [^ ]/ { f = 0 } f && index($0, k) == 1 { s = substr($0, length(k) + 1); sub(/\]$/, "", s); n = split(s, a, ", "); for (i = 1; i <= n; i++) print a[i] }' "$1"; }

# The probability columns confmap appends, for the distances given:
# probs MODEL PRECISION D... prints "d<TAB>prob[<TAB>lo<TAB>hi]" a line.
probs() {
    local m=$1 p=$2
    shift 2
    cosines "$@"
    confmap -q -M "$m" -p "$p" "$TMP/d.tsv" | tail -n +2
}

# max |a - b| over the lines of two files of numbers (one column each).
maxdiff() { paste "$1" "$2" | awk -F'\t' '{ e = $1 - $2; if (e < 0) e = -e; if (e > m) m = e } END { printf "%.3g\n", m + 0 }'; }

# |a - b| <= tol * |b|
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= t * m) }'; }

# The fractions given (1/3, 2, ...) as doubles, one a line.
fractions() { printf '%s\n' "$@" | awk -F/ '{ printf "%.17g\n", NF == 2 ? $1 / $2 : $1 }'; }

# Platt's fit computed here (Newton on Lin, Lin and Weng's smoothed targets,
# no penalty): platt_ref FILE prints "w b" for the 'same cosine' FILE.
platt_ref() {
    awk -F'\t' 'NR > 1 { d[NR] = $2; y[NR] = $1; np += $1; nn += !$1 }
    END {
        tp = (np + 1) / (np + 2); tn = 1 / (nn + 2); w = 0; b = 0
        for (it = 0; it < 100; it++) {
            g1 = g2 = h11 = h12 = h22 = 0
            for (i in d) {
                p = 1 / (1 + exp(-(w * d[i] + b))); t = y[i] ? tp : tn
                r = p - t; v = p * (1 - p)
                g1 += r * d[i]; g2 += r; h11 += v * d[i] * d[i]; h12 += v * d[i]; h22 += v
            }
            det = h11 * h22 - h12 * h12
            w -= (h22 * g1 - h12 * g2) / det; b -= (h11 * g2 - h12 * g1) / det
        }
        printf "%.15g %.15g\n", w, b
    }' "$1"
}

# ---------------------------------------------------------------- 1. by hand

@test "one pair, platt: the smoothed target 2/3 everywhere (w 0, b ln 2)" {
    stream "$TMP/one.tsv" 1:0.3
    logfit --method platt -o "$TMP/m.yaml" "$TMP/one.tsv" 2> /dev/null
    [ "$(key "$TMP/m.yaml" cosine method)" = platt ]
    # one class: target (1 + 1) / (1 + 2) = 2/3 at the only distance
    run -0 probs "$TMP/m.yaml" 4 0.3
    assert_output "0.3	66.6667"
}

@test "one pair, isotonic: x [0.3], p [1]; 100 below, at and above" {
    stream "$TMP/one.tsv" 1:0.3
    logfit --method isotonic -o "$TMP/m.yaml" "$TMP/one.tsv" 2> /dev/null
    assert_equal "$(list "$TMP/m.yaml" cosine x)" 0.3
    assert_equal "$(list "$TMP/m.yaml" cosine p)" 1
    run -0 probs "$TMP/m.yaml" 2 0.1 0.3 0.9
    assert_output "0.1	100.00
0.3	100.00
0.9	100.00"
}

@test "one pair, venn-abers: below [0.5, 1], at [0.5, 1], above [0, 1]" {
    # d = 0.3, same = 1.  A new pair below 0.3 labelled 0: (d, 0), (0.3, 1)
    # violate a non-increasing fit, pooled to 0.5; labelled 1: 1.  At 0.3:
    # pooled with the pair, {1, 0} = 0.5 and {1, 1} = 1.  Above: (0.3, 1),
    # (d, 0) is already non-increasing: 0; labelled 1: 1.
    stream "$TMP/one.tsv" 1:0.3
    logfit --method venn-abers -o "$TMP/m.yaml" "$TMP/one.tsv" 2> /dev/null
    assert_equal "$(key "$TMP/m.yaml" cosine method)" venn-abers
    assert_equal "$(list "$TMP/m.yaml" cosine x)" 0.3
    assert_equal "$(list "$TMP/m.yaml" cosine p0 | paste -sd' ')" "0.5 0.5 0"
    assert_equal "$(list "$TMP/m.yaml" cosine p1 | paste -sd' ')" "1 1 1"
    # the probability p1 / (1 - p0 + p1): 1 / 1.5 = 66.67, and 1 / 2 = 50
    run -0 probs "$TMP/m.yaml" 2 0.1 0.3 0.9
    assert_output "0.1	66.67	50.00	100.00
0.3	66.67	50.00	100.00
0.9	50.00	0.00	100.00"
}

@test "ties, isotonic: the rows of one distance are pooled to the mean of their labels" {
    # 0.2 holds 1 0 1 0 0: 2/5 = 0.4, between 1 (0.1) and 0 (0.5)
    stream "$TMP/t.tsv" 1:0.1 1:0.2 0:0.2 1:0.2 0:0.2 0:0.2 0:0.5
    logfit --method isotonic -o "$TMP/m.yaml" "$TMP/t.tsv"
    assert_equal "$(list "$TMP/m.yaml" cosine x | paste -sd' ')" "0.1 0.2 0.5"
    assert_equal "$(list "$TMP/m.yaml" cosine p | paste -sd' ')" "1 0.4 0"
    [ "$(key "$TMP/m.yaml" cosine n)" = 7 ]
    [ "$(key "$TMP/m.yaml" cosine n_true)" = 3 ]
    # below, at, between (0.15: (1 + 0.4) / 2; 0.3: 0.4 * 2/3), at, above
    run -0 probs "$TMP/m.yaml" 2 0 0.1 0.15 0.2 0.3 0.5 0.9
    assert_output "0	100.00
0.1	100.00
0.15	70.00
0.2	40.00
0.3	26.67
0.5	0.00
0.9	0.00"
}

@test "ties, venn-abers: p0 and p1 of each of the 7 regions, worked by hand" {
    # rows 0.1: 1; 0.2: 1 0 1 0 0; 0.5: 0.  The new pair labelled 0 / 1 in:
    #  (-inf, 0.1) pooled with 0.1's 1: 1/2 / 1          at 0.1: 1/2 / 1
    #  (0.1, 0.2)  pooled with 0.2's block: 2/6 / 1       at 0.2: 2/6 / 3/6
    #  (0.2, 0.5)  0 / pooled with 0.2's block: 3/6      at 0.5: 0 / (2+1)/(5+2)
    #  (0.5, inf)  0 / pooled back into 0.2's block: 3/7
    stream "$TMP/t.tsv" 1:0.1 1:0.2 0:0.2 1:0.2 0:0.2 0:0.2 0:0.5
    logfit --method venn-abers -o "$TMP/m.yaml" "$TMP/t.tsv"
    list "$TMP/m.yaml" cosine p0 > "$TMP/p0"
    list "$TMP/m.yaml" cosine p1 > "$TMP/p1"
    printf '%s\n' 0.5 0.5 0.3333333333333333 0.3333333333333333 0 0 0 > "$TMP/w0"
    printf '%s\n' 1 1 1 0.5 0.5 0.42857142857142855 0.42857142857142855 > "$TMP/w1"
    [ "$(maxdiff "$TMP/p0" "$TMP/w0")" = 0 ]
    [ "$(maxdiff "$TMP/p1" "$TMP/w1")" = 0 ]
    # confmap: p1 / (1 - p0 + p1) in each region: 1/1.5, 1/1.5, 1/(5/3),
    # 0.5/(7/6), 0.5/1.5, (3/7)/(10/7), (3/7)/(10/7); with --verified >= 50
    cosines 0 0.1 0.15 0.2 0.3 0.5 0.9
    run -0 --separate-stderr confmap -q -M "$TMP/m.yaml" --verified "$TMP/d.tsv"
    assert_output "cosine	cosine_probability	cosine_probability_lo	cosine_probability_hi	cosine_verified
0	66.67	50.00	100.00	1
0.1	66.67	50.00	100.00	1
0.15	60.00	33.33	100.00	1
0.2	42.86	33.33	50.00	0
0.3	33.33	0.00	50.00	0
0.5	30.00	0.00	42.86	0
0.9	30.00	0.00	42.86	0"
}

@test "ties, platt: w and b are the optimum of the smoothed targets (Newton here), confmap's p is the sigmoid" {
    stream "$TMP/t.tsv" 1:0.1 1:0.2 0:0.2 1:0.2 0:0.2 0:0.2 0:0.5
    logfit --method platt -o "$TMP/m.yaml" "$TMP/t.tsv"
    read -r w b < <(platt_ref "$TMP/t.tsv")
    near "$(key "$TMP/m.yaml" cosine w)" "$w" 1e-9
    near "$(key "$TMP/m.yaml" cosine b)" "$b" 1e-9
    local mw mb
    mw=$(key "$TMP/m.yaml" cosine w) mb=$(key "$TMP/m.yaml" cosine b)
    probs "$TMP/m.yaml" 10 0 0.2 0.37 1 | cut -f2 > "$TMP/got"
    awk -v w="$mw" -v b="$mb" 'BEGIN { split("0 0.2 0.37 1", d, " "); for (i = 1; i <= 4; i++) printf "%.10f\n", 100 / (1 + exp(-(w * d[i] + b))) }' > "$TMP/want"
    [ "$(maxdiff "$TMP/got" "$TMP/want")" = 0 ]
}

@test "separated classes (1 1 | 0 0), isotonic: p 1 1 0 0, a straight line from the last same to the first different" {
    stream "$TMP/s.tsv" 1:0.1 1:0.2 0:0.4 0:0.5
    logfit --method isotonic -o "$TMP/m.yaml" "$TMP/s.tsv"
    assert_equal "$(list "$TMP/m.yaml" cosine x | paste -sd' ')" "0.1 0.2 0.4 0.5"
    assert_equal "$(list "$TMP/m.yaml" cosine p | paste -sd' ')" "1 1 0 0"
    cosines 0.05 0.2 0.25 0.29 0.31 0.35 0.4 0.6
    run -0 --separate-stderr confmap -q -M "$TMP/m.yaml" --verified -p 3 "$TMP/d.tsv"
    assert_output "cosine	cosine_probability	cosine_verified
0.05	100.000	1
0.2	100.000	1
0.25	75.000	1
0.29	55.000	1
0.31	45.000	0
0.35	25.000	0
0.4	0.000	0
0.6	0.000	0"
    # -t: verified is d <= t, whatever the probability
    run -0 --separate-stderr confmap -q -M "$TMP/m.yaml" --verified -t 0.35 "$TMP/d.tsv"
    assert_equal "$(cut -f3 <<< "$output" | paste -sd' ')" "cosine_verified 1 1 1 1 1 1 0 0"
}

@test "separated classes, venn-abers and platt: by hand, and platt against Newton here" {
    # venn-abers on 0.1: 1, 0.2: 1, 0.4: 0, 0.5: 0 (the new pair 0 / 1):
    # below 0.1: (0+1+1)/3 / 1; at 0.1: 2/3 / 1; (0.1, 0.2): 1/2 / 1; at 0.2:
    # 1/2 / 1; (0.2, 0.4): 0 / 1; at 0.4: 0 / 1/2; (0.4, 0.5): 0 / 1/2;
    # at 0.5: 0 / (0+0+1)/3; above: 0 / 1/3
    stream "$TMP/s.tsv" 1:0.1 1:0.2 0:0.4 0:0.5
    logfit --method venn-abers -o "$TMP/v.yaml" "$TMP/s.tsv"
    list "$TMP/v.yaml" cosine p0 > "$TMP/p0"
    list "$TMP/v.yaml" cosine p1 > "$TMP/p1"
    fractions 2/3 2/3 1/2 1/2 0 0 0 0 0 > "$TMP/w0"
    fractions 1 1 1 1 1 1/2 1/2 1/3 1/3 > "$TMP/w1"
    [ "$(maxdiff "$TMP/p0" "$TMP/w0")" = 0 ]
    [ "$(maxdiff "$TMP/p1" "$TMP/w1")" = 0 ]
    logfit --method platt -o "$TMP/p.yaml" "$TMP/s.tsv"
    read -r w b < <(platt_ref "$TMP/s.tsv")
    near "$(key "$TMP/p.yaml" cosine w)" "$w" 1e-9
    near "$(key "$TMP/p.yaml" cosine b)" "$b" 1e-9
}

@test "one class: a warning naming the column and 'one class', exit 0, isotonic constant" {
    local m
    for m in platt isotonic venn-abers; do
        warns "logfit: <stdin>: column 'cosine': all 3 rows have same = 0: the $m fit has one class to learn from" \
            bash -c "printf 'same\tcosine\n0\t0.3\n0\t0.5\n0\t0.5\n' | logfit --method $m"
        [[ "$output" == *"method: $m"* ]]
    done
    printf 'same\tcosine\n0\t0.3\n0\t0.5\n0\t0.5\n' | logfit --method isotonic -o "$TMP/m.yaml" 2> /dev/null
    assert_equal "$(list "$TMP/m.yaml" cosine p | sort -u)" 0
    # all ones: the constant 1
    printf 'same\tcosine\n1\t0.3\n1\t0.5\n' | logfit --method isotonic -o "$TMP/m.yaml" 2> /dev/null
    assert_equal "$(list "$TMP/m.yaml" cosine p | sort -u)" 1
    # a column of both classes, beside it, gives no warning
    run -0 --separate-stderr logfit --method isotonic -d cosine "$D"
    assert_equal "$stderr" ""
}

@test "the version 2 model: keys in order, logistic (the default) still writes version 1" {
    run -0 logfit --method isotonic -d cosine "$D"
    # facenet's cosine separates the classes: the last same-person pair is
    # at 0.360338, the first different one at 0.562731 (sort on the file)
    assert_equal "$(awk -F'\t' 'NR > 1 && $3 == 1' "$D" | sort -t$'\t' -k4,4g | tail -1 | cut -f4)" 0.360338
    assert_equal "$(awk -F'\t' 'NR > 1 && $3 == 0' "$D" | sort -t$'\t' -k4,4g | head -1 | cut -f4)" 0.562731
    assert_output "version: 2
metrics:
  cosine:
    method: isotonic
    x: [0.079493, 0.360338, 0.562731, 1.207898]
    p: [1, 1, 0, 0]
    n: 300
    n_true: 38
    range_min: 0.079493
    range_max: 1.207898"
    run -0 logfit --method platt -d cosine "$D"
    assert_equal "$(sed -n 1,4p <<< "$output" | tr '\n' '|')" "version: 2|metrics:|  cosine:|    method: platt|"
    assert_equal "$(sed -n '5,$p' <<< "$output" | cut -d: -f1 | tr -d ' ' | paste -sd' ')" "w b n n_true range_min range_max"
    run -0 logfit --method venn-abers -d cosine "$D"
    assert_equal "$(sed -n '4,$p' <<< "$output" | cut -d: -f1 | tr -d ' ' | paste -sd' ')" "method x p0 p1 n n_true range_min range_max"
    logfit --model Facenet "$D" > "$TMP/a"
    logfit --method logistic --model Facenet "$D" > "$TMP/b"
    cmp "$TMP/a" "$TMP/b"
    [ "$(head -1 "$TMP/a")" = "version: 1" ]
    ! grep -q method "$TMP/a"
}

# ---------------------------------------------------------------- 2. counts

@test "counts of two halves give the model of the whole stream, byte for byte, for each method" {
    head -n 151 "$D" > "$TMP/h1.tsv"
    { head -n 1 "$D"; tail -n 150 "$D"; } > "$TMP/h2.tsv"
    [ "$(cat "$TMP/h1.tsv" "$TMP/h2.tsv" | grep -vc '^a	')" -eq 300 ]
    logfit --counts -o "$TMP/h1.counts" "$TMP/h1.tsv"
    logfit --counts -o "$TMP/h2.counts" "$TMP/h2.tsv"
    local m
    for m in platt isotonic venn-abers; do
        logfit --method "$m" "$D" > "$TMP/rows-$m.yaml"
        logfit --method "$m" "$TMP/h1.counts" "$TMP/h2.counts" > "$TMP/counts-$m.yaml"
        grep -q "method: $m" "$TMP/rows-$m.yaml"
        cmp "$TMP/rows-$m.yaml" "$TMP/counts-$m.yaml"
        # and in the other order
        logfit --method "$m" "$TMP/h2.counts" "$TMP/h1.counts" | cmp - "$TMP/rows-$m.yaml"
    done
}

# ------------------------------------------------------- 3. the model file

@test "round trip: confmap gives the probabilities logfit fitted, at every knot and region" {
    # a noisy fit with many knots: the first 1000 rows of the synthetic stream
    local f="$BATS_FILE_TMPDIR/syn1000.tsv"
    logfit --method isotonic -o "$TMP/i.yaml" "$f"
    list "$TMP/i.yaml" cosine x > "$TMP/x"
    [ "$(wc -l < "$TMP/x")" -gt 20 ]
    list "$TMP/i.yaml" cosine p | awk '{ printf "%.17g\n", 100 * $1 }' > "$TMP/want"
    probs "$TMP/i.yaml" 12 $(cat "$TMP/x") | cut -f2 > "$TMP/got"
    awk -v e="$(maxdiff "$TMP/got" "$TMP/want")" 'BEGIN { exit !(e <= 1e-9) }'
    # venn-abers: at knot j (from 0) region 2j + 1, between it and the next
    # knot (or above the last) region 2j + 2, below the first region 0
    logfit --method venn-abers -o "$TMP/v.yaml" "$f"
    list "$TMP/v.yaml" cosine x > "$TMP/x"
    [ "$(wc -l < "$TMP/x")" -gt 20 ]
    awk '{ x[NR] = $1 } END { printf "%.10f\n", x[1] - 1; for (j = 1; j <= NR; j++) { print x[j]; printf "%.10f\n", j < NR ? (x[j] + x[j + 1]) / 2 : x[j] + 1 } }' "$TMP/x" > "$TMP/at"
    [ "$(wc -l < "$TMP/at")" -eq "$(list "$TMP/v.yaml" cosine p0 | wc -l)" ]
    probs "$TMP/v.yaml" 12 $(cat "$TMP/at") > "$TMP/got"
    list "$TMP/v.yaml" cosine p0 | awk '{ printf "%.17g\n", 100 * $1 }' > "$TMP/w0"
    list "$TMP/v.yaml" cosine p1 | awk '{ printf "%.17g\n", 100 * $1 }' > "$TMP/w1"
    cut -f3 "$TMP/got" > "$TMP/g0"
    cut -f4 "$TMP/got" > "$TMP/g1"
    awk -v e="$(maxdiff "$TMP/g0" "$TMP/w0")" 'BEGIN { exit !(e <= 1e-9) }'
    awk -v e="$(maxdiff "$TMP/g1" "$TMP/w1")" 'BEGIN { exit !(e <= 1e-9) }'
    # the merged probability is p1 / (1 - p0 + p1), from _lo and _hi
    awk -F'\t' '{ p0 = $3 / 100; p1 = $4 / 100; e = $2 - 100 * p1 / (1 - p0 + p1); if (e < 0) e = -e; if (e > 1e-9) bad++ } END { exit bad }' "$TMP/got"
}

# mrefused PHRASE FORMAT [ARG...]: confmap -M refuses the model $TMP/m.yaml
# from printf FORMAT: exit 1, one line, naming the file and line:col, with PHRASE.
mrefused() {
    local phrase=$1
    shift
    model "$@"
    cosines 0.3
    run -1 --separate-stderr confmap -M "$TMP/m.yaml" -o "$TMP/out.tsv" "$TMP/d.tsv"
    [ -z "$output" ] || { echo "stdout: $output" >&2; return 1; }
    [ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "not one line: $stderr" >&2; return 1; }
    [[ "$stderr" =~ ^confmap:\ $TMP/m\.yaml:[0-9]+:[0-9]+:\  ]] || { echo "no file:line:col: $stderr" >&2; return 1; }
    [[ "$stderr" == *"$phrase"* ]] || { echo "no '$phrase' in: $stderr" >&2; return 1; }
    [ ! -e "$TMP/out.tsv" ]
}
V2='version: 2\nmetrics:\n  cosine:\n'

@test "model errors: isotonic p not monotone, outside [0, 1], x not ascending, lengths" {
    mrefused "increases with the distance" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.5, 0.6]\n"
    mrefused "outside [0, 1]" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [1.5, 0.6]\n"
    mrefused "outside [0, 1]" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.5, -0.1]\n"
    mrefused "not strictly ascending" "${V2}    method: isotonic\n    x: [0.2, 0.1]\n    p: [0.6, 0.5]\n"
    mrefused "not strictly ascending" "${V2}    method: isotonic\n    x: [0.1, 0.1]\n    p: [0.6, 0.5]\n"
    mrefused "'p' has 2 values for 3 in 'x'" "${V2}    method: isotonic\n    x: [0.1, 0.2, 0.3]\n    p: [0.6, 0.5]\n"
    # the same file, valid, reads
    model "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n"
    run -0 probs "$TMP/m.yaml" 2 0.15
    assert_output "0.15	55.00"
}

@test "model errors: venn-abers p0 above p1, increasing, not 2n + 1 values" {
    mrefused "p0 above p1" "${V2}    method: venn-abers\n    x: [0.1]\n    p0: [0.5, 0.5, 0]\n    p1: [1, 0.4, 0]\n"
    mrefused "increases with the distance" "${V2}    method: venn-abers\n    x: [0.1]\n    p0: [0.5, 0.5, 0]\n    p1: [1, 0.6, 1]\n"
    mrefused "'p0' has 2 values for 1 in 'x'" "${V2}    method: venn-abers\n    x: [0.1]\n    p0: [0.5, 0.5]\n    p1: [1, 1, 1]\n"
    mrefused "'p1' has 4 values for 1 in 'x'" "${V2}    method: venn-abers\n    x: [0.1]\n    p0: [0.5, 0.5, 0]\n    p1: [1, 1, 1, 1]\n"
    mrefused "not strictly ascending" "${V2}    method: venn-abers\n    x: [0.2, 0.1]\n    p0: [0, 0, 0, 0, 0]\n    p1: [1, 1, 1, 1, 1]\n"
    model "${V2}    method: venn-abers\n    x: [0.1]\n    p0: [0.5, 0.5, 0]\n    p1: [1, 1, 1]\n"
    run -0 probs "$TMP/m.yaml" 2 0.2
    assert_output "0.2	50.00	0.00	100.00"
}

@test "model errors: a key of another method, an unknown method, version 3" {
    mrefused "key 'normalizer' has no use in method isotonic" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n    normalizer: 1\n"
    mrefused "key 'w' has no use in method isotonic" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n    w: 1\n"
    mrefused "key 'x' has no use in method platt" "${V2}    method: platt\n    w: -1\n    b: 0\n    x: [0.1]\n"
    mrefused "key 'p' has no use in method venn-abers" "${V2}    method: venn-abers\n    x: [0.1]\n    p: [1]\n    p0: [0.5, 0.5, 0]\n    p1: [1, 1, 1]\n"
    mrefused "unknown method 'bogus'" "${V2}    method: bogus\n    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n"
    mrefused "unsupported model version '3'" "version: 3\nmetrics:\n  cosine:\n    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n"
}

@test "model errors: a calibrated method in a version 1 file or in the article's dictionary; a curve's fault at its own line" {
    mrefused "m.yaml:4:13: method isotonic needs a version 2 model (the file says version 1)" "version: 1\nmetrics:\n  cosine:\n    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n"
    mrefused "m.yaml:1:23: method platt needs a version 2 model (the article's dictionary holds logistic fits)" "{'cosine': {'method': 'platt', 'w': -1, 'b': 0}}\n"
    mrefused "m.yaml:6:8: metric 'cosine': 'p': a probability that increases with the distance (value 2)" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n    p: [0.5, 0.6]\n"
    mrefused "m.yaml:5:8: metric 'cosine': 'x': distances not strictly ascending (value 2)" "${V2}    method: isotonic\n    x: [0.2, 0.2]\n    p: [0.6, 0.5]\n"
    mrefused "m.yaml:7:9: metric 'cosine': 'p1': a probability outside [0, 1] (value 3)" "${V2}    method: venn-abers\n    x: [0.1]\n    p0: [0.5, 0.5, 0]\n    p1: [1, 1, 2]\n"
}

@test "model error: a missing key names the key and the method, its parentheses closed" {
    mrefused "metric 'cosine' has no 'p' (method isotonic)" "${V2}    method: isotonic\n    x: [0.1, 0.2]\n"
    mrefused "metric 'cosine' has no 'b' (method platt)" "${V2}    method: platt\n    w: -1\n"
}

# ----------------------------------------------------------- 4. errors


@test "usage errors: --method all without --cv, the logistic fit's options with a calibrated method" {
    usage_refused "logfit: --method all compares the methods held-out: give --cv K (a model file holds one method)" logfit --method all "$D"
    usage_refused "logfit: --method isotonic fits the column 'same': --threshold has no use with it (it is the article's logistic fit's)" logfit --method isotonic -t 0.4 "$D"
    usage_refused "logfit: --method isotonic fits the column 'same': --target has no use with it (it is the article's logistic fit's)" logfit --method isotonic --target truth "$D"
    usage_refused "logfit: --method isotonic fits the column 'same': --cost has no use with it (it is the article's logistic fit's)" logfit --method isotonic -C 2 "$D"
    usage_refused "logfit: --method isotonic fits the column 'same': --model has no use with it (it is the article's logistic fit's)" logfit --method isotonic --model Facenet "$D"
    usage_refused "logfit: --method venn-abers fits the column 'same': --threshold has no use with it (it is the article's logistic fit's)" logfit -t 0.4 --method venn-abers "$D"
    # with --cv they are the logistic fit's options, and allowed
    run -0 --separate-stderr logfit --cv 3 --method all --model Facenet -d cosine "$D"
    [ "${#lines[@]}" -eq 6 ]
}

@test "usage errors: --seed without --cv, --cv 1, --cv with -v, --method bogus" {
    usage_refused "logfit: --seed seeds the folds of --cv: give --cv K" logfit --seed 3 "$D"
    usage_refused "logfit: invalid value for --cv: '1' (expected an integer from 2 to 1000000)" logfit --cv 1 "$D"
    usage_refused "logfit: invalid value for --cv: '0' (expected an integer from 2 to 1000000)" logfit --cv 0 "$D"
    usage_refused "logfit: --cv writes its measures: --verbose has no use with it" logfit --cv 5 -v "$D"
    usage_refused "logfit: invalid value for --method: 'bogus' (expected logistic, platt, isotonic, venn-abers or all)" logfit --method bogus "$D"
    usage_refused "logfit: --counts writes counts, not a model: --method has no use with it (give it to the logfit that fits the counts)" logfit --counts --method isotonic "$D"
}

@test "usage errors: confmap --style other than probability on a calibrated metric, probability on a logistic one" {
    logfit --method isotonic -d cosine -o "$TMP/i.yaml" "$D"
    local s
    for s in clamped study raw; do
        usage_refused "confmap: metric 'cosine' is calibrated (method isotonic): it gives a probability, not a confidence (--style probability)" confmap -M "$TMP/i.yaml" --style $s "$D"
    done
    run -0 --separate-stderr confmap -M "$TMP/i.yaml" --style probability "$D"
    assert_equal "$(head -1 <<< "$output")" "a	b	same	cosine	euclidean	euclidean_l2	angular	cosine_probability"
    logfit --model Facenet -d cosine -o "$TMP/l.yaml" "$D"
    usage_refused "confmap: --style probability: metric 'cosine' is the article's logistic fit, a confidence (fit a probability with logfit --method platt, isotonic or venn-abers)" confmap -M "$TMP/l.yaml" --style probability "$D"
}

@test "data errors: no 'same' for --method or --cv, --cv on counts; -o leaves no file" {
    mkdir "$TMP/w"
    cut -f1,2,4 "$D" > "$TMP/w/nosame.tsv"
    cd "$TMP/w"
    refused "logfit: nosame.tsv:1: --method isotonic fits the column 'same', which the stream lacks (columns: a, b, cosine)" logfit --method isotonic -o out.yaml nosame.tsv
    [ ! -e out.yaml ]
    refused "logfit: nosame.tsv:1: --method platt fits the column 'same', which the stream lacks (columns: a, b, cosine)" logfit --method platt -o out.yaml nosame.tsv
    [ ! -e out.yaml ]
    refused "logfit: nosame.tsv:1: --cv measures against the column 'same', which the stream lacks (columns: a, b, cosine)" logfit --cv 5 -o out.tsv nosame.tsv
    [ ! -e out.tsv ]
    logfit --counts "$D" > d.counts
    refused "logfit: d.counts:2: --cv splits rows into folds, and counts have none: give it the distance stream" logfit --cv 5 -o out.tsv d.counts
    [ ! -e out.tsv ]
    # a calibrated method reads counts (they carry n_same)
    run -0 logfit --method isotonic -d cosine d.counts
    assert_equal "$(ls -A)" "d.counts
nosame.tsv"
}

# ----------------------------------------------------------------- 5. --cv

CV_HEADER="column	method	folds	n	n_same	ece	ece_lo	ece_hi	ece_bins	ece_mass	ece_mass_bins	brier	log_loss	auc	width"

@test "--cv: the header, a row per column and method, n and n_same the stream's, width NA but for venn-abers" {
    run -0 --separate-stderr logfit --cv 5 --method all --model Facenet "$D"
    assert_equal "$stderr" ""
    assert_equal "${lines[0]}" "$CV_HEADER"
    [ "${#lines[@]}" -eq 21 ]
    # the rows, in order: each column, each method
    assert_equal "$(tail -n +2 <<< "$output" | cut -f1,2 | tr '\t\n' ': ')" \
        "cosine:logistic cosine:platt cosine:isotonic cosine:venn-abers cosine:deepface euclidean:logistic euclidean:platt euclidean:isotonic euclidean:venn-abers euclidean:deepface euclidean_l2:logistic euclidean_l2:platt euclidean_l2:isotonic euclidean_l2:venn-abers euclidean_l2:deepface angular:logistic angular:platt angular:isotonic angular:venn-abers angular:deepface "
    # folds, n (the rows), n_same (the rows with same = 1)
    local n ns
    n=$(tail -n +2 "$D" | wc -l) ns=$(awk -F'\t' 'NR > 1 { s += $3 } END { print s }' "$D")
    assert_equal "$n $ns" "300 38"
    tail -n +2 <<< "$output" | awk -F'\t' -v n="$n" -v s="$ns" 'NF != 15 || $3 != 5 || $4 != n || $5 != s { print "bad row: " $0; bad = 1 } ($2 == "venn-abers") != ($15 != "NA") { print "width: " $0; bad = 1 } $2 == "venn-abers" && !($15 > 0 && $15 < 1) { print "width: " $0; bad = 1 } END { exit bad }'
    # the measures are in range: ece >= 0, ece_lo <= ece_hi, brier and log loss >= 0, auc in [0, 1]
    tail -n +2 <<< "$output" | awk -F'\t' '!($6 >= 0 && $7 <= $8 && $12 >= 0 && $13 >= $12 && $14 >= 0 && $14 <= 1) { print "out of range: " $0; bad = 1 } END { exit bad }'
    # without --model, no deepface row; without --method, logistic only
    run -0 logfit --cv 5 --method all "$D"
    [ "${#lines[@]}" -eq 17 ]
    ! grep -q deepface <<< "$output"
    run -0 logfit --cv 4 --method isotonic -d angular "$D"
    assert_equal "$(tail -n +2 <<< "$output" | cut -f1-5)" "angular	isotonic	4	300	38"
}

@test "--cv: deterministic; another --seed changes the folds but not n or n_same" {
    logfit --cv 5 --method all "$D" > "$TMP/a"
    logfit --cv 5 --method all "$D" > "$TMP/b"
    cmp "$TMP/a" "$TMP/b"
    logfit --cv 5 --method all --seed 0 "$D" | cmp - "$TMP/a"
    logfit --cv 5 --method all --seed 7 "$D" > "$TMP/c"
    ! cmp -s "$TMP/a" "$TMP/c"
    diff <(cut -f1-5 "$TMP/a") <(cut -f1-5 "$TMP/c")
    # and the same from a pipe
    logfit --cv 5 --method all --seed 7 < "$D" | cmp - "$TMP/c"
}

@test "--cv on pairgen -i | pairdist -m all (the examples): works, 300 pairs" {
    cd "$ROOT/examples"
    pairgen -i identities.yaml | pairdist -m all > "$TMP/ids.tsv"
    assert_equal "$(grep -v '^#' "$TMP/ids.tsv" | head -1 | cut -f4,5)" "id_a	id_b"
    run -0 --separate-stderr logfit --cv 5 --method all --model Facenet "$TMP/ids.tsv"
    assert_equal "$stderr" ""
    assert_equal "${lines[0]}" "$CV_HEADER"
    [ "${#lines[@]}" -eq 21 ]
    tail -n +2 <<< "$output" | awk -F'\t' '$4 != 300 || $5 != 38 { bad = 1 } END { exit bad }'
}

# grouped N: N identity pairs p_i q_i, each at its own distance with a noisy
# label, one row each ('id_a id_b same cosine') on standard output.
grouped() {
    awk -v n="$1" 'BEGIN {
        srand(2); print "id_a\tid_b\tsame\tcosine"
        for (i = 0; i < n; i++) {
            d = 0.2 + 0.6 * i / n + 0.001 * i
            printf "p%d\tq%d\t%d\t%.6f\n", i, i, rand() < 1 / (1 + exp(-(15 - 30 * d))), d
        }
    }'
}

@test "--cv keeps an identity pair's rows in one fold: grouped duplicates score as the single rows, ungrouped they leak" {
    # each identity pair's row three times (once with id_a and id_b swapped):
    # with grouping the three rows fall in one fold, so the held-out fits are
    # those of the single rows with every count tripled, and isotonic
    # regression does not change when every weight triples: its ece, brier,
    # log loss and auc equal the single rows' (the groups are dealt in the
    # same order).  Without the id columns each row is its own group: the
    # training folds hold copies of the held-out rows, and the scores differ.
    grouped 80 > "$TMP/g1.tsv"
    cut -f3,4 "$TMP/g1.tsv" > "$TMP/single.tsv"
    awk -F'\t' -v OFS='\t' 'NR == 1 { print; next } { print; print $2, $1, $3, $4; print }' "$TMP/g1.tsv" > "$TMP/triple.tsv"
    sed '1s/id_/xx_/g' "$TMP/triple.tsv" > "$TMP/ungrouped.tsv"
    local s t u
    s=$(logfit --cv 5 --method isotonic "$TMP/single.tsv" | tail -1)
    t=$(logfit --cv 5 --method isotonic "$TMP/triple.tsv" | tail -1)
    u=$(logfit --cv 5 --method isotonic "$TMP/ungrouped.tsv" | tail -1)
    assert_equal "$(cut -f4,5 <<< "$t")" "240	$((3 * $(cut -f5 <<< "$s")))"
    # ece, ece_bins, brier, log_loss, auc
    assert_equal "$(cut -f6,9,12,13,14 <<< "$t")" "$(cut -f6,9,12,13,14 <<< "$s")"
    [ "$(cut -f6,12,13 <<< "$u")" != "$(cut -f6,12,13 <<< "$t")" ]
    # the leak flatters: a lower held-out log loss without the groups
    awk -v a="$(cut -f13 <<< "$u")" -v b="$(cut -f13 <<< "$t")" 'BEGIN { exit !(a < b) }'
}

# ------------------------------------------------------ 6. a known posterior

@test "synthetic stream (100000 rows): platt, isotonic, venn-abers within 0.01 of the true posterior on average" {
    # equal variances: log-odds = ((d - 0.65)^2 - (d - 0.35)^2) / (2 0.1^2)
    #                           = (0.3 - 0.6 d) / 0.02 = 15 - 30 d
    local f="$BATS_FILE_TMPDIR/syn.tsv" m e
    [ "$(tail -n +2 "$f" | wc -l)" -eq 100000 ]
    # the generator: about half same, the means where they belong
    awk -F'\t' 'NR > 1 { n[$1]++; s[$1] += $2 } END { m1 = s[1] / n[1]; m0 = s[0] / n[0]; exit !(n[1] > 49000 && n[1] < 51000 && m1 > 0.348 && m1 < 0.352 && m0 > 0.648 && m0 < 0.652) }' "$f"
    for m in platt isotonic venn-abers; do
        logfit --method "$m" -o "$TMP/$m.yaml" "$f"
        e=$(confmap -q -M "$TMP/$m.yaml" -p 10 "$f" | awk -F'\t' 'NR > 1 { t = 1 / (1 + exp(-(15 - 30 * $2))); e = $3 / 100 - t; s += e < 0 ? -e : e; n++ } END { if (n != 100000) print "rows: " n; else printf "%.6f\n", s / n }')
        echo "# $m: mean |p - posterior| = $e" >&3
        awk -v e="$e" 'BEGIN { exit !(e + 0 == e && e <= 0.01) }' || { echo "$m: $e" >&2; return 1; }
    done
    # platt is the true model's family: its w, b near -30, 15
    near "$(key "$TMP/platt.yaml" cosine w)" -30 0.05
    near "$(key "$TMP/platt.yaml" cosine b)" 15 0.05
}

@test "synthetic stream: venn-abers' interval narrows as pairs grow (1000 rows vs 100000)" {
    local f="$BATS_FILE_TMPDIR/syn.tsv" small big
    logfit --method venn-abers -o "$TMP/small.yaml" "$BATS_FILE_TMPDIR/syn1000.tsv"
    logfit --method venn-abers -o "$TMP/big.yaml" "$f"
    # both measured on the same 100000 distances
    small=$(confmap -q -M "$TMP/small.yaml" -p 10 "$f" | awk -F'\t' 'NR > 1 { s += $5 - $4; n++ } END { printf "%.6f\n", s / n / 100 }')
    big=$(confmap -q -M "$TMP/big.yaml" -p 10 "$f" | awk -F'\t' 'NR > 1 { s += $5 - $4; n++ } END { printf "%.6f\n", s / n / 100 }')
    echo "# mean width: 1000 rows $small, 100000 rows $big" >&3
    awk -v a="$small" -v b="$big" 'BEGIN { exit !(a > b && b > 0 && a < 1) }'
    # the width at 1000 rows is about 10 times that at 100000 (1/n): at least 5
    awk -v a="$small" -v b="$big" 'BEGIN { exit !(a > 5 * b) }'
}

# --------------------------------------------------------- 7. scikit-learn

@test "scikit-learn's stored isotonic predictions (tests/fixtures/sklearn-isotonic.tsv), through the programs, to 1e-10" {
    local fx="$FIX/sklearn-isotonic.tsv"
    awk -F'\t' 'BEGIN { print "same\tcosine" } $1 == "row" { print $3 "\t" $2 }' "$fx" > "$TMP/rows.tsv"
    [ "$(tail -n +2 "$TMP/rows.tsv" | wc -l)" -eq 300 ]
    logfit --method isotonic -o "$TMP/m.yaml" "$TMP/rows.tsv"
    awk -F'\t' '$1 == "at" { print $2 }' "$fx" > "$TMP/at"
    awk -F'\t' '$1 == "at" { print $3 }' "$fx" > "$TMP/want"
    probs "$TMP/m.yaml" 12 $(cat "$TMP/at") | awk -F'\t' '{ printf "%.17g\n", $2 / 100 }' > "$TMP/got"
    [ "$(wc -l < "$TMP/got")" -eq 138 ]
    awk -v e="$(maxdiff "$TMP/got" "$TMP/want")" 'BEGIN { exit !(e <= 1e-10) }'
}

# sklearn_iso TRAIN AT: IsotonicRegression(increasing=False,
# out_of_bounds='clip') fitted on TRAIN ('same cosine' TSV), its predictions
# at the distances of AT (one a line), one a line.
sklearn_iso() {
    /usr/bin/python3 - "$1" "$2" << 'EOF'
import sys
import numpy as np
from sklearn.isotonic import IsotonicRegression
t = np.loadtxt(sys.argv[1], skiprows=1, delimiter="\t", ndmin=2)
at = np.loadtxt(sys.argv[2], ndmin=1)
ir = IsotonicRegression(increasing=False, out_of_bounds="clip").fit(t[:, 1], t[:, 0])
for p in ir.predict(at):
    print(repr(float(p)))
EOF
}

need_sklearn() {
    /usr/bin/python3 -c 'import sklearn, numpy' 2> /dev/null || skip "no scikit-learn (/usr/bin/python3 -c 'import sklearn')"
}

@test "scikit-learn's IsotonicRegression on facenet's cosine, at every row and 20 other distances, to 1e-10" {
    need_sklearn
    awk -F'\t' 'NR == 1 { print "same\tcosine"; next } { print $3 "\t" $4 }' "$D" > "$TMP/t.tsv"
    logfit --method isotonic -o "$TMP/m.yaml" "$TMP/t.tsv"
    { tail -n +2 "$TMP/t.tsv" | cut -f2
      awk 'BEGIN { for (i = 0; i < 20; i++) printf "%.6f\n", -0.1 + 1.5 * i / 19 + 0.000123 }'; } > "$TMP/at"
    [ "$(wc -l < "$TMP/at")" -eq 320 ]
    sklearn_iso "$TMP/t.tsv" "$TMP/at" > "$TMP/want"
    probs "$TMP/m.yaml" 12 $(cat "$TMP/at") | awk -F'\t' '{ printf "%.17g\n", $2 / 100 }' > "$TMP/got"
    [ "$(wc -l < "$TMP/got")" -eq 320 ]
    # the 20 include points strictly between the last same and first different pair
    awk '$1 > 0.360338 && $1 < 0.562731' "$TMP/at" | grep -q .
    awk -v e="$(maxdiff "$TMP/got" "$TMP/want")" 'BEGIN { exit !(e <= 1e-10) }'
}

@test "scikit-learn's IsotonicRegression on a noisy stream (1000 synthetic rows), at every row and 20 others, to 1e-10" {
    need_sklearn
    local f="$BATS_FILE_TMPDIR/syn1000.tsv"
    logfit --method isotonic -o "$TMP/m.yaml" "$f"
    { tail -n +2 "$f" | cut -f2
      awk 'BEGIN { for (i = 0; i < 20; i++) printf "%.6f\n", -0.2 + 1.4 * i / 19 + 0.000321 }'; } > "$TMP/at"
    sklearn_iso "$f" "$TMP/at" > "$TMP/want"
    probs "$TMP/m.yaml" 12 $(cat "$TMP/at") | awk -F'\t' '{ printf "%.17g\n", $2 / 100 }' > "$TMP/got"
    [ "$(wc -l < "$TMP/got")" -eq 1020 ]
    awk -v e="$(maxdiff "$TMP/got" "$TMP/want")" 'BEGIN { exit !(e <= 1e-10) }'
}

@test "evidence: on DeepFace's 280 labelled test pairs, held out, isotonic and venn-abers are better calibrated than DeepFace's own mapping (VGG-Face, Facenet, OpenFace)" {
    # bench/calib.sh prints the whole table, the DeepFace model's columns
    # too, where the intervals overlap; here the columns where the gap is
    # many times the sampling uncertainty
    local m
    for m in VGG-Face Facenet OpenFace; do
        awk -F, -v M="$m" 'NR == 1 { printf "a\tb\tsame"
                                     for (i = 4; i <= NF; i++) if (index($i, M "_") == 1) { c[i] = 1; printf "\t%s", substr($i, length(M) + 2) }
                                     print ""; next }
                           { printf "%s\t%s\t%d", $1, $2, $3 == "Yes"
                             for (i = 4; i <= NF; i++) if (i in c) printf "\t%s", $i
                             print "" }' "$FIX/face-recognition-pivot.csv" > "$TMP/$m.tsv"
        run -0 --separate-stderr logfit --cv 10 --method all --model "$m" "$TMP/$m.tsv"
        printf '%s\n' "$output" | awk -F'\t' -v M="$m" '
            NR > 1 { ece[$1, $2] = $6; lo[$1, $2] = $7; hi[$1, $2] = $8; cols[$1] = 1 }
            END { for (c in cols) for (k = 1; k <= 2; k++) { meth = k == 1 ? "isotonic" : "venn-abers"
                      if (!(hi[c, meth] < lo[c, "deepface"])) { printf "%s %s: %s %s [%s, %s], deepface %s [%s, %s]\n", M, c, meth, ece[c, meth], lo[c, meth], hi[c, meth], ece[c, "deepface"], lo[c, "deepface"], hi[c, "deepface"]; bad = 1 }
                      n++ }
                  exit bad || n < 4 }'
    done
}

@test "a model of both kinds: a style is for its own kind's metrics, the other kind keeps its default" {
    logfit -d euclidean --model Facenet "$D" > "$TMP/lg.yaml"
    logfit --method isotonic -d cosine "$D" > "$TMP/iso.yaml"
    { cat "$TMP/iso.yaml"; sed -n '/^  euclidean:/,$p' "$TMP/lg.yaml"; } > "$TMP/mixed.yaml"
    local st raw clamped
    run -0 --separate-stderr confmap -M "$TMP/mixed.yaml" "$D"
    clamped=$(printf '%s\n' "$output" | sed -n 2p | cut -f 8,9)
    run -0 --separate-stderr confmap -M "$TMP/lg.yaml" -m euclidean "$D"
    assert_equal "$(printf '%s\n' "$output" | sed -n 2p | cut -f 8)" "${clamped#*	}"
    run -0 --separate-stderr confmap -M "$TMP/mixed.yaml" --style probability "$D"
    assert_equal "$(printf '%s\n' "$output" | sed -n 2p | cut -f 8,9)" "$clamped"
    run -0 --separate-stderr confmap -M "$TMP/mixed.yaml" --style raw "$D"
    raw=$(printf '%s\n' "$output" | sed -n 2p | cut -f 8,9)
    run -0 --separate-stderr confmap -M "$TMP/lg.yaml" --style raw -m euclidean "$D"
    assert_equal "$raw" "${clamped%	*}	$(printf '%s\n' "$output" | sed -n 2p | cut -f 8)"
    assert_equal "$(head -1 <<<"$output" | cut -f 8)" "euclidean_confidence"
    # a style that fits none of the metrics mapped is refused
    usage_refused "confmap: metric 'cosine' is calibrated (method isotonic): it gives a probability, not a confidence (--style probability)" \
        confmap -M "$TMP/mixed.yaml" -m cosine --style raw "$D"
    usage_refused "confmap: --style probability: metric 'euclidean' is the article's logistic fit, a confidence (fit a probability with logfit --method platt, isotonic or venn-abers)" \
        confmap -M "$TMP/mixed.yaml" -m euclidean --style probability "$D"
}

@test "--cv: the logistic fit's options are refused with a calibrated method; no rows is an error; a curve without 'method' says why" {
    usage_refused "logfit: --method platt fits the column 'same': --threshold has no use with it (it is the article's logistic fit's)" logfit --cv 5 --method platt -t 0.4 "$D"
    usage_refused "logfit: --method isotonic fits the column 'same': --model has no use with it (it is the article's logistic fit's)" logfit --cv 5 --method isotonic --model Facenet "$D"
    run -0 --separate-stderr logfit --cv 5 --method all --model Facenet -t cosine=0.4 -d cosine "$D"
    [ "$(printf '%s\n' "$output" | cut -f 2 | tr '\n' ' ')" = "method logistic platt isotonic venn-abers deepface " ]
    printf 'same\tcosine\n' > "$TMP/zero.tsv"
    refused "logfit: $TMP/zero.tsv: column 'cosine': no rows to cross-fit" logfit --cv 2 -o "$TMP/cv.tsv" "$TMP/zero.tsv"
    [ ! -e "$TMP/cv.tsv" ]
    mrefused "m.yaml:4:8: metric 'cosine': key 'x' has no use in method logistic (a metric without 'method' is logistic)" "${V2}    x: [0.1, 0.2]\n    p: [0.6, 0.5]\n"
}

@test "errors of the calibrated fits: no rows to fit; --cv with one group; the article's fit with one class in a training fold is NA, with a warning" {
    printf 'same\tcosine\n' > "$TMP/z.tsv"
    refused "logfit: $TMP/z.tsv: column 'cosine': no rows to fit" logfit --method platt -o "$TMP/m.yaml" "$TMP/z.tsv"
    [ ! -e "$TMP/m.yaml" ]
    printf 'id_a\tid_b\tsame\tcosine\nA\tB\t1\t0.1\nB\tA\t0\t0.5\n' > "$TMP/one.tsv"
    refused "logfit: $TMP/one.tsv: column 'cosine': every row is in one fold: --cv needs rows of at least 2 groups (identity pairs, or rows)" logfit --cv 2 -o "$TMP/cv.tsv" "$TMP/one.tsv"
    [ ! -e "$TMP/cv.tsv" ]
    # VGG-Face's euclidean threshold 1.17 is above every distance of its
    # 2020 test pairs: the article's fit has one class; the others go on
    awk -F, 'NR == 1 { print "same\teuclidean"; next } { print ($3 == "Yes") "\t" $5 }' "$FIX/face-recognition-pivot.csv" > "$TMP/vgg.tsv"
    warns "logfit: $TMP/vgg.tsv: column 'euclidean': the article's fit has one class to fit in a training fold (every distance on one side at threshold 1.17): its measures are NA" \
        logfit --cv 5 --method all --model VGG-Face "$TMP/vgg.tsv"
    assert_equal "$(printf '%s\n' "$output" | awk -F'\t' '$2 == "logistic" { print $4, $5, $6, $15 }')" "280 140 NA NA"
    assert_equal "$(printf '%s\n' "$output" | awk -F'\t' 'NR > 1 && $6 != "NA"' | cut -f 2 | tr '\n' ' ')" "platt isotonic venn-abers deepface "
}
