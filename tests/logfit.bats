#!/usr/bin/env bats
# logfit: the article's fit, thresholds, targets, the model file, -v, errors.

load test_helper
bats_require_minimum_version 1.5.0

# The article's 300 pairs as pairdist writes them (a b same and the four
# distances), derived from facenet-pairs.tsv.
D="$FIX/facenet-distances.tsv"

# |a - b| <= tol * |b|
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= t * m) }'; }
# keys_near FILE TOL METRIC KEY WANT...: each KEY of METRIC in the model FILE
# is near WANT, within TOL relative.
keys_near() {
    local f=$1 tol=$2
    shift 2
    while [ $# -gt 0 ]; do
        near "$(key "$f" "$1" "$2")" "$3" "$tol" || { echo "$1 $2: $(key "$f" "$1" "$2"), want $3 within $tol" >&2; return 1; }
        shift 3
    done
}

@test "the article's pipeline: cosine w = -6.5057, b = 1.6780, normalizer 1.207898 (the study: -6.5023, 1.6790)" {
    pairgen "$FIX/identities.yaml" | pairdist -m all | logfit --model Facenet > "$TMP/m.yaml"
    [ "$(printf '%.4f' "$(key "$TMP/m.yaml" cosine w)")" = "-6.5057" ]
    [ "$(printf '%.4f' "$(key "$TMP/m.yaml" cosine b)")" = "1.6780" ]
    [ "$(key "$TMP/m.yaml" cosine normalizer)" = "1.207898" ]
    near "$(key "$TMP/m.yaml" cosine w)" -6.502269165856082 0.0015
    near "$(key "$TMP/m.yaml" cosine b)" 1.679048923097668 0.0015
    # the stream from pairdist is the derived fixture, byte for byte
    pairgen "$FIX/identities.yaml" | pairdist -m all | grep -v '^#' | cmp - "$D"
}

@test "the model file: SPEC's keys in SPEC's order, shortest round-trip doubles" {
    # Pinned exactly: the fit sums over the distinct distances in ascending
    # order (their counts), not the rows in the stream's order as 0.1.0 did:
    # since then w and some denorm values differ from 0.1.0's in the last digit.
    run -0 logfit --model Facenet -d cosine "$D"
    assert_output "version: 1
metrics:
  cosine:
    threshold: 0.4
    w: -6.505690764572049
    b: 1.678006396730693
    normalizer: 1.207898
    denorm_max_true: 77.72756686132836
    denorm_min_true: 43.46854114406416
    denorm_max_false: 20.54063775453815
    denorm_min_false: 0.7941464824340198
    n: 300
    n_true: 38
    range_min: 0.079493
    range_max: 1.207898
    target: decision
    C: 1
    threshold_from: Facenet"
}

@test "agrees with scikit-learn's LogisticRegression() to its tolerance (about 1e-4)" {
    # Reference values: scikit-learn 1.2.1, lbfgs, tol 1e-4, on this file.
    logfit --model Facenet "$D" > "$TMP/m.yaml"
    keys_near "$TMP/m.yaml" 1e-4 cosine w -6.50568935287542 cosine b 1.6780065044261754 \
        euclidean w -6.710639084449443 euclidean b 2.7862844502173187 \
        euclidean_l2 w -6.704521859100852 euclidean_l2 b 2.907158713637838 \
        angular w -6.361178372763612 angular b 0.6733812190855678
    # and to 1e-12 with an exact Newton solve (numpy, 100 iterations)
    keys_near "$TMP/m.yaml" 1e-12 cosine w -6.50569076457205 cosine b 1.6780063967306935 \
        angular w -6.361178311751815 angular b 0.6733811851906825
    # -C 10: scikit-learn's LogisticRegression(C=10)
    logfit -C 10 -t 0.4 -d cosine "$D" > "$TMP/c.yaml"
    keys_near "$TMP/c.yaml" 1e-4 cosine w -13.355005545709986 cosine b 4.5474793282178565
    [ "$(key "$TMP/c.yaml" cosine C)" = 10 ]
}

@test "the model reads back into confmap, bit for bit" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    # confmap's raw p on the rows with d <= T spans exactly denorm_min_true..max_true
    confmap -M "$TMP/m.yaml" -m cosine --style raw -p 17 "$D" |
        awk -F'\t' 'NR > 1 && $4 <= 0.4 { if (!n++ || $8 > mx) mx = $8; if (n == 1 || $8 < mn) mn = $8 } END { printf "%.17g %.17g\n", mn, mx }' > "$TMP/range"
    awk -v a="$(key "$TMP/m.yaml" cosine denorm_min_true)" -v b="$(key "$TMP/m.yaml" cosine denorm_max_true)" 'BEGIN { printf "%.17g %.17g\n", a, b }' > "$TMP/want"
    cmp "$TMP/range" "$TMP/want"
    # the article's re-scaling: every same row in [51, 100], every other in [0, 49]
    run -0 bash -c "confmap -M '$TMP/m.yaml' -m cosine '$D' | awk -F'\t' 'NR > 1 && ((\$4 <= 0.4) != (\$8 >= 51)) { bad++ } END { print bad + 0 }'"
    assert_output 0
}

