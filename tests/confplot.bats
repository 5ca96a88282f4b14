#!/usr/bin/env bats
# confplot: the densities (KDE as pandas' plot.kde), the table, the SVG, the
# terminal drawing, and every error.

load test_helper
bats_require_minimum_version 1.5.0

# A synthetic stream shaped like confmap's output on the article's pairs: 38
# same-person rows then 262 different-person rows, a distance, the four
# confidences (same in 51..100, different in 0..49), and cosine_verified
# (which gets two same-person pairs wrong).
stream() {
    awk 'BEGIN {
        OFS = "\t"
        print "a", "b", "same", "cosine", "cosine_confidence", "euclidean_confidence",
              "euclidean_l2_confidence", "angular_confidence", "cosine_verified"
        for (i = 0; i < 300; i++) {
            s = i < 38
            u = (sin(i * 12.9898) * 43758.5453) % 1; if (u < 0) u = -u
            v = (sin(i * 78.233) * 12345.678) % 1; if (v < 0) v = -v
            if (s) { d = 0.1 + 0.3 * u; c = 51 + 49 * (1 - u) }
            else   { d = 0.45 + 0.75 * u; c = 49 * u * u }
            printf "i%d\tj%d\t%d\t%.6f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\n", i, i, s, d,
                   c, (s ? 51 + 49 * v : 49 * v * v * v), (s ? 55 + 40 * u * v : 30 * v),
                   (s ? 60 + 30 * v : 20 + 20 * u), (s && i >= 2) || (!s && i == 40)
        }
    }'
}

# The table's rows and the values pandas and scipy give for them.
small() {
    printf 'a\tb\tsame\tcosine\tcosine_confidence\tangular_confidence\n'
    printf 'p1\tq1\t1\t0.20\t60\t55\np2\tq2\t1\t0.25\t70\t75\np3\tq3\t1\t0.30\t80\t95\n'
    printf 'n1\tm1\t0\t0.70\t10\t5\nn2\tm2\t0\t0.80\t20\t25\nn3\tm3\t0\t0.90\t30\t35\n'
    printf 'n4\tm4\t0\t1.00\t40\t45\n'
}

# Display width of each line (UTF-8 continuation bytes not counted).
widths() { LC_ALL=C sed 's/[\x80-\xbf]//g' | awk '{ print length($0) }'; }

@test "the table: n, min, mean, max and the bandwidth per class, as pandas computes them" {
    small > "$TMP/s.tsv"
    run -0 bash -c "confplot --svg '$TMP/p.svg' '$TMP/s.tsv'"
    # pandas: y.min(), y.mean(), y.max(); sqrt(gaussian_kde(y).covariance)
    assert_output "column	same	n	min	mean	max	bandwidth
cosine_confidence	1	3	60.0000	70.0000	80.0000	8.0274
cosine_confidence	0	4	10.0000	25.0000	40.0000	9.7839
angular_confidence	1	3	55.0000	75.0000	95.0000	16.0548
angular_confidence	0	4	5.0000	27.5000	45.0000	12.9429"
}

@test "-p sets the table's decimals" {
    small > "$TMP/s.tsv"
    run -0 bash -c "confplot -p 1 -c angular_confidence '$TMP/s.tsv' | tail -n 2"
    assert_output "angular_confidence	1	3	55.0	75.0	95.0	16.1
angular_confidence	0	4	5.0	27.5	45.0	12.9"
}

@test "--kde: the curves on pandas' grid, equal to scipy's gaussian_kde to 1e-12" {
    small > "$TMP/s.tsv"
    run -0 bash -c "confplot --kde -c cosine_confidence '$TMP/s.tsv' > '$TMP/k.tsv'"
    [ "$(wc -l < "$TMP/k.tsv")" -eq 2001 ]
    assert_equal "$(head -n 1 "$TMP/k.tsv")" "column	same	x	density"
    # y = df[df.same == c].cosine_confidence; r = y.max() - y.min()
    # ind = np.linspace(y.min() - r/2, y.max() + r/2, 1000); gaussian_kde(y).evaluate(ind)
    check() {
        awk -F'\t' -v row="$1" -v x="$2" -v d="$3" 'NR == row {
            ok = ($3 - x) ^ 2 <= (1e-12 * x) ^ 2 && ($4 - d) ^ 2 <= (1e-12 * d) ^ 2
            if (!ok) print "row " row ": " $0 " want " x ", " d
            exit !ok }' "$TMP/k.tsv"
    }
    check 2 50.0 0.008383786720296093
    check 502 70.02002002002001 0.03181559674596863
    check 1001 90.0 0.00838378672029609
    check 1002 -5.0 0.0035540497688893147
    check 1502 25.03003003003003 0.02418644458507883
    check 2001 55.0 0.0035540497688893173
}

