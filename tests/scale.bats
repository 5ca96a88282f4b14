#!/usr/bin/env bats
# Larger than one machine, for real: the recipes of examples/ run on GNU
# parallel (this machine as -S :, and two "hosts" through an ssh stand-in) and
# on a two-node Slurm cluster started on this machine (tests/slurm-cluster.sh),
# and each model is byte for byte the one-process model.  A test whose engine
# cannot run here (not installed, not root) is skipped with the reason.

load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
    local f=$BATS_FILE_TMPDIR e=$BATS_TEST_DIRNAME/../examples
    PATH="${DISTCONF_BIN:-$BATS_TEST_DIRNAME/../build/bin}:$PATH"
    # the bundled example, in one process
    pairgen "$e/identities.yaml" | pairdist -e "$e/facenet-embeddings.tsv" -m all > "$f/article.tsv"
    logfit "$f/article.tsv" > "$f/article.yaml"
    # 40 people of 6 photographs, 16-d embeddings around a centre each:
    # 28,680 pairs, thousands of distinct values, ties among them
    many_ids 40 6 > "$f/ids.yaml"
    awk 'BEGIN { srand(12); OFS = "\t"
        for (i = 0; i < 40; i++) {
            for (k = 0; k < 16; k++) c[k] = 2 * rand() - 1
            for (j = 0; j < 6; j++) {
                line = "i" i "_" j
                for (k = 0; k < 16; k++) line = line OFS sprintf("%.3f", c[k] + rand() - 0.5)
                print line } } }' > "$f/emb.tsv"
    pairgen "$f/ids.yaml" | pairdist -e "$f/emb.tsv" -m all > "$f/big.tsv"
    logfit "$f/big.tsv" > "$f/big.yaml"
}

# A cluster started by a test is stopped here, whatever happened.
teardown_file() {
    local d
    [ -f "$BATS_FILE_TMPDIR/slurm" ] || return 0
    d=$(cat "$BATS_FILE_TMPDIR/slurm")
    "$BATS_TEST_DIRNAME/slurm-cluster.sh" stop "$d"
    rm -rf "$d"
}

need_parallel() {
    command -v parallel > /dev/null || skip "GNU parallel is not installed (apt-get install parallel)"
}

# $TMP/fail/: the programs under test, but pairgen fails in the middle of
# shard 2 (after some rows), as a machine that dies would.
failing_pairgen() {
    local real
    real=$(command -v pairgen)
    mkdir -p "$TMP/fail"
    ln -s "$(command -v pairdist)" "$(command -v logfit)" "$TMP/fail/"
    printf '#!/bin/bash\ncase " $* " in *" 2/"*) %q "${@: -1}" | head -50; exit 1 ;; esac\nexec %q "$@"\n' \
        "$real" "$real" > "$TMP/fail/pairgen"
    chmod +x "$TMP/fail/pairgen"
}

# inodes DIR: the inode of each shard file (a file written again is a new one)
inodes() { stat -c '%n %i' "$1"/shard-*.counts; }

@test "the recipes: -h shows the usage line, a wrong option or -n says what is wrong" {
    local s
    for s in parallel-pipepart parallel-shards slurm-array; do
        run -0 "$ROOT/examples/$s.sh" -h
        assert_line "  examples/$s.sh $(sed -n "s|^#   examples/$s.sh ||p" "$ROOT/examples/$s.sh")"
        run -2 --separate-stderr "$ROOT/examples/$s.sh" -Z
        assert_equal "$stderr" "$ROOT/examples/$s.sh: illegal option -- Z
Try '$ROOT/examples/$s.sh -h' for more information."
        [ -z "$output" ]
    done
    run -1 --separate-stderr "$ROOT/examples/parallel-shards.sh" -n 0 -d "$TMP/s"
    assert_equal "$stderr" "parallel-shards.sh: -n: not a positive integer ('0')"
    run -1 --separate-stderr "$ROOT/examples/slurm-array.sh" -n x -d "$TMP/s"
    assert_equal "$stderr" "slurm-array.sh: -n: not a positive integer ('x')"
    [ ! -e "$TMP/s" ]
}

# --- GNU parallel on this machine -------------------------------------------

