#!/usr/bin/env bats
# confeval(1): the verification report of each score column (AUC, EER with
# its bracket, d', FMR and FNMR at a threshold with their counts and 95%
# intervals, TAR at FMR 1e-1..1e-4, --fmr's threshold and bound, a
# probability's Brier score, log loss and ECE), --roc, --reliability; counts
# give the report of the rows they count; the errors; hostile input.
# Expected numbers are worked out by hand (in the comments), computed
# independently here (awk, in integers where it can), or taken from scipy and
# scikit-learn: pinned as literals in tests that always run, and checked live
# (/usr/bin/python3) in tests that skip when the import fails.

load test_helper
bats_require_minimum_version 1.5.0

# DeepFace's 280 labelled test pairs: #model=DeepFace, then
# a b same cosine euclidean euclidean_l2 (140 same, 140 different).
E="$ROOT/examples/deepface-test-pairs.tsv"
PY=/usr/bin/python3

setup_file() {
    local d="$BATS_FILE_TMPDIR"
    make_streams "$d"
    # a stream with _probability columns: isotonic fit, then confmap -M
    logfit --method isotonic "$ROOT/examples/deepface-test-pairs.tsv" > "$d/iso.yaml"
    confmap -M "$d/iso.yaml" "$ROOT/examples/deepface-test-pairs.tsv" > "$d/prob.tsv"
}

D="$BATS_FILE_TMPDIR"

# A stream of the rows given as "same:value" words: stream FILE WORD...
# (column 'cosine', or COL with STREAM_COL=COL).
stream() {
    local f=$1
    shift
    { printf 'same\t%s\n' "${STREAM_COL:-cosine}"; for w in "$@"; do printf '%s\t%s\n' "${w%%:*}" "${w#*:}"; done; } > "$f"
}

# get NAME [COLUMN]: the field NAME of the report row of COLUMN (default the
# first row) in $output; a missing header or row prints MISSING.
get() {
    awk -F'\t' -v k="$1" -v c="${2:-}" '
        NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; if (!(k in h)) { print "MISSING"; bad = 1; exit } next }
        c == "" || $1 == c { print $(h[k]); found = 1; exit }
        END { if (!found && !bad) print "MISSING" }' <<< "$output"
}
# fields COLUMN NAME...: the fields NAME... of COLUMN's row, tab-separated.
fields() {
    local c=$1 k s=""
    shift
    for k in "$@"; do s+="${s:+$'\t'}$(get "$k" "$c")"; done
    printf '%s\n' "$s"
}
# is NAME COLUMN WANT: the field is WANT, with a message when not.
is() {
    local got
    got=$(get "$1" "$2")
    [ "$got" = "$3" ] || { echo "$2 $1: got '$got', want '$3'" >&2; return 1; }
}
# near NAME COLUMN WANT TOL: |field - WANT| <= TOL * |WANT| (TOL absolute when WANT = 0).
near() {
    local got
    got=$(get "$1" "$2")
    awk -v a="$got" -v b="$3" -v t="$4" 'BEGIN { if (a !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) exit 1; d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m == 0) m = 1; exit !(d <= t * m) }' ||
        { echo "$2 $1: got '$got', want $3 (to $4)" >&2; return 1; }
}
# num NAME COLUMN WANT: the field reads back as the same double as WANT.
num() {
    local got
    got=$(get "$1" "$2")
    awk -v a="$got" -v b="$3" 'BEGIN { exit !(a ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/ && a + 0 == b + 0) }' ||
        { echo "$2 $1: got '$got', want $3 (the same double)" >&2; return 1; }
}

# A column's rows of a stream, "same<TAB>value" a line, without the header
# (nor a preamble): rows FILE COLUMN.
rows() {
    awk -F'\t' -v c="$2" '/^#/ { next } !h { for (i = 1; i <= NF; i++) { if ($i == c) v = i; if ($i == "same") s = i } h = 1; next } { print $s "\t" $v }' "$1"
}
# auc_ref FILE COLUMN [higher]: AUC from the rows, in integers (twice the
# Mann-Whitney U over twice the pairs of pairs), as %.17g.
auc_ref() {
    rows "$1" "$2" | awk -F'\t' -v hi="${3:-}" '
        { v = hi ? -$2 : $2; if ($1 == 1) s[v]++; else d[v]++; all[v] }
        END {
            for (a in s) for (b in d) { if (a + 0 < b + 0) u += 2 * s[a] * d[b]; else if (a + 0 == b + 0) u += s[a] * d[b] }
            for (a in s) ns += s[a]; for (b in d) nd += d[b]
            printf "%.17g\n", u / (2 * ns * nd)
        }'
}
# counts_at FILE COLUMN T [higher]: "fm fnm n_diff n_same" at threshold T.
counts_at() {
    rows "$1" "$2" | awk -F'\t' -v t="$3" -v hi="${4:-}" '
        { acc = hi ? ($2 + 0 >= t + 0) : ($2 + 0 <= t + 0)
          if ($1 == 1) { ns++; fnm += !acc } else { nd++; fm += acc } }
        END { print fm + 0, fnm + 0, nd + 0, ns + 0 }'
}
# tar_ref FILE COLUMN K: "TAR threshold" at FMR 1/K for a distance column
# (the largest distinct value whose false matches fm satisfy fm * K <= n_diff;
# -inf and 0 when none does), in integers.
tar_ref() {
    rows "$1" "$2" | sort -t$'\t' -k2,2g | awk -F'\t' -v K="$3" '
        { v[NR] = $2; y[NR] = $1; if ($1 == 1) ns++; else nd++ }
        END {
            t = "-inf"; tar = 0
            for (i = 1; i <= NR; i++) {
                if (y[i] == 1) ta++; else fm++
                if ((i == NR || v[i + 1] + 0 != v[i] + 0) && fm * K <= nd) { t = v[i]; tar = ta / ns }
            }
            printf "%.17g %s\n", tar, t
        }'
}

have_scipy() { "$PY" -c 'import scipy.stats' 2> /dev/null || skip "no scipy ($PY -c 'import scipy')"; }
have_sklearn() { "$PY" -c 'import sklearn.metrics, numpy' 2> /dev/null || skip "no scikit-learn ($PY -c 'import sklearn')"; }


# ------------------------------------------------------ 1. hand-checkable cases

@test "perfect separation: AUC 1, EER 0 at the last same value, FMR and FNMR 0 between the classes" {
    # same 0.1 0.2, different 0.5 0.6 0.7.  Accepting order (lower): nothing
    # (FMR 0, FNMR 1), 0.1 (0, 1/2), 0.2 (0, 0): the EER is 0 at 0.2.
    stream "$TMP/s.tsv" 1:0.1 1:0.2 0:0.5 0:0.6 0:0.7
    run -0 confeval -t 0.3 "$TMP/s.tsv"
    assert_equal "$(fields cosine column direction n_same n_diff auc eer eer_lo eer_hi eer_threshold)" \
        "$(printf 'cosine\tlower\t2\t3\t1\t0\t0\t0\t0.2')"
    assert_equal "$(fields cosine threshold fmr fmr_k fnmr fnmr_k)" "$(printf '0.3\t0\t0\t0\t0')"
    # a value at the threshold is accepted: -t 0.2 accepts both same pairs,
    # -t 0.5 the first different one
    run -0 confeval -t 0.2 "$TMP/s.tsv"
    assert_equal "$(fields cosine fmr_k fnmr_k)" "$(printf '0\t0')"
    run -0 confeval -t 0.5 "$TMP/s.tsv"
    assert_equal "$(fields cosine fmr fmr_k fnmr_k)" "$(printf '0.3333333333333333\t1\t0')"
    run -0 confeval -t 0.19 "$TMP/s.tsv"
    assert_equal "$(fields cosine fnmr fnmr_k)" "$(printf '0.5\t1')"
}

@test "all ties: AUC 0.5, EER 0.5 between 0 and 1 at 'accept nothing' (the strictest of two equal)" {
    # every pair at 0.4: accept nothing (FMR 0, FNMR 1) or everything (1, 0),
    # |FMR - FNMR| = 1 both: the first in accepting order, accept nothing
    stream "$TMP/t.tsv" 1:0.4 1:0.4 0:0.4 0:0.4 0:0.4
    run -0 confeval -t 0.4 "$TMP/t.tsv"
    assert_equal "$(fields cosine auc eer eer_lo eer_hi eer_threshold)" "$(printf '0.5\t0.5\t0\t1\t-inf')"
    assert_equal "$(fields cosine fmr fmr_k fnmr fnmr_k)" "$(printf '1\t3\t0\t0')"
    # higher: accepting order from the top, 'accept nothing' is inf
    run -0 confeval --higher -t 0.4 "$TMP/t.tsv"
    assert_equal "$(fields cosine direction auc eer eer_lo eer_hi eer_threshold)" "$(printf 'higher\t0.5\t0.5\t0\t1\tinf')"
    # the ROC: two points, accept nothing then everything
    run -0 confeval --roc "$TMP/t.tsv"
    assert_output "$(printf 'column\tthreshold\tfmr\tfnmr\tfm\tn_diff\tfnm\tn_same\ncosine\t-inf\t0\t1\t0\t3\t2\t2\ncosine\t0.4\t1\t0\t3\t3\t0\t2')"
}

@test "all ties: d' is 0/0, NA, whatever the value" {
    # both classes one value: |mean same - mean different| = 0 and both
    # variances 0: d' does not apply (NA), it is not a separation
    local v
    for v in 0.1 0.3 0.4 0.7 61.3336; do
        stream "$TMP/t.tsv" 1:$v 1:$v 0:$v 0:$v 0:$v
        run -0 confeval "$TMP/t.tsv"
        is d_prime cosine NA || { echo "every pair at $v" >&2; return 1; }
    done
}

