"""Trainer tools: check a scorecard against labelled example interactions.

An example is the JSON that `qa show ID --json` prints (only `channel` and
`turns` are needed), plus `expected`: criterion id -> pass, fail or na.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa.errors import ConfigError
from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.scorecard.engine import score_interaction
from qa.scorecard.load import LoadedScorecard
from qa.store import content_id
from qa.vocabulary import Channel
from qa.yamlfile import FileErrors


class ExampleTurn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["agent", "customer", "system"]
    text: str
    start: float = 0.0
    end: float | None = None


class Example(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str | None = None
    channel: Channel
    direction: Literal["inbound", "outbound", "callback"] | None = None
    work_type: str | None = None
    campaign: str | None = None
    duration: float | None = None
    turns: list[ExampleTurn] = Field(min_length=1)
    expected: dict[str, Literal["pass", "fail", "na"]] = Field(min_length=1)


def load_example(path: Path) -> tuple[Interaction, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ex = Example.model_validate(data)
    except json.JSONDecodeError as exc:
        raise FileErrors([f"{path.name}:{exc.lineno} broken JSON: {exc.msg}"]) from exc
    except ValidationError as exc:
        raise FileErrors(
            [f"{path.name} {' → '.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        ) from exc
    turns = [
        Turn(
            role=t.role,
            speaker=t.role,
            text=t.text,
            start=t.start,
            end=t.end if t.end is not None else t.start,
        )
        for t in ex.turns
    ]
    item = Interaction(
        id=ex.id or content_id("example", path.name),
        channel=ex.channel,
        source=str(path),
        agent=Agent(id="example"),
        turns=turns,
        direction=ex.direction,
        work_type=ex.work_type,
        campaign=ex.campaign,
        duration=ex.duration,
    )
    return item, dict(ex.expected)


@dataclass
class ExampleCheck:
    example: str
    criterion: str
    expected: str
    actual: str
    note: str | None

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def examples_folder(card_path: Path) -> Path | None:
    """The folder of labelled examples shipped beside a card (examples/NAME/ for NAME.yaml),
    if there is one."""
    folder = card_path.parent / "examples" / card_path.stem
    return folder if folder.is_dir() else None


def check_examples(
    card: LoadedScorecard, examples: Path | None, matcher: Matcher
) -> list[ExampleCheck]:
    """The labelled example interactions in `examples`, then the card's own criterion
    `examples:` (adopted ones included): each positive must count, each negative must not."""
    own = check_criterion_examples(card, matcher)
    if examples is None:
        if not own:
            raise ConfigError(f"{card.path}: no criterion examples; pass --examples FOLDER")
        return own
    files = sorted(examples.glob("*.json")) if examples.is_dir() else [examples]
    if not files:
        raise ConfigError(f"no example .json files in {examples}")
    known = {c.id for _, c in card.scorecard.criteria()}
    checks: list[ExampleCheck] = []
    problems: list[str] = []
    for path in files:
        item, expected = load_example(path)
        unknown = sorted(set(expected) - known)
        if unknown:
            problems.append(f"{path.name} expected: unknown criterion id(s) {', '.join(unknown)}")
            continue
        results = {c.id: c for c in score_interaction(item, card, matcher).criteria}
        for cid, want in expected.items():
            got = results[cid]
            checks.append(ExampleCheck(path.name, cid, want, got.result, got.note))
    if problems:
        raise FileErrors(problems)
    return checks + own


def check_criterion_examples(card: LoadedScorecard, matcher: Matcher) -> list[ExampleCheck]:
    """Each sentence in a criterion's `examples:`, said alone in a chat turn by the
    criterion's speaker: does the criterion count it?"""
    from qa.scorecard.adopt import ADOPTABLE
    from qa.scorecard.context import Context
    from qa.scorecard.criteria import EVALUATORS

    checks: list[ExampleCheck] = []
    for _, c in card.scorecard.criteria():
        ctype = getattr(c, "type", "")
        if c.examples is None or ctype not in ADOPTABLE:
            continue
        speaker = getattr(c, "speaker", "agent")
        for kind, sentences in (
            ("positive", c.examples.positive),
            ("negative", c.examples.negative),
        ):
            for sentence in sentences:
                other = "customer" if speaker == "agent" else "agent"
                item = Interaction(
                    id=content_id("criterion-example", c.id, sentence),
                    channel=Channel.CHAT,
                    source=f"{card.path.name}:{c.id}",
                    agent=Agent(id="example"),
                    language=card.scorecard.language,
                    turns=[
                        Turn(role=other, speaker=other, text="Hello.", start=0.0, end=0.0),
                        Turn(role=speaker, speaker=speaker, text=sentence, start=30.0, end=30.0),
                    ],
                )
                ctx = Context(
                    item,
                    matcher,
                    card_language=card.scorecard.language,
                    reader=card.scorecard.reader,
                )
                if ctype == "question.v1":  # as the criterion counts, in the whole contact
                    alone = c.model_copy(update={"window": None, "min": 1, "max": None})
                    counted = bool(EVALUATORS[ctype](alone, ctx).details.get("count"))
                else:
                    counted = bool(ctx.find(c, [1], examples=c.examples))  # type: ignore[arg-type]
                want = "counts" if kind == "positive" else "ignored"
                got = "counts" if counted else "ignored"
                checks.append(ExampleCheck(f"examples: {kind}", c.id, want, got, sentence))
    return checks
