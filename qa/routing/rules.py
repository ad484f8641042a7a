"""The routing file: which scorecards judge which contacts.

A routing file is YAML, validated strictly (an unknown key is an error, with its file,
line and path). Rules apply in order; the first whose conditions all hold gives the
scorecards, else the default does. A rule may attach several cards, and `always` adds
cards to every contact (a compliance card, say)::

    min_confidence: 0.5
    always: [compliance]
    rules:
      - id: renewals
        when: {work_type: outbound_renewal, channel: voice}
        scorecards: [outbound_telesales]
    default:
      scorecards: [inbound_service]

A condition's value is one word or a list of them (any may match), compared without
regard to case. `fields` tests any manifest column. A work type that was not decided
with enough confidence (below `min_confidence`, or none found at all) goes to the
default, and `qa route` says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from qa.errors import ConfigError
from qa.resources import resolve_scorecard, scorecards_dir, shipped_scorecards
from qa.routing.decision import WorkTypeDecision
from qa.vocabulary import CHANNELS, Direction, RoutingSource
from qa.yamlfile import FileErrors, Loc, _line_for, format_errors, load_yaml

if TYPE_CHECKING:
    from qa.model import Interaction
    from qa.routing.taxonomy import Taxonomy
    from qa.scorecard.load import LoadedScorecard

ROUTING_FILE = "routing.yaml"  # the shipped routing file, in the scorecards folder
DEFAULT_RULE = "default"

Words = str | list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _as_list(value: Words | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


class When(_Strict):
    """Conditions of a rule. Every one given must hold; a list matches any of its words."""

    work_type: Words | None = Field(None, description="Work types from the taxonomy.")
    direction: Words | None = Field(None, description="inbound, outbound or callback.")
    channel: Words | None = Field(None, description="voice, chat or email.")
    queue: Words | None = Field(None, description="The manifest's queue column.")
    team: Words | None = Field(None, description="The agent's team.")
    campaign: Words | None = Field(None, description="The interaction's campaign.")
    language: Words | None = Field(None, description="The interaction's language code.")
    agent: Words | None = Field(None, description="Agent ids.")
    fields: dict[str, Words] | None = Field(
        None, description="Any other manifest column: name -> value(s)."
    )

    @field_validator("direction")
    @classmethod
    def _direction(cls, value: Words | None) -> Words | None:
        for word in _as_list(value) or []:
            if word.lower() not in set(Direction):
                raise ValueError(f"unknown direction {word!r}: use one of {', '.join(Direction)}")
        return value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: Words | None) -> Words | None:
        for word in _as_list(value) or []:
            if word.lower() not in CHANNELS:
                raise ValueError(f"unknown channel {word!r}: use one of {', '.join(CHANNELS)}")
        return value

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class Rule(_Strict):
    id: str | None = Field(
        None, pattern=r"^[A-Za-z0-9_.-]+$", description="Shown by `qa route`; default rule-N."
    )
    description: str | None = None
    when: When = Field(default_factory=When, description="Conditions; none matches every contact.")
    scorecards: list[str] = Field(
        min_length=1, description="Scorecard files (relative to this file) or shipped names."
    )


class Default(_Strict):
    description: str | None = None
    scorecards: list[str] = Field(min_length=1, description="Cards for a contact no rule takes.")


class RoutingFile(_Strict):
    version: int | str | None = None
    description: str | None = None
    taxonomy: str | None = Field(
        None,
        description="A site's taxonomy file (relative to this file) that extends the shipped one.",
    )
    min_confidence: float | None = Field(
        None,
        ge=0,
        le=1,
        description=(
            "A detected work type below this confidence goes to the default"
            " (default: the taxonomy's min_confidence)."
        ),
    )
    always: list[str] = Field(
        default_factory=list, description="Scorecards for every contact, whatever its rule."
    )
    rules: list[Rule] = Field(default_factory=list)
    default: Default | None = Field(None, description="Where a contact that no rule takes goes.")


@dataclass
class Routing:
    """A validated routing file with its scorecards loaded."""

    path: Path
    spec: RoutingFile
    hash: str  # of the file's text and its cards' hashes: a change re-routes
    cards: dict[str, LoadedScorecard]  # reference as written -> card
    taxonomy: Taxonomy
    lines: dict[Loc, int] = field(default_factory=dict)

    def rule_id(self, index: int) -> str:
        rule = self.spec.rules[index]
        return rule.id or f"rule-{index + 1}"

    def rule_line(self, index: int | None) -> int | None:
        loc: Loc = ("default",) if index is None else ("rules", index)
        return _line_for(loc, self.lines)

    @property
    def min_confidence(self) -> float:
        """Below this, a detected work type is undecided: the routing file's, else the
        taxonomy's (which the detector also applies)."""
        given = self.spec.min_confidence
        return given if given is not None else self.taxonomy.min_confidence

    def route(self, item: Interaction, decision: WorkTypeDecision) -> Route:
        """The rule that takes this contact and the cards it gives, with the reasons."""
        undecided = _undecided(decision, self.min_confidence)
        values = _values(item, decision)
        chosen: int | None = None
        if not undecided or self.spec.default is None:
            for n, candidate in enumerate(self.spec.rules):
                given = candidate.when.given()
                # An undecided type goes to the default; without one, to a rule that
                # does not ask for a type.
                if undecided and "work_type" in given:
                    continue
                if _matches(given, values):
                    chosen = n
                    break
        if chosen is not None:
            refs, rule = self.spec.rules[chosen].scorecards, self.rule_id(chosen)
        elif self.spec.default is not None:
            refs, rule = self.spec.default.scorecards, DEFAULT_RULE
        else:
            raise ConfigError(
                f"{self.path.name}: no rule matches {item.source} ({values_text(values)}) and the"
                " file has no default: add `default: {scorecards: [...]}`"
            )
        names = list(dict.fromkeys([*self.spec.always, *refs]))
        return Route(
            rule=rule,
            line=self.rule_line(chosen),
            scorecards=[self.cards[n] for n in names],
            undecided=undecided,
            reason=_reason(decision, undecided, self.min_confidence, rule),
        )


