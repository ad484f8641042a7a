#!/usr/bin/env bash
# The report's message catalogs: extract every interface string from the templates and
# qa/report/*.py into reports/locale/messages.pot, merge it into each language's .po, and
# compile the .mo files that ship (committed, so a core install needs no Babel at run time;
# tests/test_zh_ui.py checks that each .mo says what its .po says and that no string is
# left untranslated). Needs Babel (the zh extra). Run after changing interface text.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-.venv/bin/pybabel}
[ -x "$PYBABEL" ] || PYBABEL=pybabel
"$PYBABEL" extract -F reports/babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 \
    --no-location --sort-output --project qa --copyright-holder "qa contributors" \
    -o reports/locale/messages.pot .
# Words of qa.vocabulary that pages show as data (channels, flag kinds): not literals in
# the code, so extraction cannot see them.
PYTHONPATH=$PWD "${PYTHON:-.venv/bin/python}" - <<'PY'
from babel.messages.pofile import read_po, write_po

from qa.report.i18n import DATA_WORDS

path = "reports/locale/messages.pot"
with open(path, "rb") as fh:
    catalog = read_po(fh)
for word in DATA_WORDS:
    if word not in catalog:
        catalog.add(word)
with open(path, "wb") as fh:
    write_po(fh, catalog, sort_output=True, omit_header=False, include_lineno=False)
PY
for lang in zh_Hans zh_Hant; do
    po=reports/locale/$lang/LC_MESSAGES/messages.po
    if [ -f "$po" ]; then
        "$PYBABEL" update --no-fuzzy-matching --ignore-obsolete -i reports/locale/messages.pot \
            -d reports/locale -l "$lang"
    else
        "$PYBABEL" init -i reports/locale/messages.pot -d reports/locale -l "$lang"
    fi
done
"$PYBABEL" compile --statistics -d reports/locale
