"""Campaign checks' small helpers pinned value by value: a phrase said in one clause, the
same topic said the other way round, negations, a false condition limiting an offer, the
unit of a counted fact and periods in months. Campaigns are written here (a fictional solar
installer)."""

from __future__ import annotations

from typing import Any

import pytest

from qa.campaigns.check import (
    Sentence,
    _another_of_family,
    _clause_hit,
    _contrary,
    _count_unit,
    _denial_in,
    _false_condition,
    _in_months,
    _near_name,
    _negations,
)
from qa.campaigns.schema import Campaign

PRICE = {"id": "price", "about": ["gas"], "value": {"money": {"amount": 30, "currency": "USD"}}}
WHO = {"id": "who", "value": {"text": "homeowners with solar panels"}}


def campaign(facts: list[dict[str, Any]] | None = None, **fields: Any) -> Campaign:
    data: dict[str, Any] = {
        "version": 2,
        "id": "SS",
        "name": "Solar Saver",
        "from": "2026-03-01",
        "to": "2026-05-31",
        "products": ["Heat Pump"],
        "facts": facts or [PRICE],
    }
    return Campaign.model_validate({**data, **fields})


def open_to(*groups: str) -> Campaign:
    return campaign(eligibility={"open_to": list(groups)})


@pytest.mark.parametrize(
    ("said", "camp", "want"),
    [
        # Words the campaign's text facts set are its own condition.
        ("It's only for homeowners", campaign([WHO, PRICE]), False),
        ("It's only for homeowners", open_to("existing customers"), True),
        # A campaign that says nothing of who may take it cannot be judged.
        ("It's only for homeowners", campaign(), False),
        # The product's own name, and a fact's `about` words, are no false condition.
        ("It's only with a heat pump", open_to("existing customers"), False),
        ("It's only with gas", open_to("existing customers"), False),
        ("Everyone can have it", open_to("existing customers"), False),
        # "of any age": the offer is open whatever the age, so an age is a false condition.
        ("It's only for panels of a certain age", open_to("panels of Any age"), True),
        (
            "It's only for panels of a certain age",
            open_to("panels of any age", "roofs of every size"),
            True,
        ),
        ("It's only for panels of a certain age", open_to("panels of age"), False),
    ],
)
def test_a_condition_the_campaign_never_set(said: str, camp: Campaign, want: bool) -> None:
    assert _false_condition(said, camp) is want


@pytest.mark.parametrize(
    ("sentence", "phrase", "want"),
    [
        ("there's no credit check", "no credit check", True),
        ("the weather is lovely", "no credit check", False),
        ("no fees for 12 months", "no fees for 12 months", True),
        ("no fees for 24 months", "no fees for 12 months", False),  # another figure
        ("no fees for 13 months", "no fees for 12 months", False),
        ("a fee of 0.01", "a fee of 0.02", False),  # a cent apart is another figure
        ("fee installation, you pay", "free installation", False),  # priced, not free
        ("free installation costs extra", "free installation", True),
        ("free delivery", "free delivery", True),
    ],
)
def test_a_phrase_in_one_clause(sentence: str, phrase: str, want: bool) -> None:
    assert _clause_hit(sentence, phrase) is want


@pytest.mark.parametrize(
    ("phrase", "sentence", "want"),
    [
        ("free installation", "installation costs extra", True),
        ("FREE installation", "installation costs extra", True),
        ("free installation", "installation COSTS EXTRA", True),
        ("free installation", "installation is FREE but delivery costs extra", False),
        ("free installation", "installation is free", False),
        ("installation", "installation costs extra", False),
    ],
)
def test_free_against_priced(phrase: str, sentence: str, want: bool) -> None:
    assert _contrary(phrase, sentence) is want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("合约期也没有", True),  # the zh pack's negation words
        ("合约期二十四个月", False),
        ("Without any fees", True),
        ("No fees", True),
        ("there are fees", False),
        ("it isn't", True),
    ],
)
def test_negations(text: str, want: bool) -> None:
    assert _negations(text) is want


@pytest.mark.parametrize(
    ("unit", "want"),
    [
        ("days", "day"),
        ("day", "day"),
        ("free days", "day"),
        ("lines", "line"),
        ("international minutes", "minute"),
        ("Bonus Widgets", "bonus widgets"),  # no known unit: the unit as written, lower case
    ],
)
def test_the_unit_of_a_counted_fact(unit: str, want: str) -> None:
    fact = campaign([{"id": "n", "value": {"count": {"amount": 3, "unit": unit}}}]).facts[0]
    assert _count_unit(fact) == want


@pytest.mark.parametrize(
    ("amount", "unit", "months"),
    [(3, "week", 36 / 52), (2, "year", 24.0), (365, "day", 12.0), (2, "fortnight", 2.0)],
)
def test_periods_in_months(amount: float, unit: str, months: float) -> None:
    assert _in_months(amount, unit) == pytest.approx(months)


def test_a_product_name_said_in_words() -> None:
    # Near only once its numbers are written as digits.
    assert _near_name("Fibre Flex 500", "I would like the Fibre Flex five hundred") is True
    assert _near_name("Fibre Flex 500", "I would like the Fibre Flex one thousand") is False


def test_another_product_of_a_family_after_a_name_without_a_number() -> None:
    family = campaign(products=["Solar", "Fibre Flex 500"])
    assert _another_of_family("I have Fibre Flex 1000", [family]) is True
    assert _another_of_family("I have Fibre Flex 500", [family]) is False


def test_a_denial_after_a_group_the_offer_is_open_to() -> None:
    camp = open_to("existing customers", "new customers", "members")
    first = Sentence(1, "agent", 1.0, 2.0, "Sorry, it is only for members.")
    then = Sentence(1, "agent", 2.0, 3.0, "We don't offer that.")
    assert _denial_in([first], camp) == (None, 0.0)
    assert _denial_in([first, then], camp) == (then, 0.85)