@test "a single class: AUC, EER, d' and the empty class's rate NA, no crash; the ROC too" {
    stream "$TMP/s.tsv" 1:0.4 1:0.3
    run -0 --separate-stderr confeval -t 0.35 "$TMP/s.tsv"
    refute_sanitizer
    assert_equal "$(fields cosine n_same n_diff auc eer eer_lo eer_hi eer_threshold d_prime)" "$(printf '2\t0\tNA\tNA\tNA\tNA\tNA\tNA')"
    # FMR of no different pair: NA, its count 0 and binom.h's interval of
    # n = 0, [0, 1]; the FNMR: 1 of 2
    assert_equal "$(fields cosine fmr fmr_k fmr_lo fmr_hi fnmr fnmr_k)" "$(printf 'NA\t0\t0\t1\t0.5\t1')"
    assert_equal "$(fields cosine tar_at_fmr_1e-1 threshold_at_fmr_1e-1)" "$(printf 'n/a\tn/a')"
    # different pairs only
    stream "$TMP/d.tsv" 0:0.4 0:0.3 0:0.9
    run -0 --separate-stderr confeval -t 0.35 --fmr 0.1 "$TMP/d.tsv"
    refute_sanitizer
    assert_equal "$(fields cosine n_same n_diff auc eer d_prime fmr fmr_k fnmr fnmr_k fnmr_lo fnmr_hi)" \
        "$(printf '0\t3\tNA\tNA\tNA\t0.3333333333333333\t1\tNA\t0\t0\t1')"
    run -0 --separate-stderr confeval --roc "$TMP/s.tsv"
    refute_sanitizer
    assert_line -n 1 "$(printf 'cosine\t-inf\tNA\t1\t0\t0\t2\t2')"
    run -0 --separate-stderr confeval --roc "$TMP/d.tsv"
    refute_sanitizer
    assert_line -n 1 "$(printf 'cosine\t-inf\t0\tNA\t0\t3\t0\t0')"
}

@test "one pair, and one pair of each class" {
    stream "$TMP/one.tsv" 1:0.4
    run -0 confeval -t 0.4 "$TMP/one.tsv"
    assert_equal "$(fields cosine n_same n_diff auc eer fnmr fnmr_k fnmr_lo)" "$(printf '1\t0\tNA\tNA\t0\t0\t0')"
    # Wilson's upper end at 0 of 1: z^2 / (1 + z^2)
    near fnmr_hi cosine "$(awk 'BEGIN { z = 1.959963984540054; printf "%.17g", z * z / (1 + z * z) }')" 1e-12
    # one of each, the same pair nearer: everything is separated
    stream "$TMP/two.tsv" 1:0.2 0:0.7
    run -0 confeval -t 0.5 "$TMP/two.tsv"
    assert_equal "$(fields cosine n_same n_diff auc eer eer_threshold fmr_k fnmr_k)" "$(printf '1\t1\t1\t0\t0.2\t0\t0')"
    # the other way round: AUC 0; (FMR, FNMR) at nothing (0, 1), at 0.2
    # (1, 1), at 0.7 (1, 0): |FMR - FNMR| 1, 0, 1: the EER is 1 at 0.2
    stream "$TMP/rev.tsv" 1:0.7 0:0.2
    run -0 --separate-stderr confeval "$TMP/rev.tsv"
    refute_sanitizer
    assert_equal "$(fields cosine auc eer eer_lo eer_hi eer_threshold)" "$(printf '0\t1\t1\t1\t0.2')"
}

@test "the direction: lower for distances, higher for _confidence, _probability, _probability_lo and _hi; --higher and --lower" {
    run -0 confeval "$D/conf.tsv"
    assert_equal "$(cut -f1,2 <<< "$output")" "$(printf 'column\tdirection\ncosine\tlower\neuclidean\tlower\neuclidean_l2\tlower\nangular\tlower\ncosine_confidence\thigher\neuclidean_confidence\thigher\neuclidean_l2_confidence\thigher\nangular_confidence\thigher')"
    # the confidences separate the article's pairs as the distances do
    is auc cosine_confidence 1
    # _probability_lo, _probability_hi: higher, when named with -c
    printf 'same\tcosine_probability_lo\tx_probability_hi\tq\n1\t60\t70\t1\n0\t40\t30\t2\n' > "$TMP/p.tsv"
    run -0 confeval -c cosine_probability_lo,x_probability_hi "$TMP/p.tsv"
    assert_equal "$(fields cosine_probability_lo direction auc)" "$(printf 'higher\t1')"
    assert_equal "$(fields x_probability_hi direction auc)" "$(printf 'higher\t1')"
    # -c names any column, in its order; a column of another name is lower
    run -0 confeval -c q,x_probability_hi "$TMP/p.tsv"
    assert_equal "$(cut -f1,2,5 <<< "$output")" "$(printf 'column\tdirection\tauc\nq\tlower\t1\nx_probability_hi\thigher\t1')"
    # --higher on a distance: the AUC of the other side, 1 - U / (n1 n0):
    # U = 14560 of 140 * 140 = 19600 pairs for DeepFace's cosine
    run -0 confeval --higher -c cosine -t 0.3 "$E"
    assert_equal "$(fields cosine direction auc)" "$(printf 'higher\t0.2571428571428571')"
    num auc cosine "$(auc_ref "$E" cosine higher)"
    # and its counts: accepted at >= 0.3
    read -r fm fnm nd ns <<< "$(counts_at "$E" cosine 0.3 higher)"
    assert_equal "$(fields cosine fmr_k fnmr_k n_diff n_same)" "$(printf '%s\t%s\t%s\t%s' "$fm" "$fnm" "$nd" "$ns")"
    assert_equal "$fm $fnm" "38 127"
    # --lower on a confidence: the article's confidences, upside down
    run -0 confeval --lower -c cosine_confidence "$D/conf.tsv"
    assert_equal "$(fields cosine_confidence direction auc eer)" "$(printf 'lower\t0\t1')"
}

# ------------------------------------------- 2. FMR and FNMR at a threshold

