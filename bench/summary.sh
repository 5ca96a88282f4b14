#!/usr/bin/env bash
# bench/summary.sh RESULTS.tsv: the summary of one `make bench` run in
# markdown, ready to paste into README.md's Speed section: the machine, every
# measurement (medians), and the ratios issue 15 asks for, each with its aim.
# RESULTS.tsv: bench label rows wall_median cpu_median rss_max_KiB runs note
# (bench/common.sh's bench_record).  bench/run.sh calls it at the end, with
# BENCH_START, BENCH_LOAD_BEFORE and BENCH_SECONDS set; alone it says less.
set -uo pipefail
res=${1:?usage: bash bench/summary.sh RESULTS.tsv}
here=$(cd "$(dirname "$0")" && pwd)
rev=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo "?")
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### make bench, ${BENCH_START:-$(date -u '+%Y-%m-%d %H:%M UTC')}"
echo
echo "Machine: $(nproc) cores ($cpu), $mem, $(uname -sm); load average" \
    "${BENCH_LOAD_BEFORE:+before $BENCH_LOAD_BEFORE, }after $load1; commit $rev${BENCH_SECONDS:+; the run took $((BENCH_SECONDS / 60)) min $((BENCH_SECONDS % 60)) s}."
echo "Medians of each program's runs (the runs column: BENCH_RUNS=${BENCH_RUNS:-5} for distconf and" \
    "the limits, BENCH_PEER_RUNS=${BENCH_PEER_RUNS:-3} for a peer, BENCH_SLOW_RUNS=${BENCH_SLOW_RUNS:-1}" \
    "for the slowest peers); CPU = user + system; peak = the largest RSS of the runs; same files for all in a bench."
