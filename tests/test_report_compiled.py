"""Report pages are compiled once per process and language: a second environment renders
the same page from the kept code, an edited template is compiled again, and a language
never gets another language's code."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.report.build import PageEnvironment, templates_env

PAGE = "{% for w in words %}{{ w | tr }} {% endfor %}|{{ 'pass' | tr }}|{{ _('Agents') }}"


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    names: list[str | None] = []
    compile_ = PageEnvironment.compile

    def spy(
        self: PageEnvironment, source: object, name: str | None = None, *a: object, **k: object
    ) -> object:
        names.append(name)
        return compile_(self, source, name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(PageEnvironment, "compile", spy)
    return names


def test_a_second_environment_renders_the_same_page_without_compiling_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "words.html").write_text(PAGE, encoding="utf-8")
    compiled = _compiles(monkeypatch)
    first = templates_env(tmp_path).get_template("words.html").render(words=["fail", "chat"])
    assert compiled == ["words.html"]
    second = templates_env(tmp_path).get_template("words.html").render(words=["fail", "chat"])
    assert second == first == "fail chat |pass|Agents"
    assert compiled == ["words.html"]


def test_an_edited_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "words.html"
    page.write_text(PAGE, encoding="utf-8")
    compiled = _compiles(monkeypatch)
    assert templates_env(tmp_path).get_template("words.html").render(words=[]) == "|pass|Agents"
    page.write_text("edited " + PAGE, encoding="utf-8")
    edited = templates_env(tmp_path).get_template("words.html").render(words=[])
    assert edited == "edited |pass|Agents"
    assert compiled == ["words.html", "words.html"]


def test_each_language_has_its_own_code(tmp_path: Path) -> None:
    """`'pass' | tr` is folded into the code when it is compiled: code kept for English
    would print English on a Chinese page."""
    (tmp_path / "words.html").write_text(PAGE, encoding="utf-8")
    english = templates_env(tmp_path).get_template("words.html").render(words=["fail"])
    chinese = templates_env(tmp_path, "zh-Hans").get_template("words.html").render(words=["fail"])
    assert english == "fail |pass|Agents"
    assert chinese == "未达标 |达标|坐席"
    assert chinese != english
    again = templates_env(tmp_path).get_template("words.html").render(words=["fail"])
    assert again == english
