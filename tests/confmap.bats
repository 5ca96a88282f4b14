#!/usr/bin/env bats
# confmap: the article's mapping, DeepFace's, the model file, every error.

load test_helper
bats_require_minimum_version 1.5.0

# The distances of the study's printed rows (row, 4 distances).
printed_distances() { cut -f1,5-8 "$FIX/study-printed-pairs.tsv"; }
# The article's printed dictionary, as the article prints it.
article_dict() {
    cat > "$TMP/article.yaml" <<'EOF'
{'cosine': {'w': -6.502269165856082,
'b': 1.679048923097668,
'normalizer': 1.206694,
'denorm_max_true': 77.17253153662926,
'denorm_min_true': 41.790002608273234,
'denorm_max_false': 20.618350202170916,
'denorm_min_false': 0.7976712344840693},
'euclidean': {'w': -6.716177467853723,
'b': 2.790978346203265,
'normalizer': 18.735288,
'denorm_max_true': 74.76412617567517,
'denorm_min_true': 40.4423755909089,
'denorm_max_false': 25.840858374979504,
'denorm_min_false': 1.9356150486888306},
'euclidean_l2': {'w': -6.708710331202137,
'b': 2.9094193067398195,
'normalizer': 1.553508,
'denorm_max_true': 75.45756719896039,
'denorm_min_true': 40.4509428022908,
'denorm_max_false': 30.555931000001184,
'denorm_min_false': 2.189644991619842},
'angular': {'w': -6.371147050396505,
'b': 0.6766460615182355,
'normalizer': 0.56627,
'denorm_max_true': 45.802357900723386,
'denorm_min_true': 24.327312950719133,
'denorm_max_false': 16.95267765757785,
'denorm_min_false': 5.063533287198758}}
EOF
}
# A complete version-1 block for one metric, then whatever follows.
V1='version: 1\nmetrics:\n  cosine:\n    threshold: 0.4\n    w: -6.5\n    b: 1.6\n    normalizer: 1.2\n    denorm_max_true: 77\n    denorm_min_true: 41\n    denorm_max_false: 20\n    denorm_min_false: 0.8\n'

# --- agreement ------------------------------------------------------------

@test "--model Facenet --style study -p 6 reproduces the study's 80 printed confidences" {
    printed_distances | confmap --model Facenet --style study -p 6 > "$TMP/ours"
    run -0 bash -c "tail -n +2 '$TMP/ours' | cut -f6-9 | paste - <(tail -n +2 '$FIX/study-printed-pairs.tsv' | cut -f9-12) |
        awk -F'\t' '{ for (i = 1; i <= 4; i++) { d = \$i - \$(i + 4); if (d < 0) d = -d; if (d > 1e-6) bad++; n++ } }
                    END { print n, bad + 0 }'"
    assert_output "80 0"
}

@test "with a model fitted on the article's pairs, clamped equals study on every training row" {
    confmap -M "$FIX/confmap-facenet-fit.yaml" -p 17 "$FIX/facenet-pairs.tsv" > "$TMP/clamped"
    confmap -M "$FIX/confmap-facenet-fit.yaml" -p 17 --style study "$FIX/facenet-pairs.tsv" > "$TMP/study"
    cmp "$TMP/clamped" "$TMP/study"
    # and every row is inside its band: same [51, 100], different [0, 49]
    run -0 awk -F'\t' 'NR > 1 { for (i = 5; i <= 8; i++) { s = $i <= (i == 5 ? 0.4 : i == 6 ? 10 : i == 7 ? 0.8 : 0.33); c = $(i + 4)
            if (s ? c < 51 || c > 100 : c < 0 || c > 49) bad++; n++ } } END { print n, bad + 0 }' "$TMP/clamped"
    assert_output "1200 0"
}

@test "with a model from logfit, clamped equals study on every training row" {
    command -v logfit > /dev/null || skip "logfit is not built yet"
    cut -f4-8 "$FIX/facenet-pairs.tsv" | logfit --model Facenet > "$TMP/fit.yaml"
    cut -f4-8 "$FIX/facenet-pairs.tsv" | confmap -M "$TMP/fit.yaml" -p 17 > "$TMP/clamped"
    cut -f4-8 "$FIX/facenet-pairs.tsv" | confmap -M "$TMP/fit.yaml" -p 17 --style study > "$TMP/study"
    cmp "$TMP/clamped" "$TMP/study"
    [ "$(wc -l < "$TMP/clamped")" -eq 301 ]
}

