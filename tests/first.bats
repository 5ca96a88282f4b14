#!/usr/bin/env bats
# The first hour: pairgen's warnings and its scoring modes (--probes,
# --gallery, -e, --exclude), --list-models, the man pages' EXAMPLES and
# quotes, make install's examples, and a plain make that never installs.

load test_helper
bats_require_minimum_version 1.5.0

# A fake apt-get first on PATH that records being called, and a compiler
# that finds no header: every package looks missing.
fake_missing() {
    mkdir -p "$TMP/fake"
    printf '#!/bin/sh\necho "$@" >> "%s/apt.log"\nexit 0\n' "$TMP" > "$TMP/fake/apt-get"
    printf '#!/bin/sh\nexit 1\n' > "$TMP/fake/nocc"
    chmod +x "$TMP/fake/apt-get" "$TMP/fake/nocc"
}

@test "plain make and make install never run apt-get: they stop with the command to run" {
    fake_missing
    want="deps: missing packages; install them with: $([ "$(id -u)" = 0 ] || echo 'sudo ')apt-get install -y libyaml-dev zlib1g-dev"
    for target in "" all install; do
        run -2 --separate-stderr env PATH="$TMP/fake:$PATH" make -s -C "$ROOT" $target CC="$TMP/fake/nocc" DESTDIR="$TMP/stage"
        assert_equal "${stderr%%$'\n'*}" "$want"
        assert_output ""
        [ ! -e "$TMP/apt.log" ]
        [ ! -e "$TMP/stage" ]
    done
    # the script itself, with -n: the same line, status 1, even as root
    run -1 --separate-stderr env PATH="$TMP/fake:$PATH" CC="$TMP/fake/nocc" sh "$ROOT/tests/deps.sh" -n build
    assert_equal "$stderr" "$want"
    [ ! -e "$TMP/apt.log" ]
}

@test "make deps, as root, is what installs" {
    [ "$(id -u)" = 0 ] || skip "needs root"
    fake_missing
    run -0 --separate-stderr env PATH="$TMP/fake:$PATH" make -s -C "$ROOT" deps CC="$TMP/fake/nocc"
    assert_equal "$stderr" "deps: installing libyaml-dev zlib1g-dev"
    assert_equal "$(cat "$TMP/apt.log")" "update -qq
install -y -qq libyaml-dev zlib1g-dev"
}

@test "the installed examples run: article.sh finds the programs on PATH" {
    b=$(cd "$BIN/.." && pwd)
    b=${b#$ROOT/}
    [[ "$b" != /* ]] || skip "the programs under test are not a build folder of this tree"
    run -0 make -s -o all -C "$ROOT" install B="$b" DESTDIR="$TMP/stage" PREFIX=/usr
    doc="$TMP/stage/usr/share/doc/distconf"
    cd "$TMP"
    run -0 --separate-stderr env PATH="$TMP/stage/usr/bin:$PATH" "$doc/examples/article.sh"
    assert_output --partial "38 same-person pairs, 262 different-person pairs"
    [ -s "$TMP/article-demo/article.svg" ]
    # the README's commands, from DOCDIR
    cd "$doc"
    run -0 env PATH="$TMP/stage/usr/bin:$PATH" pairgen examples/identities.yaml
    assert_line -n 0 "#embeddings=examples/facenet-embeddings.tsv"
}

@test "--list-models: DeepFace's thresholds as TSV, in every program that takes --model" {
    n=0
    for t in pairgen pairdist logfit confmap confplot; do
        $t --help | grep -q -- '--model=' || continue
        n=$((n + 1))
        $t --help | grep -q -- '--list-models' || { echo "$t --help: no --list-models"; return 1; }
        run -0 --separate-stderr $t --list-models
        assert_equal "$stderr" ""
        # DeepFace's own literals (tests/fixtures/thresholds.tsv), header first
        assert_equal "$output" "$(cat "$FIX/thresholds.tsv")"
        assert_line -n 0 "model	cosine	euclidean	euclidean_l2	angular"
        assert_line -n 2 "Facenet	0.40	10	0.80	0.33"
        [ "${#lines[@]}" -eq 12 ]
        # it acts at once, like --help, whatever else is on the line
        run -0 $t --list-models --no-such-file-read
        [ "${#lines[@]}" -eq 12 ]
        run -1 --separate-stderr bash -c "$t --list-models > /dev/full"
        assert_equal "$stderr" "$t: write error: <stdout>: No space left on device"
    done
    [ "$n" -eq 2 ]
    # every model --list-models names is one --model takes, and the other way round
    for m in $(logfit --list-models | tail -n +2 | cut -f1); do
        run -0 confmap --model "$m" --list-models
    done
    run -2 --separate-stderr logfit --model NoSuchModel
    assert_equal "${stderr%%$'\n'*}" "logfit: unknown model 'NoSuchModel' (models: $(logfit --list-models | tail -n +2 | cut -f1 | paste -sd, | sed 's/,/, /g'))"
}

@test "distconf(7)'s threshold table is the compiled one, as logfit(1) and confmap(1) promise" {
    # the .Bl -column block after THRESHOLDS, as TSV
    table=$(awk '/^\.Sh THRESHOLDS/ { on = 1 } on && /^\.El/ { exit } on && /^\.It / {
            sub(/^\.It /, ""); gsub(/Em /, ""); gsub(/ Ta /, "\t"); print }' "$ROOT/man/distconf.7")
    [ -n "$table" ]
    if [ "$table" != "$(logfit --list-models)" ]; then
        echo "man/distconf.7 THRESHOLDS differs from logfit --list-models (lib/deepface.c):"
        diff <(echo "$table") <(logfit --list-models)
        return 1
    fi
    # and it renders: 11 rows and the header under THRESHOLDS
    run -0 bash -c "groff -mdoc -Tutf8 '$ROOT/man/distconf.7' | col -b | sed -n '/^THRESHOLDS/,/^THE METHOD/p' | awk 'NF == 5 && (\$2 ~ /^[0-9.]+\$/ || \$1 == \"model\")' | wc -l"
    assert_output 12
    grep -q 'distconf 7' "$ROOT/man/logfit.1"
    grep -q -- 'list-models' "$ROOT/man/logfit.1"
    grep -q -- 'list-models' "$ROOT/man/confmap.1"
}