echo
awk -F'\t' '
function num(x) { return x != "" && x != "-" && x != "failed" }
function rows(n) {
    if (!num(n)) return n
    e = int(log(n) / log(10) + 0.5)
    return n == 10 ^ e && e >= 3 ? "10^" e : n
}
function mib(k) { return num(k) ? sprintf("%.1f", k / 1024) : "-" }
function rate(n, w) {
    if (!num(n) || n <= 1 || !num(w) || w <= 0) return "-"
    r = n / w
    return r >= 1e6 ? sprintf("%.1f M", r / 1e6) : r >= 1e3 ? sprintf("%.0f k", r / 1e3) : sprintf("%.0f", r)
}
{
    k = $1 SUBSEP $2; wall[k] = $4; cpu[k] = $5; note[k] = $8; nrows[k] = $3
    if ($2 ~ /^skipped/) { skip[++ns] = $1 ": " substr($2, 10); next }
    # each size a program ran at (the counts bench runs several)
    if (!((k SUBSEP $3) in wallr)) sizes[k] = sizes[k] " " $3
    wallr[k SUBSEP $3] = $4
    line[++n] = k; b[n] = $1
    printf "%s", (n == 1 ? "| bench | program | rows | median s | CPU s | peak MiB | rows/s | runs | note |\n|---|---|--:|--:|--:|--:|--:|--:|---|\n" : "")
    l = $2; o = $8; gsub(/\|/, "\\|", l); gsub(/\|/, "\\|", o)
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, l, rows($3), $4, $5, mib($6), rate($3, $4), $7, o
}
# ratio NAME BENCH A B AIM OP: wall(A) / wall(B), when both were measured;
# OP "le" or "ge" tells whether the aim is met.
function ratio(name, bench, a, bb, aim, op,    x, y, r, met) {
    x = bench SUBSEP a; y = bench SUBSEP bb
    if (!(x in wall) || !(y in wall) || !num(wall[x]) || !num(wall[y])) return
    if (wall[y] <= 0) { r = "-"; met = "-" }
    else {
        r = wall[x] / wall[y]
        met = aim == "" ? "" : (op == "le" ? r <= aim : r >= aim) ? "yes" : "**no**"
        r = sprintf(r >= 10 ? "%.0f×" : "%.1f×", r)
    }
    rr[++nr] = sprintf("| %s | %s | %s | %s |", name, r, aim == "" ? "" : (op == "le" ? "≤ " : "≥ ") aim "×", met)
}
# ratio_sizes NAME BENCH A B AIM OP: ratio at each size both A and B ran
# at (never one size against another).
function ratio_sizes(name, bench, a, bb, aim, op,    x, y, n, sz, i, r, met) {
    x = bench SUBSEP a; y = bench SUBSEP bb
    if (!(x in sizes)) return
    n = split(sizes[x], sz, " ")
    for (i = 1; i <= n; i++) {
        if (!((y SUBSEP sz[i]) in wallr) || !num(wallr[x SUBSEP sz[i]]) || !num(wallr[y SUBSEP sz[i]]) || wallr[y SUBSEP sz[i]] <= 0) continue
        r = wallr[x SUBSEP sz[i]] / wallr[y SUBSEP sz[i]]
        met = aim == "" ? "" : (op == "le" ? r <= aim : r >= aim) ? "yes" : "**no**"
        rr[++nr] = sprintf("| %s, %s rows | %s | %s | %s |", name, rows(sz[i]), sprintf(r >= 10 ? "%.0f×" : "%.1f×", r), aim == "" ? "" : (op == "le" ? "≤ " : "≥ ") aim "×", met)
    }
}
# perpair NAME P L: (P - L) / (rows of P - 1), wall and CPU, in ns.
function perpair(name, p, l,    c) {
    if (!(p in wall) || !num(wall[p]) || !num(nrows[p]) || nrows[p] <= 1) return
    c = num(cpu[p]) && num(cpu[l]) ? sprintf("; %.0f ns", (cpu[p] - cpu[l]) / (nrows[p] - 1) * 1e9) : ""
    rr[++nr] = sprintf("| %s | %.0f ns%s | | |", name, (wall[p] - wall[l]) / (nrows[p] - 1) * 1e9, c)
}
function jobs(bench, p,    d) {
    if (!((bench SUBSEP p) in note)) return
    d = note[bench SUBSEP p]
    if (d !~ /^default -j /) {
        rr[++nr] = sprintf("| %s -j N vs -j 1, speed-up | - (%s takes no --jobs yet) | ≥ 1.7× | |", p, p)
        return
    }
    ratio(p " -j " substr(d, 12) " vs -j 1, speed-up", bench, p " -j 1", p, 1.7, "ge")
}
END {
    ratio("confmap vs `wc -l` on the same file, times slower", "confmap", "confmap", "wc -l", 10, "le")
    ratio("confmap vs `cat > /dev/null`, times slower", "confmap", "confmap", "cat", "", "")
    ratio("confmap vs mawk, times faster", "confmap", "mawk", "confmap", 20, "ge")
    # the issue asks both single-threaded too
    ratio("confmap -j 1 vs `wc -l`, times slower", "confmap", "confmap -j 1", "wc -l", 10, "le")
    ratio("confmap -j 1 vs mawk, times faster", "confmap", "mawk", "confmap -j 1", 20, "ge")
    ratio("confmap vs pandas + numpy, times faster", "confmap", "pandas + numpy", "confmap", "", "")
    jobs("confmap", "confmap")
    ratio("pairdist vs pandas + numpy, times faster", "pairdist", "pandas + numpy", "pairdist", 30, "ge")
    ratio("pairdist vs the article'\''s row loop, times faster", "pairdist", "article'\''s row loop (scaled)", "pairdist", "", "")
    ratio("pairdist vs `wc -l` on the same files, times slower", "pairdist", "pairdist", "wc -l", "", "")
    jobs("pairdist", "pairdist")
    l = "pairdist" SUBSEP "pairdist store load (1 pair)"; p = "pairdist" SUBSEP "pairdist"
    if ((l in wall) && num(wall[l])) {
        rr[++nr] = sprintf("| pairdist store load alone (a 1-pair stream) | %.2f s | | |", wall[l])
        # against the figures of 0.1.0 in issue 15 (0.63 s, 880 ns a pair: not
        # run here, the same machine kind and files)
        if (wall[l] > 0) rr[++nr] = sprintf("| pairdist store load vs 0.1.0 (0.63 s, issue 15), times faster | %.1f× | ≥ 2× | %s |", 0.63 / wall[l], 0.63 / wall[l] >= 2 ? "yes" : "**no**")
        if (num(nrows[p]) && nrows[p] > 1 && wall[p] > wall[l]) {
            c = (wall[p] - wall[l]) / (nrows[p] - 1) * 1e9
            rr[++nr] = sprintf("| pairdist per pair vs 0.1.0 (880 ns, issue 15), times faster | %.1f× | ≥ 2× | %s |", 880 / c, 880 / c >= 2 ? "yes" : "**no**")
        }
        perpair("pairdist per pair beyond the load (wall; CPU)", "pairdist" SUBSEP "pairdist", l)
        perpair("pairdist -j 1 per pair beyond the load (wall; CPU)", "pairdist" SUBSEP "pairdist -j 1", l)
    }
    ratio("logfit vs pandas + scikit-learn, times faster", "logfit", "pandas + scikit-learn", "logfit", 30, "ge")
    ratio("logfit vs `wc -l` on the same file, times slower", "logfit", "logfit", "wc -l", "", "")
    jobs("logfit", "logfit")
    ratio_sizes("logfit piped vs pandas + scikit-learn piped (counts), times faster", "counts", "pandas + scikit-learn (piped)", "logfit (piped)", "", "")
    ratio_sizes("logfit piped vs logfit 0.1.0 piped (counts), times faster", "counts", "logfit 0.1.0 (piped)", "logfit (piped)", 3, "ge")
    ratio("sharded run vs one pipeline (shards), speed-up", "shards", "pairgen | pairdist | logfit", "sharded, merged by logfit", "", "")
    ratio("pairgen vs Python itertools, times faster", "pairgen", "python itertools", "pairgen", "", "")
    ratio("confplot vs pandas plot.kde, times faster", "confplot", "pandas plot.kde", "confplot", "", "")
    ratio("confeval vs pandas + scikit-learn, times faster", "confeval", "pandas + scikit-learn", "confeval", "", "")
    if (nr) {
        print ""
        print "| ratio (median wall times) | measured | aim | met |"
        print "|---|--:|--:|---|"
        for (i = 1; i <= nr; i++) print rr[i]
    }
    if (ns) {
        print ""
        for (i = 1; i <= ns; i++) print "Skipped: " skip[i] "."
    }
}' "$res"
echo
echo "Reproduce: \`make bench\` (one bench: \`BENCH=confmap make bench\`; small files: \`ROWS=100000 make bench\`)."
