#!/usr/bin/env bats
# Outputs never destroy what the user did not ask to replace: -o and --svg
# through symbolic links, in place to devices, FIFOs and our own descriptors,
# the old file's permissions kept, an output that is an input refused,
# temporary files only when there is something to write and never left
# behind, long names, and .gz outputs (lib/out).

load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
    local d="$BATS_FILE_TMPDIR"
    make_streams "$d"
    # the rows 150 times: 2.6 MB, more than the reader's first read (1 MiB)
    # and out's buffer (256 KiB)
    repeat_rows "$d/dist.tsv" 150 > "$d/big.tsv"
    repeat_rows "$d/conf.tsv" 150 > "$d/bigconf.tsv"
}

# The preamble and header of a stream, then its rows n times.
repeat_rows() {
    grep '^#' "$1"
    grep -v '^#' "$1" | head -1
    for i in $(seq $2); do grep -v '^#' "$1" | tail -n +2; done
}

# The expected output of each program on input_of, as a file.
expected() {
    local f="$BATS_FILE_TMPDIR/expected.$1"
    [ -f "$f" ] || $1 $(input_of $1) > "$f"
    echo "$f"
}

# No temporary file in the folders given.
no_tmp() {
    local d left
    for d in "$@"; do
        left=$(ls -A "$d" | grep -e '^\.distconf-' -e '\.tmp' || true)
        [ -z "$left" ] || { echo "left in $d: $left"; return 1; }
    done
}

# ---- symbolic links ----

@test "-o through a symbolic link writes the link's target, and the link stays" {
    for t in $TOOLS; do
        echo old > "$TMP/target"
        ln -sfn target "$TMP/link"
        run -0 $t $(input_of $t) -o "$TMP/link"
        [ -L "$TMP/link" ] || { echo "$t replaced the link"; return 1; }
        assert_equal "$(readlink "$TMP/link")" target
        cmp "$TMP/target" "$(expected $t)"
        no_tmp "$TMP"
    done
}

@test "confplot --svg through a symbolic link, and -o through another, both kept" {
    mkdir "$TMP/figs"
    echo '<svg/>' > "$TMP/figs/real.svg"
    ln -s figs/real.svg "$TMP/p.svg"
    ln -s figs/table.txt "$TMP/t.txt" # dangling
    run -0 confplot --svg "$TMP/p.svg" -o "$TMP/t.txt" "$BATS_FILE_TMPDIR/conf.tsv"
    [ -L "$TMP/p.svg" ] && [ -L "$TMP/t.txt" ]
    xmllint --noout "$TMP/figs/real.svg"
    confplot --svg /dev/null "$BATS_FILE_TMPDIR/conf.tsv" | cmp - "$TMP/figs/table.txt"
    no_tmp "$TMP" "$TMP/figs"
}

@test "a chain of links, relative ones resolved against their own folder" {
    mkdir -p "$TMP/a/b" "$TMP/c"
    echo old > "$TMP/c/model.yaml"
    ln -s ../c/model.yaml "$TMP/a/l3"        # a/l3 -> c/model.yaml
    ln -s ../l3 "$TMP/a/b/l2"                # a/b/l2 -> a/l3
    ln -s "$TMP/a/b/l2" "$TMP/l1"            # absolute
    ln -s l1 "$TMP/l0"
    run -0 logfit $(input_of logfit) -o "$TMP/l0"
    cmp "$TMP/c/model.yaml" "$(expected logfit)"
    for l in l0 l1 a/b/l2 a/l3; do [ -L "$TMP/$l" ] || { echo "$l is gone"; return 1; }; done
    # from another folder, through a folder that is a link
    ln -s a/b "$TMP/ab"
    echo old > "$TMP/c/model.yaml"
    cd /
    run -0 logfit $(input_of logfit) -o "$TMP/ab/l2"
    cmp "$TMP/c/model.yaml" "$(expected logfit)"
    no_tmp "$TMP" "$TMP/a" "$TMP/a/b" "$TMP/c"
}

@test "a dangling link creates its target, the link kept" {
    mkdir "$TMP/d"
    ln -s d/new.tsv "$TMP/l"
    run -0 pairgen -o "$TMP/l" "$FIX/identities.yaml"
    [ -L "$TMP/l" ]
    cmp "$TMP/d/new.tsv" "$(expected pairgen)"
    # a dangling link into a folder that does not exist: an error before reading
    ln -s nowhere/x.tsv "$TMP/l2"
    run -1 --separate-stderr confmap --model Facenet -o "$TMP/l2" /dev/null
    assert_equal "$stderr" "confmap: $TMP/l2: cannot create: No such file or directory"
    [ -L "$TMP/l2" ] && [ ! -e "$TMP/nowhere" ]
}

@test "a link to a 0600 file: the file stays 0600, the link stays" {
    echo secret > "$TMP/m.yaml"
    chmod 600 "$TMP/m.yaml"
    ln -s m.yaml "$TMP/model"
    run -0 logfit $(input_of logfit) -o "$TMP/model"
    assert_equal "$(stat -c %a "$TMP/m.yaml")" 600
    [ -L "$TMP/model" ]
    cmp "$TMP/m.yaml" "$(expected logfit)"
}