@test "no threshold given: tuned on 'same', the middle of the widest best gap, accuracy recorded" {
    # separable: halfway between the farthest same pair (0.360338) and the
    # closest different one (0.562731); euclidean 10.442652 and 12.228993
    run -0 logfit -d cosine,euclidean "$D"
    assert_line "    threshold: 0.46153449999999996"
    assert_line "    threshold: 11.335822499999999"
    assert_line "    threshold_from: tuned"
    assert_line "    accuracy: 1"
    # T in [0.1, 0.2) and in [0.3, 0.5) both classify 3 of 4 rows right:
    # the wider, its middle
    printf 'same\tcosine\n1\t0.1\n0\t0.2\n1\t0.3\n0\t0.5\n' > "$TMP/tie.tsv"
    run -0 logfit "$TMP/tie.tsv"
    assert_line "    threshold: 0.4"
    assert_line "    accuracy: 0.75"
}

@test "-t T sets every column's threshold, -t COL=T,... one each, over --model's" {
    run -0 logfit -t 0.35 -d cosine "$D"
    assert_line "    threshold: 0.35"
    assert_line "    threshold_from: given"
    logfit -t cosine=0.38,euclidean=10.5 --model Facenet "$D" > "$TMP/m.yaml"
    [ "$(key "$TMP/m.yaml" cosine threshold)" = 0.38 ]
    [ "$(key "$TMP/m.yaml" euclidean threshold)" = 10.5 ]
    [ "$(key "$TMP/m.yaml" euclidean threshold_from)" = given ]
    [ "$(key "$TMP/m.yaml" euclidean_l2 threshold)" = 0.8 ]
    [ "$(key "$TMP/m.yaml" angular threshold_from)" = Facenet ]
    [ "$(key "$TMP/m.yaml" euclidean n_true)" = 38 ]
}

@test "--model is matched case-insensitively and recorded as DeepFace spells it" {
    run -0 logfit --model=facenet512 -d cosine "$D"
    assert_line "    threshold: 0.3"
    assert_line "    threshold_from: Facenet512"
}

@test "columns: every metric column in stream order, or -d's in its order, any name" {
    run -0 bash -c "logfit --model Facenet '$D' | grep '^  [a-z]'"
    assert_output $'  cosine:\n  euclidean:\n  euclidean_l2:\n  angular:'
    run -0 bash -c "logfit --model Facenet -d angular,cosine '$D' | grep '^  [a-z]'"
    assert_output $'  angular:\n  cosine:'
    # any numeric column; a name YAML would read as a number stays a string
    cut -f3,4 "$D" | sed '1s/cosine/1e5/' > "$TMP/n.tsv"
    run -0 bash -c "logfit -d 1e5 -t 0.4 '$TMP/n.tsv' | sed -n 3p"
    assert_output "  '1e5':"
}

@test "--target truth fits 'same' (Platt scaling)" {
    run -0 logfit --target truth -t 0.36 -d euclidean "$D"
    assert_line "    target: truth"
    assert_line "    n_true: 38"
    # on this file truth and decision at 0.4 agree for cosine
    logfit --target truth -t 0.4 -d cosine "$D" | grep -v target > "$TMP/t"
    logfit -t 0.4 -d cosine "$D" | grep -v target > "$TMP/d"
    cmp "$TMP/t" "$TMP/d"
}

@test "several files and gzip input read as one stream" {
    head -151 "$D" > "$TMP/a.tsv"
    { head -1 "$D"; tail -n +152 "$D"; } | gzip > "$TMP/b.tsv.gz"
    logfit --model Facenet "$TMP/a.tsv" "$TMP/b.tsv.gz" > "$TMP/two"
    logfit --model Facenet < "$D" > "$TMP/one"
    cmp "$TMP/one" "$TMP/two"
}

