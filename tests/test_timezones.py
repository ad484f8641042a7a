"""A campaign's window is judged on the contact's local date, not the UTC one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import load_campaigns
from qa.config import Config
from qa.ingest.batch import ingest
from qa.store import Store
from qa.timeutil import local_date
from qa.yamlfile import FileErrors, validate_file
from tests.conftest import ROOT

# Spring Unlimited runs from 2026-03-01 to 2026-05-31 (scorecards/campaigns/spring_unlimited.yaml).
PITCH = "Spring Unlimited is $35 a month for 12 months."
OFFSETS = ["-05:00", "+05:30", "+09:00"]


@pytest.fixture(scope="module")
def campaigns():  # type: ignore[no-untyped-def]
    return load_campaigns(ROOT / "scorecards" / "campaigns")


def chat_kinds(tmp_path: Path, stamp: str, campaigns, config: Config | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    """Ingest a chat whose messages carry `stamp`, then check it as `qa score` does."""
    config = config or Config()
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "chat.json"
    messages = [
        {"from": "customer", "text": "What plans do you have?", "ts": stamp},
        {"from": "agent", "text": PITCH, "ts": stamp},
    ]
    path.write_text(json.dumps({"agent": "a1", "messages": messages}))
    store = Store(tmp_path / "qa.db")
    ingest([path], store, config)
    [item] = store.load_interactions()
    store.close()
    flags = check_interaction(item, campaigns, None, config.timezone)
    return {f.kind for f in flags}


@pytest.mark.parametrize("offset", OFFSETS)
def test_last_evening_of_the_window_is_inside_it(tmp_path: Path, offset: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    # 23:30 local on the last day: already the next day in UTC for negative offsets.
    assert "expired_offer" not in chat_kinds(tmp_path, f"2026-05-31T23:30:00{offset}", campaigns)


@pytest.mark.parametrize("offset", OFFSETS)
def test_first_minutes_after_the_window_are_outside_it(
    tmp_path: Path, offset: str, campaigns
) -> None:  # type: ignore[no-untyped-def]
    # 00:30 local on the next day: still the last day in UTC for positive offsets.
    assert "expired_offer" in chat_kinds(tmp_path, f"2026-06-01T00:30:00{offset}", campaigns)


@pytest.mark.parametrize("offset", OFFSETS)
def test_first_day_of_the_window_in_local_time(tmp_path: Path, offset: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    first_morning, eve = f"2026-03-01T00:30:00{offset}", f"2026-02-28T23:30:00{offset}"
    assert "expired_offer" not in chat_kinds(tmp_path / "a", first_morning, campaigns)
    assert "expired_offer" in chat_kinds(tmp_path / "b", eve, campaigns)


@pytest.mark.parametrize(
    ("zone", "last_evening", "next_morning"),
    [
        ("America/New_York", "2026-06-01T03:30:00Z", "2026-06-01T04:30:00Z"),  # UTC-4 in June
        ("Asia/Kolkata", "2026-05-31T18:00:00Z", "2026-05-31T19:00:00Z"),  # UTC+5:30
        ("Asia/Tokyo", "2026-05-31T14:30:00Z", "2026-05-31T15:30:00Z"),  # UTC+9
    ],
)
def test_utc_stamps_take_the_sites_time_zone(
    tmp_path: Path, zone: str, last_evening: str, next_morning: str, campaigns
) -> None:  # type: ignore[no-untyped-def]
    site = Config(timezone=zone)
    assert "expired_offer" not in chat_kinds(tmp_path / "a", last_evening, campaigns, site)
    assert "expired_offer" in chat_kinds(tmp_path / "b", next_morning, campaigns, site)


def test_utc_without_a_site_zone_is_judged_in_utc(tmp_path: Path, campaigns) -> None:  # type: ignore[no-untyped-def]
    assert "expired_offer" not in chat_kinds(tmp_path / "a", "2026-05-31T23:59:00Z", campaigns)
    assert "expired_offer" in chat_kinds(tmp_path / "b", "2026-06-01T00:00:30Z", campaigns)


def test_local_date_rules() -> None:
    assert local_date("2026-05-31T23:30:00-05:00") == dt.date(2026, 5, 31)
    assert local_date("2026-05-31T23:30:00-05:00", "Asia/Tokyo") == dt.date(2026, 5, 31)
    assert local_date("2026-06-01T03:30:00Z") == dt.date(2026, 6, 1)
    assert local_date("2026-06-01T03:30:00Z", "America/New_York") == dt.date(2026, 5, 31)
    assert local_date("2026-06-01T03:30:00+00:00", "America/New_York") == dt.date(2026, 5, 31)
    assert local_date("2026-05-31T23:30:00", "Asia/Tokyo") == dt.date(2026, 5, 31)  # local
    assert local_date("2026-05-31", "Asia/Tokyo") == dt.date(2026, 5, 31)
    assert local_date(None) is None and local_date("someday") is None


def test_ingest_keeps_the_contacts_offset(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    stamps = ["2026-05-31T23:30:00-05:00", "2026-05-31T23:31:00-05:00"]
    messages = [
        {"from": r, "text": "Hi", "ts": s}
        for r, s in zip(["customer", "agent"], stamps, strict=True)
    ]
    path.write_text(json.dumps({"agent": "a1", "messages": messages}))
    store = Store(tmp_path / "qa.db")
    ingest([path], store, Config())
    [item] = store.load_interactions()
    store.close()
    assert item.started_at == "2026-05-31T23:30:00-05:00"
    assert [t.start for t in item.turns] == [0.0, 60.0]


def test_site_time_zone_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text("redact:\n  phones: true\ntimezone: Mars/Olympus\n")
    with pytest.raises(FileErrors) as caught:
        validate_file(path, Config)
    assert "qa.yaml:3 timezone" in "\n".join(caught.value.problems)
    path.write_text("timezone: Europe/Paris\n")
    assert validate_file(path, Config).timezone == "Europe/Paris"
