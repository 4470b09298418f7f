#!/usr/bin/python3
# atspi-smoke.py: drive the real `imgscan --demo photo.png` from outside, as a screen
# reader would: find the score summary and the full/partial match groups by their
# accessible names, activate a button through Atspi.Action, and quit cleanly.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: atspi-smoke.py PATH/TO/imgscan   (inside a session bus and an X display)

import os
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from atspi_util import find_app, walk, write_png  # noqa: E402

TIMEOUT = 60


def tap(ok, n, what):
    print(('ok %d - %s' if ok else 'not ok %d - %s') % (n, what), flush=True)
    return ok


def name_of(node):
    try:
        return node.get_name() or ''
    except Exception:
        return ''


def text_of(node):
    """A label's text: GTK 4.8 exposes it through the Text interface."""
    name = name_of(node)
    try:
        n = Atspi.Text.get_character_count(node)
        if n > 0:
            return Atspi.Text.get_text(node, 0, n)
    except Exception:
        pass
    return name


CONTROL_ROLES = ('push button', 'toggle button', 'page tab', 'check box', 'radio button', 'link',
                 'combo box', 'menu item', 'slider', 'spin button')


def unnamed_controls(app):
    """Controls whose accessible name is empty, a GTK type name or a raw mnemonic."""
    found = []

    def visit(node, path, depth):
        if node is None or depth > 60:
            return
        try:
            role = node.get_role_name()
        except Exception:
            return
        name = name_of(node)
        if role in CONTROL_ROLES and (not name.strip() or name.startswith(('Gtk', 'Adw', 'Imgscan'))
                                      or name.startswith('_')):
            found.append((role, name, path))
        for i in range(node.get_child_count()):
            child = node.get_child_at_index(i)
            visit(child, path + [name_of(child)] if child else path, depth + 1)

    visit(app, [], 0)
    return found


def wait_for(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.25)
    raise SystemExit('Bail out! gave up waiting for %s' % what)


def find_named(app, predicate):
    for node in walk(app):
        if predicate(name_of(node), node):
            return node
    return None


def is_button(node):
    try:
        return node.get_role() in (Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.PAGE_TAB)
    except Exception:
        return False


def main():
    imgscan = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix='imgscan-atspi-')
    photo = os.path.join(tmp, 'photo.png')
    write_png(photo)

    env = dict(os.environ)
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    for var in ('XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME'):
        env[var] = os.path.join(tmp, var.lower())
        os.makedirs(env[var], exist_ok=True)

    print('1..7', flush=True)
    proc = subprocess.Popen([imgscan, '--demo', photo], env=env)
    failed = 0
    try:
        app = wait_for(lambda: find_app(proc.pid), 'imgscan on the accessibility bus')
        failed += not tap(True, 1, 'imgscan is on the accessibility bus')

        summary = wait_for(lambda: find_named(app, lambda n, _: n == 'Score summary'),
                           'the score summary')
        # The results arrive after the demo scan: wait until the summary reads them.
        texts = wait_for(lambda: [t for t in (text_of(n) for n in walk(summary)) if 'full match' in t]
                         and [text_of(n) for n in walk(summary)],
                         'the score summary to show the counts')
        failed += not tap(any('partial match' in t for t in texts), 2,
                          'the score summary reads the counts: %r' % texts)

        full = wait_for(lambda: find_named(app, lambda n, _: n == 'Full matches'),
                        'the full matches group')
        failed += not tap(full.get_child_count() > 0, 3,
                          'the full matches group has rows (%d)' % full.get_child_count())

        # The tab that shows the partial matches: activate it like a screen reader would.
        tab = wait_for(lambda: find_named(app, lambda n, node: n.startswith('Partial matches')
                                          and is_button(node)),
                       'the partial matches tab')
        failed += not tap(Atspi.Action.do_action(tab, 0), 4,
                          'activated "%s" through Atspi.Action' % name_of(tab))

        partial = wait_for(lambda: find_named(app, lambda n, node: n == 'Partial matches'
                                              and not is_button(node)
                                              and node.get_child_count() > 0),
                           'the partial matches group with rows')
        failed += not tap(partial is not None, 5, 'the partial matches group is shown with its rows')

        # Every control needs a name a screen reader can say. The sign-in page belongs to
        # the account work: its findings are reported, not failed, here.
        mine, others = [], []
        for role, name, path in unnamed_controls(app):
            (others if 'Sign In' in path else mine).append('%s %r under %s' % (role, name, ' / '.join(p for p in path if p)))
        for line in others:
            print('# TODO (sign-in page) unnamed control: %s' % line, flush=True)
        for line in mine:
            print('# unnamed control: %s' % line, flush=True)
        failed += not tap(not mine, 6, 'every control of the window has an accessible name')
    finally:
        # Quit like a user: the window's own Close button (client-side decorations).
        try:
            close = find_named(app, lambda n, node: n == 'Close' and is_button(node))
            if close is not None:
                time.sleep(0.4)  # a button ignores a second activation within 250 ms
                Atspi.Action.do_action(close, 0)
            else:
                print('# no Close button found; terminating', flush=True)
                proc.terminate()
        except Exception as e:
            print('# could not press Close: %s' % e, flush=True)
            proc.terminate()
        try:
            code = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.terminate()
            code = proc.wait(timeout=15)
        shutil.rmtree(tmp, ignore_errors=True)

    failed += not tap(code == 0, 7, 'imgscan exited cleanly (status %d)' % code)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
