"""The scorecard schema. Strict: an unknown key is an error, so a typo never passes silently.

Each criterion names a versioned ``type`` (``phrase.v1``). A later ``phrase.v2``
would be a new model here; a scorecard written for v1 keeps its meaning.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from qa.errors import ConfigError
from qa.models.ngrams import READER_HELP
from qa.vocabulary import CHANNELS, VIOLATION_KINDS, Channel, FlagKind

Speaker = Literal["agent", "customer", "any"]
Reader = Literal["both", "ngrams", "model"]  # qa.models.ngrams.READERS, in its order
MatchMode = Literal["exact", "fuzzy", "regex", "semantic"]
ALL_CHANNELS = CHANNELS


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Window(Strict):
    """Where to look. At most one of the four; none means the whole interaction."""

    first_seconds: float | None = Field(None, gt=0, description="The first N seconds.")
    last_seconds: float | None = Field(None, gt=0, description="The last N seconds.")
    first_turns: int | None = Field(None, gt=0, description="The first N turns of the speaker.")
    last_turns: int | None = Field(None, gt=0, description="The last N turns of the speaker.")

    @model_validator(mode="after")
    def _one(self) -> Window:
        given = [k for k, v in self.model_dump().items() if v is not None]
        if len(given) > 1:
            raise ValueError(
                f"give one of first_seconds, last_seconds, first_turns, last_turns, not {given}"
            )
        return self


LITERAL_ACT = "literal"  # a phrase list's act: match its words only, never by meaning


class Phrases(Strict):
    """A set of phrases and how to match them."""

    phrases: list[str] = Field(min_length=1, description="What to look for.")
    match: MatchMode = Field("fuzzy", description="exact, fuzzy, regex or semantic.")
    threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Similarity needed: fuzzy default 0.85, semantic default 0.5 (cosine).",
    )
    speaker: Speaker = Field("agent", description="Whose turns to search.")
    act: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description=(
            "The dialogue act these phrases stand for (qa/acts/<lang>/); by default inferred "
            "for semantic lists and situations, 'literal' keeps the match literal."
        ),
    )

    @model_validator(mode="after")
    def _patterns_compile(self) -> Phrases:
        if self.match == "regex":
            from qa.matching import check_regex

            for phrase in self.phrases:
                try:
                    check_regex(phrase)
                except ConfigError as exc:
                    raise ValueError(str(exc)) from None
        return self


class Examples(Strict):
    """Utterances that trainers adopted: what must and must not count for this criterion."""

    positive: list[str] = Field(default_factory=list, description="Must count.")
    negative: list[str] = Field(default_factory=list, description="Must not count.")


class Event(Strict):
    """A moment in the interaction: phrases said, or a question asked."""

    phrases: list[str] | None = None
    match: MatchMode = "fuzzy"
    threshold: float | None = Field(None, ge=0, le=1)
    speaker: Speaker = "agent"
    question: Literal["open", "closed", "any"] | None = Field(
        None, description="A question of this kind (instead of, or as well as, phrases)."
    )
    needs: (
        list[Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]] | None
    ) = Field(
        None,
        min_length=1,
        description="order.v1's first step only: the details the step must cover before it "
        "counts, any one of these combinations ([[passcode], [date of birth, postcode]]), "
        "each detail said by the event's speaker and matched like the phrases.",
    )
    min_details: int = Field(
        1,
        ge=1,
        description="order.v1's first step only: at least this many different phrases of the "
        "list must be said before the step counts (2: a check of two details).",
    )

    @model_validator(mode="after")
    def _something(self) -> Event:
        if not self.phrases and not self.question:
            raise ValueError("an event needs phrases or question")
        if self.needs and self.min_details > 1:
            raise ValueError("give needs or min_details, not both")
        if self.min_details > 1 and self.min_details > len(self.phrases or []):
            raise ValueError(
                f"min_details is {self.min_details} but the event lists "
                f"{len(self.phrases or [])} phrase(s)"
            )
        return self

    @property
    def standard(self) -> bool:
        """Whether the step has a standard beyond one listed phrase (needs, min_details)."""
        return bool(self.needs) or self.min_details > 1


class Condition(Strict):
    """When a criterion applies. Every given part must hold, else the result is N/A (or
    `otherwise`). `all_of`, `any_of` and `not` combine conditions: and, or, not."""

    direction: Literal["inbound", "outbound", "callback"] | None = None
    campaign: str | None = Field(None, description="Only interactions of this campaign.")
    work_types: list[str] | None = Field(
        None,
        min_length=1,
        description="Only contacts routed to one of these work types (qa/routing); N/A for others.",
    )
    customer_mentions: Phrases | None = Field(None, description="The customer says one of these.")
    agent_mentions: Phrases | None = Field(None, description="The agent says one of these.")
    min_turns: int | None = Field(None, ge=0, description="At least this many turns.")
    channels: list[Channel] | None = Field(
        None, min_length=1, description="Only contacts on one of these channels."
    )
    teams: list[str] | None = Field(
        None,
        min_length=1,
        description="Only contacts handled by one of these teams (the agent's team); "
        "a contact with no team is not one of them.",
    )
    queues: list[str] | None = Field(
        None,
        min_length=1,
        description="Only contacts from one of these queues (the manifest's queue column); "
        "a contact with no queue is not from one of them.",
    )
    event: Event | None = Field(
        None,
        description="This happens in the conversation: the event's phrases said, or a "
        "question of its kind asked, by its speaker.",
    )
    all_of: list[Condition] | None = Field(
        None, min_length=1, description="Every one of these holds (and)."
    )
    any_of: list[Condition] | None = Field(
        None, min_length=1, description="At least one of these holds (or)."
    )
    not_: Condition | None = Field(None, alias="not", description="This does not hold (not).")
    otherwise: Literal["na", "pass", "fail"] = Field(
        "na",
        description="The result when the condition does not hold, on the outermost "
        "condition only: na (default), or pass/fail where the trigger never happening "
        "is itself the verdict.",
    )

    @model_validator(mode="after")
    def _no_standard(self) -> Condition:
        if self.event is not None and self.event.standard:
            raise ValueError("event: needs and min_details belong to order.v1's first step")
        return self

    @model_validator(mode="after")
    def _otherwise_outermost(self) -> Condition:
        inner = [*(self.all_of or []), *(self.any_of or []), *([self.not_] if self.not_ else [])]
        if any(c.otherwise != "na" for c in inner):
            raise ValueError("otherwise: give it on the outermost condition only")
        return self


class CriterionBase(Strict):
    id: str = Field(
        pattern=r"^[A-Za-z0-9_.-]+$", description="Stable id, used in results and calibration."
    )
    name: str | None = Field(None, description="Shown in reports.")
    description: str | None = None
    points: float | None = Field(None, ge=0, description="Points when met. Give points or weight.")
    weight: float | None = Field(None, ge=0, description="Relative weight, instead of points.")
    critical: bool = Field(False, description="A failure fails the whole evaluation (auto-fail).")
    channels: list[Channel] | None = Field(None, description="Only these channels; N/A elsewhere.")
    applies_when: Condition | None = Field(None, description="N/A unless this holds.")
    coaching: str | None = Field(None, description="What the agent should do, in plain words.")
    examples: Examples | None = Field(
        None, description="Sentences that must (positive) or must not (negative) count."
    )
    _on_channel: dict[tuple[int, str], CriterionBase] = PrivateAttr(default_factory=dict)
    by_channel: dict[Channel, dict[str, Any]] | None = Field(
        None,
        description="Per channel, other values for this criterion's own settings "
        "(thresholds, windows, applies_when): {email: {max: 86400}, chat: {max: 120}}.",
    )

    @model_validator(mode="after")
    def _points_or_weight(self) -> CriterionBase:
        if self.points is not None and self.weight is not None:
            raise ValueError("give points or weight, not both")
        return self

    @model_validator(mode="after")
    def _channel_values_valid(self) -> CriterionBase:
        for channel, values in (self.by_channel or {}).items():
            fixed = sorted(set(values) & NOT_BY_CHANNEL)
            if fixed:
                raise ValueError(
                    f"by_channel → {channel}: {', '.join(fixed)} cannot change by channel"
                )
            try:
                self.for_channel(channel)
            except ValidationError as exc:
                from qa.yamlfile import _message

                problems = "; ".join(
                    " → ".join(["by_channel", str(channel), *map(str, e["loc"])])
                    + f": {_message(e)}"
                    for e in exc.errors()
                )
                raise ValueError(problems) from None
        return self

    def for_channel(self, channel: str) -> CriterionBase:
        """The criterion as it reads on one channel: its by_channel values, else itself
        (built once per criterion and channel)."""
        values = (self.by_channel or {}).get(channel)  # type: ignore[call-overload]
        if not values:
            return self
        key = (id(self), channel)  # a model_copy shares the cache, never the entry
        if key not in self._on_channel:
            base = self.model_dump(by_alias=True, exclude_unset=True, exclude={"by_channel"})
            self._on_channel[key] = type(self).model_validate({**base, **values})
        return self._on_channel[key]

    @property
    def max_points(self) -> float:
        if self.points is not None:
            return self.points
        return self.weight if self.weight is not None else 1.0


# Settings that a channel's values may not change: who the criterion is and how it counts
# (every common setting but applies_when, and the type).
NOT_BY_CHANNEL = frozenset(CriterionBase.model_fields) - {"applies_when"} | {"type"}


class PhraseV1(CriterionBase, Phrases):
    type: Literal["phrase.v1"]
    mode: Literal["required", "forbidden"] = Field(
        "required", description="Must or must not be said."
    )
    window: Window | None = None


class QuestionV1(CriterionBase):
    type: Literal["question.v1"]
    kind: Literal["open", "closed", "any"] = Field("open", description="Which questions count.")
    min: int = Field(1, ge=0, description="At least this many.")
    max: int | None = Field(None, ge=0, description="At most this many.")
    speaker: Speaker = "agent"
    window: Window | None = None
    about: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None,
        min_length=1,
        description="Only questions about this topic count: words or a short description "
        '("the customer\'s usage"), matched by words and by meaning; a list: any of them.',
    )
    about_threshold: float | None = Field(
        None,
        ge=0,
        le=1,
        description="How close in meaning a question must be to the topic (cosine); "
        "default 0.35. Words of the topic said in the question always count.",
    )

    @field_validator("about", mode="before")
    @classmethod
    def _about_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _about_names_a_topic(self) -> QuestionV1:
        from qa.scorecard.criteria import topic_words

        for n, topic in enumerate(self.about or []):
            if not topic_words(topic):
                raise ValueError(
                    f"about → {n}: {topic!r} names no topic (give the subject: "
                    '"the customer\'s usage", "what happened")'
                )
        if self.about_threshold is not None and not self.about:
            raise ValueError("about_threshold: give about, the topic it is for")
        return self


class OrderV1(CriterionBase):
    type: Literal["order.v1"]
    first: Event = Field(description="What must come first.")
    then: Event = Field(description="What must come after it.")
    missing_first: Literal["fail", "na"] = Field(
        "fail", description="When `then` happens without `first`."
    )

    @model_validator(mode="after")
    def _standard_on_first(self) -> OrderV1:
        if self.then.standard:
            raise ValueError("then: needs and min_details belong to the first step")
        return self


class MetricV1(CriterionBase):
    type: Literal["metric.v1"]
    metric: Literal[
        "talk_ratio",
        "silence_total",
        "silence_longest",
        "overtalk",
        "monologue_longest",
        "wpm_agent",
        "wpm_customer",
        "turns",
        "first_response",
        "response_avg",
        "response_longest",
        "handle_time",
    ]
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bound(self) -> MetricV1:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        return self


class ScriptReadingV1(CriterionBase):
    type: Literal["script_reading.v1"]
    script: list[str] = Field(min_length=1, description="The script lines as trainers wrote them.")
    max_score: float = Field(
        0.5, ge=0, le=1, description="Fail when the reading score is above this."
    )
    verbatim_similarity: float = Field(
        0.85, ge=0, le=1, description="A turn this close to a line is read."
    )
    min_run_words: int = Field(12, ge=1, description="Shorter near-verbatim runs do not count.")
    fast_wpm: float = Field(165, gt=0, description="Monologues faster than this sound read.")
    long_monologue_s: float = Field(
        25, gt=0, description="Agent turns longer than this are monologues."
    )


class NeedsDiscoveryV1(CriterionBase):
    type: Literal["needs_discovery.v1"]
    pitch: Phrases = Field(description="What counts as the pitch (product names, offers).")
    min_open_questions: int = Field(2, ge=0, description="Open questions needed before the pitch.")
    require_acknowledgement: bool = Field(
        True, description="Needs must be restated or acknowledged."
    )


class KeyPoint(Strict):
    id: str
    phrases: list[str] = Field(min_length=1)
    match: MatchMode = "fuzzy"
    threshold: float | None = Field(None, ge=0, le=1)


class ProductExplanationV1(CriterionBase):
    type: Literal["product_explanation.v1"]
    key_points: list[KeyPoint] = Field(min_length=1)
    min_coverage: float = Field(
        0.6, ge=0, le=1, description="Share of key points that must be covered."
    )
    require_needs_link: bool = Field(True, description="Tie at least one point to a stated need.")
    require_check: bool = Field(True, description="End with a check for understanding.")


class UpsellTimingV1(CriterionBase):
    type: Literal["upsell_timing.v1"]
    pitch: Phrases = Field(description="What counts as a pitch.")
    complaint: Phrases | None = Field(
        None, description="Complaint cues; defaults cover common ones."
    )
    resolution: Phrases | None = Field(
        None, description="Resolution cues; defaults cover common ones."
    )
    applies: Literal["pitch", "complaint"] | None = Field(
        None,
        description="When it applies: 'pitch' (something pitched; no complaint is a pass) or "
        "'complaint' (a complaint raised; none is N/A, no pitch over it a pass); default: "
        "the language pack's upsell_applies (en: pitch, zh: complaint).",
    )


class RetentionV1(CriterionBase):
    type: Literal["retention.v1"]
    churn: Phrases | None = Field(
        None, description="Churn cues; defaults: cancel, switch, pay off…"
    )
    save: Phrases | None = Field(
        None, description="Retention moves; defaults: ask why, offer, review…"
    )
    within_turns: int = Field(
        2, ge=1, description="The move must come within this many agent turns."
    )


class CampaignConsistencyV1(CriterionBase):
    type: Literal["campaign_consistency.v1"]
    kinds: list[FlagKind] = Field(
        default_factory=lambda: list(VIOLATION_KINDS),
        description="Campaign flag kinds that fail this criterion (make it critical to auto-fail).",
    )


class CompositeV1(CriterionBase):
    """Criteria combined: every part passes (all_of), one part passes (any_of), or the part
    does not pass (not). Parts are criteria of any type without points of their own; a
    part that does not apply is left out, and the composite is N/A when none applies."""

    type: Literal["composite.v1"]
    all_of: list[Criterion] | None = Field(
        None, min_length=2, description="Passes when every applicable part passes."
    )
    any_of: list[Criterion] | None = Field(
        None, min_length=2, description="Passes when at least one part passes."
    )
    not_: Criterion | None = Field(
        None, alias="not", description="Passes when the part fails, fails when it passes."
    )

    @model_validator(mode="after")
    def _one_combination(self) -> CompositeV1:
        given = [k for k in ("all_of", "any_of", "not_") if getattr(self, k) is not None]
        if len(given) != 1:
            both = " and ".join(g.rstrip("_") for g in given)
            raise ValueError(
                f"give one of all_of, any_of or not, not both {both}"
                if given
                else "give one of all_of, any_of or not: the parts to combine"
            )
        seen: set[str] = set()
        for part in self.parts:
            if part.points is not None or part.weight is not None or part.critical:
                raise ValueError(
                    f"part '{part.id}': points, weight and critical belong to the composite"
                )
            if part.id in seen:
                raise ValueError(f"part id '{part.id}' is used twice")
            seen.add(part.id)
        return self

    @property
    def parts(self) -> list[CriterionBase]:
        return list(self.all_of or self.any_of or ([self.not_] if self.not_ else []))


Criterion = Annotated[
    PhraseV1
    | QuestionV1
    | OrderV1
    | MetricV1
    | ScriptReadingV1
    | NeedsDiscoveryV1
    | ProductExplanationV1
    | UpsellTimingV1
    | RetentionV1
    | CampaignConsistencyV1
    | CompositeV1,
    Field(discriminator="type"),
]
CompositeV1.model_rebuild()


class Section(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str | None = None
    criteria: list[Criterion] = Field(min_length=1)


class Scorecard(Strict):
    name: str
    version: str | int | None = None
    description: str | None = None
    language: str = Field("en", description="The language of the phrases (ISO 639-1).")
    reader: Reader | None = Field(None, description=f"Chinese cards only: {READER_HELP}.")
    channels: list[Channel] = Field(default_factory=lambda: list(ALL_CHANNELS))
    pass_mark: float = Field(80, ge=0, le=100, description="Percent needed to pass.")
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Scorecard:
        seen: set[str] = set()
        for section in self.sections:
            for c in section.criteria:
                if c.id in seen:
                    raise ValueError(f"criterion id '{c.id}' is used twice")
                seen.add(c.id)
        return self

    @model_validator(mode="after")
    def _reader_for_chinese(self) -> Scorecard:
        if self.reader is not None and self.language.split("-")[0].lower() != "zh":
            raise ValueError(
                f"reader applies to Chinese cards (language: zh), not to language "
                f"{self.language!r}: other languages are read by their text model"
            )
        return self

    def criteria(self) -> list[tuple[Section, CriterionBase]]:
        return [(s, c) for s in self.sections for c in s.criteria]


CRITERION_TYPES = sorted(
    m.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for m in (
        PhraseV1,
        QuestionV1,
        OrderV1,
        MetricV1,
        ScriptReadingV1,
        NeedsDiscoveryV1,
        ProductExplanationV1,
        UpsellTimingV1,
        RetentionV1,
        CampaignConsistencyV1,
        CompositeV1,
    )
)