@test "-v reports rows, threshold, Newton steps, gradient, accuracy, ROC AUC, Brier, ECE" {
    run -0 --separate-stderr logfit -v --model Facenet -d cosine "$D"
    assert_line -n 0 "version: 1"
    [[ "$stderr" == *"cosine: 300 rows, 38 with y = 1 and 262 with y = 0; y = (d <= threshold); threshold 0.4, DeepFace's for Facenet"* ]]
    [[ "$stderr" == *"Newton steps"*"gradient norm"* ]]
    [[ "$stderr" == *"mean p 12.666667 (100 n_true / n = 12.666667)"* ]]
    [[ "$stderr" == *"against same (38 of 300): accuracy 1.0000, ROC AUC 1.0000"* ]]
    [[ "$stderr" == *"raw p        0.0182    0.0851 ( 7 of 10 used)     0.0638 (10 of 10 used)"* ]]
    [[ "$stderr" == *"re-scaled    0.0075    0.0576 ( 8 of 10 used)     0.0416 (10 of 10 used)"* ]]
    [[ "$stderr" != *"penalty dominates"* ]]
    cut -f1,2,4 "$D" > "$TMP/nosame.tsv"
    run -0 --separate-stderr logfit -v -t 0.4 "$TMP/nosame.tsv"
    [[ "$stderr" == *"no column 'same'"* ]]
}

@test "numerically safe: separable, n = 2, 1000 identical distances, 1e-9 with 1e6" {
    printf 'cosine\n0.1\n0.9\n' > "$TMP/two.tsv"
    logfit -t 0.5 "$TMP/two.tsv" > "$TMP/two.yaml"
    # the optimum solves w = -0.8 sigma(0.4 w) (by symmetry b = -w / 2)
    near "$(key "$TMP/two.yaml" cosine w)" -0.37042045880878927 1e-14
    near "$(key "$TMP/two.yaml" cosine b)" 0.18521022940439463 1e-14
    { printf 'same\tcosine\n'; for i in $(seq 1000); do echo "$((i % 3 == 0))	0.5"; done; } > "$TMP/flat.tsv"
    run -0 logfit --target truth -t 0.5 "$TMP/flat.tsv"
    assert_line "    w: 0"
    assert_line "    denorm_max_true: 33.300000000000004"
    printf 'd\n1e-9\n2e-9\n1e6\n5e5\n' > "$TMP/wide.tsv"
    run -0 logfit -d d -t 1 "$TMP/wide.tsv"
    assert_line "    normalizer: 1000000"
    refute_output --partial nan
    refute_output --partial inf
    # a far outlier (saturated at the optimum) defeats Newton's method; the
    # profile bisection finds the fit of the other rows
    printf 'd\n0.1\n2\n0.2\n1.5\n' > "$TMP/four.tsv"
    { cat "$TMP/four.tsv"; echo -1e12; } > "$TMP/five.tsv"
    logfit -d d -t 1 "$TMP/four.tsv" > "$TMP/four.yaml"
    run -0 --separate-stderr logfit -v -d d -t 1 "$TMP/five.tsv"
    [[ "$stderr" == *"bisection on the profile"* ]]
    echo "$output" > "$TMP/five.yaml"
    near "$(key "$TMP/five.yaml" d w)" "$(key "$TMP/four.yaml" d w)" 1e-12
    near "$(key "$TMP/five.yaml" d b)" "$(key "$TMP/four.yaml" d b)" 1e-12
    # an extreme C: the penalty hardly holds w, yet p stays finite
    run -0 logfit -C 1e9 -t 0.4 -d cosine "$D"
    refute_output --partial nan
    assert_line "    denorm_max_true: 100"
}

@test "-o writes the file atomically; on an error no file is left, an old one is kept" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    run -0 logfit --model Facenet "$D"
    [ "$output" = "$(cat "$TMP/m.yaml")" ]
    echo old > "$TMP/m.yaml"
    printf 'cosine\n0.3\nx\n' > "$TMP/bad.tsv"
    run -1 logfit -t 0.4 -o "$TMP/m.yaml" "$TMP/bad.tsv"
    [ "$(cat "$TMP/m.yaml")" = old ]
    run -1 logfit -t 2 -o "$TMP/new.yaml" "$D"
    [ ! -e "$TMP/new.yaml" ]
    [ "$(ls -A "$TMP" | grep -c -e tmp -e '^\.distconf-')" -eq 0 ]
}

@test "error: no distance column lists the columns" {
    run -1 --separate-stderr bash -c "cut -f1-3 '$D' | logfit"
    assert_equal "$stderr" "logfit: <stdin>:1: no distance column (expected cosine, euclidean, euclidean_l2, angular, or name them with -d; columns: a, b, same)"
}

@test "error: a bad number names its line and column" {
    printf 'same\tcosine\n1\t0.3\n0\tabc\n' > "$TMP/x.tsv"
    run -1 --separate-stderr logfit "$TMP/x.tsv"
    assert_equal "$stderr" "logfit: $TMP/x.tsv:3: column 'cosine' is not a number ('abc')"
}

@test "error: NaN and Inf are not numbers" {
    refused "logfit: <stdin>:3: column 'cosine' is not a number ('nan')" bash -c "printf 'same\tcosine\n1\t0.3\n0\tnan\n' | logfit"
    refused "logfit: <stdin>:2: column 'cosine' is not a number ('-Inf')" bash -c "printf 'same\tcosine\n1\t-Inf\n' | logfit"
}