@test "a loop of links is an error, before anything is read" {
    ln -s loop2 "$TMP/loop1"
    ln -s loop1 "$TMP/loop2"
    for t in $TOOLS; do
        run -1 --separate-stderr $t $(input_of $t) -o "$TMP/loop1"
        assert_equal "$stderr" "$t: $TMP/loop1: cannot create: Too many levels of symbolic links"
    done
    [ -L "$TMP/loop1" ] && [ -L "$TMP/loop2" ]
}

@test "a folder as -o, or a folder of the path that is a file: an error before reading" {
    for t in $TOOLS; do
        run -1 --separate-stderr $t $(input_of $t) -o "$TMP"
        assert_equal "$stderr" "$t: $TMP: cannot create: Is a directory"
    done
    echo x > "$TMP/file"
    run -1 --separate-stderr pairgen -o "$TMP/file/out" "$FIX/identities.yaml"
    assert_equal "$stderr" "pairgen: $TMP/file/out: cannot create: Not a directory"
    # the check comes before the input is read: stdin is never opened
    run -1 --separate-stderr bash -c "sleep 30 | timeout 5 confmap --model Facenet -o '$TMP/no/x'"
    assert_equal "$stderr" "confmap: $TMP/no/x: cannot create: No such file or directory"
}

# ---- in place: devices, FIFOs, our own descriptors ----

@test "-o /dev/stdout with stdout redirected to a file leaves the output in the file" {
    for t in $TOOLS; do
        rm -f "$TMP/file"
        run -0 bash -c "$t $(input_of $t) -o /dev/stdout > '$TMP/file'"
        cmp "$TMP/file" "$(expected $t)"
    done
    [ -L /dev/stdout ]
    # appending: what was there stays
    echo first > "$TMP/file"
    run -0 bash -c "logfit $(input_of logfit) -o /dev/stdout >> '$TMP/file'"
    assert_equal "$(head -1 "$TMP/file")" first
    tail -n +2 "$TMP/file" | cmp - "$(expected logfit)"
}

@test "-o /proc/self/fd/N, /dev/fd/N, and a link of ours to /dev/stdout write to that descriptor" {
    run -0 bash -c "pairgen -o /proc/self/fd/1 '$FIX/identities.yaml' > '$TMP/a'"
    cmp "$TMP/a" "$(expected pairgen)"
    run -0 bash -c "confmap $(input_of confmap) -o /dev/fd/5 5> '$TMP/b'"
    assert_output ""
    cmp "$TMP/b" "$(expected confmap)"
    ln -s /dev/stdout "$TMP/so"
    run -0 bash -c "logfit $(input_of logfit) -o '$TMP/so' > '$TMP/c'"
    [ -L "$TMP/so" ]
    cmp "$TMP/c" "$(expected logfit)"
    # into a pipe
    run -0 bash -c "pairdist $(input_of pairdist) -o /dev/stdout | cmp - '$(expected pairdist)'"
    # /dev/stderr too
    run -0 --separate-stderr logfit $(input_of logfit) -o /dev/stderr
    assert_output ""
    assert_equal "$stderr" "$(cat "$(expected logfit)")"
    no_tmp "$TMP"
}

@test "-o FIFO writes into the FIFO, which stays a FIFO" {
    for t in $TOOLS; do
        rm -f "$TMP/fifo"
        mkfifo "$TMP/fifo"
        cat "$TMP/fifo" > "$TMP/got" 3>&- &
        run -0 $t $(input_of $t) -o "$TMP/fifo"
        wait $!
        [ -p "$TMP/fifo" ] || { echo "$t replaced the FIFO"; return 1; }
        cmp "$TMP/got" "$(expected $t)"
        no_tmp "$TMP"
    done
}

@test "devices are written in place: /dev/null stays, /dev/full is a write error" {
    for t in $TOOLS; do
        run -0 $t $(input_of $t) -o /dev/null
        [ -c /dev/null ]
        run -1 --separate-stderr $t $(input_of $t) -o /dev/full
        assert_equal "$stderr" "$t: write error: /dev/full: No space left on device"
        [ -c /dev/full ]
    done
    run -1 --separate-stderr confplot --svg /dev/full "$BATS_FILE_TMPDIR/conf.tsv"
    assert_equal "$stderr" "confplot: write error: /dev/full: No space left on device"
}

# ---- permissions ----