@test "parallel-pipepart.sh: the bundled example in blocks, each with its header, gives the one-process model" {
    need_parallel
    cd "$TMP"
    run -0 --separate-stderr "$ROOT/examples/parallel-pipepart.sh" -b 2k
    assert_equal "$stderr" ""
    printf '%s\n' "$output" | cmp - "$BATS_FILE_TMPDIR/article.yaml"
}

@test "parallel-pipepart.sh: -d among the fit's options is counted too (a column not named like a metric), in every spelling" {
    need_parallel
    local f=$BATS_FILE_TMPDIR o
    # a column 'arc' not named like a metric, after the others
    awk -F '\t' 'BEGIN { OFS = "\t" } /^#/ { print; next } { print $0, (++n == 1 ? "arc" : $NF * 1.5) }' \
        "$f/big.tsv" > "$TMP/arc.tsv"
    for o in "-d arc,cosine" "-darc,cosine" "--distances=arc,cosine" "--distances arc,cosine"; do
        # shellcheck disable=SC2086 # the option's words
        logfit $o -t 0.4 "$TMP/arc.tsv" > "$TMP/want.yaml"
        grep -q '^  arc:' "$TMP/want.yaml"
        # shellcheck disable=SC2086
        "$ROOT/examples/parallel-pipepart.sh" -b 200k -o "$TMP/m.yaml" "$TMP/arc.tsv" -- $o -t 0.4
        cmp "$TMP/m.yaml" "$TMP/want.yaml"
    done
    # a header and no row: logfit's words of no rows, not of an empty scratch file
    head -1 "$f/big.tsv" > "$TMP/none.tsv"
    run -1 --separate-stderr "$ROOT/examples/parallel-pipepart.sh" "$TMP/none.tsv" -- -t 0.4
    [[ $stderr != *"empty input"* ]]
}

@test "parallel-pipepart.sh: 28,680 rows in over 6 blocks give logfit's model of the file, with any fit options" {
    need_parallel
    local f=$BATS_FILE_TMPDIR
    [ "$(wc -c < "$f/big.tsv")" -gt $((6 * 200 * 1024)) ]
    run -0 --separate-stderr "$ROOT/examples/parallel-pipepart.sh" -b 200k -o "$TMP/m.yaml" "$f/big.tsv"
    assert_equal "$stderr" ""
    cmp "$TMP/m.yaml" "$f/big.yaml"
    logfit --target truth -t 0.4 -C 10 "$f/big.tsv" > "$TMP/truth.yaml"
    "$ROOT/examples/parallel-pipepart.sh" -b 200k -o "$TMP/m2.yaml" "$f/big.tsv" -- --target truth -t 0.4 -C 10
    cmp "$TMP/m2.yaml" "$TMP/truth.yaml"
    # gzip cannot be split by seeking: said, and nothing written
    gzip -c "$f/big.tsv" > "$TMP/big.tsv.gz"
    run -1 --separate-stderr "$ROOT/examples/parallel-pipepart.sh" -o "$TMP/m3.yaml" "$TMP/big.tsv.gz"
    assert_equal "$stderr" "parallel-pipepart.sh: $TMP/big.tsv.gz: gzip-compressed (--pipepart needs the plain file: zcat it first)"
    [ ! -e "$TMP/m3.yaml" ]
}

@test "parallel-shards.sh -S :: N shards on this machine give the one-process model" {
    need_parallel
    local f=$BATS_FILE_TMPDIR
    cd "$TMP"
    # the defaults: the bundled example, 8 shards in ./distconf-shards
    run -0 --separate-stderr "$ROOT/examples/parallel-shards.sh"
    assert_equal "$stderr" ""
    printf '%s\n' "$output" | cmp - "$f/article.yaml"
    [ "$(ls distconf-shards)" = "$(echo run; printf 'shard-%d.counts\n' 0 1 2 3 4 5 6 7)" ]
    run -0 --separate-stderr "$ROOT/examples/parallel-shards.sh" -n 5 -d "$TMP/big" -o "$TMP/m.yaml" "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" ""
    cmp "$TMP/m.yaml" "$f/big.yaml"
    # the shards are counts: together, the counts of the whole stream
    logfit --counts "$f/big.tsv" > "$TMP/all.counts"
    logfit --counts "$TMP"/big/shard-*.counts | cmp - "$TMP/all.counts"
    # the same line again computes nothing; -f computes every shard again
    inodes big > before
    "$ROOT/examples/parallel-shards.sh" -n 5 -d big -o m2.yaml "$f/ids.yaml" "$f/emb.tsv"
    inodes big | cmp - before
    cmp m2.yaml "$f/big.yaml"
    "$ROOT/examples/parallel-shards.sh" -f -n 5 -d big -o m3.yaml "$f/ids.yaml" "$f/emb.tsv" -- -C 0.5
    inodes big > after
    [ "$(join before after | awk '$2 == $3' | wc -l)" = 0 ]
    logfit -C 0.5 "$f/big.tsv" | cmp - m3.yaml
}

