#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`imgscan-cli --help` (and `imgscan-cli scan --help`) speak German under a
German locale and French under a French one, from the build tree's catalogs
(IMGSCAN_LOCALEDIR=<builddir>/po).

The expected phrases come from the compiled catalog itself: every catalog
msgid that the English help shows must appear translated, so the test follows
the strings as they change while still failing when a string is not marked
for translation, the catalog is not found, or the locale is not set up.

Usage: test-locale.py IMGSCAN_CLI PO_BUILDDIR
"""

import gettext
import os
import re
import subprocess
import sys

LANGS = {"de": "de_DE.UTF-8", "fr": "fr_FR.UTF-8"}
# Shown by `imgscan-cli --help` as the description of the scan command.
KEY_PHRASE = "Search the web for copies of a photo"
HELP_RUNS = (["--help"], ["scan", "--help"])


def run(cli, args, env_extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    env.update(env_extra)
    r = subprocess.run([cli] + args, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return r.returncode, r.stdout.decode("utf-8", "replace") + r.stderr.decode("utf-8", "replace")


def installed_locales():
    r = subprocess.run(["locale", "-a"], stdout=subprocess.PIPE, text=True)
    return {l.lower().replace("utf-8", "utf8") for l in r.stdout.split()}


def main(argv):
    cli, podir = argv[1], argv[2]
    n = 0
    failed = 0

    def check(ok, name, details=()):
        nonlocal n, failed
        n += 1
        failed += 0 if ok else 1
        for line in details:
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")

    print(f"1..{len(LANGS) * 6}")
    english = {}
    for args in HELP_RUNS:
        english[tuple(args)] = run(cli, args, {"LC_ALL": "C"})[1]

    have = installed_locales()
    for lang, loc in LANGS.items():
        ok = loc.lower().replace("utf-8", "utf8") in have
        check(ok, f"{lang}: locale {loc} is installed",
              [] if ok else
              [f"generate it: sed -i 's/^# *\\({loc}\\)/\\1/' /etc/locale.gen && locale-gen"])

        mo = os.path.join(podir, lang, "LC_MESSAGES", "imgscan.mo")
        try:
            with open(mo, "rb") as f:
                catalog = gettext.GNUTranslations(f)
            ok = catalog.info().get("language") == lang
        except OSError as e:
            catalog, ok = None, False
            print(f"# {e}")
        check(ok, f"{lang}: the build tree has {mo}")
        if catalog is None:
            for _ in range(4):
                check(False, f"{lang}: (no catalog)")
            continue

        msgs = {k: v for k, v in catalog._catalog.items()
                if isinstance(k, str) and k and v and k != v}
        env = {"LC_ALL": loc, "LANG": loc, "IMGSCAN_LOCALEDIR": podir}

        status, out = run(cli, ["--help"], env)
        key = msgs.get(KEY_PHRASE)
        check(status == 0 and key is not None and key in out,
              f"{lang}: `imgscan-cli --help` shows “{key}”",
              [] if key and key in out else out.splitlines()[:15])

        for args in HELP_RUNS:
            status, out = run(cli, args, env)
            en = english[tuple(args)]
            # Catalog strings the English help shows, leaving out any that only
            # appear inside a longer shown string (that one is checked instead).
            # Placeholders such as FILE.json are also in the untranslated synopsis.
            shown = [m for m in msgs if len(m) >= 8 and "%" not in m and m.strip() in en
                     and re.search(r"[a-z]{3}", m.split(".")[0])]
            shown = [m for m in shown
                     if not any(m != o and m in o for o in shown)]
            missing = [f"expected “{msgs[m].strip()}” for “{m.strip()}”"
                       for m in shown if msgs[m].strip() not in out]
            check(status == 0 and len(shown) >= 3 and not missing,
                  f"{lang}: `imgscan-cli {' '.join(args)}` is translated "
                  f"({len(shown) - len(missing)}/{len(shown)} phrases)",
                  missing[:10] + ([] if len(shown) >= 3 else
                                  ["fewer than 3 catalog strings in the English help"]))

        status, out = run(cli, ["--help"], {"LC_ALL": loc, "LANG": loc,
                                            "IMGSCAN_LOCALEDIR": "/nonexistent"})
        check(KEY_PHRASE in out,
              f"{lang}: with no catalog under IMGSCAN_LOCALEDIR the help stays English")

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