@test "the whole pipeline: pairgen | pairdist | logfit, then confmap, clamped == study" {
    command -v pairdist > /dev/null && command -v logfit > /dev/null || skip "pairdist or logfit is not built yet"
    pairgen "$ROOT/examples/identities.yaml" | pairdist -m all > "$TMP/pairs.tsv"
    logfit --model Facenet "$TMP/pairs.tsv" > "$TMP/fit.yaml"
    confmap -M "$TMP/fit.yaml" --verified -p 17 "$TMP/pairs.tsv" > "$TMP/clamped"
    confmap -M "$TMP/fit.yaml" --verified -p 17 --style study "$TMP/pairs.tsv" > "$TMP/study"
    cmp "$TMP/clamped" "$TMP/study"
    run -0 awk -F'\t' '/^a\t/ { print $8, $9, $14, $NF; next } !/^#/ { n++; v += $9 } END { print n, v }' "$TMP/clamped"
    assert_output "cosine_confidence cosine_verified angular_confidence angular_verified
300 38"
}

@test "the article's printed dictionary reads as YAML, thresholds from --model or -t" {
    article_dict
    # the same doubles as the compiled constants: equal to 17 decimals, in every style
    for style in clamped study deepface raw; do
        printed_distances | confmap --model Facenet --style $style -p 17 > "$TMP/df"
        printed_distances | confmap -M "$TMP/article.yaml" --model Facenet --style $style -p 17 > "$TMP/dict"
        cmp "$TMP/df" "$TMP/dict"
    done
    printed_distances | confmap --model Facenet --style clamped -p 17 > "$TMP/df"
    printed_distances | confmap -M "$TMP/article.yaml" -t cosine=0.40,euclidean=10,euclidean_l2=0.80,angular=0.33 -p 17 > "$TMP/dict-t"
    cmp "$TMP/df" "$TMP/dict-t"
}

@test "numpy's printed scalars np.float64(...) are read too" {
    article_dict
    sed 's/\(: \)\(-\{0,1\}[0-9][0-9.]*\)/\1np.float64(\2)/g' "$TMP/article.yaml" > "$TMP/np.yaml"
    grep -q "'w': np.float64(-6.502269165856082)" "$TMP/np.yaml"
    printed_distances | confmap -M "$TMP/article.yaml" --model Facenet > "$TMP/a"
    printed_distances | confmap -M "$TMP/np.yaml" --model Facenet > "$TMP/b"
    cmp "$TMP/a" "$TMP/b"
}

# --- the stream -----------------------------------------------------------

@test "columns pass through; METRIC_confidence appended in the stream's order" {
    # (--model alone: style deepface, whose different band is [0, 20] here)
    printf '#embeddings=e.tsv\na\tangular\tsame\tcosine\nx\t0.215374\t1\t0.220304\ny\t0.5\t0\t0.9\n' > "$TMP/s.tsv"
    run -0 confmap --model Facenet "$TMP/s.tsv"
    # the store's path is relative to the file that carries it: rewritten
    assert_output "#embeddings=$TMP/e.tsv
a	angular	same	cosine	angular_confidence	cosine_confidence
x	0.215374	1	0.220304	71.43	79.07
y	0.5	0	0.9	3.31	3.26"
}

@test "-m chooses the metrics and their order" {
    printed_distances | head -2 > "$TMP/s.tsv"
    run -0 confmap --model Facenet -m euclidean,cosine "$TMP/s.tsv"
    assert_output "row	cosine	euclidean	euclidean_l2	angular	euclidean_confidence	cosine_confidence
0	0.220304	7.776061	0.663783	0.215374	64.77	79.07"
}

@test "--verified appends METRIC_verified: 1 when distance <= threshold" {
    cosines 0.399999 0.4 0.400001
    run -0 confmap --model Facenet --verified "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence	cosine_verified
0.399999	51.00	1
0.4	51.00	1
0.400001	37.85	0"
}

@test "-p sets the decimals" {
    cosines 0.3
    run -0 confmap --model Facenet --style clamped -p 0 "$TMP/d.tsv"
    assert_line -n 1 "0.3	65"
    run -0 confmap --model Facenet --style clamped --precision=9 "$TMP/d.tsv"
    assert_line -n 1 "0.3	64.532853585"
    # --model's default style, deepface, rounds to 2 decimals first
    run -0 confmap --model Facenet --precision=9 "$TMP/d.tsv"
    assert_line -n 1 "0.3	64.530000000"
}

@test "header only, no final newline, CRLF, gzip, several files" {
    printf 'cosine\n' | confmap --model Facenet > "$TMP/h"
    [ "$(cat "$TMP/h")" = "cosine	cosine_confidence" ]
    run -0 bash -c "printf 'cosine\r\n0.3\r\n0.9' | confmap --model Facenet"
    assert_output "cosine	cosine_confidence
0.3	64.53
0.9	3.26"
    cosines 0.3 0.9
    gzip -c "$TMP/d.tsv" > "$TMP/d.tsv.gz"
    run -0 confmap --model Facenet "$TMP/d.tsv.gz" "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.3	64.53
0.9	3.26
0.3	64.53
0.9	3.26"
}

