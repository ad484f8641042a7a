"""Campaign windows pinned value by value: which days and channels a campaign is active on,
how a window's end is worded, and the contact's day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qa.campaigns.check import _window_word, check_interaction, interaction_day
from qa.campaigns.schema import Campaign
from qa.errors import InputError
from qa.model import Interaction, Turn
from qa.timeutil import local_date, site_zone


def campaign(**fields: Any) -> Campaign:
    data = {"id": "SPRING", "name": "Spring", "from": "2026-03-01", "to": "2026-05-31"}
    data["products"] = ["Spring Unlimited"]
    return Campaign.model_validate({**data, **fields})


def test_active_on_both_ends_and_the_channels() -> None:
    c = campaign(channels=["voice", "chat"])
    assert c.active_on(dt.date(2026, 3, 1), "voice")  # the first day
    assert c.active_on(dt.date(2026, 5, 31), "chat")  # the last day
    assert not c.active_on(dt.date(2026, 2, 28), "voice")
    assert not c.active_on(dt.date(2026, 6, 1), "voice")
    assert not c.active_on(dt.date(2026, 4, 1), "email")  # not on this channel


def test_window_word_says_which_end() -> None:
    c = campaign()
    assert _window_word(c, dt.date(2026, 6, 1)) == "ended on 2026-05-31"
    assert _window_word(c, dt.date(2026, 2, 28)) == "starts on 2026-03-01"
    assert _window_word(c, dt.date(2026, 5, 31)) == "starts on 2026-03-01"  # not past the end


def item(started_at: str | None, turns: bool = True) -> Interaction:
    said = [Turn("agent", "Spring Unlimited is free forever.", 0.0, 2.0)] if turns else []
    return Interaction(id="i", channel="chat", source="s", turns=said, started_at=started_at)


def test_the_contacts_day() -> None:
    assert interaction_day(item("2026-06-01T03:30:00Z")) == dt.date(2026, 6, 1)
    assert interaction_day(item("2026-06-01T03:30:00Z"), "America/New_York") == dt.date(2026, 5, 31)
    assert interaction_day(item(None)) is None


def test_no_day_or_no_turns_is_not_checked() -> None:
    c = campaign(retired_claims=[{"id": "free", "phrases": ["free forever"]}])
    assert check_interaction(item("2026-04-01T10:00:00Z"), [c])  # the claim is flagged
    assert check_interaction(item(None), [c]) == []
    assert check_interaction(item("2026-04-01T10:00:00Z", turns=False), [c]) == []


def test_local_date_edges() -> None:
    assert local_date("  2026-05-31  ") == dt.date(2026, 5, 31)  # spaces around
    assert local_date("2026-05-31T23:30:00+00:00", "Asia/Tokyo") == dt.date(2026, 6, 1)
    assert local_date("2026-05-31T23:30:00+01:00", "Asia/Tokyo") == dt.date(2026, 5, 31)
    assert local_date("2026-13-45") is None  # a bad bare date
    assert local_date("20260531T10") == dt.date(2026, 5, 31)  # eleven characters: a time
    assert local_date("") is None


@pytest.mark.parametrize(
    ("stamp", "zone", "day"),
    [
        ("2026-05-31T23:30:00Z", "Asia/Tokyo", dt.date(2026, 6, 1)),
        # RFC 3339 allows a lower-case 'z' (and 't'): UTC all the same, moved into the zone.
        ("2026-05-31T23:30:00z", "Asia/Tokyo", dt.date(2026, 6, 1)),
        ("2026-05-31t23:30:00z", "Asia/Tokyo", dt.date(2026, 6, 1)),
        ("2026-05-31T23:30:00.250z", None, dt.date(2026, 5, 31)),
        ("2026-06-01T01:30:00z", "America/New_York", dt.date(2026, 5, 31)),
    ],
)
def test_local_date_reads_either_case_of_z_as_utc(
    stamp: str, zone: str | None, day: dt.date
) -> None:
    assert local_date(stamp, zone) == day


def test_a_chat_stamped_with_a_lower_case_z_is_checked() -> None:
    c = campaign(retired_claims=[{"id": "free", "phrases": ["free forever"]}])
    assert interaction_day(item("2026-04-01T10:00:00z")) == dt.date(2026, 4, 1)
    flags = check_interaction(item("2026-04-01T10:00:00z"), [c])
    assert [(f.campaign, f.fact) for f in flags] == [("SPRING", "retired claim free")]


def test_site_zone() -> None:
    assert site_zone(None) is None and site_zone("") is None
    zone = site_zone("Asia/Kolkata")
    assert zone is not None and str(zone) == "Asia/Kolkata"
    with pytest.raises(InputError) as err:
        site_zone("Mars/Olympus")
    assert str(err.value) == "unknown time zone 'Mars/Olympus' (use an IANA name: Europe/Paris)"
    with pytest.raises(InputError):
        site_zone("../etc")  # not a zone name at all
