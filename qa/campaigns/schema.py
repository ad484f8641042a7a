"""Campaign files (YAML, owned by marketing): validated as strictly as scorecards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from qa.errors import ConfigError
from qa.vocabulary import CHANNELS, Channel
from qa.yamlfile import FileErrors, validate_file


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


EXAMPLE_MAX_CHARS = 1000  # an example is one sentence an agent said, not a transcript


def _example_sentences(value: list[str]) -> list[str]:
    """Examples are single sentences: none empty, none too long, none repeated (compared
    normalised)."""
    from qa.campaigns.examples import sentence_key

    seen: dict[str, str] = {}
    for i, s in enumerate(value):
        if not s.strip() or not sentence_key(s):
            raise ValueError(f"example {i + 1} is empty")
        if len(s) > EXAMPLE_MAX_CHARS:
            raise ValueError(
                f"example {i + 1} has {len(s)} characters; one sentence, at most"
                f" {EXAMPLE_MAX_CHARS}"
            )
        key = sentence_key(s)
        if key in seen:
            raise ValueError(f"example {i + 1} repeats {seen[key]!r}")
        seen[key] = s
    return value


class FlagExamples(Strict):
    """Sentences people ruled on: the checker raises nothing for a sentence that is, once
    normalised, one of the `negative` examples of the fact, claim or campaign it concerns.
    Trainers adopt them from dismissed flags in the review app; `qa campaigns test` keeps
    each one quiet."""

    negative: list[str] = Field(
        default_factory=list,
        description="Agent sentences that must not raise this item's flag (a dismissed flag).",
    )

    @field_validator("negative")
    @classmethod
    def _sentences(cls, value: list[str]) -> list[str]:
        return _example_sentences(value)


class CampaignExamples(FlagExamples):
    """A campaign's own examples: `negative` as for any item, and `not_pitch`: agent
    sentences that do not pitch this campaign (a dismissed missed disclosure or key point
    that was not owed), so no disclosure or key point is owed for them."""

    not_pitch: list[str] = Field(
        default_factory=list,
        description="Agent sentences that do not pitch the campaign: they oblige no disclosure"
        " or key point.",
    )

    @field_validator("not_pitch")
    @classmethod
    def _not_pitches(cls, value: list[str]) -> list[str]:
        return _example_sentences(value)

    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler) -> Any:
        out = handler(self)
        if isinstance(out, dict) and not out.get("not_pitch"):
            out.pop("not_pitch", None)  # a set without them keeps its digest
        return out


class ObligationExamples(Strict):
    """Wordings people accepted: an agent sentence that is, once normalised (or nearly,
    as a phrase is matched), one of the `positive` examples of a disclosure or key point
    gives it. Trainers adopt them from a dismissed missed disclosure or key point whose
    words the agent did say; `qa campaigns test` keeps each one counted as said."""

    positive: list[str] = Field(
        default_factory=list,
        description="Agent sentences that give this disclosure or key point in other words.",
    )

    @field_validator("positive")
    @classmethod
    def _sentences(cls, value: list[str]) -> list[str]:
        return _example_sentences(value)


class WithExamples(BaseModel):
    """A campaign item that may carry `examples:`; left out of its dump while it has none,
    so that a campaign set's digest (and what was checked against it) does not change."""

    examples: FlagExamples | None = None

    @model_serializer(mode="wrap")
    def _without_empty_examples(self, handler: SerializerFunctionWrapHandler) -> Any:
        out = handler(self)
        if isinstance(out, dict) and out.get("examples") is None:
            out.pop("examples", None)
        return out


class Money(Strict):
    amount: float = Field(ge=0)
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    period: Literal["month", "year", "week", "day", "once"] = "month"


class Duration(Strict):
    amount: float = Field(gt=0)
    unit: Literal["day", "week", "month", "year"]


class Count(Strict):
    amount: float = Field(ge=0)
    unit: str = Field(description="What is counted, as people say it: minutes, GB, months free.")


