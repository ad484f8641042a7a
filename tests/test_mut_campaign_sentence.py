"""One agent sentence checked against the campaigns it speaks of (check_sentence), pinned
whole: the claims read, each comparison with a fact and why that fact was chosen, and every
flag with its message, evidence, confidence and status. Then the choice of the fact
(choose_fact): candidates by kind and product, words about a fact, the period, ties."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

import qa.campaigns.check as check
from qa.campaigns.check import Sentence, check_sentence, choose_fact
from qa.campaigns.schema import Campaign
from qa.statements.claims import extract_claims

DAY = dt.date(2026, 4, 1)  # inside the campaign's window
AFTER = dt.date(2026, 6, 1)
BEFORE = dt.date(2026, 2, 1)


def money(ident: str, amount: float, period: str = "month", **more: Any) -> dict[str, Any]:
    value = {"money": {"amount": amount, "currency": "USD", "period": period}}
    return {"id": ident, "value": value, **more}


def campaign(**fields: Any) -> Campaign:
    data: dict[str, Any] = {
        "version": 2,
        "id": "SOLAR",
        "name": "Solar Saver",
        "from": "2026-03-01",
        "to": "2026-05-31",
        "products": ["Solar Saver"],
        "facts": [money("price", 30)],
    }
    return Campaign.model_validate({**data, **fields})


def run(
    text: str,
    camps: list[Campaign],
    topics: list[Campaign] | None = None,
    source: str = "named",
    previous: str = "",
    day: dt.date = DAY,
    channel: str = "chat",
    **more: Any,
) -> dict[str, Any]:
    s = Sentence(3, "agent", 4.0, 5.0, text)
    topics = camps if topics is None else topics
    out = check_sentence(s, previous, topics, source, day, channel, camps, **more)
    return {
        "topics": out.topics,
        "source": out.topic_source,
        "presents": out.presents,
        "claims": [(c.quantity.text, c.attribution) for c in out.claims],
        "findings": [
            (f.campaign, f.fact, f.stated, f.expected, f.consistent, f.why, f.confidence)
            for f in out.findings
        ],
        "flags": [
            (
                str(f.kind),
                str(f.severity),
                f.campaign,
                f.fact,
                f.message,
                [(e.turn, e.role, e.start, e.end, e.quote) for e in f.evidence],
                f.confidence,
                str(f.status),
            )
            for f in out.flags
        ],
    }


MONTHLY = "an amount; the only monthly amount; both a month"
RESOLVED = "resolved from turn 1"


def finding(
    said: str, fact: str, expected: str, ok: bool, why: str, conf: float, camp: str = "SOLAR"
) -> tuple[Any, ...]:
    return (camp, fact, said, expected, ok, why, conf)


def contradiction(
    said: str,
    fact: str,
    expected: str,
    why: str,
    conf: float,
    status: str,
    quote: str,
    camp: str = "SOLAR",
    name: str = "Solar Saver",
    since: str = "1 March 2026",
) -> tuple[Any, ...]:
    return (
        "contradiction",
        "high",
        camp,
        f"{fact}: {expected} ({name})",
        f"Said {said!r}, but {name} has {fact.replace('_', ' ')} at {expected} since {since}"
        f" (compared with {fact} because: {why}).",
        [(3, "agent", 4.0, 5.0, quote)],
        conf,
        status,
    )


def expired(quote: str, word: str, camp: str = "SOLAR", name: str = "Solar Saver") -> Any:
    return (
        "expired_offer",
        "high",
        camp,
        "valid 2026-03-01 to 2026-05-31",
        f"presented {name} as available now; it {word}",
        [(3, "agent", 4.0, 5.0, quote)],
        0.85,
        "open",
    )


def result(
    claims: list[tuple[str, str]],
    findings: list[Any] = (),  # type: ignore[assignment]
    flags: list[Any] = (),  # type: ignore[assignment]
    presents: bool = True,
    topics: tuple[str, ...] = ("SOLAR",),
    source: str = "named",
) -> dict[str, Any]:
    return {
        "topics": list(topics),
        "source": source,
        "presents": list(topics) if presents else [],
        "claims": claims,
        "findings": list(findings),
        "flags": list(flags),
    }


def test_a_right_price_and_a_wrong_one() -> None:
    right = "Solar Saver is $30 a month."
    assert run(right, [campaign()]) == result(
        [("$30 a month", "own")],
        [finding("$30 a month", "price", "USD 30.00 a month", True, MONTHLY, 0.7)],
    )
    wrong = "Solar Saver is $35 a month."
    assert run(wrong, [campaign()]) == result(
        [("$35 a month", "own")],
        [finding("$35 a month", "price", "USD 30.00 a month", False, MONTHLY, 0.7)],
        [contradiction("$35 a month", "price", "USD 30.00 a month", MONTHLY, 0.7, "open", wrong)],
    )


def test_a_product_resolved_from_before_is_less_sure() -> None:
    said = "It is $35 a month."
    why = MONTHLY + "; product " + RESOLVED
    want = result(
        [("$35 a month", "own")],
        [finding("$35 a month", "price", "USD 30.00 a month", False, why, 0.63)],
        [contradiction("$35 a month", "price", "USD 30.00 a month", why, 0.63, "open", said)],
        source=RESOLVED,
    )
    assert run(said, [campaign()], source=RESOLVED) == want
    # The site's own review bar.
    held = run(said, [campaign()], source=RESOLVED, review_bar=0.65)
    assert held["flags"][0][-2:] == (0.63, "review")


def test_the_customers_figure_confirmed() -> None:
    said = "Yes, that's right."
    why = MONTHLY + "; the agent confirmed the customer's figure"
    assert run(said, [campaign()], previous="Is Solar Saver $45 a month?") == result(
        [("$45 a month", "confirmed")],
        [finding("$45 a month", "price", "USD 30.00 a month", False, why, 0.7)],
        [contradiction("$45 a month", "price", "USD 30.00 a month", why, 0.7, "open", said)],
        presents=False,
    )


@pytest.mark.parametrize(
    ("day", "word"), [(AFTER, "ended on 2026-05-31"), (BEFORE, "starts on 2026-03-01")]
)
def test_an_offer_presented_outside_its_window(day: dt.date, word: str) -> None:
    said = "Solar Saver is $35 a month."
    assert run(said, [campaign()], day=day) == result(
        [("$35 a month", "own")], [], [expired(said, word)]
    )
    # Not where the product was only resolved from before, nor on a channel it never ran on.
    resolved = run("It is $35 a month.", [campaign()], source=RESOLVED, day=day)
    assert resolved == result([("$35 a month", "own")], source=RESOLVED)
    chat_only = campaign(channels=["chat"])
    assert run(said, [chat_only], day=day, channel="voice") == result([("$35 a month", "own")])


def test_each_topic_is_presented_and_only_an_inactive_one_flagged() -> None:
    window = {"from": "2026-05-01", "to": "2026-08-01"}
    later = campaign(id="OTHER", name="Other Deal", products=["Other Deal"], **window)
    said = "Solar Saver and Other Deal are $30 a month."
    assert run(said, [campaign(), later], day=AFTER) == result(
        [("$30 a month", "own")],
        [finding("$30 a month", "price", "USD 30.00 a month", True, MONTHLY, 0.7, "OTHER")],
        [expired(said, "ended on 2026-05-31")],
        topics=("SOLAR", "OTHER"),
    )


def test_a_campaign_on_another_channel_is_not_checked() -> None:
    chat_only = campaign(channels=["chat"])
    said = "Solar Saver is $35 a month."
    assert run(said, [chat_only], channel="voice") == result([("$35 a month", "own")])
    assert run(said, [campaign()], topics=[]) == result(
        [("$35 a month", "own")], presents=False, topics=()
    )


LINE = money("extra_line", 20, about=["extra line"])
LINE_WHY = "an amount; its own clause names extra_line; both a month"


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("An extra line is $25 a month on top.", False),
        ("An extra line will be $25 a month on top.", False),
        ("An extra line is $20 a month on top.", True),
        # Not the add-on's figure now, or with taxes and fees on top: not checked.
        ("An extra line was $25 a month on top.", None),
        ("An extra line is not $25 a month on top.", None),
        ("An extra line is $25 a month plus tax.", None),
        ("An extra line is $25 a month plus VAT.", None),
        ("An extra line is $25 a month plus fees.", None),
        ("An extra line is $25 a month on top, with a surcharge.", None),
    ],
)
def test_an_add_on_price_is_checked_where_a_fact_names_it(said: str, want: bool | None) -> None:
    got = run(said, [campaign(facts=[LINE])])
    value = "$20 a month" if "$20" in said else "$25 a month"
    assert got["claims"] == [(value, "add_on")]
    assert got["presents"] == []
    if want is None:
        assert got["findings"] == got["flags"] == []
        return
    assert got["findings"] == [
        finding(value, "extra_line", "USD 20.00 a month", want, LINE_WHY, 0.9)
    ]
    flags = [contradiction(value, "extra_line", "USD 20.00 a month", LINE_WHY, 0.9, "open", said)]
    assert got["flags"] == ([] if want else flags)


def test_an_add_on_price_not_sure_of_its_fact_is_not_checked() -> None:
    # Only the plan's price, no fact named by the clause: 0.7, under the 0.9 an add-on needs.
    said = "Solar Saver is $25 a month on top."
    assert run(said, [campaign()]) == result([("$25 a month", "add_on")], presents=False)


def test_a_date_of_a_product_the_customer_holds_is_their_own() -> None:
    camp = campaign(facts=[{"id": "start", "value": {"date": "2026-05-08"}}])
    said = "Your policy starts on 9 May."
    why = "a date; the only date"
    flagged = result(
        [("9 May", "own")],
        [finding("9 May", "start", "2026-05-08", False, why, 0.7)],
        [contradiction("9 May", "start", "2026-05-08", why, 0.7, "open", said)],
        presents=False,
    )
    assert run(said, [camp]) == flagged
    assert run(said, [camp], held=frozenset({"OTHER"})) == flagged
    assert run(said, [camp], held=frozenset({"SOLAR"})) == result(
        [("9 May", "own")], presents=False
    )


def test_a_figure_of_the_campaigns_own_disclosure_is_right() -> None:
    after = campaign(
        disclosures=[{"id": "after", "phrases": ["after 12 months it is $45 a month"]}]
    )
    said = "Solar Saver is $45 a month."
    assert run(said, [after]) == result([("$45 a month", "own")])
    # Another amount, another period, or the phrase says it the other way round: a fact's.
    other = "Solar Saver is $46 a month."
    assert run(other, [after])["findings"] == [
        finding("$46 a month", "price", "USD 30.00 a month", False, MONTHLY, 0.7)
    ]
    yearly = run("Solar Saver is $45 a year.", [after])["findings"]
    why = "an amount; the only fact of that kind; said a year, the fact a month"
    assert yearly == [finding("$45 a year", "price", "USD 30.00 a month", False, why, 0.45)]
    never = campaign(key_points=[{"id": "cap", "phrases": ["it never goes up to $45 a month"]}])
    assert run(said, [never])["findings"] == [
        finding("$45 a month", "price", "USD 30.00 a month", False, MONTHLY, 0.7)
    ]


PRICE = money("price", 30, about=["price"])
DISCOUNT = money("discount", 10, about=["discount"])
PRICE_WHY = "an amount; its own clause names price; both a month"


def test_a_figure_right_for_another_fact_is_no_contradiction() -> None:
    both = campaign(facts=[PRICE, DISCOUNT])
    assert run("The price is $10 a month.", [both]) == result([("$10 a month", "own")])
    # Compared exactly with the other fact: "under $12" is no discount of $10.
    said = "The price is under $12 a month."
    assert run(said, [both])["findings"] == [
        finding("$12 a month", "price", "USD 30.00 a month", False, PRICE_WHY, 0.9)
    ]
    # Only a fact of the claim's own kind: ten per cent is no ten dollars.
    percent = campaign(facts=[PRICE, {"id": "off", "value": {"percent": 10}}])
    said = "The price is $10 a month."
    assert run(said, [percent])["flags"] == [
        contradiction("$10 a month", "price", "USD 30.00 a month", PRICE_WHY, 0.9, "open", said)
    ]


GROUP = "; a price for a group or per one of several: a tier the fact may not hold"


@pytest.mark.parametrize(
    ("source", "conf", "flag_conf"), [("named", 0.42, 0.42), (RESOLVED, 0.378, 0.38)]
)
def test_a_price_for_a_group_is_held_for_review(source: str, conf: float, flag_conf: float) -> None:
    said = "Solar Saver is $40 a month for a family."
    why = MONTHLY + GROUP + ("" if source == "named" else "; product " + RESOLVED)
    got = run(said, [campaign()], source=source)
    assert got["findings"] == [
        finding("$40 a month", "price", "USD 30.00 a month", False, why, pytest.approx(conf))
    ]
    assert got["flags"] == [
        contradiction("$40 a month", "price", "USD 30.00 a month", why, flag_conf, "review", said)
    ]
    # A right price for a family stays as sure as any.
    fine = run("Solar Saver is $30 a month for a family.", [campaign()], source=source)
    plain = MONTHLY + ("" if source == "named" else "; product " + RESOLVED)
    assert fine["findings"] == [
        finding("$30 a month", "price", "USD 30.00 a month", True, plain, 0.7 * (conf / 0.42))
    ]


ZH = campaign(
    id="ZH",
    name="满减优惠",
    products=["满减优惠"],
    facts=[
        {
            "id": "min_order",
            "about": ["满"],
            "value": {"money": {"amount": 500, "currency": "CNY", "period": "once"}},
        }
    ],
)
SCOPE = "; said for a part of the customers or the area: a scope the fact may not cover"
ZH_WHY = "an amount; its own clause names min_order"


def test_a_chinese_figure_said_for_a_part_of_the_area_is_held_for_review() -> None:
    said = "满减优惠外岛要满一千元。"
    got = run(said, [ZH])
    assert got["findings"] == [
        finding("1000元", "min_order", "CNY 500.00", False, ZH_WHY + SCOPE, 0.54, "ZH")
    ]
    want = contradiction(
        "1000元", "min_order", "CNY 500.00", ZH_WHY + SCOPE, 0.54, "review", said, "ZH", "满减优惠"
    )
    assert got["flags"] == [want]
    plain = run("满减优惠要满一千元。", [ZH])
    assert plain["findings"] == [
        finding("1000元", "min_order", "CNY 500.00", False, ZH_WHY, 0.9, "ZH")
    ]
    right = run("满减优惠外岛要满五百元。", [ZH])
    assert right["findings"] == [
        finding("500元", "min_order", "CNY 500.00", True, ZH_WHY, 0.9, "ZH")
    ]


FLEX = campaign(
    name="Flex deals",
    products=["Flex", "Flex Plus"],
    facts=[money("flex", 30, products=["Flex"]), money("plus", 40, products=["Flex Plus"])],
)


@pytest.mark.parametrize(
    ("said", "fact", "expected"),
    [
        ("Flex Plus is $35 a month.", "plus", "USD 40.00 a month"),  # the longest name said
        ("Flex is $35 a month.", "flex", "USD 30.00 a month"),
    ],
)
def test_the_product_named_scopes_the_facts(said: str, fact: str, expected: str) -> None:
    got = run(said, [FLEX])
    assert got["findings"] == [finding("$35 a month", fact, expected, False, MONTHLY, 0.7)]


def test_the_longest_product_named_wins_whatever_its_letters() -> None:
    camp = campaign(
        name="Plus deals",
        products=["Plus", "Flex Plus"],
        facts=[
            money("plus", 30, products=["Plus"]),
            money("flex_plus", 40, products=["Flex Plus"]),
        ],
    )
    got = run("Flex Plus is $35 a month.", [camp])
    assert got["findings"] == [
        finding("$35 a month", "flex_plus", "USD 40.00 a month", False, MONTHLY, 0.7)
    ]


def test_every_claim_of_the_sentence_is_checked() -> None:
    # A past figure, then the current one.
    said = "It used to be $20 a month but it is $35 a month now."
    assert run(said, [campaign()])["findings"] == [
        finding("$35 a month", "price", "USD 30.00 a month", False, MONTHLY, 0.7)
    ]
    # The holder's own date, then the price.
    camp = campaign(facts=[{"id": "start", "value": {"date": "2026-05-08"}}, money("price", 30)])
    said = "Your policy starts on 9 May and costs $35 a month."
    assert run(said, [camp], held=frozenset({"SOLAR"}))["findings"] == [
        finding("$35 a month", "price", "USD 30.00 a month", False, MONTHLY, 0.7)
    ]


@pytest.mark.parametrize(
    ("said", "camp"),
    [
        # A figure of no fact's kind, then the price.
        ("You get 20% off and it is $35 a month.", campaign()),
        # The disclosure's own figure, then the price.
        (
            "It is $45 a month and it is $35 a month.",
            campaign(
                disclosures=[{"id": "after", "phrases": ["after 12 months it is $45 a month"]}]
            ),
        ),
    ],
)
def test_a_claim_passed_over_leaves_the_next_one_checked(said: str, camp: Campaign) -> None:
    assert run(said, [camp])["findings"] == [
        finding("$35 a month", "price", "USD 30.00 a month", False, MONTHLY, 0.7)
    ]


def test_a_claim_right_for_another_fact_leaves_the_next_one_checked() -> None:
    said = "The discount is $30 a month and the price is $35 a month."
    assert run(said, [campaign(facts=[PRICE, DISCOUNT])])["findings"] == [
        finding("$35 a month", "price", "USD 30.00 a month", False, PRICE_WHY, 0.9)
    ]


def test_an_expired_offer_under_the_sites_review_bar() -> None:
    said = "Solar Saver is $35 a month."
    [flag] = run(said, [campaign()], day=AFTER, review_bar=0.9)["flags"]
    assert flag == (*expired(said, "ended on 2026-05-31")[:-1], "review")


def test_a_product_name_with_a_figure_is_no_claim() -> None:
    fibre = campaign(products=["Fibre 500"], name="Fibre 500")
    assert run("Fibre 500 is $30 a month.", [fibre]) == result(
        [("$30 a month", "own")],
        [finding("$30 a month", "price", "USD 30.00 a month", True, MONTHLY, 0.7)],
    )


ACTS = {"present_offer": 0.9, "deny_offer": 0.0}


@pytest.mark.parametrize(
    ("said", "source", "presents"),
    [
        ("It is $30 a month.", RESOLVED, True),
        # Resolved from before, read by its act: a pitch only by a right figure.
        ("It is $35 a month.", RESOLVED, False),
        ("Solar Saver is $35 a month.", "named", True),
    ],
)
def test_a_pitch_of_a_product_not_named(said: str, source: str, presents: bool) -> None:
    acts = {said: ACTS}
    assert run(said, [campaign()], source=source, acts=acts)["presents"] == (
        ["SOLAR"] if presents else []
    )
    # Without an act reader, cue words decide.
    assert run(said, [campaign()], source=source)["presents"] == ["SOLAR"]


BATTERY = "a free battery comes with every install"


def retired(**fields: Any) -> Campaign:
    claims = [{"id": "battery", "phrases": [BATTERY], "campaign": "OLD"}]
    return campaign(retired_claims=claims, **fields)


def retired_flag(quote: str, conf: float = 0.95, status: str = "open", source: str = " from OLD"):
    return (
        "retired_claim",
        "high",
        "SOLAR",
        "retired claim battery" + source,
        f"made a claim that Solar Saver retired: {BATTERY!r}",
        [(3, "agent", 4.0, 5.0, quote)],
        conf,
        status,
    )


def test_a_retired_claim_of_the_product_spoken_of() -> None:
    said = "A free battery comes with every install."
    other = campaign(id="OTHER", name="Other Deal", products=["Other Deal"])
    old = campaign(id="OLD", name="Old Deal", products=["Old Deal"])
    assert run(said, [retired()]) == result([], flags=[retired_flag(said)])
    assert run(said, [retired()], topics=[])["flags"] == [retired_flag(said)]
    # Another product: not this campaign's claim, unless it made the claim or was replaced.
    assert run(said, [retired(), other], topics=[other])["flags"] == []
    assert run(said, [retired(), old], topics=[old])["flags"] == [retired_flag(said)]
    replaced = retired(supersedes=["OTHER"])
    assert run(said, [replaced, other], topics=[other])["flags"] == [retired_flag(said)]
    # A claim of no named campaign, and the review bar.
    own = campaign(retired_claims=[{"id": "battery", "phrases": [BATTERY]}])
    assert run(said, [own], review_bar=0.96)["flags"] == [retired_flag(said, 0.95, "review", "")]
    # Retired by a campaign not running then, or not on this channel: not flagged.
    assert run(said, [own], day=AFTER)["flags"] == [expired(said, "ended on 2026-05-31")]
    chat_only = campaign(channels=["chat"], retired_claims=[{"id": "b", "phrases": [BATTERY]}])
    assert run(said, [chat_only], channel="voice")["flags"] == []


def test_every_running_campaign_and_each_of_its_retired_claims_is_read() -> None:
    said = "A free battery comes with every install."
    ended = campaign(id="ENDED", name="Ended Deal", products=["Ended Deal"], to="2026-03-31")
    own = campaign(retired_claims=[{"id": "battery", "phrases": [BATTERY]}])
    assert run(said, [ended, own], topics=[])["flags"] == [retired_flag(said, source="")]
    # The first claim is of no product spoken of; the second, made by that product, is.
    other = campaign(id="OTHER", name="Other Deal", products=["Other Deal"])
    two = campaign(
        retired_claims=[
            {"id": "first", "phrases": ["the install is always free"]},
            {"id": "battery", "phrases": [BATTERY], "campaign": "OTHER"},
        ]
    )
    found = run(said, [two, other], topics=[other])["flags"]
    assert found == [retired_flag(said, source=" from OTHER")]


def test_a_retired_claim_in_other_words_by_the_sentence_model() -> None:
    own = campaign(retired_claims=[{"id": "battery", "phrases": [BATTERY]}])
    said = "Good news, each fitting includes a storage battery."
    clause = "each fitting includes a storage battery."
    # Without vectors (no model) the sentence is read by words only, and nothing is said.
    assert run(said, [own])["flags"] == []
    vectors = {clause: np.array([0.7, np.sqrt(0.51)]), BATTERY: np.array([1.0, 0.0])}
    assert run(said, [own], vectors=vectors)["flags"] == [retired_flag(said, 0.75, "open", "")]


# --- choose_fact ----------------------------------------------------------------------------


def pick(text: str, facts: list[dict[str, Any]], product: str | None = None) -> tuple[Any, ...]:
    claim = extract_claims(text)[0]
    f, why, conf = choose_fact(claim, campaign(facts=facts), product)
    return (f.id if f else None, why, conf)


COUNT = {"id": "lines", "value": {"count": {"amount": 4, "unit": "lines"}}}


@pytest.mark.parametrize(
    ("said", "facts", "want"),
    [
        # No word speaks of a fact: the amount, then the period, single one out.
        (
            "Solar Saver is $35 a year.",
            [money("price", 35)],
            (
                "price",
                "an amount; the same amount as price; said a year, the fact a month",
                0.8,
            ),
        ),
        (
            "Solar Saver is $35.50 a year.",
            [money("price", 35)],
            ("price", "an amount; the only fact of that kind; said a year, the fact a month", 0.45),
        ),
        (
            "Solar Saver is $35 a year.",
            [money("price", 35), money("setup", 35, "once")],
            (None, "ambiguous between price, setup", 0.0),
        ),
        (
            "Solar Saver is $99 a month.",
            [money("setup", 99, "once"), money("price", 30)],
            ("price", MONTHLY, 0.7),
        ),
        (
            "Solar Saver is $99 upfront.",
            [money("setup", 99, "once")],
            ("setup", "an amount; the only fact of that kind; both one-off", 0.45),
        ),
        (
            "Solar Saver is $99 upfront.",
            [money("setup", 99, "once"), money("price", 30)],
            ("setup", "an amount; the nearest period; both one-off", 0.45),
        ),
        (
            "Solar Saver is $99.",
            [money("setup", 99, "once"), money("price", 30)],
            ("setup", "an amount; the nearest period", 0.45),
        ),
        (
            "Solar Saver is $99.",
            [money("price", 30)],
            ("price", "an amount; the only fact of that kind", 0.45),
        ),
        # A count, a rate or a date: the only fact counted so.
        (
            "Solar Saver comes with 3 lines.",
            [COUNT],
            ("lines", "a number; the only count in line", 0.7),
        ),
        (
            "Solar Saver comes with 3 lines.",
            [COUNT, {**COUNT, "id": "more"}],
            (None, "ambiguous between lines, more", 0.0),
        ),
        (
            "It costs 25p per kWh.",
            [{"id": "rate", "value": {"count": {"amount": 25, "unit": "p per kWh"}}}],
            ("rate", "a unit rate; the only rate in cent/kwh", 0.7),
        ),
        (
            "You get 20% off.",
            [{"id": "off", "value": {"percent": 25}}],
            ("off", "a percentage; the only fact of that kind", 0.45),
        ),
        # Ties name at most three facts.
        (
            "It is $35 a month.",
            [money("a", 30), money("b", 30), money("c", 30), money("d", 30)],
            (None, "ambiguous between a, b, c", 0.0),
        ),
        (
            "It is $35 a month.",
            [{"id": "off", "value": {"percent": 25}}],
            (None, "no fact of this kind", 0.0),
        ),
        (
            "It is $35 a month.",
            [money("a", 30, not_about=["month"])],
            (None, "every candidate fact excluded by its not_about words", 0.0),
        ),
        (
            "The fee is $35 a month.",
            [money("a", 30, not_about=["fee"]), money("b", 40)],
            ("b", MONTHLY, 0.7),
        ),
        # Words of a fact in the clause, or only elsewhere in the sentence.
        (
            "The setup fee is $35 a month.",
            [money("a", 30, about=["setup fee"])],
            ("a", "an amount; its own clause names a; both a month", 0.9),
        ),
        (
            "Setup is $35 a month, and the setup fee is $50.",
            [money("a", 30, about=["setup fee"])],
            ("a", "an amount; the sentence names a; both a month", 0.75),
        ),
    ],
)
def test_the_fact_a_claim_speaks_of(said: str, facts: list[Any], want: tuple[Any, ...]) -> None:
    assert pick(said, facts) == want


def test_the_product_said_narrows_the_facts() -> None:
    def pick_for(facts: list[dict[str, Any]], product: str | None) -> tuple[Any, ...]:
        camp = campaign(products=["Flex", "Flex Plus"], facts=facts)
        f, why, conf = choose_fact(extract_claims("It is $35 a month.")[0], camp, product)
        return (f.id if f else None, why, conf)

    facts = [money("flex", 30, products=["Flex"]), money("plus", 40, products=["Flex Plus"])]
    assert pick_for(facts, "Flex Plus") == ("plus", MONTHLY, 0.7)
    assert pick_for(facts, "Flex") == ("flex", MONTHLY, 0.7)
    assert pick_for(facts, "Other") == (None, "no fact of this kind", 0.0)
    # A fact of no product in particular holds for every product.
    shared = [money("flex", 30, products=["Flex"]), money("all", 40)]
    assert pick_for(shared, "Flex Plus") == ("all", MONTHLY, 0.7)
    assert pick_for(shared, None)[0] is None  # two monthly prices and no product: a tie


@pytest.mark.parametrize(
    ("about", "want"),
    [
        # Scores of the words about each fact (a, b): a lead under 0.05 is a tie.
        ({"a": 1.0, "b": 0.96875}, (None, "ambiguous between a, b", 0.0)),
        ({"a": 1.0, "b": 0.95}, (None, "ambiguous between a, b", 0.0)),
        ({"a": 1.0, "b": 0.9375}, ("a", "an amount; the sentence names a", 0.75)),
        ({"a": 0.0, "b": 0.9375}, ("b", "an amount; the sentence names b", 0.75)),
        ({"a": 2.0, "b": 0.0}, ("a", "an amount; its own clause names a", 0.9)),
        ({"a": 1.96875, "b": 0.0}, ("a", "an amount; the sentence names a", 0.75)),
        ({"a": 0.0625, "b": 0.0}, ("a", "an amount; the sentence names a", 0.75)),
        (
            {"a": -1.0, "b": -0.5},
            (None, "every candidate fact excluded by its not_about words", 0.0),
        ),
        ({"a": -1.0, "b": 0.0}, ("b", "an amount; the only fact of that kind", 0.45)),
    ],
)
def test_words_about_a_fact_decide_and_a_near_tie_is_not_guessed(
    monkeypatch: pytest.MonkeyPatch, about: dict[str, float], want: tuple[Any, ...]
) -> None:
    monkeypatch.setattr(check, "_about_score", lambda f, c: about[f.id])
    # No period said, the amount of neither fact: only the words tell them apart.
    assert pick("Solar Saver is $99.", [money("a", 30), money("b", 40)]) == want


@pytest.mark.parametrize(
    ("about", "want"),
    [
        # The same amount (0.3) settles an even split of words, not a lead of 0.4.
        ({"a": 0.0, "b": 0.0}, ("b", "an amount; the nearest period; both a month")),
        (
            {"a": 0.4, "b": 0.0},
            ("a", "an amount; the sentence names a; both a month"),
        ),
    ],
)
def test_the_same_amount_settles_an_even_split(
    monkeypatch: pytest.MonkeyPatch, about: dict[str, float], want: tuple[Any, ...]
) -> None:
    monkeypatch.setattr(check, "_about_score", lambda f, c: about[f.id])
    conf = 0.45 if want[0] == "b" else 0.75
    assert pick("It is $40 a month.", [money("a", 30), money("b", 40)]) == (*want, conf)


def test_the_period_and_the_amount_add_to_the_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "_about_score", lambda f, c: {"a": 0.5, "b": 0.25}[f.id])
    # The same period (0.5) and the same amount (0.3) outweigh a lead in words.
    why = "an amount; the sentence names {}; both a month"
    assert pick("It is $40 a month.", [money("a", 30, "year"), money("b", 40)]) == (
        "b",
        why.format("b"),
        0.75,
    )
    assert pick("It is $40 a month.", [money("a", 30), money("b", 40, "year")]) == (
        "a",
        why.format("a"),
        0.75,
    )