@dataclass
class Route:
    rule: str  # the rule's id, or "default"
    line: int | None  # its line in the routing file
    scorecards: list[LoadedScorecard]
    undecided: bool  # the work type was not decided with enough confidence
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "line": self.line,
            "scorecards": [{"name": c.scorecard.name, "hash": c.hash} for c in self.scorecards],
            "undecided": self.undecided,
            "reason": self.reason,
        }


def _undecided(decision: WorkTypeDecision, min_confidence: float) -> bool:
    wt = decision.work_type
    if wt.source == RoutingSource.METADATA:
        return False
    return wt.source == RoutingSource.DEFAULT or wt.confidence < min_confidence


def _reason(decision: WorkTypeDecision, undecided: bool, min_confidence: float, rule: str) -> str:
    wt = decision.work_type
    if wt.source == RoutingSource.METADATA:
        why = f"work type {wt.value} from the metadata"
    elif wt.source == RoutingSource.DEFAULT:
        why = "no work type could be decided from the conversation"
    else:
        why = f"work type {wt.value} detected with confidence {wt.confidence:.2f}"
        if undecided:
            why += f", below {min_confidence:g}"
    if undecided and rule == DEFAULT_RULE:
        return f"{why}: undecided, sent to the default"
    if undecided:
        return f"{why}: undecided; rule {rule}, which asks no work type, matched"
    if rule == DEFAULT_RULE:
        return f"{why}; no rule matched, sent to the default"
    return f"{why}; rule {rule} matched"


def _values(item: Interaction, decision: WorkTypeDecision) -> dict[str, Any]:
    """What the conditions test, read from the decision, the interaction and its metadata."""
    meta = item.metadata or {}
    return {
        "work_type": decision.work_type.value,
        "direction": decision.direction.value,
        "channel": item.channel,
        "queue": meta.get("queue"),
        "team": item.agent.team if item.agent else meta.get("team"),
        "campaign": item.campaign,
        "language": item.language,
        "agent": item.agent.id if item.agent else None,
        "_meta": meta,
        "_item": item,
    }


def values_text(values: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} {v}" for k, v in values.items() if not k.startswith("_") and v is not None
    )


def _norm(value: Any) -> str | None:
    return None if value is None else str(value).strip().lower()


def _matches(given: dict[str, Any], values: dict[str, Any]) -> bool:
    for key, wanted in given.items():
        if key == "fields":
            for name, words in wanted.items():
                have = values["_meta"].get(name)
                if have is None:
                    have = getattr(values["_item"], name, None)
                if _norm(have) not in {_norm(w) for w in _as_list(words) or []}:
                    return False
            continue
        if _norm(values.get(key)) not in {_norm(w) for w in _as_list(wanted) or []}:
            return False
    return True


def _card_ref(base: Path, ref: str) -> Path:
    """A card named in a routing file: a path relative to the file, else a shipped name."""
    local = base / ref
    if local.exists():
        return local
    return resolve_scorecard(Path(ref))


