"""Site configuration (``qa.yaml``): who the agents are, what to redact, names of files."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from qa.errors import ConfigError, InputError
from qa.model import Agent
from qa.packs import set_site_extensions
from qa.redact import RedactionPolicy
from qa.timeutil import site_zone
from qa.vocabulary import Diarization
from qa.voice.languages import AUTO, DEFAULT_MODELS, LANGUAGE_MIN_PROBABILITY, check_models
from qa.yamlfile import validate_file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RedactConfig(_Strict):
    emails: bool = Field(False, description="Mask email addresses in stored text.")
    phones: bool = Field(False, description="Mask phone numbers in stored text.")
    national_ids: bool = Field(False, description="Mask national ids (SSN, NI number).")

    def policy(self) -> RedactionPolicy:
        return RedactionPolicy(
            emails=self.emails, phones=self.phones, national_ids=self.national_ids
        )


class EmailConfig(_Strict):
    agent_domains: list[str] = Field(
        default_factory=list, description="Sender domains that belong to agents (acme.example)."
    )
    agent_addresses: list[str] = Field(
        default_factory=list, description="Single addresses that belong to agents."
    )


class VoiceConfig(_Strict):
    model: str = Field(
        AUTO,
        description="ASR model: `auto` (detect each call's language, then use `models`), "
        "a registry name, a local folder or a hub name.",
    )
    models: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_MODELS),
        description="With model auto: the model per language code; `default` for all others "
        "(multilingual: it also detects the language). English-only (*.en) models only for en.",
    )
    language_min_probability: float = Field(
        LANGUAGE_MIN_PROBABILITY,
        ge=0,
        le=1,
        description="With model auto: detection at least this sure picks the language's own "
        "model; less sure calls go to the default model.",
    )
    language: str | None = Field(None, description="Language code; empty to detect.")
    diarization: Diarization = Diarization.AUTO
    pyannote_pipeline: str | None = Field(None, description="Local folder or hub name.")
    agent_channel: Literal["left", "right"] = Field("left", description="Stereo channel map.")
    speakers: int | None = Field(2, ge=1, description="Voices on a mono call; empty to estimate.")
    min_speakers: int = Field(1, ge=1)
    max_speakers: int = Field(2, ge=1)
    company_names: list[str] = Field(
        default_factory=list, description="Names the agent says in greetings; help tell roles."
    )
    hotwords: str | None = Field(
        None,
        description="Company and product names to bias recognition towards. Off by default: "
        "bench/bench_voice.py measures whether it helps on your calls.",
    )
    batch_size: int | None = Field(
        None,
        ge=0,
        le=64,
        description="Windows recognised at once by faster-whisper's batched pipeline; 0 turns "
        "batching off; empty for qa's default (8, chosen on real calls by bench/bench_voice.py).",
    )
    verify: bool = Field(
        True,
        description="Before a violation stands on a call, decode its turn again (base, beam 8, "
        "no VAD cut) and keep it only if the second reading supports it.",
    )

    @field_validator("models")
    @classmethod
    def _models_fit_their_languages(cls, value: dict[str, str]) -> dict[str, str]:
        return check_models(value)


ReportLanguage = Literal["en", "zh-Hans", "zh-Hant"]  # qa.report.i18n.LANGUAGES


class ReportConfig(_Strict):
    language: ReportLanguage = Field(
        "en",
        description="Language of the report interface: en, zh-Hans (Simplified Chinese) or "
        "zh-Hant (Traditional Chinese). Texts of contacts are shown as written.",
    )


class AgentEntry(_Strict):
    id: str = Field(description="The agent id used in reports.")
    name: str | None = None
    team: str | None = None
    emails: list[str] = Field(default_factory=list, description="Addresses the agent writes from.")
    aliases: list[str] = Field(
        default_factory=list, description="Other ids the agent has in chat or telephony exports."
    )


class LimitsConfig(_Strict):
    """Bounds on what one input file may hold; a file past one is refused with the reason."""

    max_file_mb: float = Field(
        200, gt=0, description="Largest chat, transcript or email file read, in MB."
    )
    max_nesting: int = Field(64, ge=2, le=500, description="Deepest JSON nesting accepted.")
    max_field_chars: int = Field(
        1_000_000, ge=1000, description="Longest CSV field, in characters."
    )
    max_messages: int = Field(
        20_000, ge=1, description="Most messages (turns) in one conversation."
    )
    max_message_chars: int = Field(
        100_000, ge=100, description="Longest single message, in characters."
    )


class ReviewConfig(_Strict):
    """The review app (`qa serve`): windows, limits and the assignment rule."""

    window_days: int = Field(
        14, ge=1, le=365, description="Days an agent has to acknowledge or dispute an evaluation."
    )
    comment_max_chars: int = Field(
        2000, ge=20, le=20000, description="Longest comment, dispute reason or resolution kept."
    )
    sample_per_agent: int = Field(
        3, ge=1, le=1000, description="Contacts per agent and period in a review assignment."
    )
    period: Literal["day", "week", "month"] = Field(
        "week", description="The period an assignment samples each agent over."
    )
    unsure_below: float = Field(
        0.7, ge=0.0, le=1.0, description="Results less sure than this go to the review queue."
    )
    session_hours: float = Field(
        8.0, gt=0, le=720, description="Hours a login lasts before it must be given again."
    )
    password_memory_mib: int = Field(
        64, ge=1, le=4096, description="Argon2id memory per password hash in MiB (RFC 9106: 64)."
    )
    password_passes: int = Field(
        3, ge=1, le=20, description="Argon2id passes over that memory per hash (RFC 9106: 3)."
    )
    scorecards: Path | None = Field(
        None,
        description="Folder of the card files trainers adopt examples into; relative to qa.yaml.",
    )
    campaigns: Path | None = Field(
        None,
        description="Folder of the campaign files trainers adopt flag examples into; relative to"
        " qa.yaml.",
    )


class CustomerEntry(_Strict):
    """One known customer and the other identifiers that belong to it (a CRM extract)."""

    id: str = Field(min_length=1, description="The customer id (as the manifest writes it).")
    name: str | None = None
    emails: list[str] = Field(default_factory=list, description="Email addresses they write from.")
    phones: list[str] = Field(
        default_factory=list, description="Phone numbers, any format (+44 7700 900101, 07700...)."
    )
    aliases: list[str] = Field(
        default_factory=list, description="Chat logins or other ids the platforms know them by."
    )


class CustomerRoster(_Strict):
    """A roster kept in its own file (``customers_file:``): the same ``customers:`` list."""

    customers: list[CustomerEntry] = Field(default_factory=list)


class JourneysConfig(_Strict):
    window_hours: float = Field(
        168,
        gt=0,
        le=24 * 366,
        description="Contacts about the same reason this close are one journey; a customer "
        "contact this soon after the last one is a repeat.",
    )
    country_code: str = Field(
        "44",
        description="Calling code that national numbers (0...) are read in: 07700 900101 is "
        "+44 7700 900101.",
    )

    @field_validator("country_code", mode="before")
    @classmethod
    def _calling_code(cls, value: object) -> object:
        """1 to 3 digits, written as a number (44) or as text ("44"); said in words, not as
        the pattern it must match."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and not re.fullmatch(r"[1-9][0-9]{0,2}", value):
            raise ValueError(
                f"must be a calling code of 1 to 3 digits without + or 00 (44, 1, 852), "
                f"not {value!r}"
            )
        return value


