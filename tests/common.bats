#!/usr/bin/env bats
# What every distconf program shares: --help and its man page, --version,
# exit codes, a full disk, a closed pipe, unreadable and empty input.

load test_helper
bats_require_minimum_version 1.5.0

setup_file() {
    make_streams "$BATS_FILE_TMPDIR"
}

@test "every program runs on its example input" {
    for t in $TOOLS; do
        run -0 --separate-stderr $t $(input_of $t)
        [ -n "$output" ] || { echo "$t wrote nothing"; return 1; }
        assert_equal "$stderr" ""
    done
}

@test "-h and --help: usage on stdout, status 0, ending with an example" {
    for t in $TOOLS; do
        run -0 --separate-stderr $t --help
        assert_line -n 0 --regexp "^Usage: $t "
        assert_output --partial "Example"
        assert_equal "$stderr" ""
        help="$output"
        run -0 $t -h
        assert_equal "$output" "$help"
    done
}

@test "--version: PROG (distconf) X.Y.Z" {
    version=$(sed -n 's/^#define DISTCONF_VERSION "\(.*\)"/\1/p' "$ROOT/lib/common/version.h")
    for t in $TOOLS; do
        run -0 $t --version
        assert_output "$t (distconf) $version"
    done
}

@test "every option of --help is in the man page, and the other way round" {
    for t in $TOOLS; do
        help=$($t --help)
        # the options the man page lists: the heads of DESCRIPTION's tag list
        heads=$(groff -mdoc -Tutf8 "$ROOT/man/$t.1" 2>/dev/null | col -b |
            awk '/^DESCRIPTION/ { on = 1 } /^(INPUT|OUTPUT|EXIT STATUS|EXAMPLES|SEE ALSO)/ { on = 0 } on' |
            grep -E '^     -')
        help_long=$(echo "$help" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
        man_long=$(echo "$heads" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
        # short options: "  -P, --positives-only" in --help, "     -P, ..." in the man page
        help_short=$(echo "$help" | grep -oE '^ +-[A-Za-z]\b' | tr -d ' ' | sort -u)
        man_short=$(echo "$heads" | grep -oE '^ +-[A-Za-z]\b' | tr -d ' ' | sort -u)
        for side in long short; do
            eval "h=\$help_$side; m=\$man_$side"
            missing=$(comm -23 <(echo "$h") <(echo "$m"))
            extra=$(comm -13 <(echo "$h") <(echo "$m"))
            [ -z "$missing" ] || { echo "$t: in --help, not in man/$t.1: $missing"; return 1; }
            [ -z "$extra" ] || { echo "$t: in man/$t.1, not in --help: $extra"; return 1; }
        done
        [ -n "$help_short" ] && [ -n "$help_long" ]
    done
}

@test "the usage line of --help is the man page's SYNOPSIS" {
    # (a second form of the command, "       logfit --counts ...", continues it)
    for t in $TOOLS; do
        usage=$($t --help | awk '/^Usage:/ { sub(/^Usage: */, ""); u = $0; more = 1; next }
            more && /^ +([[\-(]|[a-z]+ )/ { sub(/^ +/, " "); u = u $0; next } { more = 0 } END { print u }' | tr -s ' ')
        synopsis=$(groff -mdoc -Tutf8 "$ROOT/man/$t.1" 2>/dev/null | col -b |
            awk '/^SYNOPSIS/ { on = 1; next } on && /^[A-Z]/ { exit } on && NF { printf "%s ", $0 }')
        # compared without white space: line breaks and tabs differ by nature
        assert_equal "$(printf '%s' "$synopsis" | tr -d ' \t')" "$(printf '%s' "$usage" | tr -d ' \t')"
    done
}

@test "an unknown option: status 2 and a hint" {
    for t in $TOOLS; do
        run -2 --separate-stderr $t --no-such-option
        assert_equal "$stderr" "$t: unrecognized option '--no-such-option'
Try '$t --help' for more information."
        run -2 --separate-stderr $t -Z
        assert_equal "$stderr" "$t: invalid option -- 'Z'
Try '$t --help' for more information."
        assert_output ""
    done
}

@test "a full disk is an error: status 1, one line" {
    for t in $TOOLS; do
        run -1 --separate-stderr bash -c "$t $(input_of $t) > /dev/full"
        assert_equal "$stderr" "$t: write error: <stdout>: No space left on device"
        run -1 --separate-stderr bash -c "$t --help > /dev/full"
        assert_equal "$stderr" "$t: write error: <stdout>: No space left on device"
    done
}

@test "a closed pipe ends every program quietly" {
    # enough rows that the writer is still writing when head has gone
    many_ids 300 4 > "$TMP/ids.yaml"
    run -0 --separate-stderr bash -c "pairgen '$TMP/ids.yaml' | head -1"
    assert_equal "$stderr" ""
    awk 'BEGIN { printf "name"; for (k = 0; k < 4; k++) printf "\tv%d", k; print ""; for (i = 0; i < 300; i++) for (j = 0; j < 4; j++) { printf "i%d_%d", i, j; for (k = 0; k < 4; k++) printf "\t%.3f", (i * 7 + j * 3 + k) % 11 / 10; print "" } }' > "$TMP/emb.tsv"
    run -0 --separate-stderr bash -c "pairgen '$TMP/ids.yaml' | pairdist -e '$TMP/emb.tsv' -m all | head -1"
    assert_equal "$stderr" ""
    run -0 --separate-stderr bash -c "pairgen '$TMP/ids.yaml' | pairdist -e '$TMP/emb.tsv' -m all | confmap --model Facenet | head -1"
    assert_equal "$stderr" ""
    run -0 --separate-stderr bash -c "logfit --model Facenet '$BATS_FILE_TMPDIR/dist.tsv' | head -1"
    assert_equal "$stderr" ""
    run -0 --separate-stderr bash -c "confplot --width 60 --height 10 '$BATS_FILE_TMPDIR/conf.tsv' | head -1"
    assert_equal "$stderr" ""
}

@test "an unreadable input: status 1, the file named" {
    for t in $TOOLS; do
        args=$(input_of $t | awk '{ $NF = ""; print }')
        run -1 --separate-stderr $t $args "$TMP/missing"
        assert_equal "$stderr" "$t: $TMP/missing: No such file or directory"
        assert_output ""
    done
}

@test "empty input: status 1, one line" {
    for t in pairdist logfit confmap confplot; do
        args=$(input_of $t | awk '{ $NF = ""; print }')
        run -1 --separate-stderr $t $args < /dev/null
        assert_equal "$stderr" "$t: <stdin>: empty input (expected a header line)"
    done
}

@test "no partial output file on error" {
    for t in $TOOLS; do
        args=$(input_of $t | awk '{ $NF = ""; print }')
        echo old > "$TMP/out"
        printf 'garbage\n' > "$TMP/bad"
        run -1 $t $args -o "$TMP/out" "$TMP/bad"
        assert_equal "$(cat "$TMP/out")" "old"
        [ "$(ls -A "$TMP" | grep -c -e '\.tmp' -e '^\.distconf-')" -eq 0 ]
    done
}

@test "make install and uninstall honour DESTDIR and PREFIX" {
    b=$(cd "$BIN/.." && pwd)
    b=${b#$ROOT/}
    [[ "$b" != /* ]] || skip "the programs under test are not a build folder of this tree"
    run -0 make -s -o all -C "$ROOT" install B="$b" DESTDIR="$TMP/stage" PREFIX=/usr
    for t in $TOOLS; do
        [ -x "$TMP/stage/usr/bin/$t" ] && [ -f "$TMP/stage/usr/share/man/man1/$t.1" ]
    done
    [ -f "$TMP/stage/usr/share/man/man7/distconf.7" ]
    # the version, written once in lib/common/version.h, stamped on every page
    version=$(sed -n 's/^#define DISTCONF_VERSION "\(.*\)"/\1/p' "$ROOT/lib/common/version.h")
    for p in "$TMP"/stage/usr/share/man/man[17]/*; do
        assert_equal "$(sed -n '/^\.Os/p' "$p")" ".Os distconf $version"
    done
    for p in "$ROOT"/man/*.[17]; do
        assert_equal "$(sed -n '/^\.Os/p' "$p")" ".Os distconf"
    done
    # the examples and the README, under DOCDIR (default PREFIX/share/doc/distconf)
    for f in README.md examples/identities.yaml examples/facenet-embeddings.tsv \
        examples/article-model.yaml examples/deepface_export.py; do
        cmp "$ROOT/$f" "$TMP/stage/usr/share/doc/distconf/$f"
    done
    [ -x "$TMP/stage/usr/share/doc/distconf/examples/article.sh" ]
    run -0 "$TMP/stage/usr/bin/pairgen" --version
    run -0 make -s -C "$ROOT" uninstall B="$b" DESTDIR="$TMP/stage" PREFIX=/usr
    [ -z "$(find "$TMP/stage" -type f)" ]
    [ ! -e "$TMP/stage/usr/share/doc/distconf" ]
    # DOCDIR on its own
    run -0 make -s -o all -C "$ROOT" install B="$b" DESTDIR="$TMP/stage" DOCDIR=/opt/dcdoc
    [ -f "$TMP/stage/opt/dcdoc/examples/identities.yaml" ] && [ -f "$TMP/stage/opt/dcdoc/README.md" ]
    run -0 make -s -C "$ROOT" uninstall B="$b" DESTDIR="$TMP/stage" DOCDIR=/opt/dcdoc
    [ -z "$(find "$TMP/stage" -type f)" ] && [ ! -e "$TMP/stage/opt/dcdoc" ]
}

@test "several inputs must share the first one's header (or none: they read as one)" {
    printf 'a\tb\tsame\tcosine\nx\ty\t1\t0.2\n' > "$TMP/one.tsv"
    printf 'a\tb\tcosine\tsame\nx\tz\t0.9\t0\n' > "$TMP/two.tsv"
    for t in "confmap --model Facenet" "logfit --model Facenet"; do
        run -1 --separate-stderr $t "$TMP/one.tsv" "$TMP/two.tsv"
        assert_equal "$stderr" "${t%% *}: $TMP/two.tsv:1: a second header, with the columns of the one on $TMP/one.tsv:1 in another order ('a?b?cosine?same'): put that input's columns in the header's order first: awk -F'\t' -v OFS='\t' '{print \$1, \$2, \$4, \$3}'"
    done
}

@test "a line over 256 MiB is an error naming it" {
    { printf 'cosine\n0.5\n'; head -c 270000000 /dev/zero | tr '\0' 'x'; } | gzip -1 > "$TMP/long.gz"
    run -1 --separate-stderr confmap --model Facenet "$TMP/long.gz"
    assert_equal "$stderr" "confmap: $TMP/long.gz:3: line too long (more than 256 MiB)"
}