@test "error: fewer than 2 rows" {
    refused "logfit: <stdin>: a fit needs at least 2 rows (found 1)" bash -c "printf 'same\tcosine\n1\t0.3\n' | logfit"
    refused "logfit: <stdin>: a fit needs at least 2 rows (found 0)" bash -c "printf 'same\tcosine\n' | logfit"
}

@test "error: empty input" {
    run -1 --separate-stderr logfit < /dev/null
    assert_equal "$stderr" "logfit: <stdin>: empty input (expected a header line)"
}

@test "a tuned threshold that leaves a class almost alone on its side is warned of, once; the model is still written" {
    # same on every 10th row, distances that ignore it: the best accuracy
    # is the majority's, reached with a threshold below nearly every row
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 20000; i++)
        printf "%d\t%.6f\n", i % 10 == 0, 0.3 + (i * 7919 % 20000) / 40000 }' > "$TMP/blind.tsv"
    run -0 --separate-stderr logfit -o "$TMP/blind.yaml" "$TMP/blind.tsv"
    assert_equal "$stderr" "logfit: $TMP/blind.tsv: column 'cosine': the tuned threshold 0.3000125 leaves 1 row on the same side, where 2000 rows have same = 1 (accuracy 0.9001; 0.9000 calling every pair different): the distances hardly separate the classes, and the model is nearly degenerate"
    grep -q 'threshold_from: tuned' "$TMP/blind.yaml"
    # the same few rows on the same side, but they are all the same rows
    # there are (1 in 1000, well separated): no warning
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 20000; i++)
        printf "%d\t%.6f\n", i % 1000 == 0, i % 1000 == 0 ? 0.1 : 0.5 + i / 100000 }' > "$TMP/rare.tsv"
    run -0 --separate-stderr logfit "$TMP/rare.tsv"
    assert_equal "$stderr" ""
    assert_line "    accuracy: 1"
    # the mirror: same on 9 rows in 10, the best threshold takes every row
    # as same: the fit's error alone, one line
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 20000; i++)
        printf "%d\t%.6f\n", i % 10 != 0, 0.3 + (i * 7919 % 20000) / 40000 }' > "$TMP/blind2.tsv"
    refused "logfit: $TMP/blind2.tsv: column 'cosine': all 20000 rows are 'same' at threshold 0.799975: logistic regression needs both classes" logfit "$TMP/blind2.tsv"
    # fitted on the truth it is no error: warned of, the model written
    run -0 --separate-stderr logfit --target truth -o "$TMP/b2.yaml" "$TMP/blind2.tsv"
    assert_equal "$stderr" "logfit: $TMP/blind2.tsv: column 'cosine': the tuned threshold 0.799975 leaves 0 rows on the different side, where 2000 rows have same = 0 (accuracy 0.9000; 0.9000 calling every pair same): the distances hardly separate the classes, and the model is nearly degenerate"
    grep -q 'target: truth' "$TMP/b2.yaml"
    # its counts, and -j 2: the same line; two such columns: a line each, in order
    logfit --counts -o "$TMP/b2.counts" "$TMP/blind2.tsv"
    run -0 --separate-stderr logfit --target truth "$TMP/b2.counts"
    assert_equal "$stderr" "logfit: $TMP/b2.counts: column 'cosine': the tuned threshold 0.799975 leaves 0 rows on the different side, where 2000 rows have same = 0 (accuracy 0.9000; 0.9000 calling every pair same): the distances hardly separate the classes, and the model is nearly degenerate"
    paste "$TMP/blind.tsv" <(cut -f2 "$TMP/blind.tsv" | sed 1s/cosine/angular/) > "$TMP/two.tsv"
    run -0 --separate-stderr logfit -j 2 -d angular,cosine "$TMP/two.tsv"
    assert_equal "$stderr" "logfit: $TMP/two.tsv: column 'angular': the tuned threshold 0.3000125 leaves 1 row on the same side, where 2000 rows have same = 1 (accuracy 0.9001; 0.9000 calling every pair different): the distances hardly separate the classes, and the model is nearly degenerate
logfit: $TMP/two.tsv: column 'cosine': the tuned threshold 0.3000125 leaves 1 row on the same side, where 2000 rows have same = 1 (accuracy 0.9001; 0.9000 calling every pair different): the distances hardly separate the classes, and the model is nearly degenerate"
    # a few rows on the different side, where 2000 have same = 0
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 20000; i++)
        printf "%d\t%.6f\n", (i % 10 != 0 && i >= 3), (i < 3 ? 0.95 : 0.3 + (i * 7919 % 20000) / 40000) }' > "$TMP/blind3.tsv"
    run -0 --separate-stderr logfit "$TMP/blind3.tsv"
    assert_equal "$stderr" "logfit: $TMP/blind3.tsv: column 'cosine': the tuned threshold 0.8749875 leaves 3 rows on the different side, where 2002 rows have same = 0 (accuracy 0.9001; 0.8999 calling every pair same): the distances hardly separate the classes, and the model is nearly degenerate"
    # and one given (-t) is the user's: no warning
    run -0 --separate-stderr logfit -t 0.3000125 "$TMP/blind.tsv"
    assert_equal "$stderr" ""
    # nor for the article's pairs, tuned
    run -0 --separate-stderr logfit "$D"
    assert_equal "$stderr" ""
}