class Config(_Strict):
    agents: list[AgentEntry] = Field(
        default_factory=list,
        description="The roster: one agent id across voice, chat and email.",
    )
    redact: RedactConfig = RedactConfig()
    voice: VoiceConfig = VoiceConfig()
    email: EmailConfig = EmailConfig()
    limits: LimitsConfig = LimitsConfig()
    report: ReportConfig = ReportConfig()
    review: ReviewConfig = ReviewConfig()
    filename_pattern: str | None = Field(
        default=None,
        description="Metadata from file names, e.g. '{agent}_{date}_{id}'. Manifest values win.",
    )
    work_types: Path | None = Field(
        default=None,
        description="A site's work-type file that extends the shipped taxonomy "
        "(qa/routing/work_types.yaml); relative to this file.",
    )
    customers: list[CustomerEntry] = Field(
        default_factory=list,
        description="Known customers and their other identifiers, for journeys across channels.",
    )
    customers_file: Path | None = Field(
        default=None,
        description="A YAML file with a `customers:` list (a CRM extract), relative to this file; "
        "added to `customers:`.",
    )
    journeys: JourneysConfig = JourneysConfig()
    timezone: str | None = Field(
        default=None,
        description="The site's IANA time zone (America/New_York): the local date of contacts "
        "whose times are in UTC, for campaign windows. Empty: UTC.",
    )

    packs: dict[str, dict[str, dict[str, list[str]]]] = Field(
        default_factory=dict,
        description="A site's additions to the language packs, by language, area and list: "
        "{zh: {criteria: {churn: [转出, 不再续约]}}}. Entries are added to the shipped ones.",
    )

    @field_validator("packs")
    @classmethod
    def _known_lists(
        cls, value: dict[str, dict[str, dict[str, list[str]]]]
    ) -> dict[str, dict[str, dict[str, list[str]]]]:
        from qa.packs import check_extensions

        problems = check_extensions(value)
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        try:
            site_zone(value)
        except InputError as exc:
            raise ValueError(str(exc)) from exc
        return value

    _source: Path | None = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        """The file this configuration was read from (None: the defaults)."""
        return self._source

    def customer_roster(self) -> list[CustomerEntry]:
        """`customers:` and the entries of `customers_file:` (validated with file and line)."""
        if self.customers_file is None:
            return list(self.customers)
        roster = validate_file(self.customers_file, CustomerRoster, name=str(self.customers_file))
        return [*self.customers, *roster.customers]

    def resolve_agent(self, agent: Agent | None) -> Agent | None:
        """The roster's agent for an id, alias or email address; the agent as given otherwise."""
        if agent is None:
            return None
        key = agent.id.lower()
        for entry in self.agents:
            names = {
                entry.id.lower(),
                *(e.lower() for e in entry.emails),
                *(a.lower() for a in entry.aliases),
            }
            if key in names:
                return Agent(
                    id=entry.id, name=agent.name or entry.name, team=agent.team or entry.team
                )
        return agent


