"""The report's interface in the reader's language: gettext catalogs under reports/locale/.

Templates write interface text as ``{{ _("…") }}`` (jinja2's i18n extension, new-style
gettext: ``_("Missed in %(n)s", n=…)`` escapes its values). The catalogs are the .po files
in ``reports/locale/<lang>/LC_MESSAGES/messages.po``; the compiled .mo beside each is
committed, so a core install reads them with the standard library's gettext alone
(scripts/catalogs.sh extracts, updates and compiles; a test checks .mo against .po).
A string missing from a catalog is shown in English.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa.resources import shipped_dir
from qa.vocabulary import CHANNELS, FLAG_KINDS, Status

DEFAULT_LANGUAGE = "en"
# BCP 47 tag (what `report.language` takes and <html lang> says) → catalog folder.
LANGUAGES: dict[str, str] = {"en": "en", "zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant"}
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker
    """Mark a string for the catalogs without translating it here (pages translate it)."""
    return message


# Interface words that reach the pages as data. Those of qa.vocabulary are taken from it
# (scripts/catalogs.sh adds DATA_WORDS to the extracted messages); the rest are marked here.
RESULT_NAMES = (N_("pass"), N_("fail"), N_("na"))
ROLE_NAMES = (N_("agent"), N_("customer"), N_("system"))
READINGS = (N_("first"), N_("second"))  # a flag's two readings of a call (qa.voice.verify)
PERIODS = (N_("all evaluations"),)  # the calibration page's period
DATA_WORDS: tuple[str, ...] = tuple(str(w) for w in (*CHANNELS, Status.REVIEW, *FLAG_KINDS))


def locale_dir() -> Path:
    return shipped_dir("qa.report_templates", "reports") / "locale"


def translations(language: str = DEFAULT_LANGUAGE) -> gettext.NullTranslations:
    """The catalog for a language; English (the messages as written) for `en`."""
    if language not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ValueError(f"unknown report language {language!r}; known: {known}")
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    mo = locale_dir() / LANGUAGES[language] / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with mo.open("rb") as fh:  # shipped with the package: missing is a broken install
        return gettext.GNUTranslations(fh)


_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def date_formatter(trans: gettext.NullTranslations) -> Callable[[Any], Any]:
    """`day` filter: an ISO date (or timestamp) as the language writes dates.

    The pattern is itself a catalog message, so a language's date form travels with its
    translations (en keeps ISO 8601, zh writes 2026年3月9日). Anything else passes as is."""
    pattern = trans.gettext("%(year)d-%(month)02d-%(day)02d")

    def day(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        m = _ISO_DAY.match(value)
        if m is None:
            return value
        year, month, dom = (int(g) for g in m.groups())
        return pattern % {"year": year, "month": month, "day": dom} + value[10:]

    return day


def word_translator(trans: gettext.NullTranslations) -> Callable[[Any], Any]:
    """`tr` filter: a data word in the language; empty and non-text values pass as they are
    (gettext of "" is the catalog's header)."""

    def tr(value: Any) -> Any:
        return trans.gettext(value) if isinstance(value, str) and value else value

    return tr


def install(env: Any, language: str = DEFAULT_LANGUAGE) -> None:
    """Give a jinja environment `_`, `gettext`, `ngettext`, the `day` filter and `lang`."""
    trans = translations(language)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(trans, newstyle=True)
    env.filters["day"] = date_formatter(trans)
    # Words that reach the page as data (channels, results, metric labels): translated as
    # plain text, escaped like any value. `_()` is for the template's own literal text only:
    # it marks its message safe HTML and formats it with %.
    env.filters["tr"] = word_translator(trans)
    env.globals["lang"] = language
