#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop entry offers ImgScan for every image type Copyleaks takes, so that
"Open With ImgScan" appears for each: JPEG, PNG, GIF, BMP, WebP, ICO and every
camera RAW type shared-mime-info knows (the subclasses of image/x-dcraw). Each
type listed must also be one shared-mime-info knows, so a typo cannot hide.

Usage: check-mimetypes.py BUILT_DESKTOP_FILE
"""

import sys

import gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

# Copyleaks' formats (shared/docs/copyleaks-api.md), by shared-mime-info name.
ACCEPTED = ["image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp",
            "image/vnd.microsoft.icon"]
RAW_PARENT = "image/x-dcraw"


def main(argv):
    keyfile = GLib.KeyFile()
    keyfile.load_from_file(argv[1], GLib.KeyFileFlags.NONE)
    listed = [t for t in keyfile.get_string_list("Desktop Entry", "MimeType") if t]
    exec_line = keyfile.get_string("Desktop Entry", "Exec")

    registered = set(Gio.content_types_get_registered())
    raw = sorted(t for t in registered if t != RAW_PARENT and Gio.content_type_is_a(t, RAW_PARENT))

    print("1..5")
    failed = 0

    def check(ok, name, details=()):
        nonlocal failed
        failed += 0 if ok else 1
        for line in details:
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {check.n} - {name}")
        check.n += 1
    check.n = 1

    missing = [t for t in ACCEPTED if not any(Gio.content_type_equals(t, l) for l in listed)]
    check(not missing, "every format Copyleaks takes is listed", [f"missing: {t}" for t in missing])

    check(len(raw) >= 10, f"shared-mime-info knows camera RAW types ({len(raw)})")
    missing = [t for t in raw + [RAW_PARENT] if t not in listed]
    check(not missing, "every camera RAW type is listed", [f"missing: {t}" for t in missing])

    unknown = [t for t in listed
               if t not in registered and Gio.content_type_from_mime_type(t) not in registered]
    check(not unknown, "every listed type is known to shared-mime-info",
          [f"unknown: {t}" for t in unknown])

    # A file manager passes the files as URIs (%U) or paths (%F).
    check(exec_line.split()[0] == "imgscan" and ("%U" in exec_line or "%F" in exec_line),
          f"Exec takes the files to open ({exec_line})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