@test "FMR and FNMR at -t T and -t COL=T: the counts of the rows, per column; NA without a threshold" {
    local c t fm fnm nd ns
    run -0 confeval -t 0.3 "$E"
    for c in cosine euclidean euclidean_l2; do
        read -r fm fnm nd ns <<< "$(counts_at "$E" $c 0.3)"
        assert_equal "$(fields $c threshold fmr_k fnmr_k n_diff n_same)" "$(printf '0.3\t%s\t%s\t%s\t%s' "$fm" "$fnm" "$nd" "$ns")"
        num fmr $c "$(awk -v a=$fm -v b=$nd 'BEGIN { printf "%.17g", a / b }')"
        num fnmr $c "$(awk -v a=$fnm -v b=$ns 'BEGIN { printf "%.17g", a / b }')"
    done
    # pinned: cosine at 0.3 accepts 102 different pairs, rejects 13 same ones
    assert_equal "$(fields cosine fmr fmr_k fnmr fnmr_k)" "$(printf '0.7285714285714285\t102\t0.09285714285714286\t13')"
    # per column; the column -t leaves has none: NA
    run -0 confeval -t cosine=0.2,euclidean=55 "$E"
    for ct in cosine=0.2 euclidean=55; do
        c=${ct%=*} t=${ct#*=}
        read -r fm fnm nd ns <<< "$(counts_at "$E" $c $t)"
        assert_equal "$(fields $c threshold fmr_k fnmr_k)" "$(printf '%s\t%s\t%s' "$t" "$fm" "$fnm")"
    done
    assert_equal "$(fields euclidean_l2 threshold fmr fmr_k fmr_lo fmr_hi fnmr fnmr_k fnmr_lo fnmr_hi)" "$(printf 'NA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA')"
    # no threshold at all for a distance: NA
    run -0 confeval "$E"
    is threshold cosine NA
    is fmr cosine NA
}

@test "--model Facenet: DeepFace's thresholds (0.40, 10, 0.80, 0.33); -t overrides one column" {
    local c t fm fnm
    run -0 confeval --model Facenet "$D/dist.tsv"
    for ct in cosine=0.4 euclidean=10 euclidean_l2=0.8 angular=0.33; do
        c=${ct%=*} t=${ct#*=}
        read -r fm fnm nd ns <<< "$(counts_at "$D/dist.tsv" $c $t)"
        assert_equal "$(fields $c threshold fmr_k fnmr_k n_diff n_same)" "$(printf '%s\t%s\t%s\t262\t38' "$t" "$fm" "$fnm")"
    done
    # the man page's numbers: euclidean rejects one same pair at 10
    assert_equal "$(fields euclidean fmr fmr_k fnmr fnmr_k)" "$(printf '0\t0\t0.02631578947368421\t1')"
    # $E's distances are DeepFace's (#model=DeepFace): the thresholds of
    # another model are reported, with a warning
    run -0 --separate-stderr confeval --model Facenet "$E"
    assert_equal "$stderr" "confeval: $E:1: the stream's embeddings are from 'DeepFace', but --model is 'Facenet': its thresholds do not apply"
    run -0 --separate-stderr confeval --model deepface -c cosine "$E"
    assert_equal "$stderr" ""
    run -0 --separate-stderr confeval --model Facenet "$E"
    for ct in cosine=0.4 euclidean=10 euclidean_l2=0.8; do
        c=${ct%=*} t=${ct#*=}
        read -r fm fnm nd ns <<< "$(counts_at "$E" $c $t)"
        assert_equal "$(fields $c threshold fmr_k fnmr_k)" "$(printf '%s\t%s\t%s' "$t" "$fm" "$fnm")"
    done
    # -t wins over --model for the column it names
    run -0 --separate-stderr confeval --model Facenet -t cosine=0.25 "$E"
    read -r fm fnm nd ns <<< "$(counts_at "$E" cosine 0.25)"
    assert_equal "$(fields cosine threshold fmr_k fnmr_k)" "$(printf '0.25\t%s\t%s' "$fm" "$fnm")"
    is threshold euclidean 10
    # another model's table: VGG-Face's cosine 0.68
    run -0 --separate-stderr confeval --model VGG-Face -c cosine "$E"
    is threshold cosine 0.68
}

@test "-M model.yaml: logfit's thresholds, before --model; -t before both" {
    local c t fm fnm
    logfit "$E" > "$TMP/m.yaml"
    run -0 confeval -M "$TMP/m.yaml" "$E"
    for c in cosine euclidean euclidean_l2; do
        t=$(key "$TMP/m.yaml" $c threshold)
        [ -n "$t" ]
        read -r fm fnm nd ns <<< "$(counts_at "$E" $c "$t")"
        num threshold $c "$t"
        assert_equal "$(fields $c fmr_k fnmr_k)" "$(printf '%s\t%s' "$fm" "$fnm")"
    done
    # a hand-written threshold, to be sure it is the file's
    sed 's/^\(    threshold:\).*/\1 0.2/' "$TMP/m.yaml" > "$TMP/m2.yaml"
    run -0 --separate-stderr confeval -M "$TMP/m2.yaml" --model Facenet -c cosine "$E"
    read -r fm fnm nd ns <<< "$(counts_at "$E" cosine 0.2)"
    assert_equal "$(fields cosine threshold fmr_k fnmr_k)" "$(printf '0.2\t%s\t%s' "$fm" "$fnm")"
    run -0 confeval -M "$TMP/m2.yaml" -t 0.3 -c cosine "$E"
    is threshold cosine 0.3
}

@test "confidences and probabilities: the threshold is 50 by default; -t changes it" {
    local c fm fnm
    run -0 confeval "$D/conf.tsv"
    for c in cosine_confidence euclidean_confidence euclidean_l2_confidence angular_confidence; do
        read -r fm fnm nd ns <<< "$(counts_at "$D/conf.tsv" $c 50 higher)"
        assert_equal "$(fields $c threshold fmr_k fnmr_k)" "$(printf '50\t%s\t%s' "$fm" "$fnm")"
    done
    # the distances of the same stream have none
    is threshold cosine NA
    run -0 confeval "$D/prob.tsv"
    for c in cosine_probability euclidean_probability; do
        read -r fm fnm nd ns <<< "$(counts_at "$D/prob.tsv" $c 50 higher)"
        assert_equal "$(fields $c threshold fmr_k fnmr_k)" "$(printf '50\t%s\t%s' "$fm" "$fnm")"
    done
    run -0 confeval -t cosine_probability=30.77 "$D/prob.tsv"
    read -r fm fnm nd ns <<< "$(counts_at "$D/prob.tsv" cosine_probability 30.77 higher)"
    assert_equal "$(fields cosine_probability threshold fmr_k fnmr_k)" "$(printf '30.77\t%s\t%s' "$fm" "$fnm")"
    is threshold euclidean_probability 50
}

@test "Wilson's interval (the default): 0/262, 1/38, 5/10 and n/n by the formula of binom.h" {
    # (k + z^2/2 +- z sqrt(k (n-k) / n + z^2/4)) / (n + z^2), z = 1.959963984540054
    wilson() { awk -v k="$1" -v n="$2" 'BEGIN { z = 1.959963984540054; c = k + z * z / 2; h = z * sqrt(k * (n - k) / n + z * z / 4); printf "%.17g %.17g\n", (c - h) / (n + z * z), (c + h) / (n + z * z) }'; }
    local lo hi
    run -0 confeval --model Facenet -c euclidean "$D/dist.tsv"
    assert_equal "$(fields euclidean fmr_k n_diff fnmr_k n_same)" "$(printf '0\t262\t1\t38')"
    read -r lo hi <<< "$(wilson 0 262)"
    is fmr_lo euclidean 0
    near fmr_hi euclidean "$hi" 1e-12
    read -r lo hi <<< "$(wilson 1 38)"
    near fnmr_lo euclidean "$lo" 1e-12
    near fnmr_hi euclidean "$hi" 1e-12
    # pinned (scipy's norm.ppf(0.975) in the same formula)
    near fmr_hi euclidean 0.014450187106763993 1e-12
    near fnmr_lo euclidean 0.004660587685768779 1e-12
    near fnmr_hi euclidean 0.13494876115952129 1e-12
    # 5 of 10 either way: the values 0.1 .. 1.0 once as same, once as different
    local i words=()
    for i in 1 2 3 4 5 6 7 8 9; do words+=(1:0.$i 0:0.$i); done
    words+=(1:1.0 0:1.0)
    stream "$TMP/f.tsv" "${words[@]}"
    run -0 confeval -t 0.55 "$TMP/f.tsv"
    assert_equal "$(fields cosine fmr_k n_diff fnmr_k n_same)" "$(printf '5\t10\t5\t10')"
    read -r lo hi <<< "$(wilson 5 10)"
    near fmr_lo cosine "$lo" 1e-12
    near fmr_hi cosine "$hi" 1e-12
    near fnmr_lo cosine 0.23659309051256397 1e-12
    near fnmr_hi cosine 0.7634069094874361 1e-12
}

@test "k = n: the upper end of the interval is 1, not above (Wilson, Jeffreys, Clopper-Pearson)" {
    wilson() { awk -v k="$1" -v n="$2" 'BEGIN { z = 1.959963984540054; c = k + z * z / 2; h = z * sqrt(k * (n - k) / n + z * z / 4); printf "%.17g %.17g\n", (c - h) / (n + z * z), (c + h) / (n + z * z) }'; }
    local i words=()
    for i in 1 2 3 4 5 6 7 8 9; do words+=(1:0.$i 0:0.$i); done
    words+=(1:1.0 0:1.0)
    stream "$TMP/f.tsv" "${words[@]}"
    run -0 confeval -t 1 "$TMP/f.tsv"
    assert_equal "$(fields cosine fmr_k fmr_hi)" "$(printf '10\t1')"
    local j w2=()
    for j in $(seq 10 25); do w2+=(0:0.$j 1:0.$((j + 50))); done
    stream "$TMP/k16.tsv" "${w2[@]}"
    run -0 confeval -t 0.3 "$TMP/k16.tsv"
    assert_equal "$(fields cosine fmr_k n_diff fmr_hi fnmr_k n_same fnmr_hi)" "$(printf '16\t16\t1\t16\t16\t1')"
    near fmr_lo cosine "$(wilson 16 16 | cut -d' ' -f1)" 1e-12
    local m
    for m in jeffreys clopper-pearson; do
        run -0 confeval --interval $m -t 0.3 "$TMP/k16.tsv"
        assert_equal "$(fields cosine fmr_hi fnmr_hi)" "$(printf '1\t1')"
    done
}

# Jeffreys and Clopper-Pearson by scipy.stats.beta.ppf (pinned):
#   k/n     jeffreys lo, hi                           clopper-pearson lo, hi
#   0/262   0, 0.009532690767413976                   0, 0.01398103725640066
#   1/38    0.002854243515886658, 0.11647253509079025 0.0006660362042023656, 0.13809902979242006
#   5/10    0.22352867025270517, 0.7764713297472947   0.18708602844739855, 0.8129139715526015
#   16/16   0.8568158620685553, 1                     0.7940927857921772, 1
interval_case() { # interval_case METHOD: the four cases' "lo hi" lines as confeval gives them
    local i words=() j w2=()
    for i in 1 2 3 4 5 6 7 8 9; do words+=(1:0.$i 0:0.$i); done
    words+=(1:1.0 0:1.0)
    stream "$TMP/f.tsv" "${words[@]}"
    for j in $(seq 10 25); do w2+=(0:0.$j 1:0.$((j + 50))); done
    stream "$TMP/k16.tsv" "${w2[@]}"
    output=$(confeval --interval "$1" --model Facenet -c euclidean "$D/dist.tsv")
    fields euclidean fmr_lo fmr_hi
    fields euclidean fnmr_lo fnmr_hi
    output=$(confeval --interval "$1" -t 0.55 "$TMP/f.tsv")
    fields cosine fmr_lo fmr_hi
    output=$(confeval --interval "$1" -t 0.3 "$TMP/k16.tsv")
    fields cosine fmr_lo fmr_hi
}
# close_lines GOT WANT: the same number of lines, each pair of numbers within 1e-12 relative
close_lines() {
    paste -d' ' <(printf '%s\n' "$1") <(printf '%s\n' "$2") | awk '
        NF != 4 { bad = 1; print "line " NR ": " $0 > "/dev/stderr"; next }
        { for (i = 1; i <= 2; i++) { g = $i; w = $(i + 2); d = g - w; if (d < 0) d = -d; s = w < 0 ? -w : w; if (s == 0) s = 1
            if (g !~ /^[0-9.e-]+$/ || d > 1e-12 * s) { bad = 1; print "line " NR ": got " g ", want " w > "/dev/stderr" } } }
        END { exit bad }'
}

@test "--interval jeffreys: the equal-tailed Beta(k + 1/2, n - k + 1/2) quantiles (scipy's, pinned)" {
    local got
    got=$(interval_case jeffreys)
    close_lines "$got" "$(printf '%s\n' '0 0.009532690767413976' '0.002854243515886658 0.11647253509079025' \
        '0.22352867025270517 0.7764713297472947' '0.8568158620685553 1')"
}

@test "--interval clopper-pearson: the exact interval from the beta quantiles (scipy's, pinned)" {
    local got
    got=$(interval_case clopper-pearson)
    close_lines "$got" "$(printf '%s\n' '0 0.01398103725640066' '0.0006660362042023656 0.13809902979242006' \
        '0.18708602844739855 0.8129139715526015' '0.7940927857921772 1')"
}

@test "--interval wilson, jeffreys, clopper-pearson against scipy, live (skips without scipy)" {
    have_scipy
    local m
    "$PY" - > "$TMP/want" << 'EOF'
import math
from scipy.stats import beta, norm
z = norm.ppf(0.975)
for m in ["wilson", "jeffreys", "clopper-pearson"]:
    for k, n in [(0, 262), (1, 38), (5, 10), (16, 16)]:
        if m == "wilson":
            c = k + z * z / 2; h = z * math.sqrt(k * (n - k) / n + z * z / 4)
            lo, hi = (c - h) / (n + z * z), (c + h) / (n + z * z)
            lo, hi = (0.0 if k == 0 else lo), (1.0 if k == n else hi)
        elif m == "jeffreys":
            lo = 0.0 if k == 0 else beta.ppf(0.025, k + 0.5, n - k + 0.5)
            hi = 1.0 if k == n else beta.ppf(0.975, k + 0.5, n - k + 0.5)
        else:
            lo = 0.0 if k == 0 else beta.ppf(0.025, k, n - k + 1)
            hi = 1.0 if k == n else beta.ppf(0.975, k + 1, n - k)
        print(m, repr(lo), repr(hi))
EOF
    for m in wilson jeffreys clopper-pearson; do
        close_lines "$(interval_case $m)" "$(awk -v m=$m '$1 == m { print $2, $3 }' "$TMP/want")" || { echo "--interval $m" >&2; return 1; }
    done
}

# ----------------------------------------------------------- 3. TAR at FMR

@test "TAR at FMR 1e-1 .. 1e-4: the threshold accepting the most pairs with FMR <= X; n/a where n_diff * X < 1" {
    local c
    run -0 confeval "$E"
    # 140 different pairs: 1e-1 and 1e-2 measurable, 1e-3 and 1e-4 not
    for c in cosine euclidean euclidean_l2; do
        read -r tar t <<< "$(tar_ref "$E" $c 10)"
        num tar_at_fmr_1e-1 $c "$tar"
        num threshold_at_fmr_1e-1 $c "$t"
        read -r tar t <<< "$(tar_ref "$E" $c 100)"
        num tar_at_fmr_1e-2 $c "$tar"
        num threshold_at_fmr_1e-2 $c "$t"
        assert_equal "$(fields $c tar_at_fmr_1e-3 threshold_at_fmr_1e-3 tar_at_fmr_1e-4 threshold_at_fmr_1e-4)" "$(printf 'n/a\tn/a\tn/a\tn/a')"
    done
    # pinned: cosine 58/140 at 0.187 (14 false matches), 16/140 at 0.1449 (1)
    assert_equal "$(fields cosine tar_at_fmr_1e-1 threshold_at_fmr_1e-1 tar_at_fmr_1e-2 threshold_at_fmr_1e-2)" \
        "$(printf '0.4142857142857143\t0.187\t0.11428571428571428\t0.1449')"
    # 10000 different pairs reach 1e-4: different at 0.3 + i/20000, same at
    # j/2500 (j < 1000): overlapping from 0.3 to 0.4
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 10000; i++) printf "0\t%.6f\n", 0.3 + i / 20000; for (j = 0; j < 1000; j++) printf "1\t%.6f\n", j / 2500 }' > "$TMP/big.tsv"
    run -0 confeval "$TMP/big.tsv"
    local k e=1
    for k in 10 100 1000 10000; do
        read -r tar t <<< "$(tar_ref "$TMP/big.tsv" cosine $k)"
        num tar_at_fmr_1e-$e cosine "$tar"
        num threshold_at_fmr_1e-$e cosine "$t"
        e=$((e + 1))
    done
    # by hand: at 1e-4 one false match (0.3 itself): same pairs <= 0.3 are
    # j = 0..750, 751 of 1000
    assert_equal "$(fields cosine tar_at_fmr_1e-4 threshold_at_fmr_1e-4)" "$(printf '0.751\t0.3')"
    # no threshold reaches it: 'accept nothing', -inf, TAR 0
    local w=() i
    for i in $(seq 20); do w+=(0:0.1); done
    stream "$TMP/none.tsv" "${w[@]}" 1:0.2
    run -0 confeval "$TMP/none.tsv"
    assert_equal "$(fields cosine tar_at_fmr_1e-1 threshold_at_fmr_1e-1 tar_at_fmr_1e-2)" "$(printf '0\t-inf\tn/a')"
    # higher: the threshold is the value, from the top
    run -0 confeval "$D/conf.tsv"
    assert_equal "$(fields cosine_confidence tar_at_fmr_1e-1 tar_at_fmr_1e-2 tar_at_fmr_1e-3)" "$(printf '1\t1\tn/a')"
}

@test "--fmr X: threshold_at_target, its FMR and count, TAR; fmr_upper_95 = 1 - 0.05^(1/n) when k = 0; pairs_needed = ceil(ln 0.05 / ln(1 - X))" {
    local x
    for x in 0.5 0.1 0.05 0.01 0.001 1e-4 1e-6; do
        run -0 confeval --fmr "$x" -c cosine "$E"
        num fmr_target cosine "$x"
        is pairs_needed cosine "$(awk -v x="$x" 'BEGIN { r = log(0.05) / log(1 - x); c = int(r); if (c < r) c++; print c }')"
    done
    # pinned: 29 at 0.1, 299 at 0.01, 2995 at 0.001, 59 at 0.05
    run -0 confeval --fmr 0.01 -c cosine "$E"
    assert_equal "$(fields cosine threshold_at_target fmr_at_target fmr_k_at_target tar_at_target pairs_needed)" \
        "$(printf '0.1449\t0.007142857142857143\t1\t0.11428571428571428\t299')"
    run -0 confeval --fmr 0.05 -c cosine "$E"
    is pairs_needed cosine 59
    # the same threshold as TAR at FMR 1e-1 for X = 0.1; the column order
    # of the header
    run -0 confeval --fmr 0.1 "$E"
    assert_equal "$(head -1 <<< "$output" | cut -f 28-41)" "$(printf 'fmr_target\tthreshold_at_target\tfmr_at_target\tfmr_k_at_target\tfmr_upper_95\ttar_at_target\tpairs_needed\tbrier\tlog_loss\tece\tece_mass')"
    assert_equal "$(fields cosine threshold_at_target tar_at_target)" "$(fields cosine threshold_at_fmr_1e-1 tar_at_fmr_1e-1)"
    assert_equal "$(fields cosine threshold_at_target fmr_at_target fmr_k_at_target tar_at_target)" "$(printf '0.187\t0.1\t14\t0.4142857142857143')"
    # k = 0: the bound is 1 - 0.05^(1/n_diff).  Same 0.1 0.2 0.3, different
    # 0.5 twice and 0.51 .. 0.68: at X = 0.05 one false match is allowed, but
    # the first two come together: the threshold is 0.3, no false match, TAR 1
    local i w=()
    for i in $(seq 51 68); do w+=(0:0.$i); done
    stream "$TMP/k0.tsv" 1:0.1 1:0.2 1:0.3 0:0.5 0:0.5 "${w[@]}"
    run -0 confeval --fmr 0.05 "$TMP/k0.tsv"
    assert_equal "$(fields cosine n_diff threshold_at_target fmr_at_target fmr_k_at_target tar_at_target pairs_needed)" "$(printf '20\t0.3\t0\t0\t1\t59')"
    near fmr_upper_95 cosine "$(awk 'BEGIN { printf "%.17g", 1 - exp(log(0.05) / 20) }')" 1e-12
    near fmr_upper_95 cosine 0.13910834066826516 1e-12
}

@test "--fmr X: fmr_upper_95 is the one-sided Clopper-Pearson bound when k > 0 (scipy's beta.ppf(0.95, k + 1, n - k), pinned)" {
    # DeepFace's cosine: 1 of 140 at X = 0.01, 14 of 140 at X = 0.1
    run -0 confeval --fmr 0.01 -c cosine "$E"
    is fmr_k_at_target cosine 1
    near fmr_upper_95 cosine 0.0334350304392175 1e-12
    run -0 confeval --fmr 0.1 -c cosine "$E"
    is fmr_k_at_target cosine 14
    near fmr_upper_95 cosine 0.1519079323250295 1e-12
    # 2 of 20
    local i w=()
    for i in $(seq 11 30); do w+=(0:0.$i); done
    stream "$TMP/s.tsv" "${w[@]}" 1:0.05 1:0.15
    run -0 confeval --fmr 0.1 "$TMP/s.tsv"
    assert_equal "$(fields cosine threshold_at_target fmr_k_at_target tar_at_target)" "$(printf '0.12\t2\t0.5')"
    near fmr_upper_95 cosine 0.28261852488586087 1e-12
    # the article's 262 different pairs at X = 0.01: 2 false matches at 0.590342
    run -0 confeval --fmr 0.01 -c cosine "$D/dist.tsv"
    assert_equal "$(fields cosine threshold_at_target fmr_k_at_target tar_at_target)" "$(printf '0.590342\t2\t1')"
    near fmr_upper_95 cosine 0.023833505472105727 1e-12
}

@test "--fmr X: the bound, live against scipy (skips without scipy)" {
    have_scipy
    local x kn=()
    for x in 0.01 0.1 0.3; do
        run -0 confeval --fmr $x -c cosine "$E"
        kn+=("$(get fmr_k_at_target cosine),$(get n_diff cosine)")
    done
    "$PY" -c "
import sys
from scipy.stats import beta
for a in sys.argv[1:]:
    k, n = map(int, a.split(','))
    print(repr(1.0 if k == n else beta.ppf(0.95, k + 1, n - k)))" "${kn[@]}" > "$TMP/want"
    local ci=0
    for x in 0.01 0.1 0.3; do
        ci=$((ci + 1))
        run -0 confeval --fmr $x -c cosine "$E"
        near fmr_upper_95 cosine "$(sed -n ${ci}p "$TMP/want")" 1e-12 || { echo "--fmr $x (k,n ${kn[ci-1]})" >&2; return 1; }
    done
}

@test "--fmr X below 1 / n_diff: still the threshold with no false match, and a bound above X that says the pairs are too few" {
    # 140 different pairs, X = 0.001: FMR 0 is the only FMR <= X; the
    # threshold accepting the most pairs with it is 0.1439 (16 same pairs,
    # no different one): the man page's 'the threshold that accepts the most
    # pairs with an FMR of at most X on these pairs'
    run -0 confeval --fmr 0.001 -c cosine "$E"
    assert_equal "$(fields cosine threshold_at_target fmr_at_target fmr_k_at_target tar_at_target pairs_needed)" \
        "$(printf '0.1439\t0\t0\t0.11428571428571428\t2995')"
    near fmr_upper_95 cosine "$(awk 'BEGIN { printf "%.17g", 1 - exp(log(0.05) / 140) }')" 1e-12
}

# ------------------------------------------------------- 4. and 5. EER, d'

@test "EER where the rates do not cross: eer_lo < eer_hi, eer their mean, at the threshold of least |FMR - FNMR|" {
    # same 0.1 0.3 0.5, different 0.2 0.4 0.6 0.7: (FMR, FNMR) at nothing
    # (0, 1), 0.1 (0, 2/3), 0.2 (1/4, 2/3), 0.3 (1/4, 1/3), 0.4 (1/2, 1/3),
    # 0.5 (1/2, 0): least at 0.3, |1/4 - 1/3| = 1/12
    stream "$TMP/a.tsv" 1:0.1 1:0.3 1:0.5 0:0.2 0:0.4 0:0.6 0:0.7
    run -0 confeval "$TMP/a.tsv"
    assert_equal "$(fields cosine eer_threshold eer_lo eer_hi)" "$(printf '0.3\t0.25\t0.3333333333333333')"
    num eer cosine "$(awk 'BEGIN { printf "%.17g", (1 / 4 + 1 / 3) / 2 }')"
    near eer cosine 0.29166666666666663 1e-15
    # U = 3 + 2 + 1 = 9 of 12: 0.75
    is auc cosine 0.75
    # DeepFace's cosine: the rates cross exactly, 47 of 140, at 0.2312
    run -0 confeval -c cosine "$E"
    assert_equal "$(fields cosine eer eer_lo eer_hi eer_threshold)" "$(printf '0.3357142857142857\t0.3357142857142857\t0.3357142857142857\t0.2312')"
}

@test "EER: of thresholds with equal |FMR - FNMR|, the first in accepting order (exactly equal in counts, 1/6 both)" {
    # same 0.1 0.5, different 0.2 0.3 0.4: at 0.2 (1/3, 1/2) and at 0.3
    # (2/3, 1/2) |FMR - FNMR| = 1/6 both (|1*2 - 1*3| = |2*2 - 1*3| = 1 over
    # 6): the first, 0.2; eer (1/3 + 1/2) / 2 = 5/12
    stream "$TMP/b.tsv" 1:0.1 1:0.5 0:0.2 0:0.3 0:0.4
    run -0 confeval "$TMP/b.tsv"
    assert_equal "$(fields cosine eer_threshold eer_lo eer_hi)" "$(printf '0.2\t0.3333333333333333\t0.5')"
    near eer cosine 0.41666666666666663 1e-15
}

@test "d': |mean same - mean different| / sqrt((var same + var different) / 2), population variances" {
    # same 1 3 (mean 2, variance 1), different 4 6 8 (mean 6, variance 8/3):
    # 4 / sqrt(11/6) = 2.954195783503985...; sample variances would give 4 / sqrt(3)
    stream "$TMP/c.tsv" 1:1 1:3 0:4 0:6 0:8
    run -0 confeval "$TMP/c.tsv"
    near d_prime cosine 2.9541957835039856 1e-13
    near d_prime cosine "$(awk 'BEGIN { printf "%.17g", 4 / sqrt((1 + 8 / 3) / 2) }')" 1e-13
    # the same with the classes swapped (the absolute value), and higher
    stream "$TMP/c2.tsv" 0:1 0:3 1:4 1:6 1:8
    run -0 confeval --higher "$TMP/c2.tsv"
    near d_prime cosine 2.9541957835039856 1e-13
    # DeepFace's columns, by awk in two passes
    run -0 confeval "$E"
    local c
    for c in cosine euclidean euclidean_l2; do
        near d_prime $c "$(rows "$E" $c | awk -F'\t' '{ y[NR] = $1; v[NR] = $2; n[$1]++; s[$1] += $2 }
            END { for (i = 1; i <= NR; i++) { d = v[i] - s[y[i]] / n[y[i]]; q[y[i]] += d * d }
                  m = s[1] / n[1] - s[0] / n[0]; if (m < 0) m = -m
                  printf "%.17g", m / sqrt((q[1] / n[1] + q[0] / n[0]) / 2) }')" 1e-12
    done
    near d_prime cosine 0.8595469923866843 1e-13
}

# ----------------------------------------------------------------- 6. --roc

@test "--roc: DeepFace's cosine, scikit-learn's roc_curve points (pinned): 126 points, the first -inf" {
    run -0 confeval --roc -c cosine "$E"
    assert_line -n 0 "$(printf 'column\tthreshold\tfmr\tfnmr\tfm\tn_diff\tfnm\tn_same')"
    assert_equal "${#lines[@]}" 127
    assert_line -n 1 "$(printf 'cosine\t-inf\t0\t1\t0\t140\t140\t140')"
    assert_line -n 2 "$(printf 'cosine\t0.0756\t0\t0.9928571428571429\t0\t140\t139\t140')"
    assert_line -n 3 "$(printf 'cosine\t0.1439\t0\t0.8857142857142857\t0\t140\t124\t140')"
    assert_line -n 4 "$(printf 'cosine\t0.1453\t0.014285714285714285\t0.8857142857142857\t2\t140\t124\t140')"
    assert_line -n 124 "$(printf 'cosine\t0.4049\t0.9857142857142858\t0.014285714285714285\t138\t140\t2\t140')"
    assert_line -n 125 "$(printf 'cosine\t0.4153\t0.9857142857142858\t0\t138\t140\t0\t140')"
    assert_line -n 126 "$(printf 'cosine\t0.4919\t1\t0\t140\t140\t0\t140')"
    # fmr = fm / n_diff and fnmr = fnm / n_same on every line; fm and fnm monotone
    awk -F'\t' 'NR > 1 { if ($3 + 0 != $5 / $6 || $4 + 0 != $7 / $8) { print "rates: " $0; exit 1 }
        if (NR > 2 && ($5 < fm || $7 > fnm)) { print "order: " $0; exit 1 } fm = $5; fnm = $7 }' <<< "$output"
    # the three columns, the higher ones from inf
    run -0 confeval --roc "$D/conf.tsv"
    assert_equal "$(awk -F'\t' '$2 == "-inf" { print $1 }' <<< "$output" | paste -sd,)" "cosine,euclidean,euclidean_l2,angular"
    assert_equal "$(awk -F'\t' '$2 == "inf" { print $1 }' <<< "$output" | paste -sd,)" "cosine_confidence,euclidean_confidence,euclidean_l2_confidence,angular_confidence"
    # the man page's example
    run -0 confeval --roc -c cosine "$D/dist.tsv"
    assert_line -n 1 "$(printf 'cosine\t-inf\t0\t1\t0\t262\t38\t38')"
    assert_line -n 2 "$(printf 'cosine\t0.079493\t0\t0.9736842105263158\t0\t262\t37\t38')"
}