@test "an existing file keeps its permission bits; a new one gets 0666 less the umask" {
    for mode in 600 640 444 755 1777; do
        echo old > "$TMP/out"
        chmod $mode "$TMP/out"
        run -0 pairgen -o "$TMP/out" "$FIX/identities.yaml"
        assert_equal "$(stat -c %a "$TMP/out")" $mode
    done
    for u in 077 022 002 027; do
        rm -f "$TMP/new"
        run -0 bash -c "umask $u; confmap $(input_of confmap) -o '$TMP/new'"
        assert_equal "$(stat -c %a "$TMP/new")" "$(printf '%o' $((0666 & ~0$u)))"
    done
    # also for .gz and through a link
    echo old > "$TMP/z.gz"
    chmod 604 "$TMP/z.gz"
    ln -s z.gz "$TMP/lz.gz"
    run -0 logfit $(input_of logfit) -o "$TMP/lz.gz"
    assert_equal "$(stat -c %a "$TMP/z.gz")" 604
}

@test "as root, an existing file keeps its owner and group" {
    [ "$(id -u)" = 0 ] || skip "not root"
    echo old > "$TMP/out"
    chown 65534:65534 "$TMP/out"
    chmod 2640 "$TMP/out"
    run -0 logfit $(input_of logfit) -o "$TMP/out"
    assert_equal "$(stat -c '%u:%g %a' "$TMP/out")" "65534:65534 2640"
    cmp "$TMP/out" "$(expected logfit)"
}

@test "a file we may not write is refused before reading (not replaced by the rename)" {
    command -v setpriv > /dev/null || skip "no setpriv"
    [ "$(id -u)" = 0 ] || skip "not root: cannot switch to another user"
    d=$(mktemp -d /tmp/distconf-out.XXXXXX)
    chmod 777 "$d"
    echo keep > "$d/ro"
    chmod 444 "$d/ro"
    chown 65534 "$d/ro"
    run -1 --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$BIN/pairgen" -o "$d/ro" "$FIX/identities.yaml"
    status_ok=$([ "$stderr" = "pairgen: $d/ro: cannot write: Permission denied" ] && echo y)
    content=$(cat "$d/ro")
    rm -rf "$d"
    [ -n "$status_ok" ] || { echo "stderr: $stderr"; return 1; }
    assert_equal "$content" keep
}

# ---- an output that is an input ----

@test "-o naming the stream is refused before anything is written, by any spelling" {
    for t in pairdist logfit confmap confplot; do
        args=$(input_of $t | awk '{ $NF = ""; print }')
        in=$(input_of $t | awk '{ print $NF }')
        mkdir -p "$TMP/s"
        cp "$in" "$TMP/s/in.tsv"
        ln -f "$TMP/s/in.tsv" "$TMP/s/hard.tsv"
        ln -sf in.tsv "$TMP/s/sym.tsv"
        cd "$TMP/s"
        for o in in.tsv ./in.tsv "$TMP/s/in.tsv" hard.tsv sym.tsv ../s/in.tsv; do
            run -1 --separate-stderr $t $args -o "$o" in.tsv
            assert_equal "$stderr" "$t: $o: output file is the stream being read ('in.tsv')"
            cmp "$TMP/s/in.tsv" "$in"
        done
        # stdin redirected from it
        run -1 --separate-stderr bash -c "$t $args -o sym.tsv < in.tsv"
        assert_equal "$stderr" "$t: sym.tsv: output file is the stream being read ('<stdin>')"
        # the second of several streams
        run -1 --separate-stderr $t $args -o hard.tsv "$in" in.tsv
        assert_equal "$stderr" "$t: hard.tsv: output file is the stream being read ('in.tsv')"
        cmp "$TMP/s/in.tsv" "$in"
        assert_equal "$(ls -A "$TMP/s" | sort | tr '\n' ' ')" "hard.tsv in.tsv sym.tsv "
        cd - > /dev/null
    done
}

@test "the check comes before the stream is read: a bad stream first is not reported" {
    printf 'not\ta\tstream\n' > "$TMP/bad.tsv"
    cp "$BATS_FILE_TMPDIR/dist.tsv" "$TMP/d.tsv"
    run -1 --separate-stderr confmap --model Facenet -o "$TMP/d.tsv" "$TMP/bad.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/d.tsv: output file is the stream being read ('$TMP/d.tsv')"
    run -1 --separate-stderr logfit --model Facenet -o "$TMP/d.tsv" "$TMP/bad.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "logfit: $TMP/d.tsv: output file is the stream being read ('$TMP/d.tsv')"
}

@test "standard output redirected onto an input is refused too (>> would never end)" {
    cp "$BATS_FILE_TMPDIR/dist.tsv" "$TMP/d.tsv"
    refused "confmap: <stdout>: output file is the stream being read ('$TMP/d.tsv')" bash -c "confmap --model Facenet '$TMP/d.tsv' >> '$TMP/d.tsv'"
    cmp "$TMP/d.tsv" "$BATS_FILE_TMPDIR/dist.tsv"
    refused "pairdist: <stdout>: output file is the stream being read ('<stdin>')" bash -c "pairdist -m all < '$TMP/d.tsv' 1<> '$TMP/d.tsv'"
}

