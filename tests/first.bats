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
