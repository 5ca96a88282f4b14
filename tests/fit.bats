#!/usr/bin/env bats
# Issue 10, point 7 (logfit and confmap): confmap --model maps as DeepFace
# does, -t as verify(threshold=); the range and the embedding model a model
# was fitted on, and confmap's warnings about them (-q); the tuned threshold
# in the middle of the widest gap; logfit -v that does not flatter.

load test_helper
bats_require_minimum_version 1.5.0

D="$FIX/facenet-distances.tsv"

# A version-1 model without the keys of this issue (Facenet's cosine).
V1='version: 1
metrics:
  cosine:
    threshold: 0.4
    w: -6.502269165856082
    b: 1.679048923097668
    normalizer: 1.206694
    denorm_max_true: 77.17253153662926
    denorm_min_true: 41.790002608273234
    denorm_max_false: 20.618350202170916
    denorm_min_false: 0.7976712344840693
'

# --- confmap --model: DeepFace's numbers by default ------------------------

@test "--model alone maps in style deepface; -M keeps clamped, with or without --model" {
    cut -f4-7 "$D" > "$TMP/s.tsv"
    confmap --model Facenet "$TMP/s.tsv" > "$TMP/default"
    confmap --model Facenet --style deepface "$TMP/s.tsv" > "$TMP/deepface"
    confmap --model Facenet --style clamped "$TMP/s.tsv" > "$TMP/clamped"
    cmp "$TMP/default" "$TMP/deepface"
    ! cmp -s "$TMP/default" "$TMP/clamped"
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    confmap -M "$TMP/m.yaml" "$TMP/s.tsv" > "$TMP/mdefault"
    confmap -M "$TMP/m.yaml" --style clamped "$TMP/s.tsv" > "$TMP/mclamped"
    cmp "$TMP/mdefault" "$TMP/mclamped"
    printf '%s' "$V1" | grep -v threshold > "$TMP/nothr.yaml"
    confmap -M "$TMP/nothr.yaml" --model Facenet -m cosine "$TMP/s.tsv" > "$TMP/a"
    confmap -M "$TMP/nothr.yaml" --model Facenet -m cosine --style clamped "$TMP/s.tsv" > "$TMP/b"
    cmp "$TMP/a" "$TMP/b"
}

@test "--model: DeepFace's find_confidence values, Buffalo_L's 51/49, d <= 0" {
    cosines 0.01 0.3 0.38 0.45 0.7 0
    run -0 confmap --model Facenet "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.01	100.00
0.3	64.53
0.38	51.00
0.45	31.66
0.7	10.27
0	100.00"
    # no constants: 51 or 49, except d <= 0 (DeepFace answers that first)
    run -0 confmap --model buffalo_l "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.01	51.00
0.3	51.00
0.38	51.00
0.45	51.00
0.7	49.00
0	100.00"
}

@test "-t in style deepface: as verify(threshold=T), T decides, the confidence keeps the model's band" {
    cosines 0.01 0.3 0.38 0.45 0.5 0.55 0.7
    run -0 confmap --model Facenet -t 0.6 --verified "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence	cosine_verified
0.01	100.00	1
0.3	64.53	1
0.38	51.00	1
0.45	31.66	1
0.5	26.03	1
0.55	21.07	1
0.7	10.27	0"
    run -0 confmap --model Facenet -t cosine=0.3 --verified "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence	cosine_verified
0.01	100.00	1
0.3	64.53	1
0.38	51.00	0
0.45	31.66	0
0.5	26.03	0
0.55	21.07	0
0.7	10.27	0"
    # the confidences are those without -t
    confmap --model Facenet "$TMP/d.tsv" | cut -f2 > "$TMP/plain"
    confmap --model Facenet -t 0.6 --verified "$TMP/d.tsv" | cut -f2 > "$TMP/t"
    cmp "$TMP/plain" "$TMP/t"
    # -t 0 is the threshold 0 (DeepFace would take 0 for "none given")
    run -0 confmap --model Facenet -t 0 --verified "$TMP/d.tsv"
    assert_line -n 1 "0.01	100.00	0"
}