@test "pairgen refuses to write over its identities file" {
    cp "$FIX/identities.yaml" "$TMP/ids.yaml"
    ln -s ids.yaml "$TMP/ids-link"
    for o in ids.yaml ids-link ./ids.yaml; do
        run -1 --separate-stderr pairgen -o "$TMP/$o" "$TMP/ids.yaml"
        assert_equal "$stderr" "pairgen: $TMP/$o: output file is the identities file being read ('$TMP/ids.yaml')"
    done
    run -1 --separate-stderr bash -c "pairgen -o '$TMP/ids-link' < '$TMP/ids.yaml'"
    assert_equal "$stderr" "pairgen: $TMP/ids-link: output file is the identities file being read ('<stdin>')"
    cmp "$TMP/ids.yaml" "$FIX/identities.yaml"
}

@test "pairdist refuses to write over its embedding store, given by -e or by #embeddings=" {
    cp "$FIX/facenet-embeddings.tsv" "$TMP/emb.tsv"
    ln "$TMP/emb.tsv" "$TMP/emb-hard.tsv"
    refused "pairdist: $TMP/emb-hard.tsv: output file is the embedding store being read ('$TMP/emb.tsv')" pairdist -e "$TMP/emb.tsv" -o "$TMP/emb-hard.tsv" "$BATS_FILE_TMPDIR/pairs.tsv"
    { echo "#embeddings=$TMP/emb.tsv"; grep -v '^#' "$BATS_FILE_TMPDIR/pairs.tsv"; } > "$TMP/p.tsv"
    refused "pairdist: $TMP/emb.tsv: output file is the embedding store being read ('$TMP/emb.tsv') (path from the #embeddings= line at $TMP/p.tsv:1)" pairdist -o "$TMP/emb.tsv" "$TMP/p.tsv"
    refused "pairdist: $TMP/emb-hard.tsv: output file is the embedding store being read ('$TMP/emb.tsv') (path from the #embeddings= line at <stdin>:1)" bash -c "pairdist -o '$TMP/emb-hard.tsv' < '$TMP/p.tsv'"
    cmp "$TMP/emb.tsv" "$FIX/facenet-embeddings.tsv"
    # -e - : the store on stdin
    refused "pairdist: $TMP/emb-hard.tsv: output file is the embedding store being read ('<stdin>')" bash -c "pairdist -e - -o '$TMP/emb-hard.tsv' '$TMP/p.tsv' < '$TMP/emb.tsv'"
    cmp "$TMP/emb.tsv" "$FIX/facenet-embeddings.tsv"
}

@test "confmap refuses to write over its model" {
    logfit --model Facenet -o "$TMP/m.yaml" "$BATS_FILE_TMPDIR/dist.tsv"
    cp "$TMP/m.yaml" "$TMP/keep.yaml"
    ln -s m.yaml "$TMP/ml"
    run -1 --separate-stderr confmap -M "$TMP/m.yaml" -o "$TMP/ml" "$BATS_FILE_TMPDIR/dist.tsv"
    assert_equal "$stderr" "confmap: $TMP/ml: output file is the model being read ('$TMP/m.yaml')"
    run -1 --separate-stderr bash -c "confmap -M - -o '$TMP/m.yaml' '$BATS_FILE_TMPDIR/dist.tsv' < '$TMP/m.yaml'"
    assert_equal "$stderr" "confmap: $TMP/m.yaml: output file is the model being read ('<stdin>')"
    cmp "$TMP/m.yaml" "$TMP/keep.yaml"
}

@test "confplot --svg FILE is not a trap: an input named as --svg is refused" {
    cp "$BATS_FILE_TMPDIR/conf.tsv" "$TMP/conf.tsv"
    cd "$TMP"
    run -1 --separate-stderr confplot --svg conf.tsv conf.tsv
    assert_equal "$stderr" "confplot: conf.tsv: output file is the stream being read ('conf.tsv')"
    run -1 --separate-stderr bash -c "confplot --svg conf.tsv < conf.tsv"
    assert_equal "$stderr" "confplot: conf.tsv: output file is the stream being read ('<stdin>')"
    run -1 --separate-stderr bash -c "confplot --svg=./conf.tsv -o x.txt < conf.tsv"
    assert_equal "$stderr" "confplot: ./conf.tsv: output file is the stream being read ('<stdin>')"
    cmp conf.tsv "$BATS_FILE_TMPDIR/conf.tsv"
    [ ! -e x.txt ]
    # --help and the man page show it taking a file
    run -0 confplot --help
    assert_line --partial "[--svg FILE]"
    assert_line --partial "      --svg FILE "
}

@test "confplot: --svg and -o that are one file are refused, existing or new" {
    cp "$BATS_FILE_TMPDIR/conf.tsv" "$TMP/c.tsv"
    cd "$TMP"
    for pair in "x x" "x ./x" "./x $TMP/x"; do
        set -- $pair
        run -1 --separate-stderr confplot --svg "$1" -o "$2" c.tsv
        assert_equal "$stderr" "confplot: $1: --svg and -o are the same file ('$2')"
        [ ! -e x ]
    done
    echo old > y
    ln y y-hard
    ln -s y y-sym
    run -1 --separate-stderr confplot --svg y-hard -o y-sym c.tsv
    assert_equal "$stderr" "confplot: y-hard: --svg and -o are the same file ('y-sym')"
    run -1 --separate-stderr bash -c "confplot --svg y c.tsv > y-hard"
    assert_equal "$stderr" "confplot: y: --svg and standard output are the same file ('<stdout>')"
    # a dangling link and the file it names
    ln -s z z-sym
    run -1 --separate-stderr confplot --svg z-sym -o z c.tsv
    assert_equal "$stderr" "confplot: z-sym: --svg and -o are the same file ('z')"
    [ ! -e z ]
}