@test "--roc: drop_intermediate by hand (the first, the corners, the last)" {
    # y 1 1 0 0 0 at 0.1 0.2 0.5 0.6 0.7: (fm, tm) = (0,1) (0,2) (1,2) (2,2)
    # (3,2); the second differences keep 0.1, 0.2 and the last, 0.7
    stream "$TMP/s.tsv" 1:0.1 1:0.2 0:0.5 0:0.6 0:0.7
    run -0 confeval --roc "$TMP/s.tsv"
    assert_equal "$(cut -f2 <<< "$output" | tail -n +2 | paste -sd' ')" "-inf 0.1 0.2 0.7"
    # alternating: every point is a corner
    stream "$TMP/z.tsv" 1:0.1 0:0.2 1:0.3 0:0.4
    run -0 confeval --roc "$TMP/z.tsv"
    assert_equal "$(cut -f2,5,7 <<< "$output" | tail -n +2 | paste -sd' ')" "$(printf -- '-inf\t0\t2 0.1\t0\t1 0.2\t1\t1 0.3\t1\t0 0.4\t2\t0' | paste -sd' ')"
}

@test "--roc and AUC against scikit-learn's roc_curve and roc_auc_score, live (skips without scikit-learn)" {
    have_sklearn
    local f c dir fc ci=0 cases=("$E:cosine:lower" "$E:euclidean:lower" "$E:euclidean_l2:lower" "$D/dist.tsv:angular:lower"
        "$D/prob.tsv:cosine_probability:higher" "$D/conf.tsv:cosine_confidence:higher")
    # one python for all: TMP/want.N, the AUC first, then "threshold fpr 1-tpr" a line
    "$PY" - "$TMP" "${cases[@]}" << 'EOF'
import sys
import numpy as np
from sklearn.metrics import roc_curve, roc_auc_score
for i, case in enumerate(sys.argv[2:], 1):
    f, col, d = case.rsplit(":", 2)
    lines = [l.rstrip("\r\n").split("\t") for l in open(f) if not l.startswith("#")]
    h = lines[0]
    y = np.array([int(r[h.index("same")]) for r in lines[1:]])
    s = np.array([float(r[h.index(col)]) for r in lines[1:]])
    if d == "lower":
        s = -s
    fpr, tpr, t = roc_curve(y, s)  # drop_intermediate=True, its default
    with open("%s/want.%d" % (sys.argv[1], i), "w") as o:
        print(repr(roc_auc_score(y, s)), file=o)
        for j in range(len(t)):
            # thresholds[0] is inf (scikit-learn >= 1.3) or thresholds[1] + 1: accept nothing
            th = ("-inf" if d == "lower" else "inf") if j == 0 else repr(-t[j] if d == "lower" else t[j])
            print("%s\t%r\t%r" % (th, fpr[j], 1 - tpr[j]), file=o)
EOF
    for fc in "${cases[@]}"; do
        ci=$((ci + 1))
        f=${fc%:*:*} c=${fc#"$f":} dir=${c#*:} c=${c%:*}
        confeval --roc -c "$c" "$f" | tail -n +2 | cut -f2-4 > "$TMP/got"
        # the same thresholds (as decimals), the same FMR to the bit, FNMR to
        # 1e-12 (scikit-learn's 1 - tpr rounds twice)
        paste "$TMP/got" <(tail -n +2 "$TMP/want.$ci") | awk -F'\t' -v c="$c" '
            { d = $3 - $6; if (d < 0) d = -d
              if ($1 != $4 || $2 + 0 != $5 + 0 || d > 1e-12) { print c ": got " $1 " " $2 " " $3 ", want " $4 " " $5 " " $6; bad = 1 } }
            END { exit bad }'
        [ "$(wc -l < "$TMP/got")" -eq "$(($(wc -l < "$TMP/want.$ci") - 1))" ] || { echo "$c: $(wc -l < "$TMP/got") points, want $(($(wc -l < "$TMP/want.$ci") - 1))" >&2; return 1; }
        run -0 confeval -c "$c" "$f"
        near auc "$c" "$(head -1 "$TMP/want.$ci")" 1e-12
    done
}

@test "AUC: exact in integers (DeepFace's cosine 0.7428571428571429), every column against U / (n1 n0) computed here" {
    run -0 confeval "$E"
    is auc cosine 0.7428571428571429
    is auc euclidean 0.7306632653061225
    is auc euclidean_l2 0.7423214285714286
    local c
    for c in cosine euclidean euclidean_l2; do num auc $c "$(auc_ref "$E" $c)"; done
    run -0 confeval "$D/prob.tsv"
    for c in cosine_probability euclidean_probability euclidean_l2_probability; do num auc $c "$(auc_ref "$D/prob.tsv" $c higher)"; done
}

# ---------------------------------------------------------------- 7. counts

@test "counts give the report of the rows, byte for byte: logfit --counts and pairdist --counts, summary and --roc" {
    local opts
    logfit --counts "$E" > "$TMP/e.counts"
    for opts in "" "--model Facenet" "-t 0.3" "--fmr 0.01" "--fmr 0.001 --interval jeffreys" "--interval clopper-pearson -t cosine=0.2" "--higher" "-c euclidean,cosine" "--roc" "--roc -c euclidean_l2"; do
        cmp <(confeval $opts "$E") <(confeval $opts "$TMP/e.counts") || { echo "options: $opts" >&2; return 1; }
    done
    # pairdist --counts of the article's pairs
    pairdist -m all --counts "$D/pairs.tsv" > "$TMP/p.counts"
    for opts in "--model Facenet" "--fmr 0.01" "--roc"; do
        cmp <(confeval $opts "$D/dist.tsv") <(confeval $opts "$TMP/p.counts") || { echo "pairdist, options: $opts" >&2; return 1; }
    done
    # -M and -o
    logfit "$E" > "$TMP/m.yaml"
    confeval -M "$TMP/m.yaml" -o "$TMP/rows.tsv" "$E"
    confeval -M "$TMP/m.yaml" -o "$TMP/counts.tsv" "$TMP/e.counts"
    [ -s "$TMP/rows.tsv" ]
    cmp "$TMP/rows.tsv" "$TMP/counts.tsv"
}

@test "counts split in two files are added up: as two files, as one cat, in either order" {
    { head -2 "$E"; sed -n '3,150p' "$E"; } > "$TMP/h1.tsv"
    { head -2 "$E"; sed -n '151,$p' "$E"; } > "$TMP/h2.tsv"
    logfit --counts "$TMP/h1.tsv" > "$TMP/h1.counts"
    logfit --counts "$TMP/h2.tsv" > "$TMP/h2.counts"
    local opts
    for opts in "--model Facenet --fmr 0.01" "--roc"; do
        confeval $opts "$E" > "$TMP/want"
        confeval $opts "$TMP/h1.counts" "$TMP/h2.counts" | cmp - "$TMP/want"
        confeval $opts "$TMP/h2.counts" "$TMP/h1.counts" | cmp - "$TMP/want"
        cat "$TMP/h1.counts" "$TMP/h2.counts" | confeval $opts | cmp - "$TMP/want"
    done
    # the article's pairs in 3 shards
    local k files=()
    for k in 0 1 2; do
        pairgen --shard $k/3 "$FIX/identities.yaml" | pairdist -m all --counts > "$TMP/s$k.counts"
        files+=("$TMP/s$k.counts")
    done
    confeval --model Facenet "$D/dist.tsv" > "$TMP/want"
    confeval --model Facenet "${files[@]}" | cmp - "$TMP/want"
}

@test "-y with counts is refused: counts carry the class as n_same" {
    logfit --counts "$E" > "$TMP/e.counts"
    cd "$TMP"
    refused "confeval: e.counts:3: counts carry their class as n_same: -y has no use with them" confeval -y same -o out.tsv e.counts
    [ ! -e out.tsv ]
}

@test "counts without n_same are refused, naming the line" {
    printf '#distconf-counts=1\ncolumn\tvalue\tn\ncosine\t0.2\t3\n' > "$TMP/x.counts"
    run -1 --separate-stderr confeval "$TMP/x.counts"
    assert_equal "$stderr" "confeval: $TMP/x.counts:2: the counts have no n_same (their stream had no column 'same'): nothing to evaluate against"
    assert_equal "$output" ""
}

# ---------------------------------------------------------- 8. --reliability

@test "--reliability: 10 bins per column, their counts sum to the rows, observed = observed_k / n, the bins computed here" {
    run -0 confeval --reliability "$D/prob.tsv"
    assert_line -n 0 "$(printf 'column\tbin\tlo\thi\tn\tpredicted\tobserved\tobserved_k\tobserved_lo\tobserved_hi')"
    assert_equal "$(tail -n +2 <<< "$output" | cut -f1 | uniq -c | awk '{ print $2 ":" $1 }' | paste -sd' ')" \
        "cosine_probability:10 euclidean_probability:10 euclidean_l2_probability:10"
    # bins 1..10, lo and hi tenths
    assert_equal "$(awk -F'\t' '$1 == "cosine_probability" { printf "%s:%s-%s ", $2, $3, $4 }' <<< "$output")" \
        "1:0-0.1 2:0.1-0.2 3:0.2-0.3 4:0.3-0.4 5:0.4-0.5 6:0.5-0.6 7:0.6-0.7 8:0.7-0.8 9:0.8-0.9 10:0.9-1 "
    # per column: the n sum to 280, the observed_k to the 140 same pairs;
    # observed = observed_k / n (NA where n = 0); intervals within [0, 1]
    awk -F'\t' 'NR > 1 { n[$1] += $5; k[$1] += $8
            if ($5 == 0) { if ($6 != "NA" || $7 != "NA") { print "empty bin: " $0; bad = 1 } }
            else if ($7 + 0 != $8 / $5 || $9 < 0 || $9 > $7 || $10 < $7) { print "bin: " $0; bad = 1 } }
        END { for (c in n) if (n[c] != 280 || k[c] != 140) { print c ": " n[c] " rows, " k[c] " same"; bad = 1 } exit bad }' <<< "$output"
    # each bin's n, observed_k and mean predicted, from the rows here: bin
    # floor(v / 10) + 1 of the value v in percent (100 in the last)
    local c
    for c in cosine_probability euclidean_probability euclidean_l2_probability; do
        rows "$D/prob.tsv" $c | awk -F'\t' '{ b = int($2 / 10) + 1; if (b > 10) b = 10; n[b]++; k[b] += $1; p[b] += $2 / 100 }
            END { for (b = 1; b <= 10; b++) if (n[b]) printf "%d %d %d %.17g\n", b, n[b], k[b], p[b] / n[b]; else print b, 0, 0, "NA" }' > "$TMP/want"
        awk -F'\t' -v c=$c '$1 == c { print $2, $5, $8, $6 }' <<< "$output" | paste -d' ' - "$TMP/want" | awk '
            { if ($1 != $5 || $2 != $6 || $3 != $7) { print "bin " $1 ": n, k " $2 " " $3 ", want " $6 " " $7; bad = 1 }
              if ($8 == "NA") { if ($4 != "NA") bad = 1 } else { d = $4 - $8; if (d < 0) d = -d; if (d > 1e-12) { print "bin " $1 ": predicted " $4 ", want " $8; bad = 1 } } }
            END { exit bad }' || { echo "column $c" >&2; return 1; }
    done
}

