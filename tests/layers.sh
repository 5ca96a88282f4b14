#!/usr/bin/env bash
# The folders of lib/ are layers:  tests/layers.sh
# lib/README lists the folders in the order the data flows; a file of a
# folder may include only its own folder's headers and those of the folders
# listed above it, and cmd/ any.  The exceptions, each for a reason
# lib/README gives, are listed here.  One TAP line per folder.
set -u
cd "$(dirname "$0")/.."
# "FROM TO": FROM may include TO although TO comes later
allowed="pairs distances
fit mapping"
order=$(sed -n 's|^  \([a-z]*\)/ .*|\1|p' lib/README)
n=0
for d in lib/*/; do
    d=${d#lib/}
    d=${d%/}
    grep -qx "$d" <<<"$order" || { n=$((n + 1)); echo "not ok $n - lib/$d/ is not in lib/README's list of folders"; }
done
above=""
for d in $order; do
    n=$((n + 1))
    bad=""
    for f in lib/"$d"/*.[ch]; do
        [ -e "$f" ] || continue
        while IFS= read -r to; do
            [ "$to" = "$d" ] && continue
            grep -qx "$to" <<<"$above" && continue
            grep -qx "$d $to" <<<"$allowed" && continue
            bad="$bad $f includes $to/;"
        done < <(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$f" | sort -u)
    done
    if [ -z "$bad" ]; then
        echo "ok $n - lib/$d/ uses only the folders above it"
    else
        echo "not ok $n - lib/$d/:$bad"
    fi
    above="$above
$d"
done
echo "1..$n"
