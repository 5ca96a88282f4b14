#!/usr/bin/env bash
# A run too large for one machine, on Slurm: a job array of N tasks, task K
#   pairgen --shard K/N IDS | pairdist -e EMB -m all --counts
# written to DIR/shard-K.counts, and a reducer job that waits for the whole
# array (--dependency=afterok) and fits the model from the N files.  The
# model is bit for bit the model of the one-process pipeline
# `pairgen IDS | pairdist -e EMB -m all | logfit`, whatever N.
#
#   examples/slurm-array.sh [-n N] [-d DIR] [-o MODEL] [-f] [-w] [IDS [EMB]] [-- LOGFIT_OPTION...]
#
# IDS, EMB  the identities file and the embedding store (default: the bundled
#           examples/identities.yaml and examples/facenet-embeddings.tsv)
# -n N      the number of shards, one array task each (default 8; at most
#           Slurm's MaxArraySize, 1001 unless configured)
# -d DIR    where the shards, the model and the jobs' logs go (default
#           ./distconf-shards), on a filesystem every node shares
# -o MODEL  the model file (default DIR/model.yaml), written atomically
# -f        compute every shard again (default: submit only the tasks whose
#           file is missing or empty, so that the same line after a failure redoes the
#           failed shards only)
# -w        wait for the reducer; fail if a task or the fit failed
#
# Prints "array JOBID" (when there is a shard to compute) and "reducer JOBID".
# The jobs run with this shell's environment (sbatch's default --export=ALL);
# sbatch reads its other options from the environment: SBATCH_PARTITION,
# SBATCH_TIMELIMIT, SBATCH_ACCOUNT, ...
#
# Restartable and exact: a task writes its counts to a temporary file in DIR,
# renamed to shard-K.counts only once the whole pipeline of the shard has
# succeeded, so DIR never holds a partial shard; DIR/run records N and the
# inputs, and a DIR holding the shards of another run is refused; the reducer
# runs only if every task succeeded, and fits only when all N files are there.
# The programs: $DISTCONF_BIN if set, else those on PATH, else the tree's build/bin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
me=slurm-array.sh
# shellcheck source=examples/common.bash
. "$here/common.bash"

n=8 dir=distconf-shards model='' force=0 wait=0
while getopts n:d:o:fwh opt; do
    case $opt in
    n) n=$OPTARG ;;
    d) dir=$OPTARG ;;
    o) model=$OPTARG ;;
    f) force=1 ;;
    w) wait=1 ;;
    h) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "Try '$0 -h' for more information." >&2; exit 2 ;;
    esac
done
after_options 2 "$OPTIND" "$@"
ids=${files[0]:-$here/identities.yaml} emb=${files[1]:-$here/facenet-embeddings.tsv}
[[ $n =~ ^[1-9][0-9]*$ ]] || die "-n: not a positive integer ('$n')"

find_bin pairgen
command -v sbatch >/dev/null || die "no sbatch: Slurm's client is not installed (apt-get install slurm-client)"
# Absolute paths: the jobs run on other nodes, in other folders.
ids=$(abs "$ids")
emb=$(abs "$emb")
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
model=${model:-$dir/model.yaml}
case $model in /*) ;; *) model=$PWD/$model ;; esac

shards_todo
q() { printf '%q' "$1"; }

deps=()
if [ "${#todo[@]}" -gt 0 ]; then
    list=$(IFS=,; echo "${todo[*]}")
    # One task: the counts go to a temporary file (pairdist -o writes it
    # atomically and removes it on a signal, scancel's SIGTERM included),
    # renamed into place only if pairgen succeeded too.
    array=$(sbatch --parsable --array="$list" --job-name=distconf-shard \
        --output="$dir/shard-%a.log" <<EOF
#!/bin/bash
set -euo pipefail
k=\$SLURM_ARRAY_TASK_ID
tmp=$(q "$dir")/.shard-\$k.counts.\$SLURM_JOB_ID
trap 'rm -f "\$tmp"' EXIT
$(q "$bin/pairgen") --shard "\$k/$n" $(q "$ids") |
    $(q "$bin/pairdist") -e $(q "$emb") -m all --counts -o "\$tmp"
mv -f "\$tmp" $(q "$dir")/shard-\$k.counts
EOF
)
    array=${array%%;*}
    echo "array $array"
    deps=(--dependency="afterok:$array")
fi

shardlist=""
for ((k = 0; k < n; k++)); do
    shardlist+=" $(q "$dir/shard-$k.counts")"
done
fitline=""
for o in "${fitopts[@]}"; do
    fitline+=" $(q "$o")"
done
reducer=$(sbatch --parsable "${deps[@]}" --job-name=distconf-fit --output="$dir/fit.log" <<EOF
#!/bin/bash
set -euo pipefail
$(q "$bin/logfit")$fitline -o $(q "$model")$shardlist
EOF
)
reducer=${reducer%%;*}
echo "reducer $reducer"
[ "$wait" = 1 ] || exit 0

# Wait until neither job is pending or running; a failed task leaves the
# reducer pending for ever (DependencyNeverSatisfied): cancel it and fail.
jobs=$reducer${array:+,$array}
while squeue -h -j "$jobs" -t PD,R,CG,CF -o '%i %T %r' > "$dir/.squeue" 2>/dev/null && [ -s "$dir/.squeue" ]; do
    if grep -q DependencyNeverSatisfied "$dir/.squeue"; then
        scancel "$reducer"
        rm -f "$dir/.squeue"
        die "a shard failed (see $dir/shard-*.log); the fit was cancelled: run the same command again to redo the failed shards"
    fi
    sleep 0.5
done
rm -f "$dir/.squeue"
state=$(scontrol show job "$reducer" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
[ "$state" = COMPLETED ] || die "the fit ended $state (see $dir/fit.log)"
