"""Trainers teach by example: turn calibration disagreements into `examples:` on a card.

Where the machine counted a sentence the evaluator did not accept, that sentence becomes
a negative example of the criterion. Where the evaluator passed what the machine missed,
the words the evaluator quoted in the comment (found in the transcript) become a positive
example. Adopted examples then count (or never count) word for word, and retrain the
criterion's dialogue-act head, so that other wordings of the same thing move too.

Only types whose examples mean one thing are adopted: `phrase.v1` (the phrase) and
`question.v1` (the question). A disagreement about whether a criterion applies (`na`) is a
matter for `applies_when`, not for examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.scorecard.load import LoadedScorecard, load_scorecard
from qa.scorecard.schema import CriterionBase
from qa.text import normalise, sentences

ADOPTABLE = ("phrase.v1", "question.v1")
QUOTE_MIN_CHARS = 6  # shorter quoted words in a comment are too vague to find a sentence by
_SPAN = "{" + str(QUOTE_MIN_CHARS) + ",400}"
_QUOTED = re.compile(
    rf"(?<![A-Za-z])'(.{_SPAN}?)'(?![A-Za-z])|\"(.{_SPAN}?)\"|“(.{_SPAN}?)”|‘(.{_SPAN}?)’"
)


@dataclass(frozen=True)
class Adoption:
    interaction_id: str
    criterion: str
    kind: str  # positive | negative
    sentence: str
    evaluator: str = ""  # whose rating teaches it


def _machine_counted(c: CriterionBase, machine: str, human: str) -> str | None:
    """'negative' when the machine's verdict rests on sentences the evaluator rejects,
    'positive' when the evaluator's verdict rests on a sentence the machine missed."""
    if "na" in (machine, human):
        return None
    forbidden = getattr(c, "mode", "required") == "forbidden"
    found_by_machine = (machine == "fail") if forbidden else (machine == "pass")
    return "negative" if found_by_machine else "positive"


def quoted(comment: str) -> list[str]:
    """The words an evaluator quoted, each part of an elided quote on its own."""
    out = []
    for m in _QUOTED.finditer(comment or ""):
        text = next(g for g in m.groups() if g)
        out += [p.strip() for p in re.split(r"\.\.\.|…", text) if len(p.strip()) >= QUOTE_MIN_CHARS]
    return out


def _sentence_with(quote: str, turns: list[Any], speaker: str) -> str | None:
    want = normalise(quote)
    if not want:
        return None
    for t in turns:
        if speaker != "any" and t.role != speaker:
            continue
        for s in sentences(t.text):
            said = normalise(s)
            if want in said or (len(said) >= QUOTE_MIN_CHARS and said in want):
                return s
    return None


def propose(
    disagreements: list[Any], card: LoadedScorecard, turns_of: Any
) -> tuple[list[Adoption], list[str]]:
    """Examples to adopt from calibration disagreements, and why the others were not."""
    criteria = {c.id: c for _, c in card.scorecard.criteria()}
    out: list[Adoption] = []
    skipped: list[str] = []
    for d in disagreements:
        c = criteria.get(d.criterion)
        where = f"{d.criterion} on {d.interaction_id}"
        if c is None:
            continue
        ctype = getattr(c, "type", "")
        if ctype not in ADOPTABLE:
            skipped.append(f"{where}: {ctype} examples would be ambiguous")
            continue
        kind = _machine_counted(c, d.machine, d.human)
        if kind is None:
            skipped.append(f"{where}: whether it applies is for applies_when, not examples")
            continue
        found: list[str] = []
        if kind == "negative":
            found = [e["quote"] for e in d.evidence if e.get("turn") is not None]
        else:
            speaker = getattr(c, "speaker", "agent")
            turns = turns_of(d.interaction_id)
            found = [s for q in quoted(d.comment) if (s := _sentence_with(q, turns, speaker))]
        if not found:
            why = "no counted sentence" if kind == "negative" else "no quoted words in the comment"
            skipped.append(f"{where}: {why} to adopt")
        for s in dict.fromkeys(found):
            out.append(
                Adoption(d.interaction_id, d.criterion, kind, s, getattr(d, "evaluator", ""))
            )
    return out, skipped