@test "--reliability: the bins' intervals are --interval's, and n/n ends at 1" {
    run -0 confeval --reliability -c cosine_probability "$D/prob.tsv"
    # bin 9: 22 of 25 by Wilson's formula
    assert_equal "$(awk -F'\t' '$2 == 9 { print $5, $8 }' <<< "$output")" "25 22"
    awk -F'\t' '$2 == 9 { z = 1.959963984540054; k = 22; n = 25; c = k + z * z / 2; h = z * sqrt(k * (n - k) / n + z * z / 4)
        lo = (c - h) / (n + z * z); hi = (c + h) / (n + z * z); d1 = $9 - lo; d2 = $10 - hi
        exit !(d1 < 1e-12 && d1 > -1e-12 && d2 < 1e-12 && d2 > -1e-12) }' <<< "$output"
    # Jeffreys: scipy's beta.ppf(0.025 and 0.975, 22.5, 3.5)
    run -0 confeval --reliability --interval jeffreys -c cosine_probability "$D/prob.tsv"
    output=$(awk -F'\t' 'NR == 1 { print "column\t" $9 "\t" $10 } $2 == 9 { print "bin9\t" $9 "\t" $10 }' <<< "$output")
    near observed_lo bin9 0.7132724586015919 1e-12
    near observed_hi bin9 0.9650152486815372 1e-12
    # bin 10 of cosine_probability: 16 of 16 same pairs (at 100): it ends at 1
    run -0 confeval --reliability -c cosine_probability "$D/prob.tsv"
    assert_equal "$(awk -F'\t' '$2 == 10 { print $5, $7, $8, $10 }' <<< "$output")" "16 1 16 1"
    # no interval ends outside [0, 1]
    awk -F'\t' 'NR > 1 && $5 > 0 && ($9 < 0 || $10 > 1) { print "bin: " $0; bad = 1 } END { exit bad }' <<< "$output"
    # the confidences of the article: every column, 10 bins each
    run -0 confeval --reliability "$D/conf.tsv"
    assert_equal "$(tail -n +2 <<< "$output" | cut -f1 | sort | uniq -c | awk '{ print $1 }' | sort -u)" "10"
    assert_equal "$(awk -F'\t' 'NR > 1 { n += $5 } END { print n }' <<< "$output")" 1200
}

