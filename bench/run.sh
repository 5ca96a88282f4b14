#!/usr/bin/env bash
# make bench: every bench/*.sh in turn, against the programs in BINDIR.
set -uo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -m), $(date -u +%Y-%m-%d)"
status=0
for b in "$here"/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    [ -n "${BENCH:-}" ] && [[ "$(basename "$b" .sh)" != $BENCH ]] && continue
    echo
    bash "$b" "$bin" || status=1
done
exit $status