def adopt(card_path: Path, adoptions: list[Adoption]) -> int:
    """Write the examples into the card file (its comments and layout kept); return how many
    were new. The card is validated before it is written."""
    card = load_scorecard(card_path)
    criteria = {c.id: c for _, c in card.scorecard.criteria()}
    wanted: dict[str, dict[str, list[str]]] = {}
    added = 0
    for a in adoptions:
        c = criteria[a.criterion]
        have = wanted.setdefault(
            a.criterion,
            {
                "positive": list(c.examples.positive) if c.examples else [],
                "negative": list(c.examples.negative) if c.examples else [],
            },
        )
        other = "negative" if a.kind == "positive" else "positive"
        if a.sentence in have[a.kind]:
            continue
        if a.sentence in have[other]:
            have[other].remove(a.sentence)  # the latest ruling wins
        have[a.kind].append(a.sentence)
        added += 1
    text = card.path.read_text(encoding="utf-8")
    for cid, examples in wanted.items():
        text = _with_examples(text, cid, examples, card.path)
    tmp = card.path.with_name(card.path.name + ".adopting")
    tmp.write_text(text, encoding="utf-8")
    try:
        load_scorecard(tmp)
    except Exception:
        tmp.unlink()
        raise
    tmp.replace(card.path)
    return added


def _with_examples(text: str, cid: str, examples: dict[str, list[str]], path: Path) -> str:
    """The card's text with the criterion's `examples:` block replaced or added."""
    return with_item_examples(text, cid, examples, path)


def with_item_examples(
    text: str,
    item_id: str,
    examples: dict[str, list[str]],
    path: Path,
    section: str | None = None,
) -> str:
    """The YAML text with the `examples:` block of the list item `- id: ITEM_ID` replaced
    or added; with `section`, the item is looked for under that top-level key only (a
    campaign's facts and retired claims may share ids)."""
    lines = text.split("\n")
    first, last = 0, len(lines)
    if section is not None:
        top = next(
            (i for i, ln in enumerate(lines) if re.match(rf"^{re.escape(section)}:\s*(#.*)?$", ln)),
            None,
        )
        if top is None:
            raise ConfigError(f"{path}: cannot find the line '{section}:' to add examples under")
        first = top + 1
        last = next(
            (i for i in range(first, last) if lines[i].strip() and not lines[i][0].isspace()
             and not lines[i].startswith(("-", "#"))),
            last,
        )  # fmt: skip
    head = next(
        (
            i
            for i in range(first, last)
            if re.match(rf"^\s*- id:\s*['\"]?{re.escape(item_id)}['\"]?\s*(#.*)?$", lines[i])
        ),
        None,
    )
    if head is None:
        raise ConfigError(f"{path}: cannot find the line '- id: {item_id}' to add examples under")
    indent = len(lines[head]) - len(lines[head].lstrip()) + 2
    return replace_examples(text, indent, examples, head)


def replace_examples(
    text: str, indent: int, examples: dict[str, list[str]], head: int | None = None
) -> str:
    """The text with the `examples:` key at `indent` of the mapping that starts after line
    `head` (the whole document when None) replaced by `examples`, or added at its end."""
    lines = text.split("\n")
    start = 0 if head is None else head + 1
    end = start
    while end < len(lines) and (
        head is None
        or not lines[end].strip()
        or len(lines[end]) - len(lines[end].lstrip()) >= indent
    ):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    block = lines[start:end]
    at = next((j for j, ln in enumerate(block) if ln.startswith(" " * indent + "examples:")), None)
    if at is not None:
        stop = at + 1
        while stop < len(block) and (
            not block[stop].strip() or len(block[stop]) - len(block[stop].lstrip()) > indent
        ):
            stop += 1
        block = block[:at] + block[stop:]
    pad = " " * indent
    new = [f"{pad}examples:"]
    for kind in ("positive", "negative", "not_pitch"):
        if examples.get(kind):
            new.append(f"{pad}  {kind}:")
            new += [f"{pad}    - {_quote(s)}" for s in examples[kind]]
    return "\n".join(lines[:start] + block + new + lines[end:])


def _quote(s: str) -> str:
    import json

    return json.dumps(" ".join(s.split()), ensure_ascii=False)