@test "--reliability without a confidence or probability column is refused (exit 1)" {
    cd "$TMP"
    cp "$E" e.tsv
    refused "confeval: e.tsv:2: --reliability reads confidences and probabilities in percent, and no column ends in _confidence or _probability" \
        confeval --reliability -o out.tsv e.tsv
    [ ! -e out.tsv ]
}

# ------------------------------------------------- 9. probability columns

@test "brier, log_loss, ece, ece_mass: for _probability columns, computed here; NA for distances and confidences" {
    run -0 confeval "$D/prob.tsv"
    local c
    for c in cosine euclidean euclidean_l2; do
        assert_equal "$(fields $c brier log_loss ece ece_mass)" "$(printf 'NA\tNA\tNA\tNA')"
    done
    for c in cosine_probability euclidean_probability euclidean_l2_probability; do
        near brier $c "$(rows "$D/prob.tsv" $c | awk -F'\t' '{ d = $2 / 100 - $1; s += d * d } END { printf "%.17g", s / NR }')" 1e-12
        near log_loss $c "$(rows "$D/prob.tsv" $c | awk -F'\t' '{ p = $2 / 100; if (p < 1e-15) p = 1e-15; if (p > 1 - 1e-15) p = 1 - 1e-15; s -= $1 ? log(p) : log(1 - p) } END { printf "%.17g", s / NR }')" 1e-12
        # ECE over 10 equal-width bins: sum n_b / N |mean p - mean y|
        local want
        want=$(rows "$D/prob.tsv" $c | awk -F'\t' '{ b = int($2 / 10); if (b > 9) b = 9; n[b]++; k[b] += $1; p[b] += $2 / 100 }
            END { for (b in n) { d = p[b] - k[b]; if (d < 0) d = -d; e += d } printf "%.17g", e / NR }')
        awk -v a="$(get ece $c)" -v b="$want" 'BEGIN { d = a - b; exit !(a ~ /^[0-9]/ && d < 1e-12 && d > -1e-12) }' || { echo "$c ece $(get ece $c), want $want" >&2; return 1; }
        [[ "$(get ece_mass $c)" =~ ^[0-9] ]]
    done
    # pinned
    near brier cosine_probability 0.19446444703571428 1e-12
    near log_loss cosine_probability 0.5644941262043732 1e-12
    # confidences are not probabilities
    run -0 confeval "$D/conf.tsv"
    assert_equal "$(fields cosine_confidence brier log_loss ece ece_mass)" "$(printf 'NA\tNA\tNA\tNA')"
    # a perfect probability: brier 0, log loss at the clip
    printf 'same\tx_probability\n1\t100\n0\t0\n1\t100\n' > "$TMP/p.tsv"
    run -0 confeval "$TMP/p.tsv"
    assert_equal "$(fields x_probability auc brier ece)" "$(printf '1\t0\t0')"
    near log_loss x_probability "$(awk 'BEGIN { printf "%.17g", -log(1 - 1e-15) }')" 1e-3
}

# --------------------------------------------------------------- 10. errors

# data_refused FILE-CONTENT-FORMAT MESSAGE-AFTER-"confeval: " [OPTION...]:
# the stream from printf FORMAT (as x.tsv in $TMP/w) is refused with status 1,
# one line, and leaves no -o file.
data_refused() {
    local fmt=$1 message=$2
    shift 2
    mkdir -p "$TMP/w"
    printf "$fmt" > "$TMP/w/x.tsv"
    cd "$TMP/w"
    refused "confeval: $message" confeval "$@" -o out.tsv x.tsv
    assert_equal "$output" ""
    assert_equal "$(ls -A)" "x.tsv"
    cd - > /dev/null
}

@test "data errors (exit 1, one line naming file:line, no -o file): no class column, a class not 0 or 1, a score not a number, no score column" {
    data_refused 'a\tcosine\nx\t0.2\n' "x.tsv:1: no class column 'same' (give -y COL; columns: a, cosine)"
    data_refused 'a\tsame\tcosine\nx\t1\t0.2\n' "x.tsv:1: no class column 'label' (give -y COL; columns: a, same, cosine)" -y label
    data_refused 'same\tcosine\n1\t0.2\n2\t0.3\n' "x.tsv:3: column 'same' is not 0 or 1 (nor true or false) ('2')"
    data_refused 'same\tcosine\n1\t0.2\nyes\t0.3\n' "x.tsv:3: column 'same' is not 0 or 1 (nor true or false) ('yes')"
    data_refused 'same\tcosine\n1\t0.2\n\t0.3\n' "x.tsv:3: column 'same' is empty"
    data_refused 'same\tcosine\n1\t0.2\n0\tNaN\n' "x.tsv:3: column 'cosine' is not a number ('NaN')"
    data_refused 'same\tcosine\n1\t0.2\n0\t\n' "x.tsv:3: column 'cosine' is empty"
    data_refused 'same\tcosine\n1\t0.2\n0\tabc\n' "x.tsv:3: column 'cosine' is not a number ('abc')"
    data_refused 'same\tcosine\n1\t0.2\n0\tinf\n' "x.tsv:3: column 'cosine' is not a number ('inf')"
    data_refused 'same\tfoo\n1\t0.2\n0\t0.3\n' "x.tsv:1: no score column (expected one named like a metric (cosine, euclidean, euclidean_l2, angular), or ending in _confidence or _probability, or name them with -c; columns: same, foo)"
    data_refused 'same\tcosine\n1\t0.2\n0\n' "x.tsv:3: expected 2 fields as in the header, found 1"
}

@test "a class of true/false (pandas) is read as 1/0; -y names another class column" {
    printf 'same\tcosine\n1\t0.2\ntrue\t0.3\nfalse\t0.5\nTrue\t0.1\nFalse\t0.6\n0\t0.7\n' > "$TMP/t.tsv"
    printf 'same\tcosine\n1\t0.2\n1\t0.3\n0\t0.5\n1\t0.1\n0\t0.6\n0\t0.7\n' > "$TMP/n.tsv"
    cmp <(confeval -t 0.4 "$TMP/t.tsv") <(confeval -t 0.4 "$TMP/n.tsv")
    printf 'same\tlabel\tcosine\n0\t1\t0.2\n0\t0\t0.7\n1\t1\t0.3\n' > "$TMP/y.tsv"
    run -0 confeval -y label "$TMP/y.tsv"
    assert_equal "$(fields cosine n_same n_diff auc)" "$(printf '2\t1\t1')"
}

@test "usage errors (exit 2): -t on a column that is no score column, --fmr out of (0, 1), --roc with --reliability, --lower with --higher, a bogus --interval or --model" {
    usage_refused "confeval: --threshold names 'same', which is not a score column" confeval -t same=0.3 "$E"
    usage_refused "confeval: --threshold names 'a', which is not a score column" confeval -t a=0.3 "$E"
    usage_refused "confeval: --threshold names 'foo', which is not a score column" confeval -t cosine=0.3,foo=0.3 "$E"
    local x
    for x in 0 1 -1 1.5 1e-310 -0 1e-400; do
        usage_refused "confeval: invalid value for --fmr: '$x' (expected a rate below 1 and at least 2.2250738585072014e-308, the smallest normal double)" confeval --fmr "$x" "$E"
    done
    run -0 confeval --fmr 2.2250738585072014e-308 "$E" # the smallest: pairs_needed a double
    [[ "$output" != *inf* ]]
    usage_refused "confeval: invalid number for --fmr: 'abc' is not a number" confeval --fmr abc "$E"
    usage_refused "confeval: --roc and --reliability: give one" confeval --roc --reliability "$E"
    usage_refused "confeval: --lower and --higher: give one" confeval --lower --higher "$E"
    usage_refused "confeval: invalid value for --interval: 'bogus' (expected wilson, jeffreys or clopper-pearson)" confeval --interval bogus "$E"
    usage_refused "confeval: unknown model 'bogus' (models: VGG-Face, Facenet, Facenet512, ArcFace, Dlib, SFace, OpenFace, DeepFace, DeepID, GhostFaceNet, Buffalo_L)" confeval --model bogus "$E"
    # and no -o file
    cd "$TMP"
    run -2 confeval --fmr 0 -o out.tsv "$E"
    [ ! -e out.tsv ]
}

@test "-o: the output file, FILE.gz compressed; not an input" {
    cd "$TMP"
    confeval "$E" > want.tsv
    confeval -o out.tsv "$E"
    cmp out.tsv want.tsv
    confeval -o out.tsv.gz "$E"
    gzip -dc out.tsv.gz | cmp - want.tsv
    cp "$E" in.tsv
    refused "confeval: in.tsv: output file is the stream being read ('in.tsv')" confeval -o in.tsv in.tsv
    cmp in.tsv "$E"
}

# -------------------------------------------------------------- 11. hostile

@test "several files, repeated headers (cat), gzip, a byte-order mark, CRLF: the report of the one stream" {
    { head -2 "$E"; sed -n '3,150p' "$E"; } > "$TMP/h1.tsv"
    { head -2 "$E"; sed -n '151,$p' "$E"; } > "$TMP/h2.tsv"
    local opts
    for opts in "--model Facenet --fmr 0.01" "--roc"; do
        confeval $opts "$E" > "$TMP/want"
        confeval $opts "$TMP/h1.tsv" "$TMP/h2.tsv" | cmp - "$TMP/want"
        cat "$TMP/h1.tsv" "$TMP/h2.tsv" | confeval $opts | cmp - "$TMP/want"
        confeval $opts - "$TMP/h2.tsv" < "$TMP/h1.tsv" | cmp - "$TMP/want"
        gzip -c "$E" > "$TMP/e.gz"
        confeval $opts "$TMP/e.gz" | cmp - "$TMP/want"
        { printf '\xef\xbb\xbf'; cat "$E"; } > "$TMP/bom.tsv"
        confeval $opts "$TMP/bom.tsv" | cmp - "$TMP/want"
        { printf '\xef\xbb\xbf'; cat "$TMP/h2.tsv"; } > "$TMP/bom2.tsv"
        confeval $opts "$TMP/h1.tsv" "$TMP/bom2.tsv" | cmp - "$TMP/want"
        # CRLF, alone and mixed with LF, and no final newline (as tests/hostile.bats)
        sed 's/$/\r/' "$E" > "$TMP/crlf.tsv"
        confeval $opts "$TMP/crlf.tsv" | cmp - "$TMP/want"
        sed 's/$/\r/' "$TMP/h2.tsv" > "$TMP/crlf2.tsv"
        confeval $opts "$TMP/h1.tsv" "$TMP/crlf2.tsv" | cmp - "$TMP/want"
        head -c -1 "$E" > "$TMP/nofinal.tsv"
        confeval $opts "$TMP/nofinal.tsv" | cmp - "$TMP/want"
    done
    # a second header in another order is refused
    awk -F'\t' -v OFS='\t' '/^#/ { print; next } { print $1, $2, $4, $3, $5, $6 }' "$TMP/h2.tsv" > "$TMP/swap.tsv"
    run -1 --separate-stderr confeval "$TMP/h1.tsv" "$TMP/swap.tsv"
    [[ "$stderr" == "confeval: $TMP/swap.tsv:2: a second header"* ]]
}

@test "a million rows of one value (and two of others): AUC, EER and d' still right, quickly" {
    # 600000 different and 400000 same pairs at 0.5, one same at 0.1, one
    # different at 0.9.  2U = 2 (600001 + 400000) + 400000 * 600000.
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 600000; i++) print "0\t0.5"; for (i = 0; i < 400000; i++) print "1\t0.5"; print "1\t0.1"; print "0\t0.9" }' > "$TMP/m.tsv"
    run -0 timeout 60 confeval --fmr 0.5 "$TMP/m.tsv"
    assert_equal "$(fields cosine n_same n_diff)" "$(printf '400001\t600001')"
    num auc cosine "$(awk 'BEGIN { printf "%.17g", (2 * (600001 + 400000) + 400000 * 600000) / (2 * 400001 * 600001) }')"
    near auc cosine 0.5000020833267361 1e-15
    # |FMR - FNMR|: nothing 1, 0.1 400000/400001, 0.5 600000/600001, 0.9 1: least at 0.1
    assert_equal "$(fields cosine eer_threshold eer_lo)" "$(printf '0.1\t0')"
    num eer_hi cosine "$(awk 'BEGIN { printf "%.17g", 400000 / 400001 }')"
    near d_prime cosine "$(awk 'BEGIN { ms = (0.1 + 400000 * 0.5) / 400001; md = (0.9 + 600000 * 0.5) / 600001
        vs = ((0.1 - ms) ^ 2 + 400000 * (0.5 - ms) ^ 2) / 400001; vd = ((0.9 - md) ^ 2 + 600000 * (0.5 - md) ^ 2) / 600001
        printf "%.17g", (md - ms) / sqrt((vs + vd) / 2) }')" 1e-9
    # the counts: four rows
    logfit --counts "$TMP/m.tsv" > "$TMP/m.counts"
    assert_equal "$(grep -c '^cosine' "$TMP/m.counts")" 3
    cmp <(confeval --fmr 0.5 "$TMP/m.counts") <(confeval --fmr 0.5 "$TMP/m.tsv")
    # yes | head: a million identical rows of one class only
    { printf 'same\tcosine\n'; yes $'1\t0.25' | head -n 1000000; } | confeval -t 0.3 > "$TMP/one.tsv"
    output=$(cat "$TMP/one.tsv")
    assert_equal "$(fields cosine n_same n_diff auc fnmr_k)" "$(printf '1000000\t0\tNA\t0')"
}