@test "parallel-shards.sh: a failed shard leaves no file and no model; the same line again redoes it alone" {
    need_parallel
    local f=$BATS_FILE_TMPDIR
    failing_pairgen
    cd "$TMP"
    run -1 --separate-stderr env DISTCONF_BIN="$TMP/fail" "$ROOT/examples/parallel-shards.sh" -n 5 -d s -o m.yaml "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "${stderr##*$'\n'}" "parallel-shards.sh: some shards failed (their files are not written): run the same command again to redo them"
    [ ! -e m.yaml ]
    [ ! -e s/shard-2.counts ]
    [ -z "$(ls -A s | grep -v -e '^run$' -e '^shard-[0134]\.counts$')" ]
    # --halt soon: the shards already running end well; the rest wait
    [ -f s/shard-0.counts ]
    inodes s > before
    run -0 --separate-stderr "$ROOT/examples/parallel-shards.sh" -n 5 -d s -o m.yaml "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" ""
    cmp m.yaml "$f/big.yaml"
    # the shards written before are the same files
    inodes s | grep -F -x -f before | cmp - before
}

@test "parallel-shards.sh: an empty shard file (written by hand, or by a run of another tool cut short) is redone, never added as nothing" {
    need_parallel
    local f=$BATS_FILE_TMPDIR
    cd "$TMP"
    "$ROOT/examples/parallel-shards.sh" -n 5 -d s -o m.yaml "$f/ids.yaml" "$f/emb.tsv"
    inodes s > before
    : > s/shard-3.counts
    # logfit itself refuses it, wherever it comes
    run -1 --separate-stderr logfit s/shard-0.counts s/shard-3.counts
    assert_equal "$stderr" "logfit: s/shard-3.counts: empty file among counts (counts begin with #distconf-counts=1 and a header: did the run that wrote it fail?)"
    run -0 --separate-stderr "$ROOT/examples/parallel-shards.sh" -n 5 -d s -o m2.yaml "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" ""
    cmp m2.yaml "$f/big.yaml"
    [ -s s/shard-3.counts ]
    # the others are the same files
    inodes s | grep -v shard-3 | cmp - <(grep -v shard-3 before)
}

@test "parallel-shards.sh: a folder that holds the shards of another run is refused" {
    need_parallel
    local f=$BATS_FILE_TMPDIR
    cd "$TMP"
    "$ROOT/examples/parallel-shards.sh" -n 3 -d s -o m.yaml
    run -1 --separate-stderr "$ROOT/examples/parallel-shards.sh" -n 4 -d s -o m2.yaml
    assert_equal "$stderr" "parallel-shards.sh: $TMP/s holds the shards of another run (see $TMP/s/run): give another -d, or remove it"
    run -1 --separate-stderr "$ROOT/examples/parallel-shards.sh" -n 3 -d s -o m2.yaml "$f/ids.yaml" "$f/emb.tsv"
    [[ $stderr == *"holds the shards of another run"* ]]
    [ ! -e m2.yaml ]
    cmp m.yaml "$f/article.yaml"
}

# --- GNU parallel on two hosts ------------------------------------------------

# $TMP/ssh/ssh: a stand-in for ssh that runs the command here, with bash, in
# a scratch folder of the host's ($TMP/hosts/HOST; a shared filesystem for
# the rest), and notes the host in $TMP/hosts/log.  Like sshd, it sets
# SHELL to the user's login shell: parallel's remote worker runs the job
# with $SHELL, and CI's environment has none (the job then does not run,
# and parallel still exits 0).
fake_ssh() {
    mkdir -p "$TMP/ssh" "$TMP/hosts"
    cat > "$TMP/ssh/ssh" <<EOF
#!/bin/bash
while [ \$# -gt 0 ]; do
    case \$1 in
    -[BbcDEeFIiJLlmOopQRSWw]) shift 2 ;;
    -*) shift ;;
    *) break ;;
    esac