class Value(Strict):
    """Exactly one typed value; in schema v2 it may be a range, a bound, or tiers."""

    money: Money | None = None
    percent: float | None = Field(None, ge=0, le=100)
    duration: Duration | None = None
    date: dt.date | None = None
    count: Count | None = None
    text: str | None = Field(None, description="Conditions and eligibility, in words.")
    # Schema v2
    to: float | None = Field(
        None, gt=0, description="v2: a range from the value's amount up to this ('3 to 5 days')."
    )
    bound: Literal["up_to", "at_least"] | None = Field(
        None, description="v2: the amount is a maximum ('up to 10%') or a minimum ('over 900')."
    )
    tiers: list[float] = Field(
        default_factory=list,
        description="v2: other amounts that are right in some case (by line count, by year).",
    )
    per: Literal["month", "year", "week", "day"] | None = Field(
        None, description="v2: a count per period ('40 GB a month', '5 days a year')."
    )
    working_days: bool = Field(False, description="v2: a duration in working days.")

    @model_validator(mode="after")
    def _one(self) -> Value:
        given = [k for k, v in self.model_dump().items() if v is not None and k in TYPED]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of money, percent, duration, date, count, text (got {given or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k, v in self.model_dump().items() if v is not None and k in TYPED)

    def v2_features(self) -> list[str]:
        used = [k for k in ("to", "bound", "per") if getattr(self, k) is not None]
        return used + (["tiers"] if self.tiers else []) + (["working_days"] * self.working_days)

    def describe(self) -> str:
        base = self._describe()
        if self.to is not None:
            base = base.replace(f"{self.amount:g}", f"{self.amount:g} to {self.to:g}", 1)
        if self.bound:
            base = ("up to " if self.bound == "up_to" else "at least ") + base
        if self.per:
            base += f" a {self.per}"
        if self.tiers:
            base += " (also " + ", ".join(f"{t:g}" for t in self.tiers) + ")"
        return base

    @property
    def amount(self) -> float:
        if self.money:
            return self.money.amount
        if self.duration:
            return self.duration.amount
        if self.count:
            return self.count.amount
        return self.percent if self.percent is not None else 0.0

    def _describe(self) -> str:
        if self.money:
            per = "" if self.money.period == "once" else f" a {self.money.period}"
            return f"{self.money.currency} {self.money.amount:.2f}{per}"
        if self.percent is not None:
            return f"{self.percent:g}%"
        if self.duration:
            return f"{self.duration.amount:g} {self.duration.unit}(s)"
        if self.date:
            return self.date.isoformat()
        if self.count:
            return f"{self.count.amount:g} {self.count.unit}"
        return self.text or ""


TYPED = ("money", "percent", "duration", "date", "count", "text")


class Fact(WithExamples, Strict):
    """A term of the offer; `examples.negative` are sentences that do not contradict it."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    about: list[str] = Field(
        default_factory=list, description="Words and phrases a statement about this fact uses."
    )
    value: Value
    # Schema v2
    not_about: list[str] = Field(
        default_factory=list,
        description="v2: words that mean a statement is about something else ('add-on', 'tablet').",
    )
    products: list[str] = Field(
        default_factory=list,
        description="v2: the fact holds for these of the campaign's products only.",
    )

    def v2_features(self) -> list[str]:
        own = [k for k in ("not_about", "products") if getattr(self, k)]
        return own + [f"value.{k}" for k in self.value.v2_features()]


class PhraseSet(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    phrases: list[str] = Field(min_length=1)
    match: Literal["exact", "fuzzy", "semantic"] = "fuzzy"


class Obligation(PhraseSet):
    """A disclosure or key point: owed when the campaign is pitched; `examples.positive`
    are agent sentences that give it in other words."""

    examples: ObligationExamples | None = None

    @model_serializer(mode="wrap")
    def _without_empty_examples(self, handler: SerializerFunctionWrapHandler) -> Any:
        out = handler(self)
        if isinstance(out, dict) and out.get("examples") is None:
            out.pop("examples", None)
        return out

    @property
    def positives(self) -> list[str]:
        return list(self.examples.positive) if self.examples else []


class RetiredClaim(WithExamples, PhraseSet):
    """A claim no longer true; `examples.negative` are sentences that do not make it."""

    campaign: str | None = Field(None, description="The earlier campaign that made it.")
    about: list[str] = Field(
        default_factory=list,
        description="v2: the claim is retired only for statements about these words or products "
        "('no excess' on home cover, not on a car windscreen).",
    )


class Eligibility(Strict):
    """v2: who may take the offer, so that a denial can be judged right or wrong."""

    open_to: list[str] = Field(
        default_factory=list,
        description="Groups the offer is open to, as people say them ('existing customers').",
    )
    not_for: list[str] = Field(
        default_factory=list,
        description="Legitimate exclusions ('listed buildings', 'pay-as-you-go meters').",
    )


class Campaign(WithExamples, Strict):
    """`examples.negative` on the campaign: sentences that neither present it as available
    outside its dates (expired_offer) nor deny it (denied_offer); `examples.not_pitch`:
    sentences that do not pitch it, so they oblige no disclosure or key point."""

    examples: CampaignExamples | None = None

    version: Literal[1, 2] = Field(1, description="Schema version; v2 features need 2.")
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    valid_from: dt.date = Field(alias="from")
    valid_to: dt.date = Field(alias="to")
    channels: list[Channel] = Field(default_factory=lambda: list(CHANNELS))
    products: list[str] = Field(min_length=1, description="Names people use for what is on offer.")
    facts: list[Fact] = Field(default_factory=list)
    disclosures: list[Obligation] = Field(
        default_factory=list, description="Must be said when pitched."
    )
    key_points: list[Obligation] = Field(
        default_factory=list, description="Selling points: coaching."
    )
    retired_claims: list[RetiredClaim] = Field(default_factory=list)
    # Schema v2
    supersedes: list[str] = Field(
        default_factory=list,
        description="v2: ids of campaigns this one replaces; their product names then mean "
        "this campaign's products once it is running.",
    )
    eligibility: Eligibility | None = None

    @model_validator(mode="after")
    def _window(self) -> Campaign:
        if self.valid_to < self.valid_from:
            raise ValueError("'to' is before 'from'")
        if self.version == 1:
            used = self.v2_features()
            if used:
                raise ValueError(
                    f"uses schema v2 feature(s) {', '.join(sorted(set(used)))} under version: 1;"
                    " set 'version: 2'"
                )
        for f in self.facts:
            unknown = [p for p in f.products if p not in self.products]
            if unknown:
                raise ValueError(f"fact {f.id!r} names products not in 'products': {unknown}")
        return self

    def v2_features(self) -> list[str]:
        used = [f"facts[{f.id}].{k}" for f in self.facts for k in f.v2_features()]
        used += [f"retired_claims[{r.id}].about" for r in self.retired_claims if r.about]
        used += ["supersedes"] * bool(self.supersedes) + ["eligibility"] * bool(self.eligibility)
        return used

    def active_on(self, day: dt.date, channel: str) -> bool:
        return self.valid_from <= day <= self.valid_to and channel in self.channels


def load_campaigns(folder: Path) -> list[Campaign]:
    """Every *.yaml campaign in a folder, with every problem of every file reported at once."""
    if not folder.is_dir():
        raise ConfigError(f"no campaign folder at {folder}")
    campaigns: list[Campaign] = []
    problems: list[str] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            campaigns.append(validate_file(path, Campaign))
        except FileErrors as exc:
            problems += exc.problems
    ids = [c.id for c in campaigns]
    problems += [
        f"campaign id '{i}' is used by more than one file"
        for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    if problems:
        raise FileErrors(problems)
    if not campaigns:
        raise ConfigError(f"no campaign files (*.yaml) in {folder}")
    return campaigns


def overlaps(c: Campaign) -> list[str]:
    """Facts a statement could not be told apart by: same kind, unit and period, the same
    products, and `about` words that overlap (or none at all). Both facts are named."""
    out = []
    facts = [f for f in c.facts if f.value.kind != "text"]
    for i, a in enumerate(facts):
        for b in facts[i + 1 :]:
            if _signature(a) != _signature(b):
                continue
            if a.products and b.products and not set(a.products) & set(b.products):
                continue
            wa = {w.lower() for w in a.about}
            wb = {w.lower() for w in b.about}
            shared = wa & wb
            if shared or not wa or not wb:
                why = f"both about {sorted(shared)}" if shared else "one has no 'about' words"
                out.append(
                    f"{c.id}: facts {a.id!r} and {b.id!r} are both {_signature(a)} ({why}):"
                    " a statement may match either"
                )
    return out


def _signature(f: Fact) -> str:
    v = f.value
    if v.money:
        return f"money {v.money.currency} per {v.money.period}"
    if v.count:
        return f"count of {v.count.unit.lower()}"
    if v.duration:
        return "a duration"
    return v.kind


def json_schema() -> dict[str, object]:
    schema = Campaign.model_json_schema(by_alias=True)
    schema["title"] = "qa campaign"
    return schema
