"""Every validated setting of qa.yaml reaches the object that uses it: a field that is
validated and documented but dropped on the way is a silent lie to the user."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qa.config import AgentEntry, Config
from qa.ingest.limits import Limits
from qa.ingest.metadata import from_filename
from qa.journeys.run import build_options, normaliser, roster
from qa.model import Agent
from qa.packs import lists, set_site_extensions
from qa.report.build import templates_env
from qa.review.assign import rule_text
from qa.review.decisions import ReviewError, check_comment
from qa.review.feedback import window_end
from qa.routing.taxonomy import site_taxonomy
from qa.serve.app import campaigns_folder, cards_folder
from qa.serve.security import session_length
from qa.serve.users import password_hasher
from qa.timeutil import site_zone
from qa.voice.batch import voice_settings
from qa.voice.verify import verify_settings


def leaves(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += leaves(ann, f"{prefix}{name}.")
        else:
            out.append(prefix + name)
    return out


def _takes(limit: int) -> bool:
    try:
        check_comment("x" * 100, limit)
    except ReviewError:
        return False
    return True


def _agents(cfg: Config) -> Any:
    by_alias = cfg.resolve_agent(Agent("ak7"))
    by_email = cfg.resolve_agent(Agent("ak@x.example"))
    assert by_alias is not None and by_email is not None
    return (by_alias.id, by_alias.name, by_alias.team, by_email.id)


# Each field: a value other than its default, and where that value must show up.
PROBES: dict[str, tuple[dict[str, Any], Callable[[Config], Any], Any]] = {
    "agents": (
        {
            "agents": [
                AgentEntry(
                    id="a.khan",
                    name="Aisha",
                    team="Care",
                    emails=["ak@x.example"],
                    aliases=["ak7"],
                )
            ]
        },
        _agents,
        ("a.khan", "Aisha", "Care", "a.khan"),
    ),
    "redact.emails": ({"redact": {"emails": True}}, lambda c: c.redact.policy().emails, True),
    "redact.phones": ({"redact": {"phones": True}}, lambda c: c.redact.policy().phones, True),
    "redact.national_ids": (
        {"redact": {"national_ids": True}},
        lambda c: c.redact.policy().national_ids,
        True,
    ),
    "voice.model": ({"voice": {"model": "base"}}, lambda c: voice_settings(c).asr.model, "base"),
    "voice.models": (
        {"voice": {"models": {"default": "base", "zh": "/models/whisper-small"}}},
        lambda c: voice_settings(c).asr.model_for("zh"),
        "/models/whisper-small",
    ),
    "voice.language_min_probability": (
        {"voice": {"language_min_probability": 0.8}},
        lambda c: voice_settings(c).asr.language_min_probability,
        0.8,
    ),
    "voice.language": (
        {"voice": {"language": "de"}},
        lambda c: voice_settings(c).asr.language,
        "de",
    ),
    "voice.diarization": (
        {"voice": {"diarization": "none"}},
        lambda c: voice_settings(c).diarization,
        "none",
    ),
    "voice.pyannote_pipeline": (
        {"voice": {"pyannote_pipeline": "/p"}},
        lambda c: voice_settings(c).pyannote_pipeline,
        "/p",
    ),
    "voice.agent_channel": (
        {"voice": {"agent_channel": "right"}},
        lambda c: voice_settings(c).agent_channel,
        1,
    ),
    "voice.speakers": (
        {"voice": {"speakers": 3, "max_speakers": 3}},
        lambda c: voice_settings(c).speakers.exact,
        3,
    ),
    "voice.min_speakers": (
        {"voice": {"min_speakers": 2}},
        lambda c: voice_settings(c).speakers.min,
        2,
    ),
    "voice.max_speakers": (
        {"voice": {"max_speakers": 4}},
        lambda c: voice_settings(c).speakers.max,
        4,
    ),
    "voice.company_names": (
        {"voice": {"company_names": ["Northwind"]}},
        lambda c: voice_settings(c).company_names,
        ("Northwind",),
    ),
    "voice.batch_size": (
        {"voice": {"batch_size": 0}},
        lambda c: voice_settings(c).asr.batch_size,
        0,
    ),
    "voice.verify": ({"voice": {"verify": False}}, lambda c: verify_settings(c).enabled, False),
    "voice.hotwords": (
        {"voice": {"hotwords": "Northwind Fibre Max"}},
        lambda c: voice_settings(c).asr.hotwords,
        "Northwind Fibre Max",
    ),
    "email.agent_domains": (
        {"email": {"agent_domains": ["northwind.example"]}},
        lambda c: c.email.agent_domains,
        ["northwind.example"],
    ),
    "email.agent_addresses": (
        {"email": {"agent_addresses": ["a@x.example"]}},
        lambda c: c.email.agent_addresses,
        ["a@x.example"],
    ),
    "limits.max_file_mb": (
        {"limits": {"max_file_mb": 2}},
        lambda c: Limits.from_config(c).max_file_bytes,
        2 * 1024 * 1024,
    ),
    "limits.max_nesting": (
        {"limits": {"max_nesting": 5}},
        lambda c: Limits.from_config(c).max_nesting,
        5,
    ),
    "limits.max_field_chars": (
        {"limits": {"max_field_chars": 5000}},
        lambda c: Limits.from_config(c).max_field_chars,
        5000,
    ),
    "limits.max_messages": (
        {"limits": {"max_messages": 7}},
        lambda c: Limits.from_config(c).max_messages,
        7,
    ),
    "limits.max_message_chars": (
        {"limits": {"max_message_chars": 700}},
        lambda c: Limits.from_config(c).max_message_chars,
        700,
    ),
    "filename_pattern": (
        {"filename_pattern": "{agent}_{date}_{id}"},
        lambda c: from_filename(Path("a.khan_20260301_77.json"), c.filename_pattern).get(
            "agent_id"
        ),
        "a.khan",
    ),
    "work_types": (
        {"work_types": Path(__file__).parent / "data" / "routing" / "site_work_types.yaml"},
        lambda c: "inbound_warranty" in site_taxonomy(c).names,
        True,
    ),
    "report.language": (
        {"report": {"language": "zh-Hant"}},
        lambda c: (
            templates_env(language=c.report.language)
            .from_string('{{ _("Team overview") }}')
            .render()
        ),
        "團隊概覽",
    ),
    "customers": (
        {"customers": [{"id": "K-1", "phones": ["07700 900123"]}]},
        lambda c: [[(i.kind, i.value) for i in r] for r in roster(c)],
        [[("customer_id", "K-1"), ("phone", "+447700900123")]],
    ),
    "customers_file": (
        {"customers_file": Path(__file__).parent / "data" / "journeys" / "roster.yaml"},
        lambda c: [r[0].value for r in roster(c)],
        ["K-7"],
    ),
    "journeys.window_hours": (
        {"journeys": {"window_hours": 24}},
        lambda c: build_options(c)["window_hours"],
        24,
    ),
    "journeys.country_code": (
        {"journeys": {"country_code": "1"}},
        lambda c: normaliser(c).phone("0201 555 0100"),
        "+12015550100",
    ),
    "timezone": (
        {"timezone": "America/New_York"},
        lambda c: str(site_zone(c.timezone)),
        "America/New_York",
    ),
    "packs": (
        {"packs": {"zh": {"criteria": {"churn": ["转出"]}}}},
        lambda c: _site_churn(c),
        True,
    ),
    "review.window_days": (
        {"review": {"window_days": 30}},
        lambda c: window_end("2026-01-01T00:00:00+00:00", c.review.window_days).date().isoformat(),
        "2026-01-31",
    ),
    "review.comment_max_chars": (
        {"review": {"comment_max_chars": 50}},
        lambda c: _takes(c.review.comment_max_chars),
        False,
    ),
    "review.sample_per_agent": (
        {"review": {"sample_per_agent": 7}},
        lambda c: rule_text(c.review).split(" ")[0],
        "7",
    ),
    "review.period": (
        {"review": {"period": "month"}},
        lambda c: "per agent per month" in rule_text(c.review),
        True,
    ),
    "review.unsure_below": (
        {"review": {"unsure_below": 0.5}},
        lambda c: "under 0.50" in rule_text(c.review),
        True,
    ),
    "review.session_hours": (
        {"review": {"session_hours": 2}},
        lambda c: session_length(c.review.session_hours).total_seconds(),
        7200.0,
    ),
    "review.password_memory_mib": (
        {"review": {"password_memory_mib": 8}},
        lambda c: password_hasher(c.review).memory_cost,
        8 * 1024,
    ),
    "review.password_passes": (
        {"review": {"password_passes": 1}},
        lambda c: password_hasher(c.review).time_cost,
        1,
    ),
    "review.scorecards": (
        {"review": {"scorecards": Path("/srv/cards")}},
        cards_folder,
        Path("/srv/cards"),
    ),
    "review.campaigns": (
        {"review": {"campaigns": Path("/srv/campaigns")}},
        campaigns_folder,
        Path("/srv/campaigns"),
    ),
}


def _site_churn(c: Config) -> bool:
    """What load_config does with a site's pack additions; they reach the cue lists."""
    set_site_extensions(c.packs)
    try:
        return "转出" in lists("zh", "criteria")["churn"]
    finally:
        set_site_extensions(None)


def test_every_config_field_has_a_probe() -> None:
    assert set(leaves(Config)) == set(PROBES)


def test_every_config_field_reaches_its_runtime_object() -> None:
    for path, (values, probe, want) in PROBES.items():
        cfg = Config.model_validate(values)
        assert probe(cfg) == want, path
        assert probe(Config()) != want, (
            f"{path}: the probe does not tell the value from the default"
        )
