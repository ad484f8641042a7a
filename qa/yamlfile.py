"""YAML files that users edit, validated strictly with every error located.

Errors read ``sales.yaml:14 sections → 2 → criteria → 0 → points: must be a
number``, all of them at once, so a trainer fixes a file in one pass.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from qa.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]

# Limits on a user's YAML, so that a hostile or careless file fails fast with its line
# instead of hanging a run: aliases may repeat a block, but the whole document may not
# expand past MAX_VALUES values, nor nest deeper than MAX_DEPTH.
MAX_VALUES = 100_000
MAX_DEPTH = 64
# Only plain data: a tag that would build an object (``!!python/name:...``) is refused.
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary")
)


# Documents already parsed, by their text: one process reads the same shipped card, campaign
# file or work-type taxonomy many times (a rescore, the review app, a site's file over the
# shipped one), and PyYAML's own parser takes about 4 ms of CPU per kilobyte. Each caller
# gets a copy of its own (unpickled), so no caller sees another's changes; a changed file is
# a different text; only documents that parsed are kept.
PARSED_KEEP = 64  # documents
PARSED_MAX_CHARS = 1_000_000  # a larger document is parsed each time
_parsed: OrderedDict[str, bytes] = OrderedDict()
_parsed_lock = threading.Lock()


class FileErrors(ConfigError):
    """Every problem found in one or more files, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Limit(Exception):
    """The document broke a limit; the message names it, the node says where."""

    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        super().__init__(message)


class _Builder:
    """Plain data from a composed YAML tree, within the limits above."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.values = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def check(self, node: yaml.Node, depth: int) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Limit(
                node, f"expands to more than {MAX_VALUES:,} values (aliases repeating aliases?)"
            )
        if depth > MAX_DEPTH:
            raise _Limit(node, f"nests deeper than {MAX_DEPTH} levels")
        if node.tag not in PLAIN_TAGS:
            raise _Limit(
                node,
                f"tag {node.tag!r} is not allowed: only plain data (text, numbers, lists, mappings)",
            )

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.check(node, len(loc))
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Limit(key_node, "a key must be plain text")
                self.check(key_node, len(loc) + 1)
                key = self.scalar(key_node)
                out[key] = self.build(value_node, (*loc, key))
                if value_node.start_mark.line <= key_node.start_mark.line:
                    # Inline, or an alias to a block further up: the key's own line.
                    self.lines[(*loc, key)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self.scalars.construct_object(node)
        except ValueError:
            return (
                node.value
            )  # an impossible date (2026-13-01): let validation say so, with its line


def _flow_depth(text: str) -> int:
    """The deepest nesting of [ and { outside quotes and comments, in one linear pass."""
    depth = deepest = 0
    quote = ""
    comment = False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            comment = True
    return deepest


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML and return the data with the line of every path in it."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise FileErrors([f"{path}: cannot read: {exc}"]) from exc
    with _parsed_lock:
        kept = _parsed.get(text)
        if kept is not None:
            _parsed.move_to_end(text)
    if kept is not None:
        data, lines = pickle.loads(kept)
        return data, lines
    data, lines = _parse(path, text)
    if len(text) <= PARSED_MAX_CHARS:
        kept = pickle.dumps((data, lines), protocol=pickle.HIGHEST_PROTOCOL)
        with _parsed_lock:
            _parsed[text] = kept
            while len(_parsed) > PARSED_KEEP:
                _parsed.popitem(last=False)
    return data, lines


def _parse(path: Path, text: str) -> tuple[Any, dict[Loc, int]]:
    if _flow_depth(text) > MAX_DEPTH:
        # Refused before PyYAML's scanner walks a hundred thousand brackets one by one.
        raise FileErrors([f"{path} invalid YAML: nests deeper than {MAX_DEPTH} levels"])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileErrors([f"{where} invalid YAML: {problem}"]) from exc
    except RecursionError as exc:
        raise FileErrors([f"{path} invalid YAML: nests deeper than {MAX_DEPTH} levels"]) from exc
    if node is None:
        return {}, {}
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except _Limit as exc:
        raise FileErrors([f"{path}:{exc.node.start_mark.line + 1} invalid YAML: {exc}"]) from None
    return data, builder.lines


def _line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (check the spelling)"
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return "must be a number"
    if kind == "missing":
        return "is required"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown type {ctx.get('tag')!r}: use one of {ctx.get('expected_tags')}"
    if kind in WANTED:
        return f"{WANTED[kind]}, not {_shown(err.get('input'))}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "one of the listed values")
        return f"must be {expected}, not {_shown(err.get('input'))}"
    msg = str(err.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ")  # a validator's own message says what is wrong
    return msg[0].lower() + msg[1:] if msg else msg


# What a value of the wrong kind must be instead, said in the file's terms (YAML), in place
# of the parser's phrase ("input should be a valid boolean, unable to interpret input").
WANTED = {
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text (quote it: '...')",
    "list_type": "must be a list ([a, b], or one '- item' line each)",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping of settings (key: value lines)",
    "model_attributes_type": "must be a mapping of settings (key: value lines)",
    "path_type": "must be a file or folder path",
}
SHOWN_CHARS = 40  # the most of a wrong value an error quotes


def _shown(value: Any) -> str:
    """A wrong value as the error quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _user_path(loc: tuple[Any, ...], data: Any) -> Loc:
    """The error's location as the user wrote it, without pydantic's union-member tags."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and part == node.get("type"):
            continue  # the tag of a discriminated union ("phrase.v1")
        if _is_union_tag(part) and not (isinstance(node, dict) and part in node):
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def format_errors(
    path: Path,
    exc: ValidationError,
    lines: dict[Loc, int],
    data: Any = None,
    name: str | None = None,
) -> list[str]:
    """Turn a pydantic error into ``file:line a → b: message`` lines, in the file's line
    order (the top level first). ``name`` is how the file is named (its base name unless
    given: a configuration is named as the user gave its path)."""
    shown = path.name if name is None else name
    located = []
    for err in exc.errors():
        loc: Loc = _user_path(err["loc"], data)
        line = _line_for(loc, lines)
        where = f"{shown}:{line}" if line else shown
        dotted = " → ".join(str(p) for p in loc) or "(top level)"
        located.append((line or 0, f"{where} {dotted}: {_message(err)}"))
    return [problem for _, problem in sorted(located, key=lambda lp: lp[0])]


def _is_union_tag(part: Any) -> bool:
    # pydantic names the union member it tried ("function-after[...]", "str");
    # such a tag is no part of the path that a user wrote.
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "float", "list"})


def validate_file(
    path: Path, model: type[M], text: str | None = None, name: str | None = None
) -> M:
    """Load and validate one YAML file, raising FileErrors with every problem (the file
    named as `format_errors` names it)."""
    data, lines = load_yaml(path, text)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FileErrors(format_errors(path, exc, lines, data, name)) from exc