@test "not the same file: pipes, terminals, devices, copies are never refused" {
    cp "$BATS_FILE_TMPDIR/dist.tsv" "$TMP/d.tsv"
    cp "$TMP/d.tsv" "$TMP/copy.tsv"
    run -0 confmap --model Facenet -o "$TMP/copy.tsv" "$TMP/d.tsv"
    run -0 bash -c "cat '$TMP/d.tsv' | confmap --model Facenet -o /dev/stdout | cat > /dev/null"
    run -0 bash -c "confmap --model Facenet -o /dev/null < /dev/null || true"
    # a terminal on stdin and stdout (script gives one)
    command -v script > /dev/null || skip "no script"
    run -0 script -qec "confmap --model Facenet -o /dev/stdout '$TMP/d.tsv' > /dev/null" /dev/null
}

# ---- temporary files ----

# Start `PROG ARGS -o $TMP/out/result FIFO`, feed it the first BYTES of
# INPUT (more than its first read of 1 MiB), look at the output's folder,
# then feed the rest: the listing taken midway must be empty.
midway_listing() {
    local bytes=$1 input=$2
    shift 2
    rm -rf "$TMP/fifo" "$TMP/out"
    mkdir "$TMP/out"
    mkfifo "$TMP/fifo"
    "$@" -o "$TMP/out/result" "$TMP/fifo" 3>&- &
    local pid=$!
    exec 7> "$TMP/fifo"
    head -c $bytes "$input" >&7
    sleep 0.5
    local listing=$(ls -A "$TMP/out")
    tail -c +$((bytes + 1)) "$input" >&7
    exec 7>&-
    wait $pid
    [ -z "$listing" ] || { echo "$1 midway: $listing"; return 1; }
    [ -f "$TMP/out/result" ]
    no_tmp "$TMP/out"
}

@test "no temporary file while the input is still being read" {
    local d="$BATS_FILE_TMPDIR"
    midway_listing 1500000 "$d/big.tsv" logfit --model Facenet
    cmp "$TMP/out/result" <(logfit --model Facenet "$d/big.tsv")
    midway_listing 1500000 "$d/bigconf.tsv" confplot --width 60 --height 10
    cmp "$TMP/out/result" <(confplot --width 60 --height 10 "$d/bigconf.tsv")
    # pairdist: rows whose items have no embedding write nothing
    awk 'BEGIN { print "a\tb\tsame"; for (i = 0; i < 100000; i++) printf "x%d\ty%d\t0\n", i, i }' > "$TMP/nopairs.tsv"
    midway_listing 1500000 "$TMP/nopairs.tsv" pairdist --missing=skip -e "$FIX/facenet-embeddings.tsv"
    assert_equal "$(cat "$TMP/out/result")" $'a\tb\tsame\tcosine'
    # pairgen: its identities file, over 1 MiB, from a FIFO
    awk 'BEGIN { for (i = 0; i < 20000; i++) { printf "identity%d: [", i; for (j = 0; j < 4; j++) printf "%sitem%d_%d.jpg", j ? ", " : "", i, j; print "]" } }' > "$TMP/ids.yaml"
    midway_listing 1200000 "$TMP/ids.yaml" pairgen -P
    cmp <(tail -n +2 "$TMP/out/result") <(pairgen -P "$TMP/ids.yaml" | tail -n +2)
}

@test "bad input: no temporary file is ever created, the old file stays" {
    mkdir "$TMP/out"
    printf 'garbage\n' > "$TMP/bad"
    for t in $TOOLS; do
        args=$(input_of $t | awk '{ $NF = ""; print }')
        echo old > "$TMP/out/result"
        run -1 strace -f -qq -e trace=open,openat,creat -o "$TMP/trace" $t $args -o "$TMP/out/result" "$TMP/bad" 2>/dev/null \
            || run -1 $t $args -o "$TMP/out/result" "$TMP/bad"
        assert_equal "$(cat "$TMP/out/result")" old
        assert_equal "$(ls -A "$TMP/out")" result
        if [ -s "$TMP/trace" ]; then
            ! grep -q 'distconf-' "$TMP/trace" || { grep distconf- "$TMP/trace"; return 1; }
        fi
        rm -f "$TMP/trace"
    done
}