@test "-o writes the file atomically; an error leaves an existing file alone" {
    cosines 0.3
    run -0 confmap --model Facenet -o "$TMP/out.tsv" "$TMP/d.tsv"
    assert_output ""
    [ "$(sed -n 2p "$TMP/out.tsv")" = "0.3	64.53" ]
    cosines 0.3 oops
    run -1 confmap --model Facenet -o "$TMP/out.tsv" "$TMP/d.tsv"
    [ "$(sed -n 2p "$TMP/out.tsv")" = "0.3	64.53" ]
    [ "$(ls "$TMP" | grep -c out)" -eq 1 ]
}

@test "a closed pipe ends confmap quietly" {
    awk 'BEGIN { print "cosine"; for (i = 0; i < 300000; i++) print i % 100 / 80 }' > "$TMP/big.tsv"
    run -0 --separate-stderr bash -c "confmap --model Facenet '$TMP/big.tsv' | head -n 2"
    assert_output "cosine	cosine_confidence
0	100.00"
    assert_equal "$stderr" ""
}

@test "a write error is an error" {
    cosines 0.3
    run -1 --separate-stderr confmap --model Facenet "$TMP/d.tsv" '>' /dev/full
    run -1 --separate-stderr bash -c "confmap --model Facenet '$TMP/d.tsv' > /dev/full"
    assert_equal "$stderr" "confmap: write error: <stdout>: No space left on device"
}

# --- styles ---------------------------------------------------------------

@test "raw is 100 p; study leaves the band where clamped holds it" {
    cosines 0.01 0.4 1.5
    run -0 confmap --model Facenet --style raw -p 6 "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.01	83.550607
0.4	38.311425
1.5	0.165269"
    run -0 confmap --model Facenet --style study -p 6 "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.01	108.832769
0.4	46.182642
1.5	-0.657853"
    run -0 confmap --model Facenet --style clamped -p 6 "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.01	100.000000
0.4	51.000000
1.5	0.000000"
}

@test "raw needs no threshold" {
    article_dict
    cosines 0.4
    run -0 confmap -M "$TMP/article.yaml" --style raw -p 6 "$TMP/d.tsv"
    assert_line -n 1 "0.4	38.311425"
}

@test "deepface: the different band is [0, min(49, trunc(denorm_max_false))]" {
    cosines 0.41
    run -0 confmap --model Facenet --style deepface "$TMP/d.tsv"
    assert_line -n 1 "0.41	36.58"
    run -0 confmap --model Facenet --style study -p 4 "$TMP/d.tsv"
    assert_line -n 1 "0.41	37.7073"
    # DeepFace angular: denorm_max_false 0.676 truncates to an empty band
    printf 'angular\n0.2\n' > "$TMP/a.tsv"
    run -0 confmap --model DeepFace --style deepface "$TMP/a.tsv"
    assert_line -n 1 "0.2	0.00"
    run -0 confmap --model DeepFace --style clamped "$TMP/a.tsv"
    assert_line -n 1 "0.2	0.42"
}

@test "deepface: same raised to 51, different lowered to 49" {
    cosines 0.4
    run -0 confmap --model Facenet --style deepface "$TMP/d.tsv"
    assert_line -n 1 "0.4	51.00"
    # Facenet's constants at the model file's own threshold 0.2
    article_dict
    sed "s/{'w'/{'threshold': 0.2, 'w'/" "$TMP/article.yaml" > "$TMP/t02.yaml"
    cosines 0.21
    run -0 confmap -M "$TMP/t02.yaml" --style deepface "$TMP/d.tsv"
    assert_line -n 1 "0.21	49.00"
    run -0 confmap -M "$TMP/t02.yaml" --style study "$TMP/d.tsv"
    assert_line -n 1 "0.21	65.07"
    # -t moves study's band, not deepface's (see the -t tests in fit.bats)
    run -0 confmap --model Facenet -t 0.2 --style study "$TMP/d.tsv"
    assert_line -n 1 "0.21	65.07"
}

@test "deepface: held in [0, 100]" {
    cosines 0.01 1.5
    run -0 confmap --model Facenet --style deepface "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.01	100.00
1.5	0.00"
}

@test "deepface: d <= 0 gives 100 when same, 0 when different" {
    cosines 0 -0.000000
    article_dict
    sed "s/{'w'/{'threshold': -0.1, 'w'/" "$TMP/article.yaml" > "$TMP/neg.yaml"
    run -0 confmap -M "$TMP/neg.yaml" --style deepface "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0	0.00
-0.000000	0.00"
    # -t decides verified only: the band stays the model's (0.4), as verify()
    run -0 confmap --model Facenet -t cosine=-0.1 --verified "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence	cosine_verified
0	100.00	0
-0.000000	100.00	0"
    run -0 confmap --model Facenet -t cosine=-0.1 --style clamped "$TMP/d.tsv"
    assert_line -n 1 "0	49.00"
    # a rising model (w > 0): the formula says 51 at 0, the rule 100
    model "{cosine: {threshold: 0.4, w: 6.5, b: -3, normalizer: 1.2, denorm_max_true: 60, denorm_min_true: 5, denorm_max_false: 90, denorm_min_false: 50}}"
    cosines 0 -1e-9 0.1
    run -0 confmap -M "$TMP/m.yaml" --style deepface "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0	100.00
-1e-9	100.00
0.1	53.57"
}

