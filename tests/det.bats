#!/usr/bin/env bats
# confplot --det and --reliability: confeval's tables drawn (DET curves on
# normal-deviate axes, the reliability diagram), as SVG and in the terminal,
# and the streams that are not those tables refused.

load test_helper
bats_require_minimum_version 1.5.0

# A table as confeval --roc writes it: curve a (its EER point, where
# |FMR - FNMR| is least, at FMR 0.2, FNMR 0.05) and curve b, a staircase.
roc() {
    printf 'column\tthreshold\tfmr\tfnmr\tfm\tn_diff\tfnm\tn_same\n'
    printf 'a\t-inf\t0\t1\t0\t100\t100\t100\n'
    printf 'a\t0.1\t0.01\t0.5\t1\t100\t50\t100\n'
    printf 'a\t0.2\t0.02\t0.3\t2\t100\t30\t100\n'
    printf 'a\t0.3\t0.2\t0.05\t20\t100\t5\t100\n'
    printf 'a\t0.4\t0.4\t0.02\t40\t100\t2\t100\n'
    printf 'a\t0.9\t1\t0\t100\t100\t0\t100\n'
    printf 'b\tinf\t0\t1\t0\t100\t100\t100\n'
    printf 'b\t90\t0.03\t0.5\t3\t100\t50\t100\n'
    printf 'b\t80\t0.03\t0.2\t3\t100\t20\t100\n'
    printf 'b\t70\t0.1\t0.2\t10\t100\t20\t100\n'
    printf 'b\t60\t0.1\t0.1\t10\t100\t10\t100\n'
    printf 'b\t10\t1\t0\t100\t100\t0\t100\n'
}

# A table as confeval --reliability writes it: two columns of 10 bins.
reliability() {
    printf 'column\tbin\tlo\thi\tn\tpredicted\tobserved\tobserved_k\tobserved_lo\tobserved_hi\n'
    for c in x_confidence y_confidence; do
        for i in 1 2 3 4 5 6 7 8 9 10; do
            if [ "$i" = 4 ]; then
                printf '%s\t%d\t0.3\t0.4\t0\tNA\tNA\t0\tNA\tNA\n' "$c" "$i"
            else
                awk -v c="$c" -v i="$i" 'BEGIN { p = (i - 0.5) / 10; o = p * 0.9
                    printf "%s\t%d\t%g\t%g\t20\t%g\t%g\t%d\t%g\t%g\n", c, i, (i - 1) / 10, i / 10, p, o, o * 20, o * 0.7, o + (1 - o) * 0.3 }'
            fi
        done
    done
}

widths() { LC_ALL=C sed 's/[\x80-\xbf]//g' | awk '{ print length($0) }'; }

@test "--det --svg: valid, self-contained SVG, a curve and an EER point per column, the table" {
    roc > "$TMP/roc.tsv"
    run -0 confplot --det --svg "$TMP/d.svg" "$TMP/roc.tsv"
    assert_output "column	points	drawn	eer	fmr	fnmr	threshold
a	6	4	0.1250	0.2000	0.0500	0.3
b	6	4	0.1000	0.1000	0.1000	60"
    xmllint --noout "$TMP/d.svg"
    [ "$(grep -c '<polyline' "$TMP/d.svg")" -eq 2 ]
    [ "$(grep -c 'class="eer"' "$TMP/d.svg")" -eq 2 ]
    grep -q '>a (EER 12.5%)</text>' "$TMP/d.svg"
    grep -q '>b (EER 10%)</text>' "$TMP/d.svg"
    run grep -Ec 'href|<script|<image|url\(' "$TMP/d.svg"
    assert_output 0
}

@test "--det: a point lands at its normal deviates on both axes" {
    command -v python3 > /dev/null || skip "python3 is not installed"
    roc > "$TMP/roc.tsv"
    confplot --det --svg "$TMP/d.svg" "$TMP/roc.tsv" > /dev/null
    # the axes run from the tick at or below the least rate drawn (1%) to the
    # tick at or above the greatest (0.5: 60%)
    grep -q '>1%</text>' "$TMP/d.svg"
    grep -q '>60%</text>' "$TMP/d.svg"
    run grep -c '>0.1%</text>\|>80%</text>' "$TMP/d.svg"
    assert_output 0
    box=$(sed -n 's/.*<rect x="\([0-9.]*\)" y="\([0-9.]*\)" width="\([0-9.]*\)" height="[0-9.]*" class="axes".*/\1 \2 \3/p' "$TMP/d.svg")
    # a's EER point: FMR 0.2 across, FNMR 0.05 up, by Python's own quantile
    want=$(python3 -c '
import sys
from statistics import NormalDist
z = NormalDist().inv_cdf
x0, y0, side = map(float, sys.argv[1:4])
lo, hi = z(0.01), z(0.6)
print("%.2f %.2f" % (x0 + (z(0.2) - lo) / (hi - lo) * side, y0 + side - (z(0.05) - lo) / (hi - lo) * side))' $box)
    got=$(grep 'class="eer"' "$TMP/d.svg" | head -n 1 | sed 's/.*cx="\([0-9.]*\)" cy="\([0-9.]*\)".*/\1 \2/')
    run awk -v w="$want" -v g="$got" 'BEGIN { split(w, a, " "); split(g, b, " ")
        if ((a[1] - b[1]) ^ 2 > 1e-4 || (a[2] - b[2]) ^ 2 > 1e-4) print "want " w ", got " g }'
    assert_output ""
    # b's EER point sits on the diagonal FMR = FNMR: as far right as up
    b=$(grep 'class="eer"' "$TMP/d.svg" | tail -n 1 | sed 's/.*cx="\([0-9.]*\)" cy="\([0-9.]*\)".*/\1 \2/')
    run awk -v b="$b" -v box="$box" 'BEGIN { split(b, p, " "); split(box, q, " ")
        d = (p[1] - q[1]) - (q[2] + q[3] - p[2]); if (d * d > 1e-4) print b, box }'
    assert_output ""
}