# Open the FIFO $TMP/fifo as descriptor 7 and write into it the first 2 MB
# of big.tsv (more than out's buffer), then wait (5 s at most) for a
# temporary file to show in the folder DIR.
feed_until_tmp() {
    local dir=$1 i
    exec 7> "$TMP/fifo"
    head -c 2000000 "$BATS_FILE_TMPDIR/big.tsv" >&7
    for i in $(seq 100); do
        ls -A "$dir" | grep -q '^\.distconf-' && break
        sleep 0.05
    done
}

# The rest of big.tsv into the FIFO, then close it.
feed_rest() {
    tail -c +2000001 "$BATS_FILE_TMPDIR/big.tsv" >&7
    exec 7>&-
}

# Start `confmap -o OUT` on a FIFO, feed it more than out's buffer so that
# the temporary file exists, send SIG: OUT keeps its old contents, no
# temporary file is left, and confmap died of SIG.
signal_while_writing() {
    local sig=$1 out="$TMP/w/conf.tsv"
    mkdir -p "$TMP/w"
    echo "old contents" > "$out"
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo"
    # (a background job of a script starts with SIGINT and SIGQUIT ignored:
    # env gives them back their default)
    env --default-signal bash -c 'ulimit -c 0; exec "$@"' sh confmap --model Facenet -o "$out" "$TMP/fifo" 3>&- 2>/dev/null &
    local pid=$! i
    feed_until_tmp "$TMP/w"
    ls -A "$TMP/w" | grep -q '^\.distconf-' || { echo "no temporary file appeared"; return 1; }
    kill -s $sig $pid
    for i in $(seq 100); do
        kill -0 $pid 2> /dev/null || break
        sleep 0.05
    done
    if kill -0 $pid 2> /dev/null; then
        kill -KILL $pid
        echo "still running after SIG$sig"
        return 1
    fi
    local st=0
    wait $pid || st=$?
    exec 7>&-
    assert_equal "$(cat "$out")" "old contents"
    no_tmp "$TMP/w"
    assert_equal $st $((128 + $(kill -l $sig)))
}

@test "every catchable fatal signal while the temporary file is written: removed, old file kept" {
    env --default-signal true 2> /dev/null || skip "env has no --default-signal"
    for sig in TERM INT HUP QUIT PIPE ALRM USR1 USR2 XCPU XFSZ VTALRM PROF ABRT; do
        signal_while_writing $sig || { echo "signal $sig"; return 1; }
    done
}

@test "a file size limit (SIGXFSZ) while writing: the temporary file is removed" {
    many_ids 300 4 > "$TMP/ids.yaml"
    mkdir "$TMP/w"
    echo old > "$TMP/w/pairs.tsv"
    run bash -c "ulimit -c 0; ulimit -f 256; exec pairgen -o '$TMP/w/pairs.tsv' '$TMP/ids.yaml'"
    assert_equal "$status" $((128 + $(kill -l XFSZ)))
    assert_equal "$(cat "$TMP/w/pairs.tsv")" old
    no_tmp "$TMP/w"
    # the same with gzip output
    run bash -c "ulimit -c 0; ulimit -f 16; exec pairgen -o '$TMP/w/pairs.tsv.gz' '$TMP/ids.yaml'"
    assert_equal "$status" $((128 + $(kill -l XFSZ)))
    [ ! -e "$TMP/w/pairs.tsv.gz" ]
    no_tmp "$TMP/w"
}

@test "a signal ignored when the program started stays ignored (nohup)" {
    mkdir "$TMP/w"
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo"
    bash -c "trap '' HUP; exec confmap --model Facenet -o '$TMP/w/conf.tsv' '$TMP/fifo'" 3>&- &
    pid=$!
    feed_until_tmp "$TMP/w"
    kill -HUP $pid
    sleep 0.2
    feed_rest
    wait $pid
    confmap --model Facenet "$BATS_FILE_TMPDIR/big.tsv" | cmp - "$TMP/w/conf.tsv"
    no_tmp "$TMP/w"
}

@test "the temporary file is made in the target's folder, not the link's" {
    mkdir "$TMP/links" "$TMP/data"
    ln -s ../data/conf.tsv "$TMP/links/conf.tsv"
    rm -f "$TMP/fifo"
    mkfifo "$TMP/fifo"
    confmap --model Facenet -o "$TMP/links/conf.tsv" "$TMP/fifo" 3>&- &
    pid=$!
    feed_until_tmp "$TMP/data"
    in_data=$(ls -A "$TMP/data")
    in_links=$(ls -A "$TMP/links")
    feed_rest
    wait $pid
    [[ "$in_data" == .distconf-?????? ]] || { echo "data: $in_data"; return 1; }
    assert_equal "$in_links" conf.tsv
    [ -L "$TMP/links/conf.tsv" ]
    confmap --model Facenet "$BATS_FILE_TMPDIR/big.tsv" | cmp - "$TMP/data/conf.tsv"
    no_tmp "$TMP/data" "$TMP/links"
}

# ---- long names ----

