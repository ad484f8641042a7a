"""A Chinese report page in real headless Chromium (Debian's), network off: the interface
in Chinese, the customer's text shown as text, CJK characters on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.report.build import build_report
from tests.conftest import needs
from tests.test_browser import browser, chart_is_legible, page  # noqa: F401  (shared fixtures)
from tests.test_zh_ui import CUSTOMER, zh_store

pytestmark = [pytest.mark.browser, needs("playwright")]


@pytest.fixture
def zh_report(tmp_path: Path) -> Path:
    build_report(zh_store(tmp_path / "qa.db"), tmp_path / "r", copy_audio=False, language="zh-Hans")
    return tmp_path / "r"


def test_a_chinese_agent_page_in_the_browser(page: Any, zh_report: Path) -> None:  # noqa: F811
    agent = next((zh_report / "agents").glob("*.html"))
    page.goto(agent.as_uri())
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:3] == ["概览", "优势", "重点辅导方向"], headings
    assert page.locator("header .brand").inner_text() == "质检报告"
    assert "2026年3月9日" in page.locator("main").inner_text()
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "PingFang SC" in family and "Noto Sans CJK SC" in family  # system fonts, by script
    # the evaluations table sorts by date from its ISO value, whatever the language shows
    page.locator("th", has_text="日期").click()
    dates = page.locator("main section:last-of-type tbody td:first-child").all_inner_texts()
    assert dates == ["2026年3月9日", "2026年3月12日"]
    remote = [u for u in page.requests if not u.startswith("file://")]
    assert remote == [], remote


def test_customer_text_on_a_chinese_transcript_is_text(page: Any, zh_report: Path) -> None:  # noqa: F811
    page.goto((zh_report / "t" / "zh-chat.html").as_uri(), wait_until="load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done(true)))")
    assert page.dialogs == []
    assert page.locator("main script").count() == 0
    text = page.locator(".transcript").inner_text()
    assert CUSTOMER in text  # the markup shown as the customer wrote it, CJK included
    assert page.locator(".turn.customer .who").first.inner_text() == "客户"
    results = page.locator(".transcript .result").all_inner_texts()
    assert "未达标 · restate_need" in results and "标记 · 矛盾" in results, results


def test_the_trend_chart_in_chinese(page: Any, zh_report: Path) -> None:  # noqa: F811
    agent = next((zh_report / "agents").glob("*.html"))
    page.goto(agent.as_uri())
    drawn = chart_is_legible(page)
    assert drawn["text"][5:] == ["2026年3月9日", "2026年3月12日"]
    assert drawn["name"] == "得分趋势"