@test "deepface: rounded to 2 decimals first, then printed with -p" {
    cosines 0.3
    run -0 confmap --model Facenet --style deepface -p 6 "$TMP/d.tsv"
    assert_line -n 1 "0.3	64.530000"
    run -0 confmap --model Facenet --style study -p 6 "$TMP/d.tsv"
    assert_line -n 1 "0.3	64.532854"
}

@test "Buffalo_L has thresholds but no constants: 51 or 49, in every style" {
    cosines 0 0.55 0.56
    for s in clamped study raw; do
        run -0 confmap --model buffalo_l --style $s --verified "$TMP/d.tsv"
        assert_output "cosine	cosine_confidence	cosine_verified
0	51.00	1
0.55	51.00	1
0.56	49.00	0"
    done
    # DeepFace answers d <= 0 (100 or 0) before it looks for constants
    run -0 confmap --model buffalo_l --style deepface --verified "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence	cosine_verified
0	100.00	1
0.55	51.00	1
0.56	49.00	0"
}

@test "--model names match in any case; every DeepFace model maps all four metrics" {
    printed_distances | confmap --model FACENET > "$TMP/a"
    printed_distances | confmap --model Facenet > "$TMP/b"
    cmp "$TMP/a" "$TMP/b"
    for m in VGG-Face Facenet Facenet512 ArcFace Dlib SFace OpenFace DeepFace DeepID GhostFaceNet Buffalo_L; do
        run -0 bash -c "printed_distances() { cut -f1,5-8 '$FIX/study-printed-pairs.tsv'; }; printed_distances | confmap --model $m --style deepface | awk -F'\t' 'NR > 1 && NF == 9 { for (i = 6; i <= 9; i++) if (\$i < 0 || \$i > 100) bad++; n++ } END { print n, bad + 0 }'"
        assert_output "20 0"
    done
}

@test "degenerate range (denorm_min == denorm_max): the middle of the band, not a division by zero" {
    model "{cosine: {threshold: 0.4, w: -6.5, b: 1.6, normalizer: 1.2, denorm_max_true: 50, denorm_min_true: 50, denorm_max_false: 10, denorm_min_false: 10}}"
    # p(d) = 50 exactly at d = 1.6 / 6.5 * 1.2: the middle of [51, 100]; else
    # the top or the bottom of the band, by the side of lo that p is on
    awk 'BEGIN { print "cosine"; printf "%.17g\n0.01\n0.39\n0.41\n1.5\n", 1.6 / 6.5 * 1.2 }' > "$TMP/d.tsv"
    run -0 confmap -M "$TMP/m.yaml" --style study -p 3 "$TMP/d.tsv"
    assert_output "cosine	cosine_confidence
0.29538461538461541	75.500
0.01	100.000
0.39	51.000
0.41	10.000
1.5	0.000"
}

@test "-t overrides the model file's thresholds" {
    model "$V1"
    cosines 0.45
    run -0 confmap -M "$TMP/m.yaml" --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	30.63	0"
    run -0 confmap -M "$TMP/m.yaml" -t 0.5 --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	51.00	1"
    run -0 confmap -M "$TMP/m.yaml" -t cosine=0.5 --model Facenet --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	51.00	1"
    # --model fills only what the file lacks
    run -0 confmap -M "$TMP/m.yaml" --model Dlib --verified "$TMP/d.tsv"
    assert_line -n 1 "0.45	30.63	0"
}

# --- errors: model file ---------------------------------------------------

@test "error: a model file that is not YAML" {
    model "{'cosine': {'w': 1,,}}"
    cosines 0.3
    run -1 --separate-stderr confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/m.yaml:1:20: not valid YAML: did not find expected node content while parsing a flow node (at line 1, column 20)"
}

@test "error: a stream given as the model" {
    run -1 --separate-stderr confmap -M "$FIX/facenet-pairs.tsv" "$FIX/facenet-pairs.tsv"
    assert_equal "$stderr" "confmap: $FIX/facenet-pairs.tsv:1:1: expected a model: a mapping with 'version' and 'metrics', or of metric names (found a scalar 'row?file_x?file_y?actual?cosine?euclidea...')"
}

@test "error: an empty model file" {
    : > "$TMP/m.yaml"
    run -1 --separate-stderr confmap -M "$TMP/m.yaml" "$FIX/facenet-pairs.tsv"
    assert_equal "$stderr" "confmap: $TMP/m.yaml: empty model file"
}