@test "output names of 250 and 255 bytes work (the temporary name is short)" {
    n250=$(printf 'n%.0s' $(seq 250))
    n255=$(printf 'm%.0s' $(seq 255))
    for t in $TOOLS; do
        for n in "$n250" "$n255"; do
            run -0 $t $(input_of $t) -o "$TMP/$n"
            cmp "$TMP/$n" "$(expected $t)"
            # replacing an existing file of that name too
            run -0 $t $(input_of $t) -o "$TMP/$n"
            rm "$TMP/$n"
        done
    done
    run -0 confplot --svg "$TMP/$n255" "$BATS_FILE_TMPDIR/conf.tsv"
    xmllint --noout "$TMP/$n255"
    run -0 pairgen -o "$TMP/${n250:0:252}.gz" "$FIX/identities.yaml"
    zcat "$TMP/${n250:0:252}.gz" | cmp - "$(expected pairgen)"
    # 256 bytes: the system's limit, said before reading
    run -1 --separate-stderr logfit $(input_of logfit) -o "$TMP/${n255}x"
    assert_equal "$stderr" "logfit: $TMP/${n255}x: cannot create: File name too long"
    no_tmp "$TMP"
}

# ---- gzip ----

@test "-o NAME.gz writes gzip for every stream program, read back by zcat and by the next program" {
    run -0 pairgen -o "$TMP/pairs.tsv.gz" "$FIX/identities.yaml"
    gzip -t "$TMP/pairs.tsv.gz"
    zcat "$TMP/pairs.tsv.gz" | cmp - "$(expected pairgen)"
    run -0 pairdist -m all -o "$TMP/dist.tsv.gz" "$TMP/pairs.tsv.gz"
    gzip -t "$TMP/dist.tsv.gz"
    zcat "$TMP/dist.tsv.gz" | cmp - "$BATS_FILE_TMPDIR/dist.tsv"
    run -0 confmap --model Facenet -o "$TMP/conf.tsv.gz" "$TMP/dist.tsv.gz"
    gzip -t "$TMP/conf.tsv.gz"
    zcat "$TMP/conf.tsv.gz" | cmp - "$BATS_FILE_TMPDIR/conf.tsv"
    # the gzip magic, not text
    assert_equal "$(head -c 2 "$TMP/conf.tsv.gz" | od -An -tx1 | tr -d ' ')" 1f8b
    run -0 confplot --width 60 --height 10 "$TMP/conf.tsv.gz"
    assert_output "$(cat "$(expected confplot)")"
}

@test "logfit and confplot write gzip too: a model.yaml.gz that confmap reads, a table, an SVG" {
    run -0 logfit --model Facenet -o "$TMP/m.yaml.gz" "$BATS_FILE_TMPDIR/dist.tsv"
    zcat "$TMP/m.yaml.gz" | cmp - "$(expected logfit)"
    run -0 confmap -M "$TMP/m.yaml.gz" "$BATS_FILE_TMPDIR/dist.tsv"
    assert_output "$(confmap -M <(cat "$(expected logfit)") "$BATS_FILE_TMPDIR/dist.tsv")"
    run -0 confplot --svg "$TMP/p.svg.gz" -o "$TMP/t.gz" "$BATS_FILE_TMPDIR/conf.tsv"
    zcat "$TMP/p.svg.gz" | xmllint --noout -
    zcat "$TMP/t.gz" | cmp - <(confplot --svg /dev/null "$BATS_FILE_TMPDIR/conf.tsv")
    run -0 confplot --kde -o "$TMP/k.gz" "$BATS_FILE_TMPDIR/conf.tsv"
    zcat "$TMP/k.gz" | cmp - <(confplot --kde "$BATS_FILE_TMPDIR/conf.tsv")
}

@test "gzip output larger than the buffer round-trips, and only the name decides" {
    many_ids 200 4 > "$TMP/ids.yaml"
    pairgen "$TMP/ids.yaml" > "$TMP/plain"
    [ "$(wc -c < "$TMP/plain")" -gt 1000000 ]
    run -0 pairgen -o "$TMP/big.gz" "$TMP/ids.yaml"
    zcat "$TMP/big.gz" | cmp - "$TMP/plain"
    [ "$(wc -c < "$TMP/big.gz")" -lt "$(wc -c < "$TMP/plain")" ]
    # .GZ, .gzip, a name that is only ".gz" in a folder's name: plain
    mkdir "$TMP/d.gz"
    for n in big.GZ big.gzip d.gz/x; do
        run -0 pairgen -o "$TMP/$n" "$TMP/ids.yaml"
        cmp "$TMP/$n" "$TMP/plain"
    done
    # to a pipe through a .gz link to /dev/stdout
    ln -s /dev/stdout "$TMP/so.gz"
    run -0 bash -c "pairgen -o '$TMP/so.gz' '$TMP/ids.yaml' | zcat | cmp - '$TMP/plain'"
    # the same bytes for the same input
    run -0 pairgen -o "$TMP/big2.gz" "$TMP/ids.yaml"
    cmp "$TMP/big.gz" "$TMP/big2.gz"
}