@test "the default value columns are every *_confidence column, in header order" {
    stream > "$TMP/s.tsv"
    run -0 bash -c "confplot --svg '$TMP/p.svg' '$TMP/s.tsv' | cut -f 1-3"
    assert_output "column	same	n
cosine_confidence	1	38
cosine_confidence	0	262
euclidean_confidence	1	38
euclidean_confidence	0	262
euclidean_l2_confidence	1	38
euclidean_l2_confidence	0	262
angular_confidence	1	38
angular_confidence	0	262"
}

@test "-c names the value columns and their order; any numeric column will do" {
    stream > "$TMP/s.tsv"
    run -0 bash -c "confplot -c angular_confidence,cosine --svg '$TMP/p.svg' '$TMP/s.tsv' | cut -f 1,2"
    assert_output "column	same
angular_confidence	1
angular_confidence	0
cosine	1
cosine	0"
    run -0 grep -c '<polyline' "$TMP/p.svg"
    assert_output 4
}

@test "-y takes any 0/1 column as the classes: legend and table name it" {
    stream > "$TMP/s.tsv"
    run -0 bash -c "confplot -y cosine_verified -c cosine_confidence --svg '$TMP/p.svg' '$TMP/s.tsv' | cut -f 1-3"
    assert_output "column	cosine_verified	n
cosine_confidence	1	37
cosine_confidence	0	263"
    run -0 grep -c 'cosine_verified=1 (n = 37)' "$TMP/p.svg"
    run -0 grep -c 'cosine_verified=0 (n = 263)' "$TMP/p.svg"
    run grep -c 'same (n = ' "$TMP/p.svg"
    assert_output 0
}

@test "the class column may write its numbers as 1.0 and 0.0" {
    small | awk 'BEGIN { FS = OFS = "\t" } NR > 1 { $3 = $3 ".0" } { print }' > "$TMP/s.tsv"
    run -0 bash -c "confplot --svg '$TMP/p.svg' '$TMP/s.tsv' | cut -f 1-3 | sed -n 2,3p"
    assert_output "cosine_confidence	1	3
cosine_confidence	0	4"
}