# ------------------------------------------------------------ the man page

@test "the man page's examples" {
    run -0 bash -c "confeval --model Facenet '$D/dist.tsv' | cut -f 1,3-6,11-13,16,17"
    assert_output "$(printf '%s\n' 'column	n_same	n_diff	auc	eer	threshold	fmr	fmr_k	fnmr	fnmr_k' \
        'cosine	38	262	1	0	0.4	0	0	0	0' \
        'euclidean	38	262	1	0	10	0	0	0.02631578947368421	1' \
        'euclidean_l2	38	262	1	0	0.8	0	0	0.02631578947368421	1' \
        'angular	38	262	1	0	0.33	0	0	0	0')"
    run -0 confeval "$E"
    assert_equal "$(head -1 <<< "$output")" "$(printf '%s\t' column direction n_same n_diff auc eer eer_lo eer_hi eer_threshold d_prime threshold fmr fmr_k fmr_lo fmr_hi fnmr fnmr_k fnmr_lo fnmr_hi tar_at_fmr_1e-1 threshold_at_fmr_1e-1 tar_at_fmr_1e-2 threshold_at_fmr_1e-2 tar_at_fmr_1e-3 threshold_at_fmr_1e-3 tar_at_fmr_1e-4 threshold_at_fmr_1e-4 brier log_loss ece | sed 's/\t$/\tece_mass/')"
}