@test "gzip output: write errors are still reported" {
    ln -s /dev/full "$TMP/full.gz"
    for t in $TOOLS; do
        run -1 --separate-stderr $t $(input_of $t) -o "$TMP/full.gz"
        assert_equal "$stderr" "$t: write error: $TMP/full.gz: No space left on device"
    done
    [ -L "$TMP/full.gz" ]
}

# ---- found in review: the classes' other members ----

@test "confplot --svg never replaces a file that is not a figure, even when the stream comes by pipe" {
    cp "$FIX/facenet-distances.tsv" "$TMP/d.tsv"
    cp "$TMP/d.tsv" "$TMP/keep.tsv"
    run -1 --separate-stderr bash -c "confmap --model Facenet -q '$TMP/d.tsv' | confplot --svg '$TMP/d.tsv'"
    assert_equal "$stderr" "confplot: $TMP/d.tsv: --svg would replace a file that is not an SVG figure (remove it first, or name another file)"
    cmp "$TMP/d.tsv" "$TMP/keep.tsv"
    # a figure is replaced, an empty file too
    run -0 --separate-stderr bash -c "confmap --model Facenet -q '$TMP/d.tsv' | confplot --svg '$TMP/f.svg'"
    run -0 --separate-stderr bash -c "confmap --model Facenet -q '$TMP/d.tsv' | confplot --svg '$TMP/f.svg'"
    xmllint --noout "$TMP/f.svg"
    : > "$TMP/empty.svg"
    run -0 --separate-stderr bash -c "confmap --model Facenet -q '$TMP/d.tsv' | confplot --svg '$TMP/empty.svg'"
    xmllint --noout "$TMP/empty.svg"
}

@test "confplot --svg /dev/stdout into a pipe is the figure alone, valid XML" {
    run -0 bash -c "confmap --model Facenet -q '$FIX/facenet-distances.tsv' | confplot --svg /dev/stdout | cat > '$TMP/s.svg'"
    xmllint --noout "$TMP/s.svg"
    run -2 --separate-stderr bash -c "confmap --model Facenet -q '$FIX/facenet-distances.tsv' | confplot --svg /dev/stdout -o '$TMP/t.tsv'"
    assert_equal "${lines[0]:-}" ""
}

@test "an empty output file name is a usage error before anything is read" {
    for t in pairgen "confmap --model Facenet" "logfit --model Facenet"; do
        run -2 --separate-stderr bash -c "sleep 30 | timeout 5 $t -o ''"
        t=${t%% *}
        assert_equal "${stderr%%$'\n'*}" "$t: an output file name is empty"
    done
    run -2 --separate-stderr bash -c "sleep 30 | timeout 5 confplot --svg ''"
    assert_equal "${stderr%%$'\n'*}" "confplot: an output file name is empty"
}

@test "no program writes over the embedding store its input names" {
    cp "$FIX/facenet-embeddings.tsv" "$TMP/emb.tsv"
    cp "$TMP/emb.tsv" "$TMP/keep"
    printf 'embeddings: emb.tsv\nidentities:\n  A: [img1.jpg, img2.jpg]\n  B: [img3.jpg]\n' > "$TMP/ids.yaml"
    run -1 --separate-stderr pairgen -o "$TMP/emb.tsv" "$TMP/ids.yaml"
    assert_equal "$stderr" "pairgen: $TMP/emb.tsv: output file is the embedding store of the identities file being read ('$TMP/emb.tsv')"
    pairgen "$TMP/ids.yaml" 2>/dev/null | pairdist -m cosine > "$TMP/d.tsv"
    run -1 --separate-stderr confmap --model Facenet -q -o "$TMP/emb.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "confmap: $TMP/emb.tsv: output file is the embedding store of its #embeddings= line being read ('$TMP/emb.tsv')"
    run -1 --separate-stderr logfit --model Facenet -o "$TMP/emb.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "logfit: $TMP/emb.tsv: output file is the embedding store of its #embeddings= line being read ('$TMP/emb.tsv')"
    run -1 --separate-stderr confplot -c cosine -o "$TMP/emb.tsv" "$TMP/d.tsv"
    assert_equal "$stderr" "confplot: $TMP/emb.tsv: output file is the embedding store of its #embeddings= line being read ('$TMP/emb.tsv')"
    cmp "$TMP/emb.tsv" "$TMP/keep"
}

@test "a stream redirected into another folder names its store so that it opens from there" {
    mkdir "$TMP/w" "$TMP/w/sub"
    cp -r "$ROOT/examples" "$TMP/w/examples"
    cd "$TMP/w"
    pairgen examples/identities.yaml > examples/pairs.tsv
    run -0 --separate-stderr pairdist -m cosine examples/pairs.tsv
    assert_line -n 1 $'a\tb\tsame\tcosine'
    pairdist -m cosine examples/pairs.tsv > sub/dist.tsv
    run -0 --separate-stderr bash -c "cd / && pairdist -m euclidean '$TMP/w/sub/dist.tsv' | sed -n 2p"
    assert_output $'a\tb\tsame\tcosine\teuclidean'
}
