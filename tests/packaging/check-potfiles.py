#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks po/POTFILES.in against the sources.

Fails when a file under src/ or data/ holds translatable strings but is not
listed, when a listed file does not exist, or when the list is not sorted.
With --write, rewrites po/POTFILES.in from the sources instead (po/update.sh).

Usage: check-potfiles.py SOURCE_ROOT [--write]
"""

import os
import re
import sys

SCANNED_DIRS = ("src", "data")
HEADER = (
    "# Files with translatable strings, sorted. tests/packaging/check-potfiles.py\n"
    "# fails when one is missing; po/update.sh rewrites this list.\n"
)

# Gettext calls in C (GNU style puts a space before the parenthesis).
C_MARKERS = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)\s*\(')
# GtkBuilder and similar XML.
UI_MARKERS = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')


def strip_c_comments(text):
    # A comment that mentions _() is not a translatable string.
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)


def has_translatable_strings(path):
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False

    if name.endswith((".c", ".h")):
        return bool(C_MARKERS.search(strip_c_comments(text)))
    if name.endswith((".ui", ".blp")):
        return bool(UI_MARKERS.search(text))
    if name.endswith((".desktop", ".desktop.in")):
        # Name, GenericName, Comment and Keywords are localestrings.
        return bool(re.search(r"^(Name|GenericName|Comment|Keywords)=", text, re.M))
    if name.endswith((".metainfo.xml.in", ".appdata.xml.in")):
        return bool(re.search(r"<(name|summary|p|li|caption)\b", text))
    if name.endswith(".gschema.xml"):
        # Only a schema list with a gettext domain has its summaries translated.
        return "gettext-domain=" in text and bool(re.search(r"<(summary|description)\b", text))
    if name.endswith(".xml.in"):
        return bool(UI_MARKERS.search(text))
    return False


def scan_sources(root):
    found = []
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for filename in filenames:
                path = os.path.join(dirpath, filename)
                if has_translatable_strings(path):
                    found.append(os.path.relpath(path, root))
    return sorted(found)


def read_potfiles(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                entries.append(line)
    return entries


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1]
    potfiles = os.path.join(root, "po", "POTFILES.in")
    wanted = scan_sources(root)

    if "--write" in argv[2:]:
        with open(potfiles, "w", encoding="utf-8") as f:
            f.write(HEADER)
            f.write("".join(p + "\n" for p in wanted))
        print(f"po/POTFILES.in: {len(wanted)} files")
        return 0

    listed = read_potfiles(potfiles)
    problems = []
    for p in wanted:
        if p not in listed:
            problems.append(f"{p} has translatable strings but is missing from po/POTFILES.in")
    for p in listed:
        if not os.path.isfile(os.path.join(root, p)):
            problems.append(f"po/POTFILES.in lists {p}, which does not exist")
    if listed != sorted(listed):
        problems.append("po/POTFILES.in is not sorted")
    if len(set(listed)) != len(listed):
        problems.append("po/POTFILES.in lists a file twice")

    print(f"1..1")
    if problems:
        for p in problems:
            print(f"# {p}")
        print("# fix: run po/update.sh, which rewrites POTFILES.in and merges the catalogs")
        print("not ok 1 - POTFILES.in matches the sources")
        return 1
    print(f"# {len(listed)} files listed, {len(wanted)} with translatable strings")
    print("ok 1 - POTFILES.in matches the sources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