@test "error: a metric block missing a key names metric and key" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:4:5: metric 'cosine' has no 'denorm_max_false'" "$(printf "$V1" | grep -v denorm_max_false)"
}

@test "error: a non-numeric value" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:5:8: metric 'cosine': 'w' is not a number ('-6,5')" "$(printf "$V1" | sed 's/w: -6.5/w: -6,5/')"
}

@test "error: NaN in the model" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:18: metric 'cosine': 'w' is not a number ('.nan')" "{'cosine': {'w': .nan}}"
}

@test "error: an empty value" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:18: metric 'cosine': 'w' is empty" "{'cosine': {'w': }}"
}

@test "error: a list where a number belongs" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:18: metric 'cosine': 'w': expected a number (found a list)" "{'cosine': {'w': [1]}}"
}

@test "error: an unknown key (a typo)" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:7:5: metric 'cosine': unknown key 'normaliser' (expected one of: threshold, w, b, normalizer, denorm_max_true, denorm_min_true, denorm_max_false, denorm_min_false, n, n_true, target, C, threshold_from, accuracy, range_min, range_max, method, x, p, p0, p1)" "$(printf "$V1" | sed 's/normalizer:/normaliser:/')"
}

@test "error: an unknown top-level key" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:12:1: unknown key 'colour' (expected version, embedding_model, metrics)" "${V1}colour: blue\n"
}

@test "error: an unsupported version" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:10: unsupported model version '3' (this confmap reads versions 1 and 2)" "$(printf "$V1" | sed 's/version: 1/version: 3/')"
}

@test "error: no version" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:1: the model has no 'version'" "$(printf "$V1" | sed 1d)"
}

@test "error: no metrics" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:1: the model has no 'metrics'" 'version: 1\n'
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:2:10: no metrics in the model" 'version: 1\nmetrics: {}\n'
}

@test "error: a key twice" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:7:5: metric 'cosine': key 'b' appears twice" "$(printf "$V1" | sed 's/    b: 1.6/    b: 1.6\n    b: 1.7/')"
}

@test "error: a metric twice" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:12:3: metric 'cosine' appears twice" "$V1$(printf "$V1" | sed -n '3,$p')"
}

@test "error: a metric that is not a mapping" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:1:12: metric 'cosine': expected a mapping of keys (found a scalar '3')" "{'cosine': 3}"
}

@test "error: denorm_min above denorm_max" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:4:5: metric 'cosine': denorm_min_true (78) exceeds denorm_max_true (77)" "$(printf "$V1" | sed 's/denorm_min_true: 41/denorm_min_true: 78/')"
}

@test "error: informative keys are checked too" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:12:13: metric 'cosine': 'target' is neither decision nor truth ('both')" "${V1}    target: both\n"
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:12:8: metric 'cosine': 'n' is not a count ('2.5')" "${V1}    n: 2.5\n"
}

@test "error: two YAML documents" {
    model_refused "$FIX/facenet-pairs.tsv" "confmap: $TMP/m.yaml:12:1: more than one YAML document (a model file holds one)" "${V1}---\nx: 1\n"
}

@test "error: no such model file" {
    run -1 --separate-stderr confmap -M "$TMP/none.yaml" "$FIX/facenet-pairs.tsv"
    assert_equal "$stderr" "confmap: $TMP/none.yaml: No such file or directory"
}

@test "a full logfit-style model file with the informative keys is accepted" {
    model "${V1}    n: 300\n    n_true: 38\n    target: decision\n    C: 1\n    threshold_from: tuned\n    accuracy: 0.99\n"
    cosines 0.3
    run -0 confmap -M "$TMP/m.yaml" "$TMP/d.tsv"
    assert_line -n 1 "0.3	62.40"
}

# --- errors: stream and thresholds ----------------------------------------

@test "error: a non-numeric distance names line and column" {
    cosines 0.3 abc
    run -1 --separate-stderr confmap --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:3: column 'cosine' is not a number ('abc')"
}

@test "error: a NaN distance" {
    cosines nan
    run -1 --separate-stderr confmap --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:2: column 'cosine' is not a number ('nan')"
}

@test "error: an empty distance" {
    printf 'a\tcosine\nx\t\n' > "$TMP/d.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:2: column 'cosine' is empty"
}

@test "error: a short line" {
    printf 'a\tcosine\nx\n' > "$TMP/d.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:2: expected 2 fields as in the header, found 1"
}

@test "error: empty input" {
    run -1 --separate-stderr confmap --model Facenet < /dev/null
    assert_equal "$stderr" "confmap: <stdin>: empty input (expected a header line)"
}

