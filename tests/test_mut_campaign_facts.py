"""Which campaign fact an agent's figure is compared with, and whether it agrees.

The words about a fact (`about`) decide between facts of one kind: a phrase next to the figure
in its own clause names the fact (2, and "its own clause names" it: confidence 0.9), one in
the clause past another figure or elsewhere in the sentence less (1, 0.8 within 60
characters, else 0.5: "the sentence names" it, 0.75); the nearer phrase wins (less a 250th
per character), a phrase leading into the figure adds 0.3, and each word of a phrase weighs a
tenth more. Campaigns and sentences are written here (a fictional solar installer)."""

from __future__ import annotations

from typing import Any

import pytest

from qa.campaigns.check import _about_score, check_interaction, choose_fact
from qa.campaigns.schema import Campaign, Fact
from qa.model import Interaction, Turn
from qa.statements.claims import extract_claims


def money(ident: str, amount: float, period: str = "month", **more: Any) -> dict[str, Any]:
    value = {"money": {"amount": amount, "currency": "USD", "period": period}}
    return {"id": ident, "value": value, **more}


def campaign(facts: list[dict[str, Any]]) -> Campaign:
    data: dict[str, Any] = {
        "version": 2,
        "id": "SOLAR",
        "name": "Solar Saver",
        "from": "2026-03-01",
        "to": "2026-05-31",
        "products": ["Solar Saver"],
        "facts": facts,
    }
    return Campaign.model_validate(data)


def about(said: str, phrases: list[str], figure: int = 0) -> float:
    fact = Fact.model_validate({"id": "a", "about": phrases, "value": {"money": {"amount": 30}}})
    return _about_score(fact, extract_claims(said)[figure])


FAR = "We charge $35, and after that it covers all of your {} monthly line rental."


@pytest.mark.parametrize(
    ("said", "phrases", "figure", "want"),
    [
        # In the figure's clause, nothing between: 2, less the distance, and a phrase that
        # leads into the figure (at most 12 characters before it) gains 0.3.
        ("The rental is $35.", ["rental"], 0, (2.0 - 9 / 250 + 0.3) * 1.1),
        ("The rental $35.", ["rental"], 0, (2.0 - 6 / 250 + 0.3) * 1.1),
        ("The line rental is $35.", ["line rental"], 0, (2.0 - 14 / 250 + 0.3) * 1.2),
        ("The rental per line is $35.", ["rental"], 0, (2.0 - 18 / 250 + 0.3) * 1.1),
        ("The rental on a line is $35.", ["rental"], 0, (2.0 - 19 / 250) * 1.1),
        ("The rental for the whole house is $35.", ["rental"], 0, (2.0 - 29 / 250) * 1.1),
        # The figure first: the phrase after it, in its clause.
        ("$35 is the rental.", ["rental"], 0, (2.0 - 11 / 250) * 1.1),
        # Another figure between: 1 in the clause, 0.5 outside it.
        ("$35 for 2 lines is the rental.", ["rental"], 0, (1.0 - 23 / 250) * 1.1),
        ("The rental for 2 lines is $35.", ["rental"], 1, (1.0 - 21 / 250) * 1.1),
        ("We charge $35, and it covers 2 lines of rental.", ["rental"], 0, (0.5 - 29 / 250) * 1.1),
        # Outside the clause, nothing between: 0.8 up to 59 characters away, then 0.5.
        ("We charge $35, and it covers the rental.", ["rental"], 0, (0.8 - 22 / 250) * 1.1),
        (FAR.format("home"), ["rental"], 0, (0.8 - 59 / 250) * 1.1),
        (FAR.format("homes"), ["rental"], 0, (0.5 - 60 / 250) * 1.1),
        # The distance takes off at most 0.4.
        (
            "We charge $35, and after that it covers all of the costs of the panels, the"
            " inverter, the cabling and your monthly line rental.",
            ["rental"],
            0,
            (0.5 - 0.4) * 1.1,
        ),
        # The best phrase of the fact counts; a phrase not said counts nothing.
        ("The rental is $35.", ["line rental", "rental"], 0, (2.0 - 9 / 250 + 0.3) * 1.1),
        ("The rental is $35.", ["line rental"], 0, 0.0),
    ],
)
def test_how_strongly_words_name_a_fact(
    said: str, phrases: list[str], figure: int, want: float
) -> None:
    assert about(said, phrases, figure) == pytest.approx(want)


RENTAL = "the monthly line rental"


def pick(said: str, facts: list[dict[str, Any]], figure: int = 0) -> tuple[Any, ...]:
    f, why, conf = choose_fact(extract_claims(said)[figure], campaign(facts), None)
    return (f.id if f else None, why, conf)


@pytest.mark.parametrize(
    ("said", "facts", "figure", "want"),
    [
        # The figure first in the sentence: the phrase after it, with nothing between, is its
        # own clause's; with another figure between, only the sentence's.
        (
            "$35 is the monthly line rental.",
            [money("rent", 30, "once", about=[RENTAL]), money("b", 40, "year")],
            0,
            ("rent", "an amount; its own clause names rent", 0.9),
        ),
        (
            "$35 for 2 lines is the monthly line rental.",
            [money("rent", 30, "once", about=[RENTAL]), money("b", 40, "year")],
            0,
            ("rent", "an amount; the sentence names rent", 0.75),
        ),
        # However long the phrase, a figure between keeps it the sentence's.
        (
            "The monthly line rental for 2 lines is $35.",
            [money("rent", 30, "once", about=[RENTAL]), money("b", 40, "year")],
            1,
            ("rent", "an amount; the sentence names rent", 0.75),
        ),
        # A longer phrase said names its fact over a fact named by one of its words.
        (
            "The line fee is $35.",
            [money("fee", 30, about=["fee"]), money("line", 40, about=["line fee"])],
            0,
            ("line", "an amount; its own clause names line", 0.9),
        ),
    ],
)
def test_the_fact_named_by_the_words(
    said: str, facts: list[dict[str, Any]], figure: int, want: tuple[Any, ...]
) -> None:
    assert pick(said, facts, figure) == want