@test "-t in style deepface with a model file: its own threshold bands; none of its own: -t does both" {
    printf '%s' "$V1" > "$TMP/m.yaml"
    cosines 0.45
    run -0 confmap -M "$TMP/m.yaml" --style deepface -t 0.5 --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	31.66	1"
    # the other styles move the band with -t, as before
    run -0 confmap -M "$TMP/m.yaml" -t 0.5 --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	51.00	1"
    printf '%s' "$V1" | grep -v threshold > "$TMP/nothr.yaml"
    run -0 confmap -M "$TMP/nothr.yaml" --style deepface -t 0.5 --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	51.00	1"
    # the file's threshold wins over --model's as the band
    run -0 confmap -M "$TMP/m.yaml" --model Dlib --style deepface -t 0.5 --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	31.66	1"
}

# --- the range a model was fitted on --------------------------------------

@test "logfit records range_min and range_max after n_true, for every column" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    [ "$(key "$TMP/m.yaml" cosine range_min)" = 0.079493 ]
    [ "$(key "$TMP/m.yaml" cosine range_max)" = 1.207898 ]
    [ "$(key "$TMP/m.yaml" euclidean range_min)" = 4.646174 ]
    [ "$(key "$TMP/m.yaml" angular range_max)" = 0.566662 ]
    [ "$(cut -f5 "$D" | tail -n +2 | sort -g | head -1)" = 4.646174 ]
    [ "$(cut -f7 "$D" | tail -n +2 | sort -g | tail -1)" = 0.566662 ]
    run -0 grep -A3 '^    n_true:' "$TMP/m.yaml"
    assert_line -n 1 "    range_min: 0.079493"
    assert_line -n 2 "    range_max: 1.207898"
    # negative and exponent-form distances read back bit for bit
    printf 'd\n-2.5e-7\n0.3\n1e-300\n0.2\n' > "$TMP/n.tsv"
    logfit -d d -t 0.25 -o "$TMP/n.yaml" "$TMP/n.tsv"
    [ "$(key "$TMP/n.yaml" d range_min)" = -2.5e-07 ]
    [ "$(key "$TMP/n.yaml" d range_max)" = 0.3 ]
}

@test "confmap counts distances outside the range on one stderr line at the end" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    cosines 0.05 0.079493 0.5 1.207898 1.3 2
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: 3 of 6 cosine distances were outside the range the model was fitted on [0.079493, 1.207898]"
    assert_equal "${#lines[@]}" 7
    # the output is the same with or without the warning
    confmap -q -M "$TMP/m.yaml" "$TMP/d.tsv" > "$TMP/quiet"
    [ "$output" = "$(cat "$TMP/quiet")" ]
    # one of them: "was"
    cosines 0.5 0.05
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: 1 of 2 cosine distances was outside the range the model was fitted on [0.079493, 1.207898]"
}

@test "several metrics: one line, only those with distances outside, in the order mapped" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    { head -3 "$D"; printf 'x\ty\t0\t0.01\t30\t0.9\t0.2\n'; printf 'x\ty\t0\t1.5\t7\t0.7\t0.9\n'; } > "$TMP/s.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/s.tsv"
    assert_equal "$stderr" "confmap: 2 of 4 cosine distances were outside the range the model was fitted on [0.079493, 1.207898]; 1 of 4 euclidean distances was outside the range the model was fitted on [4.646174, 18.767279]; 1 of 4 angular distances was outside the range the model was fitted on [0.127776, 0.566662]"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" -m angular,cosine "$TMP/s.tsv"
    assert_equal "$stderr" "confmap: 1 of 4 angular distances was outside the range the model was fitted on [0.127776, 0.566662]; 2 of 4 cosine distances were outside the range the model was fitted on [0.079493, 1.207898]"
}

@test "no count: every distance inside, DeepFace's constants, a file without the keys, -q, --quiet" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$D"
    assert_equal "$stderr" ""
    cosines 0.001 5
    run -0 --separate-stderr confmap --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" ""
    printf '%s' "$V1" > "$TMP/v1.yaml"
    run -0 --separate-stderr confmap -M "$TMP/v1.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" ""
    assert_line -n 1 "0.001	100.00"
    run -0 --separate-stderr confmap -q -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" ""
    run -0 --separate-stderr confmap --quiet -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" ""
    # header only: nothing to count
    echo cosine > "$TMP/d.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" ""
}

