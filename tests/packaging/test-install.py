#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installs the build into a temporary DESTDIR and checks that every file lands
in its standard place.

`meson install --destdir` skips gnome.post_install's hooks (schema compilation,
icon cache, desktop database), as packagers expect: the test checks that too.

Usage: test-install.py MESON BUILDDIR PREFIX BINDIR DATADIR LOCALEDIR APP_ID BUILD_APP
"""

import os
import subprocess
import sys
import tempfile


def main(argv):
    meson, builddir, prefix, bindir, datadir, localedir, app_id, build_app = argv[1:9]
    rel = lambda d: os.path.relpath(os.path.join(prefix, d), "/")

    expected = [
        os.path.join(rel(bindir), "imgscan-cli"),
        os.path.join(rel(datadir), "applications", f"{app_id}.desktop"),
        os.path.join(rel(datadir), "metainfo", f"{app_id}.metainfo.xml"),
        os.path.join(rel(datadir), "icons/hicolor/scalable/apps", f"{app_id}.svg"),
        os.path.join(rel(datadir), "icons/hicolor/symbolic/apps", f"{app_id}-symbolic.svg"),
        os.path.join(rel(datadir), "glib-2.0/schemas/org.example.ImgScan.gschema.xml"),
        os.path.join(rel(localedir), "de/LC_MESSAGES/imgscan.mo"),
        os.path.join(rel(localedir), "fr/LC_MESSAGES/imgscan.mo"),
    ]
    if build_app == "true":
        expected.insert(0, os.path.join(rel(bindir), "imgscan"))
    # Written by the post-install hooks, which must not run for a DESTDIR install.
    not_expected = [
        os.path.join(rel(datadir), "glib-2.0/schemas/gschemas.compiled"),
        os.path.join(rel(datadir), "icons/hicolor/icon-theme.cache"),
        os.path.join(rel(datadir), "applications/mimeinfo.cache"),
    ]

    n = 0
    failed = 0

    def check(ok, name, details=()):
        nonlocal n, failed
        n += 1
        failed += 0 if ok else 1
        for line in details:
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")

    print(f"1..{1 + len(expected) + len(not_expected) + 2}")
    with tempfile.TemporaryDirectory(prefix="imgscan-install-") as destdir:
        r = subprocess.run(
            [meson, "install", "-C", builddir, "--no-rebuild", "--destdir", destdir],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode == 0, "meson install --destdir succeeds",
              r.stdout.splitlines()[-30:] if r.returncode else ())

        for path in expected:
            full = os.path.join(destdir, path)
            ok = os.path.isfile(full) and os.path.getsize(full) > 0
            if ok and "/bin/" in f"/{path}":
                ok = os.access(full, os.X_OK)
            check(ok, f"installs {path}")

        for path in not_expected:
            check(not os.path.exists(os.path.join(destdir, path)),
                  f"does not run the post-install hook that writes {path}")

        # The installed desktop entry and metainfo are the translated ones.
        desktop = os.path.join(destdir, expected[-7])
        text = open(desktop, encoding="utf-8").read() if os.path.isfile(desktop) else ""
        check("Comment[de]=" in text and "Comment[fr]=" in text,
              "the installed desktop entry carries German and French")
        metainfo = os.path.join(destdir, expected[-6])
        text = open(metainfo, encoding="utf-8").read() if os.path.isfile(metainfo) else ""
        check('xml:lang="de"' in text and 'xml:lang="fr"' in text,
              "the installed metainfo carries German and French")

        installed = sorted(os.path.relpath(os.path.join(d, f), destdir)
                           for d, _, files in os.walk(destdir) for f in files)
        print("# installed:")
        for path in installed:
            print(f"#   {path}")

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