@test "error: no metric of the model among the stream's columns lists both" {
    article_dict
    run -1 --separate-stderr bash -c "printf 'a\tb\tsame\n' | confmap -M '$TMP/article.yaml' --model Facenet"
    assert_equal "$stderr" "confmap: <stdin>:1: no metric of the model is a column of the stream (model: cosine, euclidean, euclidean_l2, angular; columns: a, b, same)"
}

@test "error: no threshold from any source" {
    article_dict
    cosines 0.3
    run -1 --separate-stderr confmap -M "$TMP/article.yaml" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: no threshold for metric 'cosine': the model file has none (give -t or --model)"
    run -1 --separate-stderr confmap -M "$TMP/article.yaml" --style raw --verified "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: no threshold for metric 'cosine': the model file has none (give -t or --model)"
}

@test "error: the stream already has the confidence column" {
    printf 'cosine\tcosine_confidence\n0.3\t1\n' > "$TMP/d.tsv"
    run -1 --separate-stderr confmap --model Facenet "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:1: the input already has a column 'cosine_confidence'"
}

@test "error: -m names a metric the stream lacks" {
    cosines 0.3
    run -1 --separate-stderr confmap --model Facenet -m euclidean "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv:1: no column 'euclidean' in the header (columns: cosine)"
}

# --- usage ----------------------------------------------------------------

usage_error() { # expected message, then the arguments
    local want=$1
    shift
    run -2 --separate-stderr confmap "$@"
    assert_equal "$stderr" "confmap: $want
Try 'confmap --help' for more information."
}

@test "usage: no model" {
    usage_error "no model: give -M FILE or --model NAME" "$FIX/facenet-pairs.tsv"
}

@test "usage: an unknown model lists the known ones" {
    usage_error "unknown model 'Facenet1024' (models: VGG-Face, Facenet, Facenet512, ArcFace, Dlib, SFace, OpenFace, DeepFace, DeepID, GhostFaceNet, Buffalo_L)" --model Facenet1024
}

@test "usage: an unknown style" {
    usage_error "invalid value for --style: 'pretty' (expected clamped, study, deepface, raw or probability)" --model Facenet --style pretty
}

@test "usage: bad precision" {
    usage_error "invalid value for --precision: '18' (expected an integer from 0 to 17)" --model Facenet -p 18
}

@test "usage: bad thresholds" {
    usage_error "invalid number for --threshold: 'x' is not a number" --model Facenet -t cosine=x
    usage_error "invalid value for --threshold: '=1' (expected METRIC=T,...)" --model Facenet -t =1
    usage_error "--threshold names 'cosin', which the model does not have (model: cosine, euclidean, euclidean_l2, angular)" --model Facenet -t cosin=0.4
}

@test "usage: bad -m" {
    usage_error "--metrics names 'cos', which the model does not have (model: cosine, euclidean, euclidean_l2, angular)" --model Facenet -m cos "$FIX/facenet-pairs.tsv"
    usage_error "--metrics names 'cosine' twice" --model Facenet -m cosine,cosine "$FIX/facenet-pairs.tsv"
    usage_error "invalid value for --metrics: 'cosine,,angular' (an empty name)" --model Facenet -m cosine,,angular "$FIX/facenet-pairs.tsv"
    usage_error "invalid value for --metrics: '' (an empty name)" --model Facenet -m '' "$FIX/facenet-pairs.tsv"
}

@test "usage: the model and the stream both on standard input" {
    usage_error "-M - and the stream cannot both be standard input" -M -
    usage_error "-M - and the stream cannot both be standard input" -M - "$FIX/facenet-pairs.tsv" -
    run -0 bash -c "confmap -M - -m cosine '$FIX/facenet-pairs.tsv' < '$FIX/confmap-facenet-fit.yaml' | sed -n 2p | cut -f9"
    assert_output "77.57"
}

@test "usage: unknown option, missing argument" {
    usage_error "invalid option -- 'x'" -x
    usage_error "option '--model' requires an argument" --model
    usage_error "option requires an argument -- 'M'" -M
}

@test "--help and --version" {
    run -0 confmap --help
    assert_line -n 0 "Usage: confmap (-M FILE | --model=NAME) [-t T | -t METRIC=T,...] [-m LIST]"
    assert_line "  pairgen ids.yaml | pairdist -m cosine | confmap --model Facenet --verified"
    run -0 confmap --version
    assert_output --regexp '^confmap \(distconf\) [0-9]+\.[0-9]+\.[0-9]+$'
}


# A stream of many batches (4096 rows each): 30000 rows of four distances,
# with a model's range so that the range warning counts too.
many_rows() {
    awk 'BEGIN { srand(3); print "a\tb\tcosine\teuclidean\teuclidean_l2\tangular"
        for (i = 0; i < 30000; i++)
            printf "x%d\ty%d\t%.6f\t%.6f\t%.6f\t%.6f\n", i, i, 1.3 * rand(), 19 * rand(),
                1.6 * rand(), 0.6 * rand() }' > "$TMP/many.tsv"
}