@test "error: all rows in one class" {
    refused "logfit: <stdin>: column 'euclidean_l2': all 300 rows are 'different' at threshold 0.1: logistic regression needs both classes" bash -c "logfit -t 0.1 -d euclidean_l2 < '$D'"
    refused "logfit: <stdin>: column 'cosine': all 300 rows are 'same' at threshold 2: logistic regression needs both classes" bash -c "logfit -t 2 -d cosine < '$D'"
    refused "logfit: <stdin>: column 'cosine': all 2 rows have same = 1: logistic regression needs both classes" bash -c "printf 'same\tcosine\n1\t0.3\n1\t0.5\n' | logfit --target truth -t 0.4"
}

@test "error: no threshold and no 'same' column" {
    refused "logfit: <stdin>:1: no threshold for column 'cosine' and no column 'same' to tune one on (give -t or --model)" bash -c "cut -f1,2,4 '$D' | logfit"
}

@test "error: --target truth without a 'same' column" {
    refused "logfit: <stdin>:1: --target truth fits the column 'same', which the stream lacks (columns: a, b, cosine)" bash -c "cut -f1,2,4 '$D' | logfit --target truth -t 0.4"
}

@test "error: 'same' neither 0 nor 1" {
    refused "logfit: <stdin>:3: column 'same' is not 0 or 1 (nor true or false) ('2')" bash -c "printf 'same\tcosine\n1\t0.3\n2\t0.5\n' | logfit"
}

@test "error: -d names a missing column" {
    refused "logfit: <stdin>:1: no column 'cos' in the header (columns: a, b, same, cosine, euclidean, euclidean_l2, angular)" bash -c "logfit -d cos < '$D'"
}

@test "usage error: an unknown model lists the known ones" {
    run -2 --separate-stderr logfit --model Facenett "$D"
    assert_equal "$stderr" "logfit: unknown model 'Facenett' (models: VGG-Face, Facenet, Facenet512, ArcFace, Dlib, SFace, OpenFace, DeepFace, DeepID, GhostFaceNet, Buffalo_L)
Try 'logfit --help' for more information."
}

@test "usage error: -t names a column that is not fitted" {
    run -2 --separate-stderr logfit -t cosin=0.4 "$D"
    assert_equal "$stderr" "logfit: --threshold names 'cosin', which is not a distance column (distance columns: cosine, euclidean, euclidean_l2, angular)
Try 'logfit --help' for more information."
}

@test "usage error: --model has no threshold for a column of another name" {
    run -2 --separate-stderr bash -c "sed 1s/cosine/dist/ '$D' | logfit --model Facenet -d dist"
    assert_equal "$stderr" "logfit: Facenet has no threshold for column 'dist' (its metrics: cosine, euclidean, euclidean_l2, angular; give -t dist=T)
Try 'logfit --help' for more information."
}

@test "usage errors: bad values of -t, -C, --target, -d" {
    run -2 --separate-stderr logfit -t abc "$D"
    assert_equal "$stderr" "logfit: invalid number for --threshold: 'abc' is not a number
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit -t =0.4 "$D"
    assert_equal "$stderr" "logfit: invalid value for --threshold: '=0.4' (expected COL=T,...)
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit -C 0 "$D"
    assert_equal "$stderr" "logfit: invalid value for --cost: '0' (expected a number above 0)
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit -C abc "$D"
    assert_equal "$stderr" "logfit: invalid number for --cost: 'abc' is not a number
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit --target x "$D"
    assert_equal "$stderr" "logfit: invalid value for --target: 'x' (expected decision or truth)
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit -d cosine,cosine "$D"
    assert_equal "$stderr" "logfit: --distances names 'cosine' twice
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit -d cosine,,angular "$D"
    assert_equal "$stderr" "logfit: invalid value for --distances: 'cosine,,angular' (an empty name)
Try 'logfit --help' for more information."
    run -2 --separate-stderr logfit -x "$D"
    assert_equal "$stderr" "logfit: invalid option -- 'x'
Try 'logfit --help' for more information."
}

@test "a failed write is an error: /dev/full" {
    run -1 --separate-stderr bash -c "logfit --model Facenet '$D' > /dev/full"
    assert_equal "$stderr" "logfit: write error: <stdout>: No space left on device"
}

