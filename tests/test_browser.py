"""The reports in a real headless Chromium (Debian's), with the network switched off."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs
from tests.test_report import report_dir  # noqa: F401  (the shared report fixture)

pytestmark = [pytest.mark.browser, needs("playwright", "PIL")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `bash scripts/setup.sh`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    yield page
    context.close()


def test_pages_render_offline_and_are_not_blank(page: Any, report_dir: Path) -> None:  # noqa: F811
    from PIL import Image, ImageStat

    agent = next((report_dir / "agents").glob("l.chen-*.html"))
    for target in (report_dir / "index.html", agent):
        page.goto(target.as_uri())
        assert page.locator("h1").first.is_visible()
        shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")
        assert ImageStat.Stat(shot).stddev[0] > 20, "the screenshot is blank"
        assert page.evaluate("getComputedStyle(document.body).fontFamily")  # the CSS loaded
    remote = [u for u in page.requests if not u.startswith("file://")]
    assert remote == [], remote


# The content column's inner edges (left, right) of an element, and of the footer beside it.
COLUMN = """sel => {
  const edges = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return [r.left + parseFloat(s.paddingLeft), r.right - parseFloat(s.paddingRight)];
  };
  return [edges(document.querySelector('main')), edges(document.querySelector(sel))];
}"""


@pytest.mark.parametrize("kind", ["index", "agent", "transcript"])
@pytest.mark.parametrize("width", [1280, 700])
def test_the_sources_footer_sits_in_the_content_column(
    page: Any,
    report_dir: Path,  # noqa: F811
    kind: str,
    width: int,
) -> None:
    target = {
        "index": report_dir / "index.html",
        "agent": next((report_dir / "agents").glob("l.chen-*.html")),
        "transcript": sorted((report_dir / "t").glob("*.html"))[0],
    }[kind]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(target.as_uri())
    assert "Figures from scorecard" in page.locator("footer.sources").inner_text()
    main, footer = page.evaluate(COLUMN, "footer.sources")
    assert footer == pytest.approx(main, abs=1), (main, footer)


# The trend chart's box and its labels' boxes (left, top, right, bottom), as drawn.
CHART = """() => {
  const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const svg = document.querySelector('svg.trend');
  return {svg: box(svg), ticks: [...svg.querySelectorAll('g.axis.y text')].map(box),
          dates: [...svg.querySelectorAll('g.axis.x text')].map(box),
          text: [...svg.querySelectorAll('g.axis text')].map(t => t.textContent),
          name: svg.getAttribute('aria-labelledby') && document.getElementById(
            svg.getAttribute('aria-labelledby')).textContent};
}"""


def chart_is_legible(page: Any) -> dict[str, Any]:
    """The drawn chart: every label inside it, none over another, dates below the scores."""
    drawn = page.evaluate(CHART)
    left, top, right, bottom = drawn["svg"]
    labels = drawn["ticks"] + drawn["dates"]
    for x0, y0, x1, y1 in labels:
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, (drawn["svg"], labels)
        assert x1 - x0 > 5 and y1 - y0 > 5  # drawn, at a readable size
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b, drawn["text"])
    (first, last) = drawn["dates"]
    assert first[0] < last[0] and min(first[1], last[1]) >= max(t[3] for t in drawn["ticks"][:1])
    return drawn


def test_the_trend_chart_has_axes_and_a_name(page: Any, report_dir: Path) -> None:  # noqa: F811
    page.goto((report_dir / "index.html").as_uri())
    drawn = chart_is_legible(page)
    assert drawn["text"][:5] == ["0%", "25%", "50%", "75%", "100%"]
    assert drawn["name"] == "score trend"


def test_evidence_links_open_the_transcript_at_the_moment(page: Any, report_dir: Path) -> None:  # noqa: F811
    agent = next((report_dir / "agents").glob("l.chen-*.html"))
    page.goto(agent.as_uri())
    link = page.locator(".opportunity a.evidence").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert "/t/" in page.url and "#turn-" in page.url
    anchor = href.split("#")[1]
    target = page.locator(f"#{anchor}")
    assert target.count() == 1
    assert "current" in (target.get_attribute("class") or "")


def test_sortable_table(page: Any, report_dir: Path) -> None:  # noqa: F811
    page.goto((report_dir / "index.html").as_uri())
    header = page.locator("#agents th", has_text="Evaluations")
    header.click()
    first = page.locator("#agents tbody tr td:nth-child(6)").all_inner_texts()
    header.click()
    second = page.locator("#agents tbody tr td:nth-child(6)").all_inner_texts()
    assert [int(x) for x in first] == sorted(int(x) for x in first)
    assert second == list(reversed(first))


def test_planted_markup_neither_runs_nor_alters_the_page(page: Any, report_dir: Path) -> None:  # noqa: F811
    attacked = [p for p in (report_dir / "t").glob("*.html") if "alert(1)" in p.read_text()]
    assert len(attacked) == 2  # the chat and the email
    for target in attacked:
        page.goto(target.as_uri(), wait_until="load")  # inline scripts and onerror ran by now
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(true)))")
        assert page.dialogs == []
        assert page.locator("img").count() == 0
        assert page.locator("main script").count() == 0
        text = page.locator(".transcript").inner_text()
        assert "<script>alert(1)</script>" in text or "<img src=x onerror=alert(1)>" in text


def test_voice_transcript_seeks_audio(browser: Any, tmp_path: Path) -> None:
    """A voice transcript with its recording: clicking a turn moves the player there."""
    from click.testing import CliRunner

    from qa.cli import cli
    from tests.conftest import ROOT
    from tests.test_voice_unit import AGENT_WORDS, CUSTOMER_WORDS, FakeTranscriber, stereo_file

    db = tmp_path / "qa.db"
    wav = stereo_file(tmp_path / "call.wav", left=0.5, right=0.3)
    from qa.config import Config
    from qa.ingest.batch import ingest
    from qa.matching import Matcher
    from qa.scorecard.load import load_scorecard
    from qa.scoring import score_interactions
    from qa.store import Store
    from qa.voice.batch import transcribe_pending
    from qa.voice.pipeline import VoiceSettings

    store = Store(db)
    ingest([wav], store, Config())
    transcribe_pending(store, VoiceSettings(), FakeTranscriber({5: AGENT_WORDS, 3: CUSTOMER_WORDS}))
    card = load_scorecard(ROOT / "scorecards/inbound_service.yaml")
    score_interactions(store, store.load_interactions(), card, Matcher())
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["report", "--out", str(out), "--db", str(db)]).exit_code == 0
    [page_file] = (out / "t").glob("*.html")
    context = browser.new_context(offline=True)
    page = context.new_page()
    page.goto(page_file.as_uri() + "#turn-2")
    page.wait_for_function(  # arriving at a turn plays from its start
        "Math.abs(document.getElementById('player').currentTime - 2.5) < 0.3", timeout=5000
    )
    src = page.evaluate("document.getElementById('player').currentSrc")
    assert src.startswith(out.as_uri()) and Path(src.removeprefix("file://")).exists()
    page.locator("#turn-1").click()
    page.wait_for_function(  # times out, and fails, unless the click moves the player
        "Math.abs(document.getElementById('player').currentTime - 1.9) < 0.3", timeout=5000
    )
    context.close()
