# SPDX-License-Identifier: GPL-3.0-or-later
"""What the AT-SPI tests share: a test photo, a walk over the accessible tree, and
finding the application started as a given process. Imported by tests/ui/atspi-smoke.py
and the scripts in tests/packaging/."""

import struct
import zlib

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402


def write_png(path, width=96, height=64):
    """A small, valid RGB PNG written with zlib only."""
    rows = b"".join(b"\x00" + b"".join(bytes((40 + (x * 2) % 200, (80 + y) % 256, 170))
                                        for x in range(width))
                    for y in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xffffffff)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(rows)))
        f.write(chunk(b"IEND", b""))


def walk(node, depth=0):
    """Every node under `node`, skipping the ones that vanish while we look."""
    if node is None or depth > 60:
        return
    yield node
    try:
        n = node.get_child_count()
    except Exception:
        return
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def find_app(pid):
    """The accessible application of process `pid`, or None while it has none."""
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None