@test "review: --fmr compares the rate as printed (29 of 100 is at most 0.29); pairs_needed beyond 2^64; no different pair is NA; a percent column outside 0 to 100 is refused" {
    # 100 different pairs at 1..100, 50 same pairs below them
    awk 'BEGIN { print "same\tcosine"; for (i = 1; i <= 50; i++) print "1\t0." sprintf("%03d", i); for (i = 1; i <= 100; i++) print "0\t" i }' > "$TMP/f29.tsv"
    run -0 --separate-stderr confeval --fmr 0.29 "$TMP/f29.tsv"
    assert_equal "$(fields cosine threshold_at_target fmr_at_target fmr_k_at_target)" "$(printf '29\t0.29\t29')"
    run -0 --separate-stderr confeval --fmr 1e-300 "$TMP/f29.tsv"
    is pairs_needed cosine 2.995732273553991e+300
    printf 'same\tcosine\n1\t0.1\n1\t0.2\n' > "$TMP/same.tsv"
    run -0 --separate-stderr confeval --fmr 0.1 "$TMP/same.tsv"
    assert_equal "$(fields cosine threshold_at_target fmr_at_target fmr_k_at_target fmr_upper_95 tar_at_target)" "$(printf 'NA\tNA\tNA\tNA\tNA')"
    printf 'same\tx_probability\n1\t0.9\n0\t150\n' > "$TMP/p.tsv"
    refused "confeval: $TMP/p.tsv: column 'x_probability' holds 150: confidences and probabilities are in percent, 0 to 100" confeval -o "$TMP/out.tsv" "$TMP/p.tsv"
    [ ! -e "$TMP/out.tsv" ]
    printf 'same\tx_confidence\n1\t-5\n0\t50\n' > "$TMP/c.tsv"
    refused "confeval: $TMP/c.tsv: column 'x_confidence' holds -5: confidences and probabilities are in percent, 0 to 100" confeval --reliability "$TMP/c.tsv"
}

@test "-j N: the report and the ROC the same for every N, on a stream of many blocks; -j 0 refused" {
    awk 'BEGIN {
        srand(15)
        print "same\tcosine\teuclidean_l2"
        for (i = 0; i < 200000; i++) {
            s = rand() < 0.1
            c = s ? 0.1 + 0.4 * rand() : 0.45 + 0.7 * rand()
            printf "%d\t%.6f\t%.6f\n", s, c, sqrt(2 * c) * (0.95 + 0.1 * rand())
        }
    }' > "$TMP/many.tsv"
    for j in 1 2 3; do
        confeval -j $j --model Facenet "$TMP/many.tsv" > "$TMP/r.$j"
        confeval --jobs=$j --roc "$TMP/many.tsv" > "$TMP/roc.$j"
    done
    for f in r roc; do
        cmp "$TMP/$f.1" "$TMP/$f.2"
        cmp "$TMP/$f.1" "$TMP/$f.3"
    done
    usage_refused "confeval: invalid value for --jobs: '0' (expected an integer from 1 to 64)" confeval -j 0 "$TMP/many.tsv"
}
