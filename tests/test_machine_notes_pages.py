"""The review app's interaction page and the report's journey page show a machine note (no
turn: where the machine looked) as the machine's note, never as words said in a quote, and
with no moment to play from; words said are still quoted."""

from __future__ import annotations

from typing import Any

import pytest

from qa.report.build import templates_env
from qa.serve.app import env
from tests.test_machine_notes import NOTE, SAID

SHOWN = "Machine: none of &#39;x&#39; found"


@pytest.mark.parametrize(("e", "quoted"), [(NOTE, False), (SAID, True)])
def test_the_review_app_shows_a_note_as_the_machines(e: dict[str, Any], quoted: bool) -> None:
    page = env().from_string(
        '{% from "serve/evidence.html" import evidence %}{{ evidence(e) }}|{{ evidence(e, n) }}'
    )
    alone, beside_note = page.render(e=e, n=NOTE["quote"]).split("|")
    assert ("<q>Hello there.</q>" in alone) == quoted
    assert (SHOWN in alone) == (not quoted)
    assert ("data-start" in alone) == quoted  # a note has no moment to play from
    assert ("0:04" in alone) == quoted
    # The criterion's own note line already says it: the note is not repeated.
    assert beside_note == ("" if not quoted else alone)


@pytest.mark.parametrize(("e", "quoted"), [(NOTE, False), (SAID, True)])
def test_a_journey_moment_shows_a_note_as_the_machines(e: dict[str, Any], quoted: bool) -> None:
    moment = templates_env().get_template("journey_moment.html").module.moment  # type: ignore[attr-defined]
    html = str(moment("../", "i1", e, 2))
    assert ("<q>Hello there.</q>" in html) == quoted
    assert (SHOWN in html) == (not quoted)
    assert "#2" in html and ("#turn-1" in html) == quoted