@test "the count comes after the output is written; an error gives the error alone" {
    logfit --model Facenet -o "$TMP/m.yaml" "$D"
    cosines 2 x
    run -1 --separate-stderr confmap -M "$TMP/m.yaml" -o "$TMP/out.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:3: column 'cosine' is not a number ('x')"
    [ ! -e "$TMP/out.tsv" ]
    cosines 2
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" -o "$TMP/out.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: 1 of 1 cosine distances was outside the range the model was fitted on [0.079493, 1.207898]"
    [ "$(tail -1 "$TMP/out.tsv")" = "2	0.00" ]
}

@test "the model of another embedding model: distances far outside are counted" {
    # Facenet's fit, then distances as a model with a different scale gives them
    logfit --model Facenet -d euclidean -o "$TMP/m.yaml" "$D"
    awk -F'\t' -v OFS='\t' 'NR == 1 { print "euclidean"; next } { print $5 * 3 }' "$D" > "$TMP/other.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/other.tsv"
    assert_equal "$stderr" "confmap: 291 of 300 euclidean distances were outside the range the model was fitted on [4.646174, 18.767279]"
}

@test "range keys: both or neither, in order; version-1 files without them read" {
    model_refused "$D" "confmap: $TMP/m.yaml:4:5: metric 'cosine' has 'range_min' but no 'range_max'" '%s    range_min: 0.1\n' "$V1"
    model_refused "$D" "confmap: $TMP/m.yaml:4:5: metric 'cosine' has 'range_max' but no 'range_min'" '%s    range_max: 0.1\n' "$V1"
    model_refused "$D" "confmap: $TMP/m.yaml:4:5: metric 'cosine': range_min (0.90000000000000002) exceeds range_max (0.10000000000000001)" '%s    range_min: 0.9\n    range_max: 0.1\n' "$V1"
    model_refused "$D" "confmap: $TMP/m.yaml:12:16: metric 'cosine': 'range_min' is not a number ('nan')" '%s    range_min: nan\n    range_max: 0.1\n' "$V1"
    model_refused "$D" "confmap: $TMP/m.yaml:13:5: metric 'cosine': key 'range_min' appears twice" '%s    range_min: 0.1\n    range_min: 0.2\n' "$V1"
    # a point range (one distinct distance fitted on) is a range
    printf '%s    range_min: 0.3\n    range_max: 0.3\n' "$V1" > "$TMP/m.yaml"
    cosines 0.3 0.31
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: 1 of 2 cosine distances was outside the range the model was fitted on [0.3, 0.3]"
}

# --- the embedding model --------------------------------------------------

@test "#model= goes through pairdist and confmap, and logfit records it as embedding_model" {
    { echo '#model=Facenet'; pairgen "$FIX/identities.yaml"; } > "$TMP/pairs.tsv"
    pairdist -m cosine -e "$FIX/facenet-embeddings.tsv" "$TMP/pairs.tsv" > "$TMP/dist.tsv"
    run -0 grep -c '^#model=Facenet$' "$TMP/dist.tsv"
    logfit --model Facenet -o "$TMP/m.yaml" "$TMP/dist.tsv"
    run -0 head -3 "$TMP/m.yaml"
    assert_output "version: 1
embedding_model: Facenet
metrics:"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/dist.tsv"
    assert_equal "$stderr" ""
    assert_line -n 0 "#model=Facenet"
    # without the line, no key
    logfit --model Facenet -o "$TMP/n.yaml" "$D"
    run -1 grep embedding_model "$TMP/n.yaml"
}

