"""Reports in the reader's language: gettext catalogs, `report.language`, dates, CJK text."""

from __future__ import annotations

import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import load_config
from qa.errors import QAError
from qa.model import Agent, CriterionResult, Evaluation, Evidence, Flag, Interaction, Turn
from qa.report import i18n
from qa.report.build import build_report, templates_env
from qa.resources import CHECKOUT
from qa.store import Store

LOCALE = CHECKOUT / "reports" / "locale"
CATALOG_LANGUAGES = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
CUSTOMER = "我想提前還款<script>alert(1)</script>，還要付多少錢？"


def po_path(language: str) -> Path:
    return LOCALE / i18n.LANGUAGES[language] / "LC_MESSAGES" / "messages.po"


def read_po(language: str) -> dict[str, str]:
    babel_pofile = pytest.importorskip("babel.messages.pofile")
    with po_path(language).open("rb") as fh:
        catalog = babel_pofile.read_po(fh)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str)}


def extracted_messages() -> set[str]:
    """Every interface message of the templates and qa/report/*.py, as extraction sees it."""
    extract = pytest.importorskip("babel.messages.extract")
    found: set[str] = set()
    method_map = [("qa/report/**.py", "python"), ("reports/**.html", "jinja2")]
    options = {"reports/**.html": {"trimmed": "true"}}
    keywords = dict(extract.DEFAULT_KEYWORDS, N_=None)
    for _file, _line, message, _comments, _context in extract.extract_from_dir(
        str(CHECKOUT), method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found | set(i18n.DATA_WORDS)


# -- catalogs -------------------------------------------------------------------------


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_compiled_catalog_says_what_its_po_says(language: str) -> None:
    po = {k: v for k, v in read_po(language).items() if v}
    mo = i18n.translations(language)
    assert isinstance(mo, gettext.GNUTranslations)
    compiled = {k: v for k, v in mo._catalog.items() if k}  # type: ignore[attr-defined]
    assert compiled == po, "run scripts/catalogs.sh: the .mo is stale"


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_every_interface_message_is_translated(language: str) -> None:
    po = read_po(language)
    wanted = extracted_messages()
    assert len(wanted) > 100
    missing = sorted(m for m in wanted if not po.get(m))
    assert not missing, f"untranslated in {language} (run scripts/catalogs.sh): {missing[:10]}"
    for msgid, text in po.items():  # the same placeholders on both sides
        if text:
            assert sorted(re.findall(r"%\(\w+\)", msgid)) == sorted(
                re.findall(r"%\(\w+\)", text)
            ), msgid


def test_traditional_catalog_is_in_traditional_script() -> None:
    hant = read_po("zh-Hant")
    assert hant["Team overview"] == "團隊概覽"
    assert hant["Campaign flags"] != read_po("zh-Hans")["Campaign flags"]


def test_missing_translation_falls_back_to_english() -> None:
    env = templates_env(language="zh-Hans")
    page = env.from_string('{{ _("Team overview") }}|{{ _("A sentence no catalog has") }}')
    assert page.render() == "团队概览|A sentence no catalog has"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        templates_env(language="fr")


def test_data_words_are_translated_as_text_and_escaped() -> None:
    env = templates_env(language="zh-Hans")
    page = env.from_string("{{ a | tr }}|{{ b | tr }}|{{ c | tr }}|{{ d | tr }}")
    # a work type or note a site wrote is data: escaped, never read as a format string
    out = page.render(a="chat", b="<b>50% off</b>", c="", d=None)
    assert out == "在线聊天|&lt;b&gt;50% off&lt;/b&gt;||None"


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", "2026-03-09", "2026-03-09"),
        ("zh-Hans", "2026-03-09", "2026年3月9日"),
        ("zh-Hant", "2026-12-31 23:50 UTC", "2026年12月31日 23:50 UTC"),
        ("zh-Hans", "not a date", "not a date"),
    ],
)
def test_dates_are_written_as_the_language_writes_them(
    language: str, value: str, shown: str
) -> None:
    assert templates_env(language=language).from_string("{{ v | day }}").render(v=value) == shown


# -- report.language --------------------------------------------------------------------