@test "--help and --version" {
    run -0 logfit --help
    assert_line -n 0 --regexp '^Usage: logfit '
    assert_output --partial "Example"
    run -0 logfit --version
    assert_output --regexp '^logfit \(distconf\) [0-9]+\.[0-9]+\.[0-9]+$'
}

# many_rows N: a distance stream of N rows from a fixed seed, same on about
# a tenth, 6 decimals: many blocks of rows (32768 each), many distinct values.
many_rows() {
    awk -v n="$1" 'BEGIN {
        srand(15)
        print "a\tb\tsame\tcosine\teuclidean\teuclidean_l2\tangular"
        for (i = 0; i < n; i++) {
            s = rand() < 0.1
            c = s ? 0.1 + 0.4 * rand() : 0.45 + 0.7 * rand()
            printf "i%d\tj%d\t%d\t%.6f\t%.6f\t%.6f\t%.6f\n", i, i % 977, s, c,
                   11.5 * sqrt(2 * c) * (0.95 + 0.1 * rand()), sqrt(2 * c), c / 3.2
        }
    }'
}

@test "-j N: the model, -v's report, --counts, --cv and a calibrated method the same for every N" {
    many_rows 240000 > "$TMP/many.tsv"
    for j in 1 2 3; do
        logfit -j $j --model Facenet -v "$TMP/many.tsv" > "$TMP/m.$j" 2> "$TMP/v.$j"
        logfit --jobs=$j --counts "$TMP/many.tsv" > "$TMP/c.$j"
        logfit -j $j "$TMP/c.$j" > "$TMP/mc.$j" # tuned, from the counts
        logfit -j $j --method isotonic "$TMP/many.tsv" > "$TMP/i.$j"
        # (--cv is slow: fewer rows, still many batches)
        head -n 70001 "$TMP/many.tsv" | logfit -j $j --cv 2 --model Facenet > "$TMP/cv.$j"
    done
    for f in m v c mc i cv; do
        cmp "$TMP/$f.1" "$TMP/$f.2"
        cmp "$TMP/$f.1" "$TMP/$f.3"
    done
    # every row counted, each column's values ascending
    [ "$(awk -F'\t' '$1 == "cosine" { n += $3 } END { print n }' "$TMP/c.1")" = 240000 ]
    awk -F'\t' 'NR > 2 && $1 == p && $2 + 0 <= v + 0 { exit 1 } { p = $1; v = $2 }' "$TMP/c.1"
    # the counts of the rows fit the model of the rows
    logfit --model Facenet "$TMP/c.2" | cmp - "$TMP/m.1"
}

@test "-j N: a column of one class ends the fit with -j 1's message while later columns are still sorted, no -o" {
    many_rows 240000 > "$TMP/many.tsv"
    # the first column fitted, or the second (the first fitted, the others
    # sorted beside it): -j 1's message, the first such column's
    for j in 1 2 4; do
        run -1 --separate-stderr logfit -j $j -t cosine=-1,euclidean=10,euclidean_l2=1,angular=0.3 \
            -o "$TMP/out.yaml" "$TMP/many.tsv"
        assert_equal "$stderr" "logfit: $TMP/many.tsv: column 'cosine': all 240000 rows are 'different' at threshold -1: logistic regression needs both classes"
        run -1 --separate-stderr logfit -j $j -t cosine=0.5,euclidean=100,euclidean_l2=1,angular=0.3 \
            -o "$TMP/out.yaml" "$TMP/many.tsv"
        assert_equal "$stderr" "logfit: $TMP/many.tsv: column 'euclidean': all 240000 rows are 'same' at threshold 100: logistic regression needs both classes"
        [ ! -e "$TMP/out.yaml" ]
    done
}

@test "-j N: a bad row late in the stream is the same error for every N, the first bad row winning" {
    many_rows 230000 > "$TMP/many.tsv"
    # a bad number on line 200001, a row of too few fields on 200003
    awk 'NR == 200001 { $5 = "1.2.3" } NR == 200003 { $0 = "x\ty" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/num.tsv"
    # the other way round: too few fields first, then the bad number
    awk 'NR == 200001 { $0 = "x\ty" } NR == 200003 { $5 = "1.2.3" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/fields.tsv"
    # a bad 'same' in the last block
    awk 'NR == 229999 { $3 = "2" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/same.tsv"
    for j in 1 2 3; do
        run -1 --separate-stderr logfit -j $j --model Facenet "$TMP/num.tsv"
        assert_equal "$stderr" "logfit: $TMP/num.tsv:200001: column 'euclidean' is not a number ('1.2.3')"
        assert_output ""
        run -1 --separate-stderr logfit -j $j --counts "$TMP/fields.tsv"
        assert_equal "$stderr" "logfit: $TMP/fields.tsv:200001: expected 7 fields as in the header, found 2"
        run -1 --separate-stderr logfit -j $j "$TMP/same.tsv"
        assert_equal "$stderr" "logfit: $TMP/same.tsv:229999: column 'same' is not 0 or 1 (nor true or false) ('2')"
    done
}

