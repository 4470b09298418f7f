#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that every language in po/LINGUAS is complete and well formed.

For each language: the committed .po passes `msgfmt --check` with no fuzzy and
no untranslated entries, its header names the language and the right plural
forms, and, merged with a template freshly extracted from the files in
POTFILES.in, it still has no untranslated entry: a string added to the sources
since the last po/update.sh makes this test fail. TAP output, one test per check.

Usage: check-po.py SOURCE_ROOT
"""

import os
import re
import subprocess
import sys
import tempfile

PLURAL_FORMS = {
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}

# The same keywords meson's i18n 'glib' preset passes to xgettext.
XGETTEXT_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_print:1:c-format",
]

STATS = re.compile(
    r"(?:(\d+) translated messages?)?(?:, )?(?:(\d+) fuzzy translations?)?(?:, )?"
    r"(?:(\d+) untranslated messages?)?")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, name, details=()):
        self.n += 1
        if not ok:
            self.failed += 1
        for line in details:
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {self.n} - {name}")


def statistics(po_path):
    """Runs msgfmt --check --statistics; returns (ok, output, translated, fuzzy, untranslated)."""
    r = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, po_path],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, LC_ALL="C", LANGUAGE=""))
    out = r.stdout.strip()
    last = out.splitlines()[-1] if out else ""
    m = STATS.match(last)
    nums = [int(g) if g else 0 for g in m.groups()] if m else [0, 0, 0]
    return r.returncode == 0, out, nums[0], nums[1], nums[2]


def untranslated_msgids(po_path):
    """The msgids with an empty msgstr (or fuzzy), for a readable failure message."""
    r = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", po_path],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    f = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", po_path],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    ids = re.findall(r'^msgid "(.+)"$', r.stdout + f.stdout, re.M)
    return ids[:20]


def main(argv):
    root = argv[1]
    podir = os.path.join(root, "po")
    with open(os.path.join(podir, "LINGUAS"), encoding="utf-8") as f:
        linguas = [w for line in f for w in line.split("#")[0].split()]

    tap = Tap()
    print(f"1..{3 + 4 * len(linguas)}")
    tap.check(sorted(linguas) == sorted(PLURAL_FORMS),
              "LINGUAS lists de and fr",
              [] if sorted(linguas) == sorted(PLURAL_FORMS) else [f"LINGUAS: {' '.join(linguas)}"])

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "imgscan.pot")
        r = subprocess.run(
            ["xgettext", "--package-name=imgscan", "-D", root,
             "-f", os.path.join(podir, "POTFILES.in"), "-k_", "-o", pot] + XGETTEXT_ARGS,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tap.check(r.returncode == 0 and os.path.exists(pot),
                  "xgettext extracts the template", r.stdout.splitlines() if r.returncode else ())
        # _("%" G_GINT64_FORMAT …) reaches xgettext cut short at the macro: the
        # catalog then holds a msgid the program never asks for, and the message
        # stays English. Format the number into a string first, or use %s.
        # xgettext warns only about strings it knows to be formats: look at every
        # msgid that ends on an unfinished % directive.
        cut = {}
        flat = subprocess.run(["msgattrib", "--no-wrap", pot] if os.path.exists(pot) else ["true"],
                              stdout=subprocess.PIPE, text=True).stdout
        for block in flat.split("\n\n"):
            locs = " ".join(l[3:] for l in block.splitlines() if l.startswith("#: "))
            if not re.search(r"\.[ch]:\d+", locs):
                continue  # a "100%" in a .ui file is plain text, not a format
            for m in re.finditer(r'^msgid(?:_plural)? "(.*)"$', block, re.M):
                tail = re.search(r"(%+)[-+ #0-9.'$hlLqjzt]*$", m.group(1))
                if tail and len(tail.group(1)) % 2 == 1:
                    cut[locs or m.group(1)] = m.group(1)
        tap.check(not cut, "no translatable string is cut short by a format macro",
                  [f"{loc}: “{msgid}” ends inside a % directive (a G_*_FORMAT macro?); "
                   "format the number into a string first and use %s" for loc, msgid in cut.items()])

        for lang in linguas:
            po = os.path.join(podir, f"{lang}.po")
            if not os.path.isfile(po):
                for _ in range(4):
                    tap.check(False, f"{lang}: po/{lang}.po exists")
                continue

            with open(po, encoding="utf-8") as f:
                text = f.read()
            want = PLURAL_FORMS.get(lang, "")
            header_ok = (f'"Plural-Forms: {want}\\n"' in text
                         and f'"Language: {lang}\\n"' in text
                         and '"Content-Type: text/plain; charset=UTF-8\\n"' in text)
            tap.check(header_ok, f"{lang}: header has Language, UTF-8 and {want}")

            ok, out, _, fuzzy, untranslated = statistics(po)
            tap.check(ok, f"{lang}: msgfmt --check is clean", out.splitlines() if not ok else ())
            tap.check(ok and fuzzy == 0 and untranslated == 0,
                      f"{lang}: the committed catalog has no fuzzy or untranslated entry",
                      [out] + untranslated_msgids(po) if fuzzy or untranslated else ())

            merged = os.path.join(tmp, f"{lang}.po")
            subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--previous",
                            "-o", merged, po, pot], check=False)
            ok, out, translated, fuzzy, untranslated = statistics(merged)
            details = []
            if not (ok and fuzzy == 0 and untranslated == 0 and translated > 0):
                details = [out, "not yet translated:"] + untranslated_msgids(merged)
                details.append("fix: po/update.sh, then translate the new entries")
            tap.check(ok and fuzzy == 0 and untranslated == 0 and translated > 0,
                      f"{lang}: every string in the current sources is translated "
                      f"({translated} messages)", details)

    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