@test "-j: the same output, warnings and status for every number of threads" {
    many_rows
    run --separate-stderr confmap -j 1 --model Facenet --verified "$TMP/many.tsv"
    assert_success
    local want=$output want_err=$stderr
    [ "${#lines[@]}" -eq 30001 ]
    for j in 2 3 8; do
        run --separate-stderr confmap -j "$j" --model Facenet --verified "$TMP/many.tsv"
        assert_success
        assert_equal "$output" "$want"
        assert_equal "$stderr" "$want_err"
    done
    # the default, and a model file with a fitted range (the warning's counts)
    confmap -j 1 --model Facenet "$TMP/many.tsv" > "$TMP/j1"
    confmap --model Facenet "$TMP/many.tsv" > "$TMP/jd"
    cmp "$TMP/j1" "$TMP/jd"
}

@test "-j: a model file's range warning counts every batch, for every -j" {
    many_rows
    printf 'version: 1\nmetrics:\n  cosine:\n    w: -6.5\n    b: 1.7\n    normalizer: 1.2\n    denorm_max_true: 77\n    denorm_min_true: 41\n    denorm_max_false: 20\n    denorm_min_false: 0.8\n    threshold: 0.4\n    range_min: 0.1\n    range_max: 1.1\n' > "$TMP/m.yaml"
    run --separate-stderr confmap -j 1 -M "$TMP/m.yaml" "$TMP/many.tsv"
    assert_success
    local want=$output
    [[ $stderr =~ ^confmap:\ [0-9]+\ of\ 30000\ cosine\ distances\ were\ outside\ the\ range\ the\ model\ was\ fitted\ on\ \[0\.1,\ 1\.1\]$ ]]
    local want_err=$stderr
    for j in 2 5; do
        run --separate-stderr confmap -j "$j" -M "$TMP/m.yaml" "$TMP/many.tsv"
        assert_success
        assert_equal "$output" "$want"
        assert_equal "$stderr" "$want_err"
    done
}

@test "-j: a bad distance late in the stream: the same message and status for every -j, and with -o no file" {
    many_rows
    awk 'NR == 25001 { $4 = "oops" } { print }' OFS='\t' "$TMP/many.tsv" > "$TMP/bad.tsv"
    for j in 1 2 4; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/bad.tsv"
        assert_failure 1
        assert_equal "$stderr" "confmap: $TMP/bad.tsv:25001: column 'euclidean' is not a number ('oops')"
        run --separate-stderr confmap -j "$j" --model Facenet -o "$TMP/out.tsv" "$TMP/bad.tsv"
        assert_failure 1
        [ ! -e "$TMP/out.tsv" ]
    done
}

@test "-j: of a bad distance and a later short line, the first is reported, for every -j" {
    many_rows
    # the bad distance is in a batch still being mapped when the reader
    # meets the short line a few rows later
    awk 'NR == 20001 { $3 = "x" } NR == 20010 { $0 = "1\t2" } { print }' OFS='\t' \
        "$TMP/many.tsv" > "$TMP/bad.tsv"
    for j in 1 2 3; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/bad.tsv"
        assert_failure 1
        assert_equal "$stderr" "confmap: $TMP/bad.tsv:20001: column 'cosine' is not a number ('x')"
    done
    # and a short line alone is reported after every row before it is written
    awk 'NR == 20010 { $0 = "1\t2" } { print }' OFS='\t' "$TMP/many.tsv" > "$TMP/short.tsv"
    for j in 1 2 3; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/short.tsv"
        assert_failure 1
        assert_equal "$stderr" "confmap: $TMP/short.tsv:20010: expected 6 fields as in the header, found 2"
        [ "${#lines[@]}" -eq 20009 ]
    done
}

@test "-j: a bad distance in a later column of an earlier row is reported before one in an earlier column of a later row (the columns are parsed one at a time), for every -j" {
    many_rows
    # rows 20001 and 20003 share a batch: angular bad in the first, cosine in
    # the second; then both in one row, the first column named
    awk 'NR == 20001 { $6 = "1e" } NR == 20003 { $3 = "-" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/bad.tsv"
    awk 'NR == 20001 { $4 = "1..2"; $5 = "y" } 1' OFS='\t' "$TMP/many.tsv" > "$TMP/row.tsv"
    for j in 1 2 3; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/bad.tsv"
        assert_failure 1
        assert_equal "$stderr" "confmap: $TMP/bad.tsv:20001: column 'angular' is not a number ('1e')"
        [ "${#lines[@]}" -eq 20000 ]
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/row.tsv"
        assert_failure 1
        assert_equal "$stderr" "confmap: $TMP/row.tsv:20001: column 'euclidean' is not a number ('1..2')"
    done
}

