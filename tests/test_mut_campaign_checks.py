"""Campaign checks pinned through check_interaction, without a text model: which replies to
a customer who cites an active offer are denials and how sure, the contact's own day, and
a service contact about the customer's own plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import Campaign, load_campaigns
from qa.model import Interaction, Turn

ROOT = Path(__file__).resolve().parent.parent
CITED = "I saw the Solar Saver offer, can I get it?"


def campaign(**fields: Any) -> Campaign:
    data: dict[str, Any] = {
        "version": 2,
        "id": "SOLAR",
        "name": "Solar Saver",
        "from": "2026-03-01",
        "to": "2026-05-31",
        "products": ["Solar Saver"],
        "facts": [
            {
                "id": "price",
                "value": {"money": {"amount": 30, "currency": "USD", "period": "month"}},
            }
        ],
    }
    return Campaign.model_validate({**data, **fields})


OPEN = {"open_to": ["existing customers", "new customers"], "not_for": ["listed buildings"]}


def flagged(
    camp: Campaign, turns: list[tuple[str, str]], stamp: str = "2026-04-01T10:00:00Z"
) -> list[tuple[str, float, str, str]]:
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at=stamp,
        turns=[Turn(role, text, float(i), i + 1.0) for i, (role, text) in enumerate(turns)],
    )
    return [
        (str(f.kind), f.confidence, str(f.status), f.evidence[-1].quote)
        for f in check_interaction(item, [camp])
    ]


def reply(camp: Campaign, text: str) -> list[tuple[str, float, str]]:
    return [f[:3] for f in flagged(camp, [("customer", CITED), ("agent", text)])]


DENIED = ("denied_offer", 0.85, "open")
FALSE_CONDITION = ("denied_offer", 0.7, "open")
WRONG_GROUP = ("denied_offer", 0.8, "open")


@pytest.mark.parametrize(
    ("eligibility", "text", "want"),
    [
        (None, "Sorry, we don't have that offer.", [DENIED]),
        (OPEN, "Sorry, we don't have that offer.", [DENIED]),
        # A legitimate exclusion, then a plain denial in the same reply.
        (OPEN, "We don't offer it for listed buildings.", []),
        (OPEN, "We don't offer it for listed buildings. We don't have that offer.", [DENIED]),
        # Regret and a condition the campaign never sets: a false exclusion.
        (OPEN, "Sorry, it's only for houses built after 1990.", [FALSE_CONDITION]),
        (OPEN, "Sorry, one moment.", []),
        (OPEN, "Sorry, one moment. We don't have that offer.", [DENIED]),
        # A group the offer is open to as well.
        (OPEN, "Sorry, we don't do it, it's only for new customers.", [WRONG_GROUP]),
        ({"open_to": ["new customers"]}, "Sorry, we don't do it, it's only for new customers.", []),
        (OPEN, "We don't offer it, it's only for members.", [FALSE_CONDITION]),
        (OPEN, "We don't offer it, it's only if you buy on the website.", [FALSE_CONDITION]),
        # Members the campaign is open to: a right exclusion, and the next sentence is read.
        ({"open_to": ["club members"]}, "We don't offer it, it's only for members.", []),
        (
            {"open_to": ["club members"]},
            "We don't offer it, it's only for members. We don't have that offer.",
            [DENIED],
        ),
        # A condition of the customer's own: judged by eligibility only.
        (OPEN, "We don't offer it at your postcode.", []),
        (OPEN, "Network rules mean we don't offer it there.", []),
        (OPEN, "We don't offer it at your postcode. We don't have that offer.", [DENIED]),
        (OPEN, "Thanks for asking.", []),
    ],
)
def test_a_reply_to_a_cited_offer(eligibility: Any, text: str, want: list[Any]) -> None:
    camp = campaign(eligibility=eligibility) if eligibility else campaign()
    assert reply(camp, text) == want


def test_the_other_group_read_from_a_fact() -> None:
    def fact(text: str) -> Campaign:
        return campaign(facts=[{"id": "who", "value": {"text": text}}])

    existing = "We don't offer it, it's only for existing customers."
    new = "We don't offer it, it's only for new customers."
    assert reply(campaign(), existing) == []  # nothing says who else may take it
    assert reply(fact("New customers and existing customers"), existing) == [WRONG_GROUP]
    assert reply(fact("New customers and existing customers"), new) == [WRONG_GROUP]
    assert reply(fact("New customers, not existing customers"), new) == []
    assert reply(fact("Not for existing customers: new customers only"), new) == []


def test_the_denial_quotes_the_sentence_that_denies() -> None:
    said = "Thanks for asking. We don't have that offer."
    [flag] = flagged(campaign(), [("customer", CITED), ("agent", said)])
    assert flag[3] == "We don't have that offer."


@pytest.fixture(scope="module")
def shipped() -> list[Campaign]:
    return load_campaigns(ROOT / "scorecards" / "campaigns")


def kinds(
    camps: list[Campaign], turns: list[tuple[str, str]], stamp: str, site: str | None = None
) -> list[str]:
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at=stamp,
        turns=[Turn(role, text, float(i), i + 1.0) for i, (role, text) in enumerate(turns)],
    )
    return sorted(str(f.kind) for f in check_interaction(item, camps, site_tz=site))


def test_the_site_zone_decides_the_contacts_day(shipped: list[Campaign]) -> None:
    said = [("agent", "Spring Unlimited is $35 a month.")]
    # 03:30 UTC on 1 June is 23:30 on 31 May in New York: the offer's last day.
    assert kinds(shipped, said, "2026-06-01T03:30:00Z") == ["expired_offer"]
    local = kinds(shipped, said, "2026-06-01T03:30:00Z", "America/New_York")
    assert "expired_offer" not in local and "missing_disclosure" in local
    assert kinds(shipped, said, "2026-06-01T05:30:00Z", "America/New_York") == ["expired_offer"]


def test_a_service_contact_about_your_plan_is_no_expired_offer(shipped: list[Campaign]) -> None:
    after = "2026-06-10T10:00:00Z"
    own = ("customer", "My Spring Unlimited plan bill looks wrong.")
    assert (
        kinds(shipped, [own, ("agent", "Your Spring Unlimited plan is $35 a month.")], after) == []
    )
    # Not about "your" contract, or not a service contact: the ended offer is sold again.
    sold = [own, ("agent", "Spring Unlimited is $35 a month.")]
    assert kinds(shipped, sold, after) == ["expired_offer"]
    deals = [
        ("customer", "Tell me about deals."),
        ("agent", "Your Spring Unlimited plan is $35 a month."),
    ]
    assert kinds(shipped, deals, after) == ["expired_offer"]
    yours = [own, ("agent", "YOUR Spring Unlimited plan is $35 a month.")]
    assert kinds(shipped, yours, after) == []


def whole(camps: list[Campaign], turns: list[tuple[str, str]], stamp: str) -> list[tuple[Any, ...]]:
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at=stamp,
        turns=[Turn(role, text, float(i), i + 1.0) for i, (role, text) in enumerate(turns)],
    )
    return [
        (
            str(f.kind),
            str(f.severity),
            f.campaign,
            f.fact,
            f.message,
            [e.quote for e in f.evidence],
            f.confidence,
            str(f.status),
        )
        for f in check_interaction(item, camps)
    ]


LAST_DAY = "2026-05-31T10:00:00Z"
OBLIGATIONS = [
    (
        "missing_disclosure",
        "medium",
        "SPRING-UNLIMITED",
        "disclosure price_after_term: after 12 months the price is $45 a month",
        "pitched Spring Unlimited but never said the mandatory disclosure 'price_after_term':"
        " 'after 12 months the price is $45 a month'",
    ),
    (
        "missed_key_point",
        "info",
        "SPRING-UNLIMITED",
        "key point unlimited_data: unlimited data",
        "pitched Spring Unlimited but never said its key point 'unlimited_data': 'unlimited data'",
    ),
    (
        "missed_key_point",
        "info",
        "SPRING-UNLIMITED",
        "key point international: international minutes",
        "pitched Spring Unlimited but never said its key point 'international':"
        " 'international minutes'",
    ),
]


def test_a_pitch_owes_each_disclosure_and_key_point(shipped: list[Campaign]) -> None:
    pitch = "Spring Unlimited is $35 a month."
    found = whole(shipped, [("agent", pitch)], LAST_DAY)
    assert found == [(*ob, [pitch], 0.85, "open") for ob in OBLIGATIONS]
    full = (
        "Spring Unlimited is $35 a month with unlimited data and international minutes."
        " After 12 months the price is $45 a month."
    )
    assert whole(shipped, [("agent", full)], LAST_DAY) == []


def test_a_retired_claim_said_and_one_only_reported(shipped: list[Campaign]) -> None:
    said = "You get a free phone with every plan."
    assert whole(shipped, [("agent", said)], LAST_DAY) == [
        (
            "retired_claim",
            "high",
            "SPRING-UNLIMITED",
            "retired claim free_phone from WINTER-2025",
            "made a claim that Spring Unlimited retired: 'free phone with every plan'",
            [said],
            0.95,
            "open",
        )
    ]
    reported = "You said a free phone with every plan, but that offer ended."
    assert whole(shipped, [("agent", reported)], LAST_DAY) == []


def test_one_flag_per_kind_campaign_and_fact(shipped: list[Campaign]) -> None:
    twice = [
        ("agent", "Spring Unlimited is $35 a month."),
        ("agent", "Spring Unlimited really is $35 a month."),
    ]
    after = whole(shipped, twice, "2026-06-10T10:00:00Z")
    assert [f[0] for f in after] == ["expired_offer"]
    wrong = [
        ("agent", "Spring Unlimited is $30 a month."),
        ("agent", "Again, Spring Unlimited is $25 a month."),
    ]
    found = whole(shipped, wrong, LAST_DAY)
    assert [f[0] for f in found] == ["contradiction", *(ob[0] for ob in OBLIGATIONS)]
    assert found[0][5] == ["Spring Unlimited is $30 a month."]  # the first one is kept
