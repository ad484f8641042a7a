"""The shared words live in qa/vocabulary.py only: a grep of the package finds no stray copy."""

from __future__ import annotations

import ast

import click

from qa.cli import cli
from qa.vocabulary import (
    CHANNELS,
    DIARIZATION_MODES,
    DIARIZATION_SOURCES,
    FLAG_KINDS,
    FLAG_SEVERITY,
    FLAG_STATUSES,
    Severity,
    Status,
)
from tests.conftest import ROOT

GROUPS = (CHANNELS, DIARIZATION_SOURCES, FLAG_KINDS, FLAG_STATUSES, Status, Severity)
WORDS = {str(w) for group in GROUPS for w in group}
# Quoted inside a longer string (SQL, a message), these are still the vocabulary's words.
QUOTED = {f"'{w}'" for group in (CHANNELS, Status, FLAG_STATUSES) for w in group}
# The same spelling with another meaning: a question's kind ("open" or "closed"), which the
# scorecard schema and the question reader own.
ELSEWHERE = {
    ("qa/text.py", "open"),
    ("qa/text.py", "'open'"),
    ("qa/scorecard/criteria.py", "open"),
    ("qa/scorecard/context.py", "open"),
    ("qa/scorecard/schema.py", "open"),
    # Ray's own keyword for "the cluster on this machine" (ray.init(address="auto")), not
    # the diarization mode.
    ("qa/executors/cluster.py", "auto"),
}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_key(node: ast.Constant, parent: ast.AST | None) -> bool:
    """A dict key, an index, an attribute name or a .get() key: a field, not a value."""
    if isinstance(parent, ast.Dict) and any(k is node for k in parent.keys):
        return True
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        return True
    if isinstance(parent, ast.Call):
        func = parent.func
        if isinstance(func, ast.Attribute) and func.attr in {"get", "setdefault", "pop"}:
            return bool(parent.args) and parent.args[0] is node
        if isinstance(func, ast.Name) and func.id in {"getattr", "hasattr"}:
            return len(parent.args) > 1 and parent.args[1] is node
    return False


def strays(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    parents = _parents(tree)
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if (
            node.value in WORDS
            and not _is_key(node, parents.get(node))
            and not any(isinstance(p, ast.JoinedStr) for p in _ancestors(node, parents))
        ):
            out.append((node.lineno, node.value))
        out += [(node.lineno, q) for q in QUOTED if q in node.value]
    return sorted(out)


def _ancestors(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    chain = []
    while node in parents:
        node = parents[node]
        chain.append(node)
    return chain


def test_the_grep_finds_what_it_should() -> None:
    found = strays(
        'a = item.channel == "voice"\n'
        'b = Literal["embedded", "none"]\n'
        "c = \"SELECT 1 WHERE status = 'review'\"\n"
        'd = {"voice": 1}["failed"]\n'
        "e = f\"{x or 'none'}\"\n"
        'f = meta.get("channels", [])\n'
    )
    assert found == [(1, "voice"), (2, "embedded"), (2, "none"), (3, "'review'")]


def test_no_vocabulary_word_is_spelled_out_elsewhere() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {word}"
        for path in sorted((ROOT / "qa").rglob("*.py"))
        if path.name != "vocabulary.py"
        for line, word in strays(path.read_text(encoding="utf-8"))
        if (path.relative_to(ROOT).as_posix(), word) not in ELSEWHERE
    ]
    assert not found, "use qa.vocabulary instead:\n" + "\n".join(found)


def test_flag_statuses_and_speaker_sources_are_covered() -> None:
    assert {"open", "review"} <= WORDS and "vendor" in WORDS
    assert set(DIARIZATION_MODES) <= set(DIARIZATION_SOURCES)
    found = strays('s = "open" if x else "review"\nm = {"diarization": "vendor"}\n')
    assert found == [(1, "open"), (1, "review"), (2, "vendor")]


def test_every_flag_kind_has_a_severity() -> None:
    assert set(FLAG_SEVERITY) == set(FLAG_KINDS)


def test_cli_choices_come_from_the_vocabulary() -> None:
    def choices(command: click.Command, option: str) -> list[str]:
        param = next(p for p in command.params if p.name == option)
        assert isinstance(param.type, click.Choice)
        return list(param.type.choices)

    assert isinstance(cli, click.Group)
    score = cli.commands["score"]
    assert choices(score, "diarization") == [str(m) for m in DIARIZATION_MODES]
    check = cli.commands["campaigns"]
    assert isinstance(check, click.Group)
    assert choices(check.commands["check"], "channel") == [str(c) for c in CHANNELS]