def shipped_routing() -> Path:
    return scorecards_dir() / ROUTING_FILE


def load_routing(path: Path, site_taxonomy: Path | None = None) -> Routing:
    """Load and check a routing file: its schema, its work types against the taxonomy, and
    every scorecard it names. All problems at once, each with file, line and path.

    The taxonomy is the shipped one, extended by the routing file's `taxonomy:`, else by
    `site_taxonomy` (qa.yaml's `work_types:`)."""
    from qa.routing.taxonomy import load_taxonomy
    from qa.scorecard.load import load_scorecard

    if not path.exists() and path.as_posix() == Path(ROUTING_FILE).stem:
        path = shipped_routing()
    if not path.exists():
        raise ConfigError(f"no routing file at {path}")
    text = path.read_text(encoding="utf-8")
    data, lines = load_yaml(path, text)
    try:
        spec = RoutingFile.model_validate(data)
    except ValidationError as exc:
        raise FileErrors(format_errors(path, exc, lines, data)) from exc
    problems: list[str] = []

    def where(loc: Loc) -> str:
        line = _line_for(loc, lines)
        dotted = " → ".join(str(p) for p in loc)
        return f"{path.name}:{line} {dotted}" if line else f"{path.name} {dotted}"

    taxonomy_path = site_taxonomy
    if spec.taxonomy is not None:
        taxonomy_path = path.parent / spec.taxonomy
        if not taxonomy_path.exists():
            problems.append(f"{where(('taxonomy',))}: no taxonomy file at {taxonomy_path}")
            taxonomy_path = None
    taxonomy = load_taxonomy(taxonomy_path)
    for n, rule in enumerate(spec.rules):
        words = _as_list(rule.when.work_type) or []
        names: list[str] = []
        for k, word in enumerate(words):
            found = taxonomy.resolve(word)  # a name or one of its aliases
            if found is None:
                loc: Loc = ("rules", n, "when", "work_type")
                if isinstance(rule.when.work_type, list):
                    loc = (*loc, k)
                problems.append(
                    f"{where(loc)}: unknown work type {word!r}: use one of"
                    f" {', '.join(taxonomy.names)}"
                )
            names.append(found or word)
        if words:
            rule.when.work_type = names
    refs: list[tuple[Loc, str]] = [(("always", i), r) for i, r in enumerate(spec.always)]
    for n, rule in enumerate(spec.rules):
        refs += [(("rules", n, "scorecards", i), r) for i, r in enumerate(rule.scorecards)]
    if spec.default is not None:
        refs += [(("default", "scorecards", i), r) for i, r in enumerate(spec.default.scorecards)]
    cards: dict[str, LoadedScorecard] = {}
    for loc, ref in refs:
        if ref in cards:
            continue
        card_path = _card_ref(path.parent, ref)
        if not card_path.exists():
            problems.append(
                f"{where(loc)}: no scorecard {ref!r}: give a YAML file relative to"
                f" {path.name}, or a shipped card: {', '.join(shipped_scorecards())}"
            )
            continue
        try:
            cards[ref] = load_scorecard(card_path)
        except FileErrors as exc:
            problems += [f"{where(loc)}: scorecard {ref!r}: {p}" for p in exc.problems]
        except ConfigError as exc:
            problems.append(f"{where(loc)}: scorecard {ref!r}: {exc}")
    if spec.default is None and not any(not r.when.given() for r in spec.rules):
        problems.append(
            f"{path.name}:1 default: is required: no rule matches every contact, so a contact"
            " that none takes would have no scorecard"
        )
    if problems:
        raise FileErrors(problems)
    digest = hashlib.sha256(
        json.dumps(
            [
                text,
                sorted((k, c.hash) for k, c in cards.items()),
                _detector_settings(taxonomy),
            ],
            sort_keys=True,
            default=str,
        ).encode("utf-8")
    ).hexdigest()[:16]
    return Routing(path, spec, digest, cards, taxonomy, lines)


def _detector_settings(taxonomy: Taxonomy) -> list[Any]:
    """What decides a work type besides the routing file: the taxonomy files' text and the
    detector's constants. A change of either decides stored contacts again."""
    from qa.engine import module_constants

    texts = [p.read_text(encoding="utf-8") for p in getattr(taxonomy, "files", ())]
    return [list(taxonomy.names), texts, module_constants("qa.routing.detect")]


def json_schema() -> dict[str, Any]:
    schema = RoutingFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "qa routing file"
    return schema