@test "-j N: of bad values in one block, the first row's is reported, whatever the columns (parsed a column at a time) and same" {
    many_rows 100000 > "$TMP/many.tsv"
    # angular bad in row 70000, cosine in 70002 (a block, and the same run
    # of rows parsed at once); a distance before a bad same and after one
    awk 'NR == 70001 { $7 = "+-1" } NR == 70003 { $4 = "." } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/cols.tsv"
    awk 'NR == 70001 { $5 = "0x1" } NR == 70002 { $3 = "no" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/dfirst.tsv"
    awk 'NR == 70001 { $3 = "no" } NR == 70002 { $5 = "0x1" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/sfirst.tsv"
    # in row 1024 of a block and its row 1025: either side of a run's end
    awk 'NR == 1025 { $6 = "nan" } NR == 1026 { $4 = "-" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/edge.tsv"
    for j in 1 2 3; do
        run -1 --separate-stderr logfit -j $j --model Facenet -o "$TMP/out.yaml" "$TMP/cols.tsv"
        assert_equal "$stderr" "logfit: $TMP/cols.tsv:70001: column 'angular' is not a number ('+-1')"
        [ ! -e "$TMP/out.yaml" ]
        run -1 --separate-stderr logfit -j $j "$TMP/dfirst.tsv"
        assert_equal "$stderr" "logfit: $TMP/dfirst.tsv:70001: column 'euclidean' is not a number ('0x1')"
        run -1 --separate-stderr logfit -j $j "$TMP/sfirst.tsv"
        assert_equal "$stderr" "logfit: $TMP/sfirst.tsv:70001: column 'same' is not 0 or 1 (nor true or false) ('no')"
        run -1 --separate-stderr logfit -j $j --counts "$TMP/edge.tsv"
        assert_equal "$stderr" "logfit: $TMP/edge.tsv:1025: column 'euclidean_l2' is not a number ('nan')"
    done
}

@test "-j N: a bad value, a bad same, a short row far into the stream: the line and message of -j 1, no -o" {
    many_rows 100000 > "$TMP/many.tsv"
    # line 70001 is row 70000, past the first batches; a second error after
    # each, that the reader meets while the first is still being worked on
    awk 'NR == 70001 { $6 = "abc" } NR == 90001 { $0 = "x\ty" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/num.tsv"
    awk 'NR == 70001 { $3 = "yes" } NR == 90001 { $4 = "z" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/same.tsv"
    awk 'NR == 70001 { $0 = $1 "\t" $2 "\t" $3 } NR == 90001 { $4 = "z" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/short.tsv"
    # same and a column bad in one row: same's error, as -j 1 parses it first
    awk 'NR == 70001 { $3 = "2"; $4 = "q" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/both.tsv"
    for j in 1 2 3; do
        run -1 --separate-stderr logfit -j $j --model Facenet -o "$TMP/out.yaml" "$TMP/num.tsv"
        assert_equal "$stderr" "logfit: $TMP/num.tsv:70001: column 'euclidean_l2' is not a number ('abc')"
        assert_output ""
        [ ! -e "$TMP/out.yaml" ]
        run -1 --separate-stderr logfit -j $j -o "$TMP/out.yaml" "$TMP/same.tsv"
        assert_equal "$stderr" "logfit: $TMP/same.tsv:70001: column 'same' is not 0 or 1 (nor true or false) ('yes')"
        [ ! -e "$TMP/out.yaml" ]
        run -1 --separate-stderr logfit -j $j --model Facenet -o "$TMP/out.yaml" "$TMP/short.tsv"
        assert_equal "$stderr" "logfit: $TMP/short.tsv:70001: expected 7 fields as in the header, found 3"
        [ ! -e "$TMP/out.yaml" ]
        run -1 --separate-stderr logfit -j $j --counts -o "$TMP/out.yaml" "$TMP/both.tsv"
        assert_equal "$stderr" "logfit: $TMP/both.tsv:70001: column 'same' is not 0 or 1 (nor true or false) ('2')"
        [ ! -e "$TMP/out.yaml" ]
        # --cv reads its rows the same way
        run -1 --separate-stderr logfit -j $j --cv 2 --model Facenet -o "$TMP/out.yaml" "$TMP/num.tsv"
        assert_equal "$stderr" "logfit: $TMP/num.tsv:70001: column 'euclidean_l2' is not a number ('abc')"
        [ ! -e "$TMP/out.yaml" ]
        run -1 --separate-stderr logfit -j $j --cv 2 "$TMP/short.tsv"
        assert_equal "$stderr" "logfit: $TMP/short.tsv:70001: expected 7 fields as in the header, found 3"
    done
}

