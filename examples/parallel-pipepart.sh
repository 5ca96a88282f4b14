#!/usr/bin/env bash
# One model from a distance file too large for one process, fitted a block at
# a time on every core (or on several hosts) with GNU parallel: each block's
# counts (logfit --counts), then one logfit that adds them.  The model is bit
# for bit the model of `logfit DISTFILE`, whatever the block size, the number
# of jobs, the hosts or the order in which the blocks finish.
#
#   examples/parallel-pipepart.sh [-b BLOCK] [-S SSHLOGINS] [-o MODEL] [DISTFILE] [-- LOGFIT_OPTION...]
#
# DISTFILE  a distance stream as pairdist writes it, plain (--pipepart seeks
#           in it, so not gzip); default: the pairs of the bundled
#           examples/identities.yaml with their four distances, made in a
#           scratch folder
# -b BLOCK  the size of a block, in parallel's units (default 100M)
# -S SSHLOGINS  parallel's -S (default ":", this machine, no ssh; also
#           $DISTCONF_SSHLOGINS); e.g. ":,host1,host2": each block goes to
#           its host through ssh, where the programs must be at the same
#           path as here
# -o MODEL  the model file, written atomically (default: standard output)
# LOGFIT_OPTION  options of the fit, e.g. --model Facenet, -t 0.4, --target truth
#
# What it runs (H = the preamble lines and the header, repeated atop each block):
#   parallel --pipepart -a DISTFILE --block BLOCK --header H -S SSHLOGINS logfit --counts [-d LIST] > all.counts
#   logfit [LOGFIT_OPTION...] all.counts
# The programs: $DISTCONF_BIN if set, else those on PATH, else the tree's build/bin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
me=parallel-pipepart.sh
# shellcheck source=examples/common.bash
. "$here/common.bash"

block=100M hosts=${DISTCONF_SSHLOGINS:-:} model=''
while getopts b:S:o:h opt; do
    case $opt in
    b) block=$OPTARG ;;
    S) hosts=$OPTARG ;;
    o) model=$OPTARG ;;
    h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "Try '$0 -h' for more information." >&2; exit 2 ;;
    esac
done
after_options 1 "$OPTIND" "$@"
dist=${files[0]:-}

find_bin logfit
command -v parallel >/dev/null || die "GNU parallel is not installed (apt-get install parallel)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -z "$dist" ]; then
    dist=$scratch/dist.tsv
    "$bin/pairgen" "$here/identities.yaml" |
        "$bin/pairdist" -e "$here/facenet-embeddings.tsv" -m all > "$dist"
fi
[ -f "$dist" ] || die "$dist: not a regular file (--pipepart needs one it can seek in)"
case $(head -c 2 "$dist" | od -An -tx1 | tr -d ' ') in
1f8b) die "$dist: gzip-compressed (--pipepart needs the plain file: zcat it first)" ;;
esac

# The lines every block needs atop its rows: the preamble ('#' lines) and
# the header, i.e. up to the first line that does not start with '#'.
head_lines=$(awk '!/^#/ { print NR; found = 1; exit } END { if (!found) print 0 }' "$dist")
[ "$head_lines" -gt 0 ] || die "$dist: no header line"

# A block's counts are whole or the run fails (--halt now,fail=1): they are
# added only once every block is done, so no model comes from part of the file.
# The columns to count: those the fit's -d names (a column not named like a
# metric is counted only when named), else logfit's default.
dopts=()
for ((i = 0; i < ${#fitopts[@]}; i++)); do
    case ${fitopts[i]} in
    -d | --distances) dopts+=("${fitopts[i]}" "${fitopts[i + 1]:-}"); i=$((i + 1)) ;;
    -d* | --distances=*) dopts+=("${fitopts[i]}") ;;
    esac
done
# The counts of the header alone come first: the blocks' columns in the
# stream's order, and counts (of no rows) even when no block has a row.
head -n "$head_lines" "$dist" | "$bin/logfit" --counts "${dopts[@]}" > "$scratch/all.counts"
parallel --pipepart -a "$dist" --block "$block" --header "$head_lines" \
    -S "$hosts" --halt now,fail=1 -q "$bin/logfit" --counts "${dopts[@]}" >> "$scratch/all.counts"
if [ -n "$model" ]; then
    "$bin/logfit" "${fitopts[@]}" -o "$model" "$scratch/all.counts"
else
    "$bin/logfit" "${fitopts[@]}" "$scratch/all.counts"
fi
