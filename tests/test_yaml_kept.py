"""A document parsed once is kept by its text: each caller gets a copy of its own, the
same data and lines as a fresh parse, and a document that fails fails every time."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from qa import yamlfile
from qa.yamlfile import FileErrors, load_yaml

TEXT = "id: c\nsections:\n  - name: s\n    criteria:\n      - {id: a, points: 5}\n      - id: b\n"


def test_each_caller_gets_its_own_copy_of_the_same_data_and_lines(tmp_path: Path) -> None:
    first, first_lines = load_yaml(tmp_path / "a.yaml", TEXT + "# one\n")
    first["sections"][0]["criteria"].clear()
    first_lines.clear()
    again, lines = load_yaml(tmp_path / "b.yaml", TEXT + "# one\n")
    assert again == {"id": "c", "sections": [{"name": "s", "criteria": [
        {"id": "a", "points": 5}, {"id": "b"}]}]}  # fmt: skip
    assert lines[("sections", 0, "criteria", 1, "id")] == 6
    assert lines[("sections", 0, "criteria", 0)] == 5
    again["id"] = "changed"
    assert load_yaml(tmp_path / "c.yaml", TEXT + "# one\n")[0]["id"] == "c"


def test_a_kept_document_is_not_parsed_again_and_a_changed_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    compose = yaml.compose
    monkeypatch.setattr(yaml, "compose", lambda *a, **k: calls.append(1) or compose(*a, **k))
    path = tmp_path / "card.yaml"
    path.write_text(TEXT + "# two\n", encoding="utf-8")
    assert load_yaml(path) == load_yaml(path)
    assert len(calls) == 1
    path.write_text(TEXT.replace("points: 5", "points: 7") + "# two\n", encoding="utf-8")
    assert load_yaml(path)[0]["sections"][0]["criteria"][0]["points"] == 7
    assert len(calls) == 2


def test_a_document_that_fails_fails_each_time_with_its_own_file(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml"):
        with pytest.raises(FileErrors, match=f"{name}:2 invalid YAML: mapping values"):
            load_yaml(tmp_path / name, "a: 1\nb: c: d\n")


def test_the_store_of_documents_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlfile, "PARSED_KEEP", 3)
    monkeypatch.setattr(yamlfile, "PARSED_MAX_CHARS", 100)
    for n in range(6):
        assert load_yaml(tmp_path / "x.yaml", f"n: {n}\nkept: bounded\n")[0]["n"] == n
    assert len(yamlfile._parsed) == 3
    assert "n: 5\nkept: bounded\n" in yamlfile._parsed  # the latest are kept
    big = "k: " + "x" * 100 + "\n"
    assert load_yaml(tmp_path / "big.yaml", big)[0]["k"] == "x" * 100
    assert big not in yamlfile._parsed
