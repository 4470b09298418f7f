#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest: flatpak-builder parses it with warnings fatal
(an unknown key or a wrong type fails), and it asks for no more than the app needs.

Usage: check-manifest.py FLATPAK_BUILDER MANIFEST
"""

import json
import re
import os
import subprocess
import sys
import tempfile

# The whole sandbox the app needs; files come in through the portals and
# libsecret reaches the keyring through the Secret portal.
FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}


def version_at_least(version, minimum):
    try:
        return tuple(int(x) for x in str(version).split(".")) >= minimum
    except ValueError:
        return False


def main(argv):
    builder, manifest = argv[1], argv[2]
    n = 0
    failed = 0

    def check(ok, name, details=()):
        nonlocal n, failed
        n += 1
        failed += 0 if ok else 1
        for line in details:
            print(f"# {line}")
        print(f"{'ok' if ok else 'not ok'} {n} - {name}")

    print("1..10")
    # flatpak-builder leaves a .flatpak-builder state folder in its working
    # directory: keep it out of the checkout.
    with tempfile.TemporaryDirectory() as cwd:
        r = subprocess.run([builder, "--show-manifest", os.path.abspath(manifest)],
                           env=dict(os.environ, G_DEBUG="fatal-warnings"), cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(r.returncode == 0,
          "G_DEBUG=fatal-warnings flatpak-builder --show-manifest accepts every key",
          r.stderr.splitlines())

    with open(manifest, encoding="utf-8") as f:
        m = json.load(f)
    args = m.get("finish-args", [])

    check(m.get("id") == "org.example.ImgScan" and m.get("command") == "imgscan",
          "id org.example.ImgScan, command imgscan")
    check(m.get("runtime") == "org.gnome.Platform" and m.get("sdk") == "org.gnome.Sdk",
          "GNOME runtime and SDK")
    check(version_at_least(m.get("runtime-version", ""), (47,)),
          f"runtime-version {m.get('runtime-version')!r} is 47 or newer")
    check(not any(a.startswith(("--filesystem", "--persist")) for a in args),
          "no --filesystem: files come through the portals")
    check(not any("org.freedesktop.secrets" in a or a.startswith("--talk-name=org.freedesktop.Secret")
                  for a in args),
          "no Secret Service talk-name: libsecret uses the portal")
    check(set(args) == FINISH_ARGS and len(args) == len(FINISH_ARGS),
          "finish-args are exactly network, ipc, wayland, fallback-x11 and dri",
          [f"finish-args: {' '.join(args)}"])

    app = (m.get("modules") or [{}])[-1]
    check(isinstance(app, dict) and app.get("name") == "imgscan"
          and app.get("buildsystem") == "meson"
          and {"type": "dir", "path": "."} in app.get("sources", []),
          "the last module builds the local checkout with meson")
    # The app's config-opts must name options this project has (or meson's own).
    root = os.path.dirname(os.path.abspath(manifest))
    try:
        with open(os.path.join(root, "meson_options.txt"), encoding="utf-8") as f:
            project_opts = set(re.findall(r"option\s*\(\s*'([^']+)'", f.read()))
    except OSError:
        project_opts = set()
    builtin = {"buildtype", "optimization", "debug", "prefix", "libdir", "werror",
               "warning_level", "default_library", "strip", "unity", "wrap_mode"}
    bad = []
    for opt in app.get("config-opts", []) if isinstance(app, dict) else []:
        found = re.match(r"^(?:-D|--)([A-Za-z0-9_.-]+)(?:=|$)", opt)
        name = found.group(1) if found else opt
        if name not in project_opts and name not in builtin and not name.startswith("b_"):
            bad.append(f"{opt}: no such option in meson_options.txt")
    check(not bad, "the app's config-opts are options of this project", bad)

    # Every other module is a library the runtime lacks; it must build lean.
    lean = []
    for mod in m.get("modules", [])[:-1]:
        opts = " ".join(mod.get("config-opts", [])).lower() if isinstance(mod, dict) else ""
        if not ("doc" in opts and "test" in opts and ("introspection" in opts or "gir" in opts)):
            lean.append(f"{mod.get('name') if isinstance(mod, dict) else mod}: "
                        "turn docs, tests and introspection off in config-opts")
    check(not lean, "extra modules (if any) build without docs, tests and introspection", lean)

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