@test "-j: a second header in a distance column late in the stream, for every -j" {
    many_rows
    { cat "$TMP/many.tsv"; printf 'p\tq\tcosine\t1\t1\t1\n'; } > "$TMP/hdr.tsv"
    for j in 1 3; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/hdr.tsv"
        assert_failure 1
        [[ $stderr == "confmap: $TMP/hdr.tsv:30002: "* ]]
    done
}

@test "-j: a file glued on mid-stream (its byte-order mark, header and CRLF lines) reads as the rows alone, for every -j" {
    many_rows
    # the second part begins deep in a block of lines read at once: its
    # header and the rows after it go through the general reader
    { head -n 20001 "$TMP/many.tsv"; printf '\xef\xbb\xbf'; head -n 1 "$TMP/many.tsv"
      tail -n +20002 "$TMP/many.tsv" | sed 's/$/\r/'; } > "$TMP/glued.tsv"
    confmap -j 1 --model Facenet "$TMP/many.tsv" > "$TMP/want"
    for j in 1 2 3; do
        confmap -j "$j" --model Facenet "$TMP/glued.tsv" > "$TMP/got"
        cmp "$TMP/want" "$TMP/got"
        # and as two inputs, the second piped
        tail -n +20002 "$TMP/glued.tsv" | confmap -j "$j" --model Facenet <(head -n 20001 "$TMP/glued.tsv") - > "$TMP/got2"
        cmp "$TMP/want" "$TMP/got2"
    done
}

@test "-j: after a header glued on mid-stream, a bad distance then a short line: the first reported, only rows before it written" {
    many_rows
    confmap -j 1 --model Facenet "$TMP/many.tsv" > "$TMP/want"
    awk 'NR == 20001 { print "a\tb\tcosine\teuclidean\teuclidean_l2\tangular" }
         NR == 20005 { $4 = "1e" } NR == 20009 { $0 = "1\t2" } { print }' OFS='\t' \
        "$TMP/many.tsv" > "$TMP/bad.tsv"
    for j in 1 2 3; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/bad.tsv"
        assert_failure 1
        assert_equal "$stderr" "confmap: $TMP/bad.tsv:20006: column 'euclidean' is not a number ('1e')"
        # what was written is the start of the good output (how much: the buffering's)
        confmap -j "$j" --model Facenet "$TMP/bad.tsv" > "$TMP/got" 2>/dev/null || :
        [ "$(wc -l < "$TMP/got")" -le 20004 ]
        cmp -n "$(wc -c < "$TMP/got")" "$TMP/got" "$TMP/want"
    done
    # a NUL byte far into the stream: its line and column, the rows before it written
    awk 'NR == 25003 { $0 = $0 "\0" } { print }' "$TMP/many.tsv" > "$TMP/nul.tsv"
    for j in 1 3; do
        run --separate-stderr confmap -j "$j" --model Facenet "$TMP/nul.tsv"
        assert_failure 1
        [[ $stderr =~ ^confmap:\ $TMP/nul.tsv:25003:\ NUL\ byte\ in\ the\ input\ \(column\ [0-9]+\)$ ]]
        [ "${#lines[@]}" -eq 25002 ]
    done
}

@test "-j: an error in a later input names that input, not the one before it whose last block had a header glued on" {
    # the first input's last block holds a line for the general reader (a
    # header again); when its done() runs after the second input is open,
    # the next block read must still be named for the second input
    printf 'a\tb\tcosine\teuclidean_l2\n' > "$TMP/a.tsv"
    for i in 1 2 3; do printf 'x\ty\t0.1\t0.2\n'; done >> "$TMP/a.tsv"
    printf 'a\tb\tcosine\teuclidean_l2\nx\ty\t0.1\t0.2\n' >> "$TMP/a.tsv"
    awk 'BEGIN { print "a\tb\tcosine\teuclidean_l2"
                 for (i = 2; i <= 30000; i++)
                     if (i == 5000) print "x\ty\t0.5"; else printf "x%d\ty\t0.%d\t0.5\n", i, i % 10 }' \
        > "$TMP/b.tsv"
    # (the reading thread waits on the pipe while a worker finishes a.tsv's
    # block: a race, so tried a few times)
    for k in 1 2 3 4 5 6 7 8; do
        for j in 2 3 8; do
            run --separate-stderr bash -c '(sleep 0.1; cat "$1") | "$2" -j "$3" --model Facenet "$4" - > /dev/null' \
                _ "$TMP/b.tsv" "$BIN/confmap" "$j" "$TMP/a.tsv"
            assert_failure 1
            assert_equal "$stderr" "confmap: <stdin>:5000: expected 4 fields as in the header, found 3"
        done
    done
}

@test "usage: bad -j" {
    for v in 0 x 65 -1 ''; do
        usage_refused "confmap: invalid value for --jobs: '$v' (expected an integer from 1 to 64)" \
            confmap -j "$v" --model Facenet /dev/null
    done
}