done
host=\$1
shift
[ "\${1:-}" = -- ] && shift
SHELL=\$(getent passwd "\$(id -un)" | cut -d: -f7)
export SHELL=\${SHELL:-/bin/sh}
echo "\$host" >> "$TMP/hosts/log"
mkdir -p "$TMP/hosts/\$host"
cd "$TMP/hosts/\$host"
exec bash -c "\$*"
EOF
    chmod +x "$TMP/ssh/ssh"
}

@test "GNU parallel through ssh: shards and blocks on two hosts give the one-process model" {
    need_parallel
    local f=$BATS_FILE_TMPDIR
    fake_ssh
    cd "$TMP"
    run -0 --separate-stderr env PATH="$TMP/ssh:$PATH" "$ROOT/examples/parallel-shards.sh" \
        -S 1/h1,1/h2 -n 4 -d s -o m.yaml "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" ""
    cmp m.yaml "$f/big.yaml"
    # both hosts ran jobs, in their own folders (nothing left there): the
    # jobs found every file at the same path
    [ "$(sort -u hosts/log)" = "$(printf 'h1\nh2')" ]
    [ "$(wc -l < hosts/log)" -ge 4 ]
    [ -z "$(ls -A hosts/h1 hosts/h2 | grep -v -e '^hosts' -e '^$')" ]
    # the blocks of a file, the hosts from DISTCONF_SSHLOGINS
    rm hosts/log
    run -0 --separate-stderr env PATH="$TMP/ssh:$PATH" DISTCONF_SSHLOGINS=1/h1,1/h2 \
        "$ROOT/examples/parallel-pipepart.sh" -b 300k -o pp.yaml "$f/big.tsv"
    assert_equal "$stderr" ""
    cmp pp.yaml "$f/big.yaml"
    [ "$(sort -u hosts/log)" = "$(printf 'h1\nh2')" ]
}

# --- Slurm ---------------------------------------------------------------------

# A two-node cluster on this machine, started by the first test that needs
# it, for the whole file (teardown_file stops it); skips if it cannot start.
# Its folder is in /tmp, where the user munge can reach its socket (not in
# bats' folders, which only root may enter); $BATS_FILE_TMPDIR/slurm names it.
cluster_up() {
    local d why
    why=$("$ROOT/tests/slurm-cluster.sh" check) || skip "Slurm: $why"
    if [ ! -f "$BATS_FILE_TMPDIR/slurm" ]; then
        d=$(mktemp -d /tmp/distconf-slurm.XXXXXX)
        echo "$d" > "$BATS_FILE_TMPDIR/slurm"
        "$ROOT/tests/slurm-cluster.sh" start "$d"
        touch "$d/up"
    fi
    d=$(cat "$BATS_FILE_TMPDIR/slurm")
    [ -f "$d/up" ] || skip "the cluster did not start in an earlier test"
    export SLURM_CONF=$d/slurm.conf
}

