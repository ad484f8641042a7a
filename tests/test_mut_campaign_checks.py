"""Campaign checks pinned through check_interaction, without a text model: which replies to
a customer who cites an active offer are denials and how sure, the contact's own day, and
a service contact about the customer's own plan."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
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


def test_a_denial_later_in_the_contact() -> None:
    """Every customer sentence is read: one that cites nothing, and the agent's greeting
    before it, do not end the search; the reply is the next agent turn after the citing one,
    never an earlier one."""
    denial = "Sorry, we don't have that offer."
    later = [
        ("customer", "Hi there."),
        ("agent", "Hello, how can I help?"),
        ("customer", CITED),
        ("agent", denial),
    ]
    assert [f[:3] for f in flagged(campaign(), later)] == [DENIED]
    earlier = [("agent", denial), ("customer", CITED), ("agent", "Yes, you can have it.")]
    assert flagged(campaign(), earlier) == []


def test_a_cited_offer_with_no_reply_is_no_denial() -> None:
    assert flagged(campaign(), [("agent", "Hello."), ("customer", CITED)]) == []


@pytest.mark.parametrize(
    ("asked", "want"),
    [
        # "it" is the product named before: a citation only with words of an offer.
        ("Can I get it?", []),
        ("Can I get the discount?", [DENIED]),
        # Chinese: the pack's words of an offer ("看到", "广告").
        ("是真的吗？", []),
        ("我在广告上看到了。", [DENIED]),
    ],
)
def test_a_product_named_before_is_cited_by_words_of_an_offer(asked: str, want: list[Any]) -> None:
    zh = not asked.isascii()
    turns = [
        ("customer", "我问一下 Solar Saver。" if zh else "Tell me about Solar Saver."),
        ("agent", "您好。" if zh else "Hello."),
        ("customer", asked),
        ("agent", "没有这个活动哦。" if zh else "Sorry, we don't have that offer."),
    ]
    assert [f[:3] for f in flagged(campaign(), turns)] == want


def test_a_denied_offers_flag_whole() -> None:
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at="2026-04-01T10:00:00Z",
        turns=[
            Turn("customer", CITED, 0.0, 1.0),
            Turn("agent", "Sorry, it's only for houses built after 1990.", 1.0, 2.0),
        ],
    )
    [flag] = check_interaction(item, [campaign(eligibility=OPEN)], review_bar=0.75)
    assert (flag.campaign, flag.fact, flag.message, str(flag.severity)) == (
        "SOLAR",
        "Solar Saver valid 2026-03-01 to 2026-05-31",
        "the customer cited Solar Saver, an active offer, and the agent said it does not exist"
        " or does not apply",
        "high",
    )
    assert [e.quote for e in flag.evidence] == [CITED, item.turns[1].text]
    # A false exclusion is 0.7 sure: under this review bar, it waits for a person.
    assert (flag.confidence, str(flag.status)) == (0.7, "review")


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


# --- by meaning: a sentence model and an act reader whose readings the test sets ----------

SURVEY = "a survey of the roof is required"
WARRANTY = "the panels carry a 25 year warranty"
PITCH = "Solar Saver is $30 a month."
LONGER = "Solar Saver is $30 a month, and we check the roof first."
MISSING_SURVEY = "missing_disclosure", "disclosure survey: " + SURVEY
MISSED_WARRANTY = "missed_key_point", "key point warranty: " + WARRANTY


AXES: dict[str, int] = {}  # one axis per text, for the whole test process


class Embedder:
    """Unit vectors: each text on its own axis, except those set near a phrase at a cosine."""

    def __init__(self, near: dict[str, tuple[str, float]]) -> None:
        self.near = near

    def axis(self, text: str) -> np.ndarray:
        v = np.zeros(1024)
        v[AXES.setdefault(text, len(AXES))] = 1.0
        return v

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for t in texts:
            if t in self.near:
                phrase, cos = self.near[t]
                rows.append(cos * self.axis(phrase) + math.sqrt(1 - cos * cos) * self.axis(t))
            else:
                rows.append(self.axis(t))
        return np.array(rows)


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, float]]:
    """What the act reader says of each agent sentence (nothing of a sentence not listed)."""
    import qa.acts
    import qa.campaigns.check as check

    pitch = {"present_offer": 0.9, "deny_offer": 0.0}
    said: dict[str, dict[str, float]] = {PITCH: pitch, LONGER: pitch}

    def classify(texts: list[str], names: list[str], **_: Any) -> list[dict[str, float]]:
        assert names == ["present_offer", "deny_offer"]
        return [said.get(t, {"present_offer": 0.0, "deny_offer": 0.0}) for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    monkeypatch.setattr(check, "_phrase_vectors", {})  # phrases embedded by this test's model
    return said


def solar(**fields: Any) -> Campaign:
    return campaign(
        disclosures=[{"id": "survey", "phrases": [SURVEY]}],
        key_points=[{"id": "warranty", "phrases": [WARRANTY]}],
        **fields,
    )


def by_meaning(
    camp: Campaign,
    turns: list[tuple[str, str]],
    near: dict[str, tuple[str, float]] | None = None,
    review_bar: float = 0.6,
) -> list[tuple[str, str, float, str]]:
    """The flags, read with a model (`near` set) or without one (None)."""
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at="2026-04-01T10:00:00Z",
        turns=[Turn(role, text, float(i), i + 1.0) for i, (role, text) in enumerate(turns)],
    )
    matcher = None if near is None else SimpleNamespace(embedder=Embedder(near))
    found = check_interaction(item, [camp], matcher, review_bar=review_bar)  # type: ignore[arg-type]
    return [(str(f.kind), f.fact, f.confidence, str(f.status)) for f in found]


def test_a_disclosure_given_in_other_words(acts: dict[str, Any]) -> None:
    other = "We check the roof first."
    turns = [("agent", PITCH), ("agent", other)]
    assert by_meaning(solar(), turns) == [
        (*MISSING_SURVEY, 0.85, "open"),
        (*MISSED_WARRANTY, 0.85, "open"),
    ]
    assert by_meaning(solar(), turns, {other: (SURVEY, 0.6)}) == [(*MISSED_WARRANTY, 0.85, "open")]
    # The customer's words are no disclosure, however near.
    said = [("agent", PITCH), ("customer", other)]
    assert by_meaning(solar(), said, {other: (SURVEY, 0.9)})[0] == (*MISSING_SURVEY, 0.85, "open")


@pytest.mark.parametrize(
    ("cos", "review_bar", "want"),
    [
        (0.55, 0.6, []),  # GIVEN_SEMANTIC: given
        (0.549, 0.6, [(*MISSING_SURVEY, 0.5, "review")]),  # unsure: held for review
        (0.42, 0.6, [(*MISSING_SURVEY, 0.5, "review")]),  # GIVEN_UNSURE: still unsure
        (0.419, 0.6, [(*MISSING_SURVEY, 0.85, "open")]),
        (0.0, 0.6, [(*MISSING_SURVEY, 0.85, "open")]),
        (0.5, 0.4, [(*MISSING_SURVEY, 0.5, "open")]),  # the site's own review bar
    ],
)
def test_how_near_a_sentence_must_be_to_give_a_disclosure(
    acts: dict[str, Any], cos: float, review_bar: float, want: list[Any]
) -> None:
    other = "We check the roof first."
    camp = campaign(disclosures=[{"id": "survey", "phrases": [SURVEY]}])
    turns = [("agent", PITCH), ("agent", other)]
    assert by_meaning(camp, turns, {other: (SURVEY, cos)}, review_bar) == want


def test_restating_the_offer_gives_no_disclosure(acts: dict[str, Any]) -> None:
    # The pitch's own clause, all of its figures the campaign's facts, is near the disclosure.
    camp = campaign(disclosures=[{"id": "survey", "phrases": [SURVEY]}])
    assert by_meaning(camp, [("agent", PITCH)], {PITCH: (SURVEY, 0.9)}) == [
        (*MISSING_SURVEY, 0.85, "open")
    ]
    # A clause of a longer sentence counts on its own.
    near = {
        "and we check the roof first.": (SURVEY, 0.9),
        "we check the roof first.": (SURVEY, 0.9),
    }
    assert by_meaning(camp, [("agent", LONGER)], near) == []


QUESTION = "Do you need to look at the roof first?"
ANSWERED = "Do you need to look at the roof first"  # what "Yes." says


@pytest.mark.parametrize(
    ("cos", "want"),
    [
        (0.7, []),  # 0.7 less the answer's margin (0.1): given
        (0.6, [(*MISSING_SURVEY, 0.5, "review")]),  # 0.5: unsure
        (0.5, [(*MISSING_SURVEY, 0.85, "open")]),  # 0.4: not near
    ],
)
def test_a_short_answer_gives_a_disclosure_by_its_question(
    acts: dict[str, Any], cos: float, want: list[Any]
) -> None:
    camp = campaign(disclosures=[{"id": "survey", "phrases": [SURVEY]}])
    turns = [("agent", PITCH), ("customer", QUESTION), ("agent", "Yes.")]
    assert by_meaning(camp, turns, {ANSWERED: (SURVEY, cos)}) == want


def test_a_short_answer_is_read_after_another(acts: dict[str, Any]) -> None:
    camp = campaign(disclosures=[{"id": "survey", "phrases": [SURVEY]}])
    turns = [
        ("agent", PITCH),
        ("customer", "Is there a fee to join?"),
        ("agent", "No."),
        ("customer", QUESTION),
        ("agent", "Yes."),
    ]
    assert by_meaning(camp, turns, {ANSWERED: (SURVEY, 0.7)}) == []
    # Said the other way round ("no survey"), the same nearness gives nothing.
    turns[-1] = ("agent", "No.")
    assert by_meaning(camp, turns, {"no you need to look at the roof first": (SURVEY, 0.9)}) == [
        (*MISSING_SURVEY, 0.85, "open")
    ]


def test_given_in_so_many_words_without_a_model() -> None:
    camp = solar()
    answer = [
        ("agent", PITCH),
        ("customer", "Is a survey of the roof required?"),
        ("agent", "Yes."),
    ]
    assert by_meaning(camp, answer) == [(*MISSED_WARRANTY, 0.85, "open")]
    # The key point's figure and one of its words.
    figure = [("agent", PITCH), ("agent", "The warranty runs 25 years.")]
    assert by_meaning(camp, figure) == [(*MISSING_SURVEY, 0.85, "open")]


BATTERY = "a free battery comes with every install"


def retired(phrase: str = BATTERY, about: list[str] | None = None) -> Campaign:
    claim: dict[str, Any] = {"id": "battery", "phrases": [phrase]}
    if about is not None:
        claim["about"] = about
    return campaign(retired_claims=[claim])


RETIRED = "retired_claim", "retired claim battery"


@pytest.mark.parametrize(
    ("cos", "want"),
    [
        (0.8, [(*RETIRED, 0.9, "open")]),  # 0.6 + 3 x 0.15, at most 0.9
        (0.7, [(*RETIRED, 0.75, "open")]),  # 0.6 + 3 x 0.05
        (0.65, [(*RETIRED, 0.6, "open")]),  # CLAIM_SEMANTIC: a paraphrase, at the review bar
        (0.649, []),
        (0.7123, [(*RETIRED, 0.79, "open")]),  # 0.7869, kept to two places
    ],
)
def test_a_retired_claim_in_other_words(acts: dict[str, Any], cos: float, want: list[Any]) -> None:
    said = "You will get a battery with each install."
    assert by_meaning(retired(), [("agent", said)], {said: (BATTERY, cos)}) == want


def test_a_paraphrase_of_a_retired_claim_must_say_it_the_same_way(acts: dict[str, Any]) -> None:
    negated = "You will not get a battery with each install."
    assert by_meaning(retired(), [("agent", negated)], {negated: (BATTERY, 0.9)}) == []
    # Near, but not one content word in common.
    apart = "Everyone receives storage at signup."
    assert by_meaning(retired(), [("agent", apart)], {apart: (BATTERY, 0.9)}) == []


def test_a_retired_promise_in_other_words_without_a_model() -> None:
    camp = retired("the price is locked for life")
    assert by_meaning(camp, [("agent", "Your rate stays the same forever.")]) == [
        (*RETIRED, 0.8, "open")
    ]


@pytest.mark.parametrize(
    "said",
    [
        "Not any more, a free battery comes with every install.",
        "That isn't true, a free battery comes with every install.",
        "You heard a free battery comes with every install.",
    ],
)
def test_a_retired_claim_reported_or_denied_is_not_made(said: str) -> None:
    assert by_meaning(retired(), [("agent", said)]) == []
    assert by_meaning(retired(), [("agent", "A free battery comes with every install.")]) == [
        (*RETIRED, 0.95, "open")
    ]


def test_a_retired_claim_about_some_things_only() -> None:
    camp = retired("free installation", about=["battery"])
    assert by_meaning(camp, [("agent", "Free installation with every Battery.")]) == [
        (*RETIRED, 0.95, "open")
    ]
    assert by_meaning(camp, [("agent", "Free installation with every heat pump.")]) == []
    assert by_meaning(camp, [("agent", "Free installation with every batteryless kit.")]) == []


def test_a_pitch_by_its_act(acts: dict[str, Any]) -> None:
    said = "Solar Saver would suit your roof."
    camp = campaign(disclosures=[{"id": "survey", "phrases": [SURVEY]}])
    assert by_meaning(camp, [("agent", said)]) == []  # no cue words: no pitch without a model
    acts[said] = {"present_offer": 0.9, "deny_offer": 0.0}
    assert by_meaning(camp, [("agent", said)], {}) == [(*MISSING_SURVEY, 0.85, "open")]


def test_a_denial_by_its_act(acts: dict[str, Any]) -> None:
    said = "We only sell the Basic plan."
    turns = [("customer", CITED), ("agent", said)]
    assert by_meaning(campaign(), turns) == []  # no denying phrase: no denial without a model
    acts[said] = {"present_offer": 0.0, "deny_offer": 0.9}
    assert by_meaning(campaign(), turns, {}) == [
        ("denied_offer", "Solar Saver valid 2026-03-01 to 2026-05-31", 0.85, "open")
    ]


def test_the_customers_own_figure_confirmed_in_a_service_contact() -> None:
    turns = [
        ("customer", "My Solar Saver plan is $45 a month, right?"),
        ("agent", "Yes, that's right."),
    ]
    assert by_meaning(campaign(), turns) == []
    # Not a service contact: the agent makes the customer's wrong figure its own.
    sale = [("customer", "Solar Saver is $45 a month, right?"), ("agent", "Yes, that's right.")]
    assert [f[0] for f in by_meaning(campaign(), sale)] == ["contradiction"]


def test_said_in_so_many_words_is_a_fuzzy_score_of_at_least_085() -> None:
    # "reqxxxed" for "required": three letters of forty changed, a fuzzy score of 0.85 exactly.
    camp = campaign(disclosures=[{"id": "survey", "phrases": ["roof survey required"]}])
    missing = ("missing_disclosure", "disclosure survey: roof survey required", 0.85, "open")
    for near, far in (("reqxxxed", "reqxxxxd"), ("reqxxxed?", "reqxxxxd?")):
        for word, want in ((near, []), (far, [missing])):
            said = f"Roof survey {word}"
            turns = [("agent", PITCH), ("agent", said + ".")]
            if said.endswith("?"):  # asked by the customer, answered "Yes."
                turns = [("agent", PITCH), ("customer", said), ("agent", "Yes.")]
            assert by_meaning(camp, turns) == want, said


def test_a_retired_claim_in_the_second_clause_of_a_sentence(acts: dict[str, Any]) -> None:
    said = "Thanks for calling, you will get a battery with each install."
    near = {"you will get a battery with each install.": (BATTERY, 0.7)}
    assert by_meaning(retired(), [("agent", said)], near) == [(*RETIRED, 0.75, "open")]


@pytest.mark.parametrize(
    ("amount", "said", "same"),
    [
        (30, "$30.10", True),  # within half a per cent of the fact
        (30, "$30.20", False),
        (30, "$31", False),
        (200, "$201", True),  # half a per cent exactly
        (200, "$201.50", False),
    ],
)
def test_a_price_is_the_facts_within_half_a_per_cent(amount: int, said: str, same: bool) -> None:
    price = {
        "id": "price",
        "value": {"money": {"amount": amount, "currency": "USD", "period": "month"}},
    }
    found = by_meaning(campaign(facts=[price]), [("agent", f"Solar Saver is {said} a month.")])
    assert [f[0] for f in found] == ([] if same else ["contradiction"])


def money(amount: float, period: str = "month", **more: Any) -> dict[str, Any]:
    return {"money": {"amount": amount, "currency": "USD", "period": period}, **more}


def days(amount: float, unit: str = "day", **more: Any) -> dict[str, Any]:
    return {"duration": {"amount": amount, "unit": unit}, **more}


@pytest.mark.parametrize(
    ("value", "said", "same"),
    [
        # Another period: compared per month, with 2 % for rounding (6 % said "about").
        (money(30), "$360 a year", True),
        (money(360, "year"), "$30 a month", True),
        (money(360, "year"), "$2.50 a month", False),
        (money(30), "$362 a year", True),
        (money(30), "$370 a year", False),
        (money(30), "about $370 a year", True),
        (money(30), "about $385 a year", False),
        (money(30), "$4320 a year", False),
        # Once against a period, either way round: never the same.
        (money(99, "once"), "$99 a month", False),
        (money(30), "$30 upfront", False),
        # Both ends of a range said must hold.
        (money(30), "$30 to $40 a month", False),
        (money(30, to=40), "$30 to $40 a month", True),
        # A duration: in months, within a range of the fact, under its bound.
        (days(12, "month"), "a contract of 1 year", True),
        (days(12, "month"), "a contract of 10 months", False),
        (days(3, to=5), "delivery in 3 days", True),
        (days(3, to=5), "delivery in 4 days", True),
        (days(3, to=5), "delivery in 5 days", True),
        (days(3, to=5), "delivery in 2 days", False),
        (days(3, to=5), "delivery in 6 days", False),
        (days(21, bound="up_to"), "a refund in 14 days", True),
        (days(21, bound="up_to"), "a refund in 21 days", True),
        (days(21, bound="up_to"), "a refund in 30 days", False),
        # A bound said as a bound must agree exactly.
        (days(21, bound="up_to"), "a refund in at least 14 days", False),
        (days(21, bound="up_to"), "a refund in up to 21 days", True),
        (days(12, "month"), "a contract of 11 months", False),
        # A duration said as under or over: the fact must lie on that side (or on the bound).
        (days(14), "a refund in under 21 days", True),
        (days(14), "a refund in under 14 days", True),
        (days(14), "a refund in under 10 days", False),
        (days(14), "a refund in over 7 days", True),
        (days(14), "a refund in over 14 days", True),
        (days(14), "a refund in over 21 days", False),
        # Money in a range, up to, at least, under and over.
        (money(30, to=40), "$35 a month", True),
        (money(30, to=40), "$30 a month", True),
        (money(30, to=40), "$40 a month", True),
        (money(30, to=40), "$29.50 a month", False),
        (money(30, to=40), "$40.50 a month", False),
        (money(50, bound="up_to"), "$45 a month", True),
        (money(50, bound="up_to"), "$50 a month", True),
        (money(50, bound="up_to"), "$50.50 a month", False),
        (money(100, bound="at_least"), "$150 a month", True),
        (money(100, bound="at_least"), "$100 a month", True),
        (money(100, bound="at_least"), "$99 a month", False),
        (money(5), "under $10 a month", True),
        (money(5), "under $5 a month", True),
        (money(5), "under $4 a month", False),
        (money(50), "over $40 a month", True),
        (money(50), "over $50 a month", True),
        (money(50), "over $60 a month", False),
        (money(50), "over $51 a month", False),
    ],
)
def test_a_figure_said_against_the_fact(value: dict[str, Any], said: str, same: bool) -> None:
    camp = campaign(facts=[{"id": "term", "value": value}])
    found = by_meaning(camp, [("agent", f"Solar Saver: {said}.")])
    assert [f[0] for f in found] == ([] if same else ["contradiction"]), found