@test "--det: points with a rate of 0 or 1 are left out; a curve without any says so" {
    printf 'column\tthreshold\tfmr\tfnmr\tfm\tn_diff\tfnm\tn_same\n' > "$TMP/sep.tsv"
    printf 'c\t-inf\t0\t1\t0\t5\t5\t5\nc\t0.3\t0\t0\t0\t5\t0\t5\nc\t0.9\t1\t0\t5\t5\t0\t5\n' >> "$TMP/sep.tsv"
    run -0 confplot --det --svg "$TMP/d.svg" "$TMP/sep.tsv"
    assert_line -n 1 "c	3	0	0.0000	0.0000	0.0000	0.3"
    xmllint --noout "$TMP/d.svg"
    run grep -c '<polyline\|class="eer"' "$TMP/d.svg"
    assert_output 0
    grep -q '>c (EER 0%; no point to draw)</text>' "$TMP/d.svg"
}

@test "--det in the terminal: the chart, a legend line per curve, then the table; stable" {
    roc > "$TMP/roc.tsv"
    confplot --det --width 60 --height 20 "$TMP/roc.tsv" > "$TMP/one"
    confplot --det --width 60 --height 20 < "$TMP/roc.tsv" > "$TMP/two"
    cmp "$TMP/one" "$TMP/two"
    # 20 lines, 2 + 1 of legend, a blank, the table (3 lines)
    [ "$(wc -l < "$TMP/one")" -eq 27 ]
    [ "$(head -n 23 "$TMP/one" | widths | sort -n | tail -n 1)" -le 60 ]
    run -0 sed -n '1p;19p;21,23p' "$TMP/one"
    assert_line -n 0 "DET: FNMR against FMR (normal-deviate scale)"
    assert_line -n 1 --regexp '^ +└[─┬]+$'
    assert_line -n 2 "  * a (EER 12.5%)"
    assert_line -n 3 "  + b (EER 10%)"
    assert_line -n 4 "  ● the EER point (FMR nearest FNMR); · FMR = FNMR"
    [ "$(head -n 18 "$TMP/one" | grep -o '●' | wc -l)" -eq 2 ]
    grep -q '^ *1% ┤' "$TMP/one"
    grep -q '^ *60% ┤' "$TMP/one"
    # the x axis' labels, 1% first and 60% last
    run -0 sed -n 20p "$TMP/one"
    assert_output --regexp '^ +1% .* 60%$'
}

@test "--det -c: the curves named, in that order; one the table lacks is an error" {
    roc > "$TMP/roc.tsv"
    run -0 bash -c "confplot --det -c b,a --svg - '$TMP/roc.tsv' | grep -o '>[ab] (EER [^<]*<'"
    assert_output ">b (EER 10%)<
>a (EER 12.5%)<"
    refused "confplot: $TMP/roc.tsv: no column 'z' in the table (columns: a, b)" confplot --det -c a,z "$TMP/roc.tsv"
}