@test "slurm-array.sh on a two-node Slurm cluster: the array and the reducer give the one-process model" {
    local f=$BATS_FILE_TMPDIR
    cluster_up
    cd "$TMP"
    run -0 --separate-stderr "$ROOT/examples/slurm-array.sh" -w -n 4 -d s "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" ""
    assert_equal "${#lines[@]}" 2
    [[ ${lines[0]} =~ ^array\ [0-9]+$ ]]
    [[ ${lines[1]} =~ ^reducer\ [0-9]+$ ]]
    cmp s/model.yaml "$f/big.yaml"
    # four tasks and the reducer completed; the tasks ran on both nodes
    local a=${lines[0]#array } r=${lines[1]#reducer }
    [ "$(squeue -h -t all -j "$a" -o '%K %T' | sort -n | tr '\n' ' ')" = "0 COMPLETED 1 COMPLETED 2 COMPLETED 3 COMPLETED " ]
    [ "$(squeue -h -t all -j "$a" -o %N | sort -u | tr '\n' ' ')" = "n1 n2 " ]
    scontrol show job "$r" | grep -q "JobState=COMPLETED"
    # without -w: the ids, and the model once the reducer is done
    run -0 --separate-stderr "$ROOT/examples/slurm-array.sh" -f -n 3 -d s3 -o "$TMP/m3.yaml" -- --model Facenet
    r=${lines[1]#reducer }
    while squeue -h -j "$r" | grep -q .; do sleep 0.2; done
    logfit --model Facenet "$f/article.tsv" | cmp - "$TMP/m3.yaml"
}

@test "slurm-array.sh: a failed task cancels the fit and leaves no file; the same line again runs that task alone" {
    local f=$BATS_FILE_TMPDIR
    cluster_up
    failing_pairgen
    cd "$TMP"
    run -1 --separate-stderr env DISTCONF_BIN="$TMP/fail" "$ROOT/examples/slurm-array.sh" -w -n 4 -d s "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" "slurm-array.sh: a shard failed (see $TMP/s/shard-*.log); the fit was cancelled: run the same command again to redo the failed shards"
    local r=${lines[1]#reducer }
    scontrol show job "$r" | grep -q "JobState=CANCELLED"
    [ ! -e s/model.yaml ]
    [ "$(ls s | grep counts)" = "$(printf 'shard-%d.counts\n' 0 1 3)" ]
    [ -z "$(ls -A s | grep '^\.')" ]
    inodes s > before
    run -0 --separate-stderr "$ROOT/examples/slurm-array.sh" -w -n 4 -d s "$f/ids.yaml" "$f/emb.tsv"
    assert_equal "$stderr" ""
    local a=${lines[0]#array }
    [ "$(squeue -h -t all -j "$a" -o %K)" = 2 ]
    cmp s/model.yaml "$f/big.yaml"
    inodes s | grep -F -x -f before | cmp - before
}

@test "README: the recipes of \"Larger than one machine\", run as written (two hosts, the Slurm cluster)" {
    local f=$BATS_FILE_TMPDIR
    need_parallel
    cluster_up
    fake_ssh
    awk '/^## Larger than one machine/ { s = 1 } s && /^```sh$/ { c = 1; next } c && /^```$/ { exit } c' "$ROOT/README.md" > "$TMP/recipes.sh"
    [ "$(grep -c '^examples/' "$TMP/recipes.sh")" = 3 ]
    mkdir "$TMP/run"
    cd "$TMP/run"
    ln -s "$ROOT/examples" examples
    cp "$f/ids.yaml" ids.yaml
    cp "$f/emb.tsv" emb.tsv
    cp "$f/big.tsv" dist.tsv
    run -0 --separate-stderr env PATH="$TMP/ssh:$PATH" bash -euo pipefail "$TMP/recipes.sh"
    assert_equal "$stderr" ""
    cmp model1.yaml "$f/big.yaml"
    cmp model2.yaml "$f/big.yaml"
    cmp model3.yaml "$f/big.yaml"
    [ "$(sort -u ../hosts/log)" = "$(printf 'host1\nhost2')" ]
}

@test "tests/slurm-cluster.sh stop: every daemon the cluster started is gone" {
    local d pid f pids=()
    [ -f "$BATS_FILE_TMPDIR/slurm" ] && d=$(cat "$BATS_FILE_TMPDIR/slurm") && [ -f "$d/up" ] ||
        skip "no cluster was started"
    for f in "$d"/slurmd-n1.pid "$d"/slurmd-n2.pid "$d"/slurmctld.pid "$d"/munge/munged.pid; do
        pid=$(cat "$f")
        kill -0 "$pid"
        pids+=("$pid")
    done
    "$ROOT/tests/slurm-cluster.sh" stop "$d"
    for pid in "${pids[@]}"; do
        ! kill -0 "$pid" 2> /dev/null || grep -q '^[0-9]* (.*) Z' "/proc/$pid/stat"
    done
    rm "$d/up"
}
