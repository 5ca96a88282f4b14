#!/usr/bin/env bash
# A run too large for one machine, as N shards on GNU parallel: shard K is
#   pairgen --shard K/N IDS | pairdist -e EMB -m all --counts
# written to DIR/shard-K.counts, on this machine's cores or on several hosts
# that share DIR's filesystem; then one logfit adds the N files into the
# model.  The model is bit for bit the model of the one-process pipeline
# `pairgen IDS | pairdist -e EMB -m all | logfit`, whatever N and the hosts.
#
#   examples/parallel-shards.sh [-n N] [-S SSHLOGINS] [-d DIR] [-o MODEL] [-f] [IDS [EMB]] [-- LOGFIT_OPTION...]
#
# IDS, EMB  the identities file and the embedding store (default: the bundled
#           examples/identities.yaml and examples/facenet-embeddings.tsv)
# -n N      the number of shards (default 8); more shards than cores only
#           queue, and a failed shard costs less to run again
# -S SSHLOGINS  parallel's -S (default ":", this machine, no ssh; also
#           $DISTCONF_SSHLOGINS); e.g. ":,8/host1,host2": the same command
#           then runs on each host through ssh, where DIR, IDS, EMB and the
#           programs must be at the same paths as here (a shared filesystem)
# -d DIR    where the shards go (default ./distconf-shards), made if missing
# -o MODEL  the model file, written atomically (default: standard output)
# -f        compute every shard again (default: only those whose file is
#           missing or empty, so that running the same line again after a failure
#           redoes the failed shards only)
# LOGFIT_OPTION  options of the fit, e.g. --model Facenet, -t 0.4, --target truth
#
# Restartable and exact: a shard's counts go to a temporary file in DIR that
# is renamed to shard-K.counts only once the whole pipeline of the shard has
# succeeded, so DIR never holds a partial shard; DIR/run records N and the
# inputs, and a DIR holding the shards of another run is refused; the model
# is fitted only when all N files are there.
# The programs: $DISTCONF_BIN if set, else those on PATH, else the tree's build/bin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
me=parallel-shards.sh
# shellcheck source=examples/common.bash
. "$here/common.bash"

n=8 hosts=${DISTCONF_SSHLOGINS:-:} dir=distconf-shards model='' force=0
while getopts n:S:d:o:fh opt; do
    case $opt in
    n) n=$OPTARG ;;
    S) hosts=$OPTARG ;;
    d) dir=$OPTARG ;;
    o) model=$OPTARG ;;
    f) force=1 ;;
    h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "Try '$0 -h' for more information." >&2; exit 2 ;;
    esac
done
after_options 2 "$OPTIND" "$@"
ids=${files[0]:-$here/identities.yaml} emb=${files[1]:-$here/facenet-embeddings.tsv}
[[ $n =~ ^[1-9][0-9]*$ ]] || die "-n: not a positive integer ('$n')"

find_bin pairgen
command -v parallel >/dev/null || die "GNU parallel is not installed (apt-get install parallel)"
# Absolute paths: the jobs may run on other hosts, in other folders.
ids=$(abs "$ids")
emb=$(abs "$emb")
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

shards_todo

# One shard, run by parallel on some host: the counts go to a temporary file
# (pairdist -o writes it atomically and removes it on a signal), renamed into
# place only if pairgen succeeded too.
# shellcheck disable=SC2016 # expanded by the job's shell
shard='set -o pipefail
k=$1 n=$2 ids=$3 emb=$4 dir=$5 bin=$6
tmp=$dir/.shard-$k.counts.${HOSTNAME:-host}.$$
if "$bin/pairgen" --shard "$k/$n" "$ids" | "$bin/pairdist" -e "$emb" -m all --counts -o "$tmp"; then
    mv -f "$tmp" "$dir/shard-$k.counts"
else
    rm -f "$tmp"
    exit 1
fi'
if [ "${#todo[@]}" -gt 0 ]; then
    # -q: the words as they are, on every host; --halt soon,fail=1: after a
    # failure start no new shard, let the running ones finish (their files
    # are good), then fail.
    parallel -S "$hosts" --halt soon,fail=1 -q bash -c "$shard" shard {} "$n" "$ids" "$emb" "$dir" "$bin" \
        ::: "${todo[@]}" ||
        die "some shards failed (their files are not written): run the same command again to redo them"
fi

files=()
for ((k = 0; k < n; k++)); do
    [ -f "$dir/shard-$k.counts" ] || die "$dir/shard-$k.counts: missing"
    files+=("$dir/shard-$k.counts")
done
if [ -n "$model" ]; then
    "$bin/logfit" "${fitopts[@]}" -o "$model" "${files[@]}"
else
    "$bin/logfit" "${fitopts[@]}" "${files[@]}"
fi