@test "an embedding model name YAML would misread is quoted and reads back" {
    { echo '#model=1e5'; cat "$D"; } > "$TMP/s.tsv"
    logfit --model Facenet -d cosine -o "$TMP/m.yaml" "$TMP/s.tsv"
    run -0 sed -n 2p "$TMP/m.yaml"
    assert_output "embedding_model: '1e5'"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/s.tsv"
    assert_equal "$stderr" ""
    # an empty #model= records nothing
    { echo '#model='; cat "$D"; } > "$TMP/e.tsv"
    logfit --model Facenet -d cosine -o "$TMP/e.yaml" "$TMP/e.tsv"
    run -1 grep embedding_model "$TMP/e.yaml"
}

@test "confmap warns when the stream's #model= is another model's (case aside); -q silences it" {
    { echo '#embeddings=e.tsv'; echo '#model=Facenet'; cat "$D"; } > "$TMP/fn.tsv"
    logfit --model Facenet -o "$TMP/m.yaml" "$TMP/fn.tsv"
    { echo '#embeddings=e.tsv'; echo '#model=ArcFace'; cat "$D"; } > "$TMP/af.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/af.tsv"
    assert_equal "$stderr" "confmap: $TMP/af.tsv:2: the stream's embeddings are from 'ArcFace', but the model was fitted on 'Facenet': its confidences do not apply"
    run -0 --separate-stderr confmap -q -M "$TMP/m.yaml" "$TMP/af.tsv"
    assert_equal "$stderr" ""
    { echo '#model=FACENET'; cat "$D"; } > "$TMP/up.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/up.tsv"
    assert_equal "$stderr" ""
    # --model alone: its model is the one compared
    run -0 --separate-stderr bash -c "confmap --model VGG-Face < '$TMP/fn.tsv'"
    assert_equal "$stderr" "confmap: <stdin>:2: the stream's embeddings are from 'Facenet', but --model is 'VGG-Face': its confidences do not apply"
    run -0 --separate-stderr confmap --model facenet "$TMP/fn.tsv"
    assert_equal "$stderr" ""
    # a model without embedding_model: nothing to compare
    logfit --model Facenet -o "$TMP/n.yaml" "$D"
    run -0 --separate-stderr confmap -M "$TMP/n.yaml" "$TMP/af.tsv"
    assert_equal "$stderr" ""
}

@test "both warnings at once: the model first, the count at the end" {
    { echo '#model=Facenet'; cat "$D"; } > "$TMP/fn.tsv"
    logfit --model Facenet -d cosine -o "$TMP/m.yaml" "$TMP/fn.tsv"
    { echo '#model=SFace'; echo cosine; echo 3; } > "$TMP/sf.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/sf.tsv"
    assert_equal "$stderr" "confmap: $TMP/sf.tsv:1: the stream's embeddings are from 'SFace', but the model was fitted on 'Facenet': its confidences do not apply
confmap: 1 of 1 cosine distances was outside the range the model was fitted on [0.079493, 1.207898]"
}

@test "embedding_model in the model file: read anywhere at the top, checked" {
    printf 'embedding_model: Dlib\n%s' "$V1" > "$TMP/m.yaml"
    { echo '#model=Dlib'; echo cosine; echo 0.3; } > "$TMP/s.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/s.tsv"
    assert_equal "$stderr" ""
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:13:1: key 'embedding_model' appears twice" '%sembedding_model: Dlib\nembedding_model: Dlib\n' "$V1"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:12:18: 'embedding_model' is not a name ('')" "%sembedding_model: ''\n" "$V1"
    model_refused "$TMP/s.tsv" "confmap: $TMP/m.yaml:12:18: 'embedding_model': expected a name (found a list)" '%sembedding_model: [a]\n' "$V1"
}

# --- the tuned threshold --------------------------------------------------