def flags(value: dict[str, Any], said: str) -> list[str]:
    """The kinds of flag raised by one agent sentence about a campaign of one fact."""
    camp = campaign([{"id": "term", "value": value}])
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at="2026-04-01T10:00:00Z",
        turns=[Turn("agent", f"Solar Saver: {said}.", 0.0, 1.0)],
    )
    return [str(f.kind) for f in check_interaction(item, [camp])]


RATE = {"count": {"amount": 25, "unit": "p per kWh"}}
WRONG = ["contradiction"]


@pytest.mark.parametrize(
    ("value", "said", "want"),
    [
        # Money in another currency is no figure of the fact's.
        ({"money": {"amount": 30}}, "$45 a month", WRONG),
        ({"money": {"amount": 30}}, "£45 a month", []),
        ({"money": {"amount": 30, "currency": "GBP"}}, "£45 a month", WRONG),
        ({"money": {"amount": 30, "currency": "GBP"}}, "$45 a month", []),
        # A unit rate: said as a rate, or as cents alone (compared in cents).
        (RATE, "30p per kWh", WRONG),
        (RATE, "25p per kWh", []),
        (RATE, "30c", WRONG),
        (RATE, "25c", []),
        (RATE, "30 cents", WRONG),
        (RATE, "$3", []),
        # Cents alone are a rate below a whole unit only; money is no percentage.
        (RATE, "100c", []),
        ({"percent": 25}, "$0.50", []),
        # A percentage against a percentage only.
        ({"percent": 25}, "20% off", WRONG),
        ({"percent": 25}, "25% off", []),
        ({"money": {"amount": 30}}, "20% off", []),
        # A date: the same day of the same month.
        ({"date": "2026-05-31"}, "ends on 31st May", []),
        ({"date": "2026-05-31"}, "ends on 30th May", WRONG),
        # Days counted are a length of time.
        ({"count": {"amount": 14, "unit": "days"}}, "a refund in 14 days", []),
        ({"count": {"amount": 14, "unit": "days"}}, "a refund in 2 weeks", []),
        ({"count": {"amount": 14, "unit": "days"}}, "a refund in 21 days", WRONG),
        ({"duration": {"amount": 1, "unit": "year"}}, "a contract of 12 months", []),
        ({"duration": {"amount": 1, "unit": "year"}}, "a contract of 13 months", WRONG),
        # A count of the same thing only.
        ({"count": {"amount": 4, "unit": "lines"}}, "3 lines", WRONG),
        ({"count": {"amount": 4, "unit": "lines"}}, "4 lines", []),
        ({"count": {"amount": 4, "unit": "lines"}}, "3 GB", []),
        ({"count": {"amount": 4, "unit": "GB"}}, "3 GB", WRONG),
        # No period said: the amount alone; a one-off amount against a monthly one is wrong.
        ({"money": {"amount": 30}}, "$45", WRONG),
        ({"money": {"amount": 30}}, "$30", []),
        ({"money": {"amount": 30, "period": "once"}}, "$30", []),
        ({"money": {"amount": 30, "period": "once"}}, "$30 a month", WRONG),
        # Another amount that is right in some case (a tier).
        ({"money": {"amount": 30}, "tiers": [25]}, "$25 a month", []),
        ({"money": {"amount": 30}, "tiers": [25]}, "$27 a month", WRONG),
    ],
)
def test_a_figure_is_compared_with_a_fact_of_its_kind(
    value: dict[str, Any], said: str, want: list[str]
) -> None:
    assert flags(value, said) == want


BROADBAND = Campaign.model_validate(
    {
        "version": 2,
        "id": "FIBRE",
        "name": "星河千兆宽带 开年特惠",
        "from": "2027-01-01",
        "to": "2027-03-31",
        "products": ["星河千兆宽带", "千兆宽带"],
        "facts": [
            {
                "id": "monthly_fee",
                "about": ["月费"],
                "value": {"money": {"amount": 99, "currency": "CNY", "period": "month"}},
            },
            {
                "id": "install",
                "about": ["安装费"],
                "value": {"money": {"amount": 300, "currency": "CNY", "period": "once"}},
            },
        ],
    }
)


@pytest.mark.parametrize(
    ("said", "fact"),
    [
        # Chinese: a price a year is never a one-off fee; a one-off figure is.
        ("千兆宽带每年一千元。", "monthly_fee"),
        ("千兆宽带一次性收五百元。", "install"),
    ],
)
def test_a_chinese_price_a_year_is_no_one_off_fee(said: str, fact: str) -> None:
    item = Interaction(
        id="i",
        channel="chat",
        source="s",
        started_at="2027-02-10T10:00:00Z",
        turns=[Turn("customer", "我想办千兆宽带。", 0.0, 1.0), Turn("agent", said, 1.0, 2.0)],
    )
    found = check_interaction(item, [BROADBAND])
    assert [(str(f.kind), f.fact.split(":")[0]) for f in found] == [("contradiction", fact)]