def test_report_language_defaults_to_english(tmp_path: Path) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text("agents: []\n", encoding="utf-8")
    assert load_config(path).report.language == "en"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("report:\n  language: fr\n", "language"),
        ("report:\n  language: zh\n", "language"),
        ("report:\n  lang: zh-Hans\n", "lang"),
    ],
)
def test_report_language_is_checked_strictly_with_its_line(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text("agents: []\n" + body, encoding="utf-8")
    with pytest.raises(QAError) as info:
        load_config(path)
    message = str(info.value)
    assert "qa.yaml:3 report → " in message and problem in message


# -- pages ------------------------------------------------------------------------------


def zh_store(path: Path) -> Store:
    """A Traditional chat and a Simplified call of one team, scored and flagged."""
    store = Store(path)
    items = [
        Interaction(
            id="zh-chat",
            channel="chat",
            source="/nowhere/zh-chat.json",
            agent=Agent("li.na", "李娜", "客服一组"),
            started_at="2026-03-09T10:00:00+08:00",
            turns=[
                Turn("agent", "您好，樂購網客服小李，請問有什麼可以幫您？", 0.0, 1.0),
                Turn("customer", CUSTOMER, 5.0, 6.0),
                Turn("agent", "這個分期現在打八折，十二期免息。", 9.0, 10.0),
            ],
        ),
        Interaction(
            id="zh-call",
            channel="voice",
            source="/nowhere/zh-call.wav",
            agent=Agent("li.na", "李娜", "客服一组"),
            started_at="2026-03-12T15:00:00+08:00",
            duration=95.0,
            turns=[
                Turn("agent", "您好，安泰人寿，我是李娜。", 0.0, 3.0),
                Turn("customer", "我想问一下等待期。", 3.5, 6.0),
            ],
        ),
    ]
    store.save_interactions(items)
    store.save_scorecard("服务评分表", "h1", "name: 服务评分表\nsections: []\n")
    quote = Evidence(2, "agent", 9.0, 10.0, "這個分期現在打八折")
    pairs = []
    for k, item in enumerate(items):
        crit = [
            CriterionResult("greeting", "s", "phrase.v1", "pass", 2.0, 2.0, 0.9, []),
            CriterionResult("restate_need", "s", "phrase.v1", "fail", 0.0, 2.0, 0.9, [quote]),
        ]
        ev = Evaluation("服务评分表", "h1", 2.0, 4.0, 50.0, False, False, crit)
        flags = (
            [Flag("contradiction", "high", "LEGOU-PLUS", "首年5折", "說成了八折", [quote])]
            if k == 0
            else []
        )
        pairs.append((item.id, ev, {}, flags, "c1"))
    store.save_evaluations(pairs, engine="qa test")
    return store


class _Text(HTMLParser):
    """Text of headings, table heads and labels: what the interface itself says."""

    TAGS = {"h2", "h3", "th", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.interface: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        self.scripts += tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip() and set(self.stack) & self.TAGS:
            self.interface.append(data.strip())


# Names that stay as they are in Chinese text (statistics named after people, a format).
KEPT_LATIN = {"Cohen's", "kappa", "Kappa", "Pearson", "VAD", "UTC", "r"}


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][\w'.-]*[\w']", text, re.ASCII)) - KEPT_LATIN


@pytest.mark.parametrize(
    ("language", "heading", "date"),
    [("zh-Hans", "重点辅导方向", "2026年3月9日"), ("zh-Hant", "重點輔導方向", "2026年3月9日")],
)
def test_chinese_report_has_a_chinese_interface(
    tmp_path: Path, language: str, heading: str, date: str
) -> None:
    store = zh_store(tmp_path / "qa.db")
    build_report(store, tmp_path / "r", copy_audio=False, language=language)
    pages = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "r").rglob("*.html")}
    assert {"index.html", "zh-chat.html", "zh-call.html"} <= pages.keys()
    agent = next(p.read_text(encoding="utf-8") for p in (tmp_path / "r" / "agents").iterdir())
    assert f'<html lang="{language}">' in agent
    assert heading in agent and date in agent
    for name, html in pages.items():
        parser = _Text()
        parser.feed(html)
        # every heading, column head and title is Chinese: data (names, criteria ids) aside
        data = {"greeting", "restate_need", "li.na", "LEGOU-PLUS"}
        leftovers = latin_words(" ".join(parser.interface)) - data
        assert not leftovers, (name, leftovers)
        assert parser.scripts == 0, name
    chat = pages["zh-chat.html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chat and "<script>alert" not in chat
    assert "我想提前還款" in chat and "說成了八折" in chat


def test_english_stays_the_default(tmp_path: Path) -> None:
    store = zh_store(tmp_path / "qa.db")
    build_report(store, tmp_path / "r", copy_audio=False)
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "Team overview" in index and "团队" not in index
    assert "2026-03-09 to 2026-03-12" in index


def test_report_command_takes_the_language_from_the_site_configuration(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    zh_store(db).close()
    config = tmp_path / "qa.yaml"
    config.write_text("report:\n  language: zh-Hant\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "r"
    args = ["report", "--db", str(db), "--out", str(out), "--json"]
    result = runner.invoke(cli, [*args, "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["agents"] == 1
    assert "團隊概覽" in (out / "index.html").read_text(encoding="utf-8")
    result = runner.invoke(cli, [*args, "--config", str(config), "--language", "en"])
    assert result.exit_code == 0, result.output
    assert "Team overview" in (out / "index.html").read_text(encoding="utf-8")
    config.write_text("report:\n  language: klingon\n", encoding="utf-8")
    result = runner.invoke(cli, [*args, "--config", str(config)])
    assert result.exit_code == 2 and "qa.yaml:2" in result.output


def test_pages_name_system_cjk_fonts_and_load_no_web_fonts() -> None:
    css = (CHECKOUT / "reports" / "assets" / "report.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "url(" not in css
    for face in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans CJK TC"):
        assert f'"{face}"' in css
    assert "html:lang(zh-Hant)" in css


def test_wheel_carries_the_catalogs() -> None:
    tomllib = pytest.importorskip("tomllib")
    pyproject = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["qa.report_templates"]
    reports = CHECKOUT / "reports"
    shipped = {p for g in globs for p in reports.glob(g)}
    for language in CATALOG_LANGUAGES:
        folder = reports / "locale" / i18n.LANGUAGES[language] / "LC_MESSAGES"
        assert {folder / "messages.mo", folder / "messages.po"} <= shipped