@test "--svg writes well-formed, self-contained XML: four panels, legend, band, axes" {
    stream > "$TMP/s.tsv"
    run -0 confplot --svg "$TMP/p.svg" "$TMP/s.tsv"
    xmllint --noout "$TMP/p.svg"
    head -c 38 "$TMP/p.svg" | grep -q '^<?xml version="1.0" encoding="UTF-8"?>'
    # one curve and one filled area per class and panel
    [ "$(grep -c '<polyline' "$TMP/p.svg")" -eq 8 ]
    [ "$(grep -c 'fill-opacity="0.15"' "$TMP/p.svg")" -eq 8 ]
    for c in cosine euclidean euclidean_l2 angular; do
        grep -q ">${c}_confidence</text>" "$TMP/p.svg"
    done
    grep -q '>same (n = 38)</text>' "$TMP/p.svg"
    grep -q '>different (n = 262)</text>' "$TMP/p.svg"
    # the 49-51 band in each panel, the axis labels, tick labels with a real minus
    [ "$(grep -c 'fill="#888" fill-opacity="0.35"' "$TMP/p.svg")" -eq 5 ]
    [ "$(grep -c '>confidence (%)</text>' "$TMP/p.svg")" -eq 4 ]
    [ "$(grep -c '>density</text>' "$TMP/p.svg")" -eq 4 ]
    grep -q '>100</text>' "$TMP/p.svg"
    # nothing from outside: no links, scripts or images
    run grep -Ec 'href|<script|<image|url\(' "$TMP/p.svg"
    assert_output 0
}

@test "--svg: a column that is not a confidence is labelled by name, without the band" {
    # even where its range holds 49..51
    awk 'BEGIN { print "d\tsame"; for (i = 0; i < 20; i++) print 40 + i "\t" i % 2 }' > "$TMP/d.tsv"
    run -0 confplot -c d --svg "$TMP/p.svg" "$TMP/d.tsv"
    run grep -c 'fill-opacity="0.35"' "$TMP/p.svg"
    assert_output 0
    run -0 confplot -c d "$TMP/d.tsv"
    run grep -c '┆' <<< "$output"
    assert_output 0
    stream > "$TMP/s.tsv"
    run -0 confplot -c cosine --svg "$TMP/p.svg" "$TMP/s.tsv"
    xmllint --noout "$TMP/p.svg"
    grep -q '>cosine</text>' "$TMP/p.svg"
    run grep -c 'fill-opacity="0.35"\|49–51' "$TMP/p.svg"
    assert_output 0
    grep -q '>Density of the values, by same</text>' "$TMP/p.svg"
}

@test "--no-band leaves out the 49-51 band" {
    stream > "$TMP/s.tsv"
    run -0 confplot --no-band --svg "$TMP/p.svg" "$TMP/s.tsv"
    run grep -c 'fill="#888"\|>49<\|>51<\|49–51' "$TMP/p.svg"
    assert_output 0
    run -0 bash -c "confplot --no-band -c cosine_confidence '$TMP/s.tsv' | head -n 1"
    assert_output "cosine_confidence: density by same (peak 0.0329)"
}

@test "--svg with more than four columns wraps the panels, four to a row" {
    stream > "$TMP/s.tsv"
    run -0 confplot -c cosine_confidence,euclidean_confidence,euclidean_l2_confidence,angular_confidence,cosine --svg "$TMP/p.svg" "$TMP/s.tsv"
    xmllint --noout "$TMP/p.svg"
    grep -q 'width="1600" height="712" viewBox="0 0 1600 712"' "$TMP/p.svg"
}

@test "--svg renders in a real browser (headless Chromium)" {
    command -v chromium > /dev/null || skip "chromium is not installed"
    stream > "$TMP/s.tsv"
    confplot --svg "$TMP/p.svg" "$TMP/s.tsv" > /dev/null
    run -0 timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$(mktemp -d "$TMP/chromium.XXXXXX")" \
        --screenshot="$TMP/p.png" --window-size=1600,400 "file://$TMP/p.svg"
    [ -s "$TMP/p.png" ]
    # a PNG of the window's size, and not blank: a drawing compresses to more
    # than a few kilobytes
    [ "$(head -c 8 "$TMP/p.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
    [ "$(od -An -tu1 -j 16 -N 8 "$TMP/p.png" | tr -s ' ' | sed 's/^ //')" = "0 0 6 64 0 0 1 144" ]
    [ "$(wc -c < "$TMP/p.png")" -gt 20000 ]
}

@test "--svg FILE is written atomically: a failure leaves the old file as it was" {
    stream > "$TMP/s.tsv"
    echo old > "$TMP/p.svg"
    printf 'cosine_confidence\tsame\n1\t1\n' > "$TMP/bad.tsv"
    run -1 confplot --svg "$TMP/p.svg" "$TMP/bad.tsv"
    assert_equal "$(cat "$TMP/p.svg")" old
    [ "$(ls -A "$TMP" | grep -c -e tmp -e '^\.distconf-')" -eq 0 ]
    run -1 --separate-stderr confplot --svg "$TMP/no/such/p.svg" "$TMP/s.tsv"
    assert_equal "$stderr" "confplot: $TMP/no/such/p.svg: cannot create: No such file or directory"
}

@test "--svg - writes the figure to standard output, and no table" {
    small > "$TMP/s.tsv"
    run -0 bash -c "confplot --svg - '$TMP/s.tsv' | xmllint --noout - && confplot --svg - '$TMP/s.tsv' | tail -n 1"
    assert_output "</svg>"
}

@test "the terminal drawing: 80 x 20 per panel when not a terminal, then the table" {
    stream > "$TMP/s.tsv"
    run -0 bash -c "confplot '$TMP/s.tsv' > '$TMP/out'"
    # 4 panels of 20 lines and a blank line each, then the table (9 lines)
    [ "$(wc -l < "$TMP/out")" -eq $((4 * 21 + 9)) ]
    [ "$(widths < "$TMP/out" | sort -n | tail -n 1)" -le 80 ]
    run -0 sed -n '1p;18,20p' "$TMP/out"
    assert_line -n 0 "cosine_confidence: density by same (peak 0.0329; ┆ 50)"
    assert_line -n 2 --regexp '^ +└[─┬]+$'
    [ "$(echo "${lines[1]}" | widths)" -eq 80 ]
    # the class labels sit at the foot of their strips
    run -0 sed -n '9p;18p' "$TMP/out"
    assert_line -n 0 --regexp '^     same │'
    assert_line -n 1 --regexp '^different │'
    # the boundary at 50, blocks of the eight heights
    grep -q '┆' "$TMP/out"
    grep -q '█' "$TMP/out"
    grep -q '▁' "$TMP/out"
    run -0 tail -n 9 "$TMP/out"
    assert_line -n 0 "column	same	n	min	mean	max	bandwidth"
}

@test "in a terminal, each panel takes the terminal's width and its height less a line" {
    command -v script > /dev/null || skip "script (bsdutils) is not installed"
    stream > "$TMP/s.tsv"
    script -qc "stty cols 100 rows 30; confplot -c cosine_confidence '$TMP/s.tsv'" /dev/null |
        tr -d '\r' > "$TMP/out"
    # 29 lines, a blank line, the table (3 lines)
    [ "$(wc -l < "$TMP/out")" -eq 33 ]
    [ "$(sed -n 2p "$TMP/out" | widths)" -eq 100 ]
    [ "$(sed -n 29p "$TMP/out" | LC_ALL=C sed 's/[\x80-\xbf]//g' | tr -d ' 0-9.-')" = "" ]
    # --width and --height still win
    script -qc "stty cols 100 rows 30; confplot --width 60 --height 10 -c cosine_confidence '$TMP/s.tsv'" /dev/null |
        tr -d '\r' > "$TMP/out"
    [ "$(wc -l < "$TMP/out")" -eq 14 ]
    [ "$(sed -n 2p "$TMP/out" | widths)" -eq 60 ]
}

@test "--width and --height bound every panel" {
    stream > "$TMP/s.tsv"
    for size in "20 5" "40 9" "120 30" "300 12"; do
        set -- $size
        confplot -c cosine_confidence,angular_confidence --width "$1" --height "$2" "$TMP/s.tsv" > "$TMP/out"
        [ "$(wc -l < "$TMP/out")" -eq $((2 * ($2 + 1) + 5)) ]
        [ "$(head -n "$2" "$TMP/out" | widths | sort -n | tail -n 1)" -le "$1" ]
        # the chart itself fills the width
        [ "$(sed -n 2p "$TMP/out" | widths)" -eq "$1" ]
    done
}

@test "the terminal drawing follows the data: same right of 50, different left of it" {
    stream > "$TMP/s.tsv"
    # height 12: the title, 4 lines of "same", a blank, 4 of "different", the axis
    confplot -c cosine_confidence --height 12 "$TMP/s.tsv" | sed -n 2,10p |
        sed 's/┆/|/g; s/│/:/g; s/█/#/g; s/▁\|▂\|▃\|▄\|▅\|▆\|▇/+/g' > "$TMP/out"
    # the band's column, from the blank line between the strips
    band=$(sed -n 5p "$TMP/out" | awk '{ print index($0, "|") }')
    [ "$band" -gt 30 ] && [ "$band" -lt 50 ]
    # the highest full cells of "same" lie right of it, those of "different" left
    run -0 awk -v band="$band" '
        NR <= 4 && /#/ && !s { s = 1; if (index($0, "#") <= band) print "same", NR }
        NR >= 6 && /#/ && !d { d = 1; match($0, /#[^#]*$/); if (RSTART >= band) print "different", NR }
        END { if (!s || !d) print "no full cell" }' "$TMP/out"
    assert_output ""
    [ "$(grep -c '#' "$TMP/out")" -ge 4 ]
}

@test "-o FILE takes the drawing and the table" {
    small > "$TMP/s.tsv"
    run -0 confplot -o "$TMP/out" "$TMP/s.tsv"
    assert_output ""
    [ "$(tail -n 1 "$TMP/out")" = "angular_confidence	0	4	5.0000	27.5000	45.0000	12.9429" ]
}

@test "gzip input and several files read as one stream" {
    stream > "$TMP/s.tsv"
    head -n 100 "$TMP/s.tsv" > "$TMP/a.tsv"
    { head -n 1 "$TMP/s.tsv"; tail -n +101 "$TMP/s.tsv"; } | gzip > "$TMP/b.tsv.gz"
    confplot --svg "$TMP/one.svg" "$TMP/s.tsv" > "$TMP/one"
    confplot --svg "$TMP/two.svg" "$TMP/a.tsv" "$TMP/b.tsv.gz" > "$TMP/two"
    cmp "$TMP/one" "$TMP/two"
    cmp "$TMP/one.svg" "$TMP/two.svg"
    run -0 bash -c "confplot --svg - < '$TMP/s.tsv' | cmp - '$TMP/one.svg'"
}

@test "a preamble is read and ignored" {
    { echo "#embeddings=x.tsv"; small; } > "$TMP/s.tsv"
    run -0 bash -c "confplot --svg '$TMP/p.svg' '$TMP/s.tsv' | sed -n 2p"
    assert_output "cosine_confidence	1	3	60.0000	70.0000	80.0000	8.0274"
}

@test "more than 20000 rows a class: still every row counted (the density is binned)" {
    awk 'BEGIN { print "x_confidence\tsame"
                 for (i = 0; i < 50000; i++) printf "%.4f\t%d\n", 50 + 30 * sin(i * 0.37) * cos(i * 0.011), i % 2 }' > "$TMP/big.tsv"
    run -0 confplot --kde "$TMP/big.tsv"
    [ "${#lines[@]}" -eq 2001 ]
    run -0 confplot --svg "$TMP/p.svg" "$TMP/big.tsv"
    assert_line -n 1 --regexp '^x_confidence	1	25000	'
    xmllint --noout "$TMP/p.svg"
}

@test "error: no value column" {
    printf 'a\tsame\nx\t1\n' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:1: no value column: no column name ends in '_confidence' (columns: a, same); name them with -c" confplot "$TMP/s.tsv"
    assert_equal "$output" ""
}

@test "error: -c names a column the stream lacks" {
    small > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:1: no column 'nope' in the header (columns: a, b, same, cosine, cosine_confidence, angular_confidence)" confplot -c cosine_confidence,nope "$TMP/s.tsv"
}

@test "error: no class column" {
    printf 'x_confidence\tlabel\n1\t1\n' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:1: no column 'same' in the header (columns: x_confidence, label)" confplot "$TMP/s.tsv"
}

@test "error: a class column that is not 0/1 (line, value)" {
    small | sed '5s/\t0\t/\t2\t/' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:5: column 'same' is not 0 or 1 (nor true or false) ('2')" confplot "$TMP/s.tsv"
    small | sed '3s/\t1\t/\tyes\t/' | confplot 2> "$TMP/err" && false
    assert_equal "$(cat "$TMP/err")" "confplot: <stdin>:3: column 'same' is not 0 or 1 (nor true or false) ('yes')"
}

@test "error: a class with fewer than 2 rows cannot have a density" {
    small | sed '3,4d' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv: class same=1 has 1 row: cannot estimate a density (it needs at least 2)" confplot "$TMP/s.tsv"
    small | head -n 1 > "$TMP/h.tsv"
    refused "confplot: <stdin>: class same=1 has 0 rows: cannot estimate a density (it needs at least 2)" confplot < "$TMP/h.tsv"
    small | sed '6,8d' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv: class same=0 has 1 row: cannot estimate a density (it needs at least 2)" confplot "$TMP/s.tsv"
}

@test "error: a value that is not a number (line, column)" {
    small | sed '7s/\t30\t/\tthirty\t/' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:7: column 'cosine_confidence' is not a number ('thirty')" confplot "$TMP/s.tsv"
    small | sed '8s/\t45$/\t/' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:8: column 'angular_confidence' is empty" confplot "$TMP/s.tsv"
    small | sed '2s/\t55$/\tnan/' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:2: column 'angular_confidence' is not a number ('nan')" confplot "$TMP/s.tsv"
}

@test "error: all values of a class equal (no spread, no density; scipy refuses it too)" {
    printf 'x_confidence\tsame\n51\t1\n51\t1\n51\t1\n10\t0\n20\t0\n' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv: column 'x_confidence', class same=1: all 3 values are equal ('51'): cannot estimate a density" confplot "$TMP/s.tsv"
}

@test "error: values so far apart that their range overflows" {
    printf 'x_confidence\tsame\n-1e308\t1\n1e308\t1\n10\t0\n20\t0\n' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv: column 'x_confidence', class same=1: the values are too far apart ('-1e+308' to '1e+308'): cannot estimate a density" confplot "$TMP/s.tsv"
}

@test "error: a short row" {
    small | sed '4s/\t95$//' > "$TMP/s.tsv"
    refused "confplot: $TMP/s.tsv:4: expected 6 fields as in the header, found 5" confplot "$TMP/s.tsv"
}

@test "error: empty input" {
    refused "confplot: <stdin>: empty input (expected a header line)" confplot < /dev/null
}

@test "usage errors: status 2 and a hint" {
    small > "$TMP/s.tsv"
    run -2 --separate-stderr confplot --width 19 "$TMP/s.tsv"
    assert_equal "$stderr" "confplot: invalid value for --width: '19' (expected an integer from 20 to 1000)
Try 'confplot --help' for more information."
    run -2 --separate-stderr confplot --height 4 "$TMP/s.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: invalid value for --height: '4' (expected an integer from 5 to 1000)"
    run -2 --separate-stderr confplot -p 18 "$TMP/s.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: invalid value for --precision: '18' (expected an integer from 0 to 17)"
    run -2 --separate-stderr confplot -c cosine_confidence,cosine_confidence "$TMP/s.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: --columns names 'cosine_confidence' twice"
    run -2 --separate-stderr confplot -c cosine_confidence, "$TMP/s.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: invalid value for --columns: 'cosine_confidence,' (an empty name)"
    run -2 --separate-stderr confplot --svg x.svg --kde "$TMP/s.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: --svg and --kde exclude each other"
    run -2 --separate-stderr confplot --svg - -o x "$TMP/s.tsv"
    assert_equal "${stderr%%$'\n'*}" "confplot: --svg - writes the figure to standard output: -o has nothing to write"
    run -2 --separate-stderr confplot --frobnicate
    assert_equal "${stderr%%$'\n'*}" "confplot: unrecognized option '--frobnicate'"
    run -2 --separate-stderr confplot --svg
    assert_equal "${stderr%%$'\n'*}" "confplot: option '--svg' requires an argument"
}

@test "a full disk is an error, for the table and for the SVG" {
    small > "$TMP/s.tsv"
    run -1 --separate-stderr bash -c "confplot '$TMP/s.tsv' > /dev/full"
    assert_equal "$stderr" "confplot: write error: <stdout>: No space left on device"
    run -1 --separate-stderr confplot --svg /dev/full "$TMP/s.tsv"
    assert_equal "$stderr" "confplot: write error: /dev/full: No space left on device"
    [ -c /dev/full ]
}

@test "a closed pipe ends quietly" {
    stream > "$TMP/s.tsv"
    run -0 --separate-stderr bash -c "confplot '$TMP/s.tsv' | head -n 1"
    assert_output "cosine_confidence: density by same (peak 0.0329; ┆ 50)"
    assert_equal "$stderr" ""
}

@test "--help: usage on stdout, an example; --version" {
    run -0 confplot --help
    assert_line -n 0 --regexp '^Usage: confplot '
    assert_line --regexp '^  pairgen .*\| confplot$'
    run -0 confplot --version
    assert_output --regexp '^confplot \(distconf\) [0-9]'
}
