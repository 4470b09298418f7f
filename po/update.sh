#!/usr/bin/env bash
# Regenerates the translation template and merges it into every language, in one
# command: rewrites POTFILES.in from the sources, runs the imgscan-pot and
# imgscan-update-po targets, then shows what is left to translate.
#
#   po/update.sh [BUILDDIR]      (default: build; configured if missing)
#
# Afterwards translate the new or fuzzy entries in po/de.po and po/fr.po
# (search for `msgstr ""` and `#, fuzzy`), and check with
#   meson test -C BUILDDIR --suite lint
set -euo pipefail
cd "$(dirname "$0")/.."

builddir="${1:-build}"
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" >/dev/null
fi

python3 tests/packaging/check-potfiles.py . --write
meson compile -C "$builddir" imgscan-pot imgscan-update-po >/dev/null

status=0
for lang in $(sed 's/#.*//' po/LINGUAS); do
  printf '%s: ' "$lang"
  LC_ALL=C msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>&1 | tail -n 1
  if LC_ALL=C msgfmt --statistics -o /dev/null "po/$lang.po" 2>&1 | grep -q 'fuzzy\|untranslated'; then
    status=1
  fi
done
exit $status
