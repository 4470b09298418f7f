#!/bin/sh
# results.sh: the window's performance figures (issue 3), under Xvfb.
# Usage: bench/results.sh [BUILDDIR]   (default: build). Prints figures, asserts nothing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILDDIR=$(cd "${1:-$SRCDIR/build}" && pwd)

if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' dbus-run-session -- "$0" "$BUILDDIR"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/data" XDG_CACHE_HOME="$TMP/cache" XDG_CONFIG_HOME="$TMP/config"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILDDIR/data" GTK_A11Y=none

# Under Xvfb GTK's default renderer is OpenGL on llvmpipe (software, sharing the CPUs);
# the cairo renderer is what a machine without GL gets. Both are reported.
echo "== results view with 10,000 matches (default renderer) =="
"$BUILDDIR/bench/bench-results"
echo "== results view with 10,000 matches (cairo renderer, GDK_DEBUG=gl-disable) =="
GDK_DEBUG=gl-disable "$BUILDDIR/bench/bench-results" 2>&1 | grep -v '^Gsk-Message'

# Cold start: launch → a mapped window (xdotool), best of 5, against GNOME Text Editor
# when it is installed (apt-get install gnome-text-editor).
start_time () {
  best=
  for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 &
    pid=$!
    if ! timeout 20 xdotool search --sync --onlyvisible --pid $pid >/dev/null 2>&1; then
      kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
      echo "n/a"; return
    fi
    t1=$(date +%s%N)
    kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
    ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

echo "== cold start to a visible window (best of 5) =="
if command -v xdotool >/dev/null; then
  ours=$(start_time "$BUILDDIR/src/app/imgscan")
  echo "imgscan:            ${ours} ms"
  if command -v gnome-text-editor >/dev/null; then
    ref=$(start_time gnome-text-editor --standalone)
    echo "gnome-text-editor:  ${ref} ms"
    if [ "$ours" != n/a ] && [ "$ref" != n/a ] && [ "$ref" -gt 0 ]; then
      awk -v a="$ours" -v b="$ref" 'BEGIN { printf "ratio:              %.2f× (target ≤ 1×)\n", a / b }'
    fi
  else
    echo "gnome-text-editor:  not installed (apt-get install gnome-text-editor for the reference)"
  fi
else
  echo "xdotool is needed for the start-up figure"
fi