@test "tuned: halfway between the farthest same pair and the closest different one" {
    run -0 logfit -d cosine "$D"
    assert_line "    threshold: 0.46153449999999996"
    # every metric: the midpoint of max(same) and min(different)
    logfit -o "$TMP/m.yaml" "$D"
    for c in 4 5 6 7; do
        name=$(head -1 "$D" | cut -f$c)
        want=$(awk -F'\t' -v c=$c 'NR > 1 { if ($3 == 1) { if ($c > s) s = $c } else if (d == "" || $c < d) d = $c }
            END { printf "%.10f", s + (d - s) / 2 }' "$D")
        [ "$(printf '%.10f' "$(key "$TMP/m.yaml" "$name" threshold)")" = "$want" ]
    done
}

@test "tuned: the widest of the best intervals, the smallest of equally wide, a run to the last distance" {
    # best (3 of 4) in [0.25, 0.5) and [0.75, 1.75): the wider
    printf 'same\tcosine\n1\t0.25\n0\t0.5\n1\t0.75\n0\t1.75\n' > "$TMP/a.tsv"
    run -0 logfit "$TMP/a.tsv"
    assert_line "    threshold: 1.25"
    # equally wide [1, 2) and [3, 4): the smaller
    printf 'same\tcosine\n1\t1\n0\t2\n1\t3\n0\t4\n' > "$TMP/b.tsv"
    run -0 logfit --target truth "$TMP/b.tsv"
    assert_line "    threshold: 1.5"
    # the best run reaches the last distance: [0.2, 0.6], closed
    printf 'same\tcosine\n0\t0.1\n1\t0.2\n1\t0.6\n0\t0.6\n' > "$TMP/c.tsv"
    run -0 logfit --target truth "$TMP/c.tsv"
    assert_line "    threshold: 0.4"
    assert_line "    accuracy: 0.5"
    # duplicates of one distance in both classes: no split of a tie
    printf 'same\tcosine\n1\t0.2\n1\t0.2\n0\t0.2\n0\t0.5\n0\t0.5\n' > "$TMP/d.tsv"
    run -0 logfit --target truth "$TMP/d.tsv"
    assert_line "    threshold: 0.35"
    assert_line "    accuracy: 0.8"
}

@test "the tuned threshold moves the decision target: y follows d <= T at the midpoint" {
    # rows between the old edge (0.360338) and the midpoint stay what they were
    run -0 logfit -d cosine "$D"
    assert_line "    n_true: 38"
    # confmap with the tuned model: every same pair verified, no other
    logfit -d cosine -o "$TMP/m.yaml" "$D"
    run -0 bash -c "confmap -M '$TMP/m.yaml' --verified '$D' | awk -F'\t' 'NR > 1 && \$3 != \$9 { bad++ } END { print bad + 0 }'"
    assert_output 0
}

# --- logfit -v ------------------------------------------------------------

@test "-v: equal-width ECE with its bins used, equal-mass ECE" {
    run -0 --separate-stderr logfit -v --model Facenet -d cosine "$D"
    [[ "$stderr" == *"  calibration    Brier     ECE, equal-width bins    ECE, equal-mass bins
    raw p        0.0182    0.0851 ( 7 of 10 used)     0.0638 (10 of 10 used)
    re-scaled    0.0075    0.0576 ( 8 of 10 used)     0.0416 (10 of 10 used)"* ]]
    # one score for every row: one bin either way (ties are not split)
    { printf 'same\tcosine\n'; for i in $(seq 1000); do echo "$((i % 3 == 0))	0.5"; done; } > "$TMP/flat.tsv"
    run -0 --separate-stderr logfit -v --target truth -t 0.5 "$TMP/flat.tsv"
    [[ "$stderr" == *"    raw p        0.2221    0.0000 ( 1 of 10 used)     0.0000 ( 1 of 10 used)"* ]]
    [[ "$stderr" != *"penalty"* ]]
}

squeezed() {
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 200; i++) { s = (i % 4 == 0); v = sin(i * 12.9898) * 43758.5453; v -= int(v); if (v < 0) v = -v; printf "%d\t%.6f\n", s, s ? 0.10 + 0.15 * v : 0.20 + 0.15 * v } }' > "$TMP/sq.tsv"
}

@test "-v says when the penalty dominates: --target truth on distances below 1" {
    squeezed
    run -0 --separate-stderr logfit -v --target truth -t 0.25 "$TMP/sq.tsv"
    assert_equal "$(echo "$stderr" | sed -n 4p)" "  the penalty dominates the fit: p spans only 16.80 points [18.95, 35.74], and with a penalty 10^6 times weaker |w| would be 54.8, not 3.469 (scale the distances, or raise -C from 1)"
    [[ "$stderr" == *"    raw p        0.1622    0.1734 ( 3 of 10 used)     0.2328 (10 of 10 used)"* ]]
    # the same labels on distances that the normalizer spreads over [0, 1]
    awk -F'\t' -v OFS='\t' 'NR > 1 { $2 = $2 * 100 } 1' "$TMP/sq.tsv" > "$TMP/wide.tsv"
    run -0 --separate-stderr logfit -v --target truth -t 25 "$TMP/wide.tsv"
    [[ "$stderr" != *"penalty dominates"* ]]
    # a larger C lets the data speak
    run -0 --separate-stderr logfit -v --target truth -t 0.25 -C 100 "$TMP/sq.tsv"
    [[ "$stderr" != *"penalty dominates"* ]]
    # without 'same' too (the decision target), with the C given
    cut -f2 "$TMP/sq.tsv" > "$TMP/nosame.tsv"
    run -0 --separate-stderr logfit -v -t 0.25 -C 0.5 "$TMP/nosame.tsv"
    [[ "$stderr" == *"  the penalty dominates the fit: p spans only "*"(scale the distances, or raise -C from 0.5)"* ]]
    [[ "$stderr" == *"no column 'same'"* ]]
    # no -v, no report
    run -0 --separate-stderr logfit --target truth -t 0.25 "$TMP/sq.tsv"
    assert_equal "$stderr" ""
}

@test "-v: a column unrelated to same has a narrow p, but not because of the penalty" {
    awk 'BEGIN { print "same\tcosine"; for (i = 0; i < 300; i++) { v = sin(i * 7.77) * 1000; v -= int(v); if (v < 0) v = -v; printf "%d\t%.6f\n", i % 3 == 0, v } }' > "$TMP/noise.tsv"
    run -0 --separate-stderr logfit -v --target truth -t 0.5 "$TMP/noise.tsv"
    [[ "$stderr" != *"penalty dominates"* ]]
    [[ "$stderr" == *"ROC AUC 0."* ]]
}

@test "--help and the man pages name the new behaviour" {
    run -0 confmap --help
    assert_output --partial "  -q, --quiet            no warnings"
    assert_output --partial "deepface (default with --model alone)"
    run -0 logfit --help
    assert_output --partial "equal-mass bins"
    for p in logfit confmap distconf; do
        s=1; [ $p = distconf ] && s=7
        run -0 groff -mdoc -ww -z -Tutf8 "$ROOT/man/$p.$s"
        assert_output ""
    done
    run -0 grep -c "range_min" "$ROOT/man/confmap.1" "$ROOT/man/logfit.1" "$ROOT/man/distconf.7"
    refute_output --partial ":0"
    run -0 grep -c "#model=" "$ROOT/man/distconf.7"
}

@test "#model= with control characters or a great length: quoted in the warning, kept whole in the model" {
    { printf '#model=Face\033[31mnet\n'; cat "$D"; } > "$TMP/c.tsv"
    logfit --model Facenet -d cosine -o "$TMP/m.yaml" "$TMP/c.tsv"
    { echo '#model=Facenet'; cat "$D"; } > "$TMP/fn.tsv"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/fn.tsv"
    assert_equal "$stderr" "confmap: $TMP/fn.tsv:1: the stream's embeddings are from 'Facenet', but the model was fitted on 'Face?[31mnet': its confidences do not apply"
    run -0 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/c.tsv"
    assert_equal "$stderr" ""
    long=$(printf 'm%.0s' $(seq 5000))
    { echo "#model=$long"; cat "$D"; } > "$TMP/l.tsv"
    logfit --model Facenet -d cosine -o "$TMP/l.yaml" "$TMP/l.tsv"
    run -0 --separate-stderr confmap -M "$TMP/l.yaml" "$TMP/l.tsv"
    assert_equal "$stderr" ""
    run -0 --separate-stderr confmap -M "$TMP/l.yaml" "$TMP/fn.tsv"
    assert_equal "$stderr" "confmap: $TMP/fn.tsv:1: the stream's embeddings are from 'Facenet', but the model was fitted on 'mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm...': its confidences do not apply"
}
