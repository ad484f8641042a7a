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
    _for_a_group,
    _in_months,
    _lexical_hit,
    _near_name,
    _negations,
    _restates_a_fact,
    _retired_hit,
    _same_figure_and_word,
    _zh_scoped,
)
from qa.campaigns.schema import Campaign, PhraseSet, RetiredClaim
from qa.statements.claims import extract_claims

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


PRICE_FACT = campaign().facts[0]


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


def mobile(about: list[str], count: int | None = None, amount: float = 40) -> Campaign:
    price = {"money": {"amount": amount, "currency": "USD", "period": "month"}}
    facts: list[dict[str, Any]] = [{"id": "price", "about": about, "value": price}]
    if count:
        facts.append({"id": "lines", "value": {"count": {"amount": count, "unit": "lines"}}})
    return campaign(facts, products=["Mobile Max"])


@pytest.mark.parametrize(
    ("said", "about", "count", "want"),
    [
        ("It's $40 a month with 4 lines", ["monthly price"], 4, False),  # the plan's own count
        ("It's $40 a month with 2 lines", ["monthly price"], 4, True),
        ("It's $40 a month with 4 lines, per person", ["monthly price"], 4, True),
        ("It's $40 a month with two lines", ["line price"], None, False),  # the fact's own noun
        ("It's $40 a month with two lines", ["monthly price"], None, True),
        ("It's $40 each line, for the family", ["line price"], None, True),
        ("It's $40 a month", ["monthly price"], None, False),
    ],
)
def test_a_price_said_for_a_group(
    said: str, about: list[str], count: int | None, want: bool
) -> None:
    camp = mobile(about, count)
    claim = extract_claims(said, "", ("Mobile Max",))[0]
    assert claim.quantity.value == 40
    assert _for_a_group(claim, camp.facts[0], camp) is want


ZH_SHIPPING = campaign(
    [
        {
            "id": "ship",
            "about": ["包邮", "满"],
            "value": {"money": {"amount": 200, "currency": "CNY", "period": "once"}},
        },
        {
            "id": "remote",
            "about": ["偏远地区包邮"],
            "value": {"money": {"amount": 500, "currency": "CNY", "period": "once"}},
        },
    ]
)


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("偏远地区要满五百元才包邮。", [True, False]),  # a scope the second fact names
        ("偏远地区五百元包邮。", [True, False]),
        ("满五百元才包邮，偏远地区也一样。", [False, False]),  # the scope after the figure
        ("五百元包邮，偏远地区也一样。", [False, False]),
        ("满五百元才包邮。", [False, False]),
    ],
)
def test_a_chinese_figure_for_a_part_of_the_customers(said: str, want: list[bool]) -> None:
    [claim] = extract_claims(said, "", ())
    assert [_zh_scoped(claim, f) for f in ZH_SHIPPING.facts] == want
    assert _zh_scoped(extract_claims("It's $500 for remote areas", "", ())[0], PRICE_FACT) is False


@pytest.mark.parametrize(
    ("sentence", "phrase", "want"),
    [
        # Each clause falls short; the sentence whole says the phrase.
        ("no fees and no contract", "no fees and no contract", True),
        ("no fees", "no fees", True),
        ("no fees for 24 months, and no contract", "no fees for 12 months and no contract", False),
        ("there are no fees, and there is no contract", "no fees and no contract", False),
        # A Chinese sentence is read clause by clause only.
        ("合约期二十四个月，提前解约要付违约金", "合约期二十四个月提前解约要付违约金", False),
    ],
)
def test_a_phrase_said_in_a_sentence(sentence: str, phrase: str, want: bool) -> None:
    assert _lexical_hit(sentence, phrase) is want


@pytest.mark.parametrize(
    ("part", "phrases", "amount", "want"),
    [
        ("It's $40 a month", ["pay by direct debit"], 40, True),  # the offer's own figure
        ("It's $40 a month", ["it's $40 a month by direct debit"], 40, False),  # the item's
        ("It's $40 a month", ["$39.99 without direct debit"], 40, True),
        ("It's $40 a month", ["pay by direct debit"], 39.99, False),  # not the fact's figure
        ("It's $39.99 a month", ["pay by direct debit"], 39.99, True),
        ("Pay by direct debit", ["pay by direct debit"], 40, False),  # no figure
    ],
)
def test_a_clause_that_restates_the_offer(
    part: str, phrases: list[str], amount: float, want: bool
) -> None:
    item = PhraseSet(id="debit", phrases=phrases)
    assert _restates_a_fact(part, item, mobile(["monthly price"], amount=amount)) is want
    assert _restates_a_fact(part, item, None) is False


@pytest.mark.parametrize("unit", ["cent", "cents", "pounds", "dollars", "euro", "euros", "percent"])
def test_a_unit_word_is_not_the_phrase_said(unit: str) -> None:
    # The same figure and one of the phrase's words; the unit's own word is not one of them.
    assert _same_figure_and_word(f"5 {unit} cashback", f"you get 5 {unit} cashback") is True
    assert _same_figure_and_word(f"5 {unit} cashback", f"5 {unit} discount") is False


def test_a_figure_of_another_kind_is_not_the_phrases() -> None:
    assert _same_figure_and_word("5 percent cashback", "5 pounds cashback") is False
    assert _same_figure_and_word("£10m medical cover", "medical cover up to £10m") is True


NO_CHECK = RetiredClaim(id="no_check", phrases=["no credit check"])
NO_CHECK_ON_LOANS = RetiredClaim(id="no_check", phrases=["no credit check"], about=["loan"])
NO_CONTRACT = RetiredClaim(id="no_contract", phrases=["不用签合约"])


@pytest.mark.parametrize(
    ("text", "claim", "want"),
    [
        ("There is no credit check at all", NO_CHECK, (True, 0.95)),  # the phrase itself
        ("You won't need a credit check", NO_CHECK, (True, 0.8)),  # the same promise
        ("这个套餐不用签合约", NO_CONTRACT, (True, 0.95)),
        # No text model: nothing in other words, and how near is nothing.
        ("We will not check your credit", NO_CHECK, (False, 0.0)),
        ("It used to have no credit check", NO_CHECK, (False, 0.0)),  # said as past
        ("以前的套餐不用签合约", NO_CONTRACT, (False, 0.0)),  # what used to be, in Chinese
        ("There is no credit check at all", NO_CHECK_ON_LOANS, (False, 0.0)),  # not about loans
        ("There is no credit check on the loan", NO_CHECK_ON_LOANS, (True, 0.95)),
    ],
)
def test_a_retired_claim_made(text: str, claim: RetiredClaim, want: tuple[bool, float]) -> None:
    assert _retired_hit(Sentence(1, "agent", 1.0, 2.0, text), claim, {}) == want


def test_the_same_chinese_figure_said_twice_is_judged_where_each_is_said() -> None:
    first, second = extract_claims("五百元，偏远地区满五百元包邮", "", ())
    assert [_zh_scoped(first, f) for f in ZH_SHIPPING.facts] == [False, False]
    assert [_zh_scoped(second, f) for f in ZH_SHIPPING.facts] == [True, False]