@test "--det refuses a stream that is not confeval --roc's table (file:line), and leaves the SVG alone" {
    reliability > "$TMP/rel.tsv"
    echo "<svg>old</svg>" > "$TMP/d.svg"
    refused "confplot: $TMP/rel.tsv:1: not the table of confeval --roc: no column 'threshold' (columns: column, bin, lo, hi, n, predicted, observed, observed_k, observed_lo, observed_hi)" confplot --det --svg "$TMP/d.svg" "$TMP/rel.tsv"
    assert_output ""
    assert_equal "$(cat "$TMP/d.svg")" "<svg>old</svg>"
    [ "$(ls -A "$TMP" | grep -c '^\.distconf-')" -eq 0 ]
    printf 'a\tsame\tx_confidence\nq\t1\t3\n' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:1: not the table of confeval --roc: no column 'column' (columns: a, same, x_confidence)" confplot --det "$TMP/s.tsv"
    # a rate out of range, and two tables glued together: at their line
    roc | sed '4s/\t0.3\t/\t1.5\t/' > "$TMP/bad.tsv"
    refused "confplot: $TMP/bad.tsv:4: column 'fnmr' is not a rate from 0 to 1 ('1.5')" confplot --det --svg "$TMP/d.svg" "$TMP/bad.tsv"
    { roc; roc | tail -n +2; } > "$TMP/two.tsv"
    refused "confplot: $TMP/two.tsv:14: column 'a': fmr falls from the row before: not one curve in confeval --roc's order (two tables in one stream?)" confplot --det "$TMP/two.tsv"
    assert_equal "$(cat "$TMP/d.svg")" "<svg>old</svg>"
    roc | head -n 1 > "$TMP/empty.tsv"
    refused "confplot: $TMP/empty.tsv:1: the table has no rows: no curve to draw" confplot --det "$TMP/empty.tsv"
}

@test "--reliability --svg: a panel per column, a dot and a bar per bin with pairs, the diagonal" {
    reliability > "$TMP/rel.tsv"
    run -0 confplot --reliability --svg "$TMP/r.svg" "$TMP/rel.tsv"
    assert_output ""
    xmllint --noout "$TMP/r.svg"
    [ "$(grep -c 'class="axes"' "$TMP/r.svg")" -eq 2 ]
    [ "$(grep -c 'class="bin"' "$TMP/r.svg")" -eq 18 ]
    [ "$(grep -c 'class="interval"' "$TMP/r.svg")" -eq 18 ]
    grep -q '>x_confidence</text>' "$TMP/r.svg"
    grep -q '>y_confidence</text>' "$TMP/r.svg"
    # bin 10 of x: predicted 0.95 across, observed 0.855 up, in its panel's axes
    box=$(sed -n 's/.*<rect x="\([0-9.]*\)" y="\([0-9.]*\)" width="\([0-9.]*\)" height="[0-9.]*" class="axes".*/\1 \2 \3/p' "$TMP/r.svg" | head -n 1)
    got=$(grep 'class="bin"><title>bin 10:' "$TMP/r.svg" | head -n 1 | sed 's/.*cx="\([0-9.]*\)" cy="\([0-9.]*\)".*/\1 \2/')
    run awk -v g="$got" -v box="$box" 'BEGIN { split(g, p, " "); split(box, q, " ")
        x = q[1] + 0.95 * q[3]; y = q[2] + q[3] - 0.855 * q[3]
        if ((p[1] - x) ^ 2 > 1e-4 || (p[2] - y) ^ 2 > 1e-4) print "want " x " " y ", got " g }'
    assert_output ""
}

@test "--reliability in the terminal: a panel per column, stable" {
    reliability > "$TMP/rel.tsv"
    confplot --reliability --width 50 --height 14 "$TMP/rel.tsv" > "$TMP/one"
    confplot --reliability --width 50 --height 14 "$TMP/rel.tsv" > "$TMP/two"
    cmp "$TMP/one" "$TMP/two"
    [ "$(wc -l < "$TMP/one")" -eq 30 ]
    [ "$(widths < "$TMP/one" | sort -n | tail -n 1)" -le 50 ]
    run -0 sed -n '1p;16p' "$TMP/one"
    assert_line -n 0 --regexp '^x_confidence: observed against predicted'
    assert_line -n 1 --regexp '^y_confidence: observed against predicted'
    [ "$(sed -n 2,15p "$TMP/one" | grep -o '●' | wc -l)" -eq 9 ]
    # --det's table is not --reliability's
    refused "confplot: $TMP/rel.tsv:1: not the table of confeval --roc: no column 'threshold' (columns: column, bin, lo, hi, n, predicted, observed, observed_k, observed_lo, observed_hi)" confplot --det "$TMP/rel.tsv"
    roc > "$TMP/roc.tsv"
    refused "confplot: $TMP/roc.tsv:1: not the table of confeval --reliability: no column 'bin' (columns: column, threshold, fmr, fnmr, fm, n_diff, fnm, n_same)" confplot --reliability "$TMP/roc.tsv"
}

@test "--det and --reliability: the density's options are usage errors" {
    roc > "$TMP/roc.tsv"
    for args in "--det --kde" "--det -y x" "--reliability --no-band"; do
        set -- $args
        run -2 --separate-stderr confplot "$@" "$TMP/roc.tsv"
        assert_equal "${stderr%%$'\n'*}" "confplot: $1 and $2 exclude each other"
    done
    run -2 --separate-stderr confplot --det --reliability "$TMP/roc.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: --det and --reliability exclude each other"
    run -2 --separate-stderr confplot --reliability -p 2 "$TMP/roc.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: --reliability prints no table: -p has nothing to format"
}
