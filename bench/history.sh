#!/bin/sh
# bench/history.sh [BUILDDIR]: fill a scratch history with 5,000 saved scans through the
# real ImgscanHistory, then time the first screen (load + the first 20 rows' fields)
# with the index and with the index deleted (rebuilt from the entries' meta.json),
# against the reference of parsing every stored reply in the same run. Figures only:
# nothing is asserted on speed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-${BUILDDIR:-$root/build}}
prog=$build/bench/bench-history
scans=${SCANS:-5000}

if [ ! -x "$prog" ]; then
  echo "history: $prog is not built; run: ninja -C $build bench/bench-history"
  exit 1
fi

# On disk, not tmpfs, so fsync and directory reads cost what they cost for users.
tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/imgscan-bench-history.XXXXXX")
cleanup () {
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

GSETTINGS_BACKEND=memory RUNS=${RUNS:-5} "$prog" "$tmp/history" "$scans"