CONFIG_ENV = "QA_CONFIG"
CONFIG_DEFAULT = Path("qa.yaml")


def load_config(path: Path | None = None) -> Config:
    """Read the configuration: the given file, else $QA_CONFIG, else ./qa.yaml if present."""
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    if path is None:
        if not CONFIG_DEFAULT.exists():
            set_site_extensions(None)
            return Config()
        path = CONFIG_DEFAULT
    # Errors name the file as it was given (--config, $QA_CONFIG), so it is the one opened.
    config = validate_file(path, Config, name=str(path))
    config._source = path.resolve()
    set_site_extensions(config.packs)  # the site's cue words, for everything scored next
    if config.work_types is not None and not config.work_types.is_absolute():
        config.work_types = path.parent / config.work_types
    if config.review.scorecards is not None and not config.review.scorecards.is_absolute():
        config.review.scorecards = path.parent / config.review.scorecards
    if config.review.campaigns is not None and not config.review.campaigns.is_absolute():
        config.review.campaigns = path.parent / config.review.campaigns
    if config.customers_file is not None:
        if not config.customers_file.is_absolute():
            config.customers_file = path.parent / config.customers_file
        if not config.customers_file.is_file():
            raise ConfigError(f"{path}: customers_file {config.customers_file} does not exist")
    return config
