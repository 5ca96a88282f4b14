#!/usr/bin/env bats
# examples/article.sh, the article end to end (what make demo runs): its
# fitted constants are the ones pinned in logfit's tests, within 0.01 of the
# article's published values.

load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
    export LC_ALL=C
    local bin="${DISTCONF_BIN:-$BATS_TEST_DIRNAME/../build/bin}"
    bash "$BATS_TEST_DIRNAME/../examples/article.sh" "$bin" "$BATS_FILE_TMPDIR/demo" \
        > "$BATS_FILE_TMPDIR/out" 2> "$BATS_FILE_TMPDIR/err"
    echo $? > "$BATS_FILE_TMPDIR/status"
}

@test "article.sh runs to the end" {
    assert_equal "$(cat "$BATS_FILE_TMPDIR/status")" 0
    run -0 cat "$BATS_FILE_TMPDIR/out"
    assert_line "38 same-person pairs, 262 different-person pairs"
    assert_output --partial "== 6. The fitted constants against the article's published ones"
}

@test "the cosine fit: w = -6.5057, b = 1.6780, normalizer 1.207898" {
    run -0 awk '/^  cosine:/ { on = 1; next } /^  [a-z_0-9]+:$/ { on = 0 }
        on && /^    (w|b|normalizer):/ { printf "%s %.4f\n", $1, $2 }' "$BATS_FILE_TMPDIR/demo/model.yaml"
    assert_output "w: -6.5057
b: 1.6780
normalizer: 1.2079"
    run -0 grep -c "normalizer: 1.207898$" "$BATS_FILE_TMPDIR/demo/model.yaml"
}

@test "the side-by-side table: w and b within 0.01 of the article's, every metric" {
    run -0 awk '$1 ~ /^(cosine|euclidean|euclidean_l2|angular)$/ && ($2 == "w" || $2 == "b") { n++; d = $5 < 0 ? -$5 : $5; if (d > 0.01) bad = bad " " $1 "." $2 } END { print n, (bad ? bad : "all within 0.01") }' "$BATS_FILE_TMPDIR/out"
    assert_output "8 all within 0.01"
    run -0 grep -E '^cosine +w +-6\.5057 +-6\.5023 +-0\.0034$' "$BATS_FILE_TMPDIR/out"
    run -0 grep -E '^cosine +b +1\.6780 +1\.6790 +-0\.0010$' "$BATS_FILE_TMPDIR/out"
}

@test "the confidences and the picture" {
    # every same pair of the fit is in 51-100 for cosine, every other in 0-49
    run -0 awk -F'\t' 'NR == 2 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        NR > 2 { v = $c["cosine_confidence"]; s = $c["same"]; if ((s == 1 && v < 51) || (s == 0 && v > 49)) bad++ }
        END { print bad + 0 }' "$BATS_FILE_TMPDIR/demo/confidences.tsv"
    assert_output 0
    run -0 xmllint --noout "$BATS_FILE_TMPDIR/demo/article.svg"
}
