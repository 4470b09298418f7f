#!/bin/sh
# make-screenshots.sh: the README and AppStream screenshots of `imgscan --demo`,
# made under Xvfb. Usage: tests/ui/make-screenshots.sh [BUILDDIR]   (default: build)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILDDIR=$(cd "${1:-$SRCDIR/build}" && pwd)
IMGSCAN=$BUILDDIR/src/app/imgscan
OUT=$SRCDIR/data/screenshots
WIDTH=1000
HEIGHT=700

# Without a display, start one (with a session bus for the accessibility bus).
if [ -z "${DISPLAY:-}" ]; then
  export HOME="${HOME:-/tmp}"
  exec xvfb-run -a -s "-screen 0 ${WIDTH}x${HEIGHT}x24 -nolisten tcp" \
    dbus-run-session -- "$0" "$BUILDDIR"
fi

for tool in import xdotool; do
  command -v "$tool" >/dev/null || { echo "make-screenshots: $tool is needed" >&2; exit 1; }
done
[ -x "$IMGSCAN" ] || { echo "make-screenshots: build $IMGSCAN first" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME="$TMP/data" XDG_CACHE_HOME="$TMP/cache" XDG_CONFIG_HOME="$TMP/config"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILDDIR/data"
unset GTK_A11Y NO_AT_BRIDGE

PHOTO=$SRCDIR/data/demo/sample-photo.jpg
if [ ! -f "$PHOTO" ]; then
  PHOTO=$TMP/sample-photo.jpg
  convert -size 1600x1067 plasma:skyblue-orange -blur 0x2 "$PHOTO"
fi
mkdir -p "$OUT"

# Waits until the window of $1 (a pid) is mapped, then sizes it to the screen.
wait_window () {
  i=0
  while [ $i -lt 100 ]; do
    wid=$(xdotool search --onlyvisible --pid "$1" 2>/dev/null | head -n 1 || true)
    if [ -n "$wid" ]; then
      xdotool windowmove "$wid" 0 0 windowsize "$wid" $WIDTH $HEIGHT 2>/dev/null || true
      echo "$wid"
      return 0
    fi
    i=$((i + 1)); sleep 0.1
  done
  echo "make-screenshots: no window appeared" >&2
  return 1
}

# Waits until the results are read out on the accessibility bus.
wait_results () {
  /usr/bin/python3 - "$1" <<'PY'
import sys, time, gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi
pid = int(sys.argv[1])
def walk(n, d=0):
    if n is None or d > 60: return
    yield n
    for i in range(n.get_child_count()):
        yield from walk(n.get_child_at_index(i), d + 1)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    desk = Atspi.get_desktop(0)
    for i in range(desk.get_child_count()):
        app = desk.get_child_at_index(i)
        if app is None or app.get_process_id() != pid: continue
        for n in walk(app):
            try:
                c = Atspi.Text.get_character_count(n)
                if c and 'full match' in Atspi.Text.get_text(n, 0, c):
                    sys.exit(0)
            except Exception:
                pass
    time.sleep(0.3)
sys.exit('make-screenshots: the results never appeared')
PY
}

shot () {
  sleep 1.5   # let the thumbnails arrive and the last frame paint
  import -window root "$OUT/$1"
  echo "wrote $OUT/$1"
}

"$IMGSCAN" --demo &
pid=$!
wait_window $pid >/dev/null
shot empty.png
kill $pid; wait $pid 2>/dev/null || true

"$IMGSCAN" --demo "$PHOTO" &
pid=$!
wait_window $pid >/dev/null
wait_results $pid
shot results.png
kill $pid; wait $pid 2>/dev/null || true
