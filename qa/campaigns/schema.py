"""Campaign files (YAML, owned by marketing): validated as strictly as scorecards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qa.errors import ConfigError
from qa.vocabulary import CHANNELS, Channel
from qa.yamlfile import FileErrors, validate_file


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


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
    """Exactly one typed value."""

    money: Money | None = None
    percent: float | None = Field(None, ge=0, le=100)
    duration: Duration | None = None
    date: dt.date | None = None
    count: Count | None = None
    text: str | None = Field(None, description="Conditions and eligibility, in words.")

    @model_validator(mode="after")
    def _one(self) -> Value:
        given = [k for k, v in self.model_dump().items() if v is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of money, percent, duration, date, count, text (got {given or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k, v in self.model_dump().items() if v is not None)

    def describe(self) -> str:
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


class Fact(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    about: list[str] = Field(
        default_factory=list, description="Words and phrases a statement about this fact uses."
    )
    value: Value


class PhraseSet(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    phrases: list[str] = Field(min_length=1)
    match: Literal["exact", "fuzzy", "semantic"] = "fuzzy"


class RetiredClaim(PhraseSet):
    campaign: str | None = Field(None, description="The earlier campaign that made it.")


class Campaign(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    valid_from: dt.date = Field(alias="from")
    valid_to: dt.date = Field(alias="to")
    channels: list[Channel] = Field(default_factory=lambda: list(CHANNELS))
    products: list[str] = Field(min_length=1, description="Names people use for what is on offer.")
    facts: list[Fact] = Field(default_factory=list)
    disclosures: list[PhraseSet] = Field(
        default_factory=list, description="Must be said when pitched."
    )
    key_points: list[PhraseSet] = Field(
        default_factory=list, description="Selling points: coaching."
    )
    retired_claims: list[RetiredClaim] = Field(default_factory=list)

    @model_validator(mode="after")
    def _window(self) -> Campaign:
        if self.valid_to < self.valid_from:
            raise ValueError("'to' is before 'from'")
        return self

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


def json_schema() -> dict[str, object]:
    schema = Campaign.model_json_schema(by_alias=True)
    schema["title"] = "qa campaign"
    return schema