@test "-j 1 to 4: the model of a stream of many batches with a column same, tuned and on the truth, the same" {
    many_rows 150000 > "$TMP/many.tsv"
    for j in 1 2 3 4; do
        logfit -j $j -v "$TMP/many.tsv" > "$TMP/t.$j" 2> "$TMP/v.$j"
        logfit -j $j --target truth --model Facenet "$TMP/many.tsv" > "$TMP/u.$j"
        # two files, read as one stream
        logfit -j $j --method platt "$TMP/many.tsv" "$TMP/many.tsv" > "$TMP/p.$j"
    done
    for f in t v u p; do
        for j in 2 3 4; do cmp "$TMP/$f.1" "$TMP/$f.$j"; done
    done
    grep -q 'threshold_from: tuned' "$TMP/t.1"
    # the rows all counted: the counts' n is the rows'
    [ "$(key "$TMP/p.1" cosine n)" = 300000 ]
}

@test "-j N: a file glued on mid-stream (mark, header, CRLF): the counts of the rows alone; errors after it in order" {
    many_rows 100000 > "$TMP/many.tsv"
    logfit -j 1 --counts "$TMP/many.tsv" > "$TMP/want"
    # the second part begins inside a block of lines read at once: its
    # header and the rows after it go through the general reader
    { head -n 50001 "$TMP/many.tsv"; printf '\xef\xbb\xbf'; head -n 1 "$TMP/many.tsv"
      tail -n +50002 "$TMP/many.tsv" | sed 's/$/\r/'; } > "$TMP/glued.tsv"
    sed -e '50004s/\t[0-9.]*\r$/\tq\r/' -e '50007s/\t[01]\t/\t/' "$TMP/glued.tsv" > "$TMP/bad.tsv"
    for j in 1 2 3; do
        logfit -j $j --counts "$TMP/glued.tsv" | cmp - "$TMP/want"
        run -1 --separate-stderr logfit -j $j "$TMP/bad.tsv"
        assert_equal "$stderr" "logfit: $TMP/bad.tsv:50004: column 'angular' is not a number ('q')"
    done
}

@test "-j 0, -j x and -j 65 are refused" {
    usage_refused "logfit: invalid value for --jobs: '0' (expected an integer from 1 to 64)" logfit -j 0 "$D"
    usage_refused "logfit: invalid value for --jobs: 'x' (expected an integer from 1 to 64)" logfit --jobs=x "$D"
    usage_refused "logfit: invalid value for --jobs: '65' (expected an integer from 1 to 64)" logfit -j 65 --counts "$D"
}

@test "-j N: 100 distance columns (their distances parsed 655 rows at a time): the counts of every N alike, the first bad value either side of a run's end reported" {
    awk 'BEGIN { srand(21); printf "same"; for (c = 1; c <= 100; c++) printf "\td%d", c; print ""
        for (i = 0; i < 3000; i++) { s = rand() < 0.3; printf "%d", s
            for (c = 1; c <= 100; c++) printf "\t%.6f", (s ? 0.2 : 0.6) + 0.3 * rand(); print "" } }' > "$TMP/wide.tsv"
    cols=$(head -n 1 "$TMP/wide.tsv" | cut -f 2- | tr '\t' ',')
    run -0 logfit -j 1 --counts -d "$cols" "$TMP/wide.tsv"
    local want=$output
    # every column's 3000 rows counted
    [ "$(awk -F '\t' 'NR > 2 { n[$1] += $3 } END { for (c in n) if (n[c] == 3000) k++; print k }' <<< "$want")" -eq 100 ]
    # line 656 is row 655, the last of the first run; line 657 the first of
    # the next: the last column's bad value in the earlier row is the one
    # reported, before the first column's in the later row, on either side
    awk 'NR == 656 { $101 = "x" } NR == 657 { $2 = "1..2" } 1' OFS='\t' "$TMP/wide.tsv" > "$TMP/edge1.tsv"
    awk 'NR == 657 { $101 = "-" } NR == 658 { $2 = "x" } 1' OFS='\t' "$TMP/wide.tsv" > "$TMP/edge2.tsv"
    for j in 1 2 3; do
        run -0 logfit -j $j --counts -d "$cols" "$TMP/wide.tsv"
        assert_equal "$output" "$want"
        run -1 --separate-stderr logfit -j $j --counts -d "$cols" "$TMP/edge1.tsv"
        assert_equal "$stderr" "logfit: $TMP/edge1.tsv:656: column 'd100' is not a number ('x')"
        run -1 --separate-stderr logfit -j $j --counts -d "$cols" "$TMP/edge2.tsv"
        assert_equal "$stderr" "logfit: $TMP/edge2.tsv:657: column 'd100' is not a number ('-')"
    done
}
