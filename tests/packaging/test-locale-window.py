#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ImgScan window speaks German under a German locale and French under a
French one, read from outside through AT-SPI as a screen reader would.

The window is opened twice per language, empty and with a demo scan's results,
first under the C locale and then under the language's locale with
IMGSCAN_LOCALEDIR=<builddir>/po. Every text the English window shows that is a
msgid of the build tree's catalog must appear translated, and the results'
"Score summary" (an accessible name) must be found by its translation.

Usage: test-locale-window.py IMGSCAN PO_BUILDDIR   (inside a session bus and a display)
"""

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from atspi_util import find_app, walk, write_png  # noqa: E402

LANGS = {"de": "de_DE.UTF-8", "fr": "fr_FR.UTF-8"}
TIMEOUT = 60
# Present once the demo scan's results are shown.
RESULTS_MARK = "Score summary"


def texts_of(app):
    """Every accessible name, description and label text in the window."""
    found = set()
    for node in walk(app):
        for getter in (lambda: node.get_name(), lambda: node.get_description()):
            try:
                value = getter()
            except Exception:
                value = None
            if value:
                found.add(value)
        try:
            n = Atspi.Text.get_character_count(node)
            if n > 0:
                found.add(Atspi.Text.get_text(node, 0, n))
        except Exception:
            pass
    return found


ENGLISH_WORDS = {"the", "and", "or", "of", "to", "a", "an", "is", "are", "was", "no", "not",
                 "on", "in", "for", "with", "this", "your", "used", "found", "match",
                 "matches", "scan", "photo", "copy", "copies", "credit", "credits", "web"}


def looks_english(text):
    words = [w.strip(".,:;()“”\"'…").lower() for w in text.split()]
    return len(words) >= 2 and sum(w in ENGLISH_WORDS for w in words) >= 1 \
        and not any(c in text for c in ("://", "/", "_"))


def collect(imgscan, args, env, mark, attempts=2):
    """Starts imgscan, waits for its window (and `mark` when given) and for its
    texts to settle, returns them and closes the program. Tries again once when
    no window appeared: a display that was only just started may refuse the
    first client."""
    for attempt in range(attempts):
        texts = collect_once(imgscan, args, env, mark, last=attempt == attempts - 1)
        if texts:
            break
    return texts


def collect_once(imgscan, args, env, mark, last):
    proc = subprocess.Popen([imgscan] + args, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    texts = set()
    try:
        deadline = time.monotonic() + TIMEOUT
        app = None
        while app is None and time.monotonic() < deadline and proc.poll() is None:
            app = find_app(proc.pid)
            time.sleep(0.25)
        stable_since = time.monotonic()
        while app is not None and time.monotonic() < deadline:
            now = texts_of(app)
            if now != texts:
                texts, stable_since = now, time.monotonic()
            elif (mark is None or mark in texts) and time.monotonic() - stable_since > 1.5:
                break
            time.sleep(0.25)
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    if not texts and last:
        print("# imgscan showed no window; its stderr:")
        for line in err.decode("utf-8", "replace").splitlines()[-15:]:
            print(f"#   {line}")
    return texts


def main(argv):
    imgscan, podir = argv[1], argv[2]
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("1..0 # SKIP no display or no session bus")
        return 0

    tmp = tempfile.mkdtemp(prefix="imgscan-locale-")
    photo = os.path.join(tmp, "photo.png")
    write_png(photo)

    base = {k: v for k, v in os.environ.items()
            if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "GTK_A11Y", "NO_AT_BRIDGE")}
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        base[var] = os.path.join(tmp, var.lower())
        os.makedirs(base[var], exist_ok=True)

    runs = (("the empty window", [], None),
            ("the demo scan's results", ["--demo", photo], RESULTS_MARK))

    n = 0
    failed = 0

    def check(ok, name, details=()):
        nonlocal n, failed
        n += 1
        failed += 0 if ok else 1
        for line in details:
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {n} - {name}", flush=True)

    print(f"1..{len(runs) + len(LANGS) * (1 + 2 * len(runs))}", flush=True)
    try:
        english = {}
        for what, args, mark in runs:
            english[what] = collect(imgscan, args, dict(base, LC_ALL="C"), mark)
            check(bool(english[what]) and (mark is None or mark in english[what]),
                  f"C: {what} is read through AT-SPI ({len(english[what])} texts)")

        for lang, loc in LANGS.items():
            mo = os.path.join(podir, lang, "LC_MESSAGES", "imgscan.mo")
            try:
                with open(mo, "rb") as f:
                    catalog = gettext.GNUTranslations(f)
            except OSError as e:
                catalog = None
                print(f"# {e}")
            check(catalog is not None, f"{lang}: the build tree has {mo}")
            msgs = {}
            if catalog is not None:
                msgs = {k: v for k, v in catalog._catalog.items()
                        if isinstance(k, str) and k and v and k != v}
                # Mnemonic underlines do not reach the accessible names.
                msgs = {k.replace("_", ""): v.replace("_", "") for k, v in msgs.items()}

            env = dict(base, LC_ALL=loc, LANG=loc, IMGSCAN_LOCALEDIR=podir)
            for what, args, mark in runs:
                shown = sorted(m for m in msgs if m in english[what])
                want_mark = msgs.get(mark) if mark else None
                texts = collect(imgscan, args, env, want_mark)
                if os.environ.get("IMGSCAN_TEST_VERBOSE"):
                    print(f"# {lang}, {what}: {sorted(texts)}")
                missing = [f"expected “{msgs[m]}” for “{m}”" for m in shown if msgs[m] not in texts]
                if mark and want_mark not in texts:
                    missing.append(f"expected “{want_mark}” for “{mark}”")
                check(len(shown) >= 3 and not missing,
                      f"{lang}: {what} is translated ({len(shown) - len(missing)}/{len(shown)} texts)",
                      missing[:10] + ([] if len(shown) >= 3 else
                                      [f"only {len(shown)} catalog strings in the English window"]))
                # A sentence left the same as in English was never marked for
                # translation (or is missing from the catalog).
                left = sorted(t for t in texts & english[what] if looks_english(t))
                check(bool(texts) and not left, f"{lang}: {what} has no English sentence left",
                      [f"still English: “{t}”" for t in left[:10]])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
