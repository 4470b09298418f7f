#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""“Open With ImgScan” from a file manager: the program is started the way the
desktop entry's Exec line says, with the photo as a file:// URI (%U), here one
with a space and an accent in its name. The window must scan that photo: the
demo scan's results show its name. (--demo is added so nothing leaves the
machine.) Read through AT-SPI.

Usage: test-open-with.py IMGSCAN BUILT_DESKTOP_FILE   (inside a session bus and a display)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("Atspi", "2.0")
gi.require_version("Gio", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from atspi_util import find_app, walk, write_png  # noqa: E402

TIMEOUT = 60
PHOTO_NAME = "Holiday photo é.png"


def texts_of(app):
    found = set()
    for node in walk(app):
        try:
            if node.get_name():
                found.add(node.get_name())
        except Exception:
            pass
        try:
            n = Atspi.Text.get_character_count(node)
            if n > 0:
                found.add(Atspi.Text.get_text(node, 0, n))
        except Exception:
            pass
    return found


def main(argv):
    imgscan, desktop_file = argv[1], argv[2]
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("1..0 # SKIP no display or no session bus")
        return 0

    keyfile = GLib.KeyFile()
    keyfile.load_from_file(desktop_file, GLib.KeyFileFlags.NONE)
    exec_line = keyfile.get_string("Desktop Entry", "Exec")

    tmp = tempfile.mkdtemp(prefix="imgscan-open-with-")
    photo = os.path.join(tmp, PHOTO_NAME)
    write_png(photo)
    uri = Gio.File.new_for_path(photo).get_uri()

    # Expand the Exec line as a launcher does (the Desktop Entry spec's field codes).
    argv_exec = GLib.shell_parse_argv(exec_line)[1]
    command = []
    for word in argv_exec:
        if word in ("%U", "%u"):
            command.append(uri)
        elif word in ("%F", "%f"):
            command.append(photo)
        elif word.startswith("%"):
            continue
        else:
            command.append(word)
    command[0:1] = [imgscan, "--demo"]

    env = {k: v for k, v in os.environ.items() if k not in ("GTK_A11Y", "NO_AT_BRIDGE")}
    env.update(LC_ALL="C")
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[var] = os.path.join(tmp, var.lower())
        os.makedirs(env[var], exist_ok=True)

    print("1..3", flush=True)
    print(f"# {' '.join(command[1:])}")
    failed = 0
    texts = set()
    proc = None
    try:
        for attempt in range(2):  # a display that was only just started may refuse the first client
            proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + TIMEOUT
            app = None
            while app is None and proc.poll() is None and time.monotonic() < deadline:
                app = find_app(proc.pid)
                time.sleep(0.25)
            if app is not None:
                break
            proc.terminate()
            proc.communicate(timeout=15)
        ok = app is not None
        print(f"{'ok' if ok else 'not ok'} 1 - imgscan started from the Exec line", flush=True)
        failed += not ok

        while ok and time.monotonic() < deadline:
            texts = texts_of(app)
            if PHOTO_NAME in texts and "Score summary" in texts:
                break
            time.sleep(0.25)
        ok = PHOTO_NAME in texts
        if not ok:
            print(f"# texts: {sorted(texts)}")
        print(f"{'ok' if ok else 'not ok'} 2 - the window scanned “{PHOTO_NAME}”", flush=True)
        failed += not ok
        ok = "Score summary" in texts
        print(f"{'ok' if ok else 'not ok'} 3 - and shows its results", flush=True)
        failed += not ok
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
