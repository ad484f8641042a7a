"""Statement understanding for campaign checks: one test per failure class, on voice, chat
and email. The sentences are this repository's own (campaigns in scorecards/campaigns)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from qa.campaigns.check import check_interaction, explain
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import load_campaigns, overlaps
from qa.statements.claims import extract_claims
from qa.statements.numbers import digits
from qa.statements.quantities import extract
from qa.yamlfile import FileErrors
from tests.conftest import ROOT

CHANNELS = ["voice", "chat", "email"]
DAY = "2026-03-10"


@pytest.fixture(scope="module")
def campaigns():  # type: ignore[no-untyped-def]
    return load_campaigns(ROOT / "scorecards" / "campaigns")


def flags(turns: list[list[str]], channel: str, campaigns, day: str = DAY):  # type: ignore[no-untyped-def]
    case = {"id": "t", "date": day, "channel": channel, "turns": turns}
    return [f for f in check_interaction(case_interaction(case), campaigns) if f.status != "review"]


def kinds(turns: list[list[str]], channel: str, campaigns, day: str = DAY) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(f.kind) for f in flags(turns, channel, campaigns, day)}


# 1. Spoken numbers
@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("four point six percent", "4.6 percent"),
        ("nineteen ninety-nine a month", "19.99 a month"),
        ("a year and a half", "18 months"),
        ("three to five working days", "3 to 5 working days"),
        ("up to half a million pounds", "up to 500000 pounds"),
        ("two and a half grand", "2500"),
        ("fifty, sixty gigs", "50, 60 gigs"),
    ],
)
def test_spoken_numbers(said: str, want: str) -> None:
    assert digits(said) == want


def test_a_range_is_one_quantity_not_a_count() -> None:
    _, qs = extract("a technician comes in three to five working days")
    assert [(q.kind, q.value, q.high, q.working) for q in qs] == [("duration", 3, 5, True)]


@pytest.mark.parametrize("channel", CHANNELS)
def test_price_in_words_is_compared(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    wrong = [["agent", "Spring Unlimited is thirty-nine ninety-nine a month."]]
    right = [["agent", "Spring Unlimited is thirty-five dollars a month."]]
    assert "contradiction" in kinds(wrong, channel, campaigns)
    assert "contradiction" not in kinds(right, channel, campaigns)


# 2. Choosing the fact: by kind, unit and nearby words; a tie is not guessed
@pytest.mark.parametrize("channel", CHANNELS)
def test_fact_chosen_by_its_words(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    said = [["agent", "Fibre Max is $45 a month, and the 20% discount runs for 6 months."]]
    assert kinds(said, channel, campaigns) & {"contradiction"} == set()
    wrong = [["agent", "Fibre Max is $45 a month and the discount runs for 4 months."]]
    found = [f for f in flags(wrong, channel, campaigns) if f.kind == "contradiction"]
    assert [f.fact.split(":")[0] for f in found] == ["discount_months"]
    assert "because" in found[0].message


# 3. Reference: "it" answers about the product discussed before
@pytest.mark.parametrize("channel", CHANNELS)
def test_pronoun_resolved_from_the_conversation(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "I'm interested in Spring Unlimited."],
        ["agent", "Great choice."],
        ["customer", "And the contract?"],
        ["agent", "It's a 24 month contract."],
    ]
    assert "contradiction" in kinds(turns, channel, campaigns)


# 4. Period and unit
@pytest.mark.parametrize("channel", CHANNELS)
def test_period_matters_and_restated_totals_are_consistent(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    assert "contradiction" in kinds(
        [["agent", "Spring Unlimited is $35 a year."]], channel, campaigns
    )
    assert "contradiction" not in kinds(
        [["agent", "Spring Unlimited is $35 a month, so $420 over a year."]], channel, campaigns
    )


# 5. Polarity and attribution
@pytest.mark.parametrize("channel", CHANNELS)
def test_corrections_competitors_and_customer_figures_are_not_claims(
    channel: str, campaigns
) -> None:  # type: ignore[no-untyped-def]
    for sentence in [
        "Spring Unlimited isn't $40, it's $35 a month.",
        "Spring Unlimited is $35 a month, while Brightwave charges $30 a month.",
        "Your current bill is $52 a month; Spring Unlimited is $35 a month.",
    ]:
        assert "contradiction" not in kinds([["agent", sentence]], channel, campaigns), sentence


def test_claim_fields() -> None:
    claims = extract_claims("It's not 5%, it's 4.5%.")
    assert [(c.quantity.value, c.polarity) for c in claims] == [
        (5, "negated"),
        (4.5, "corrected"),
    ]
    other = extract_claims("Brightwave's plan is $30 a month.", known=("Spring Unlimited",))
    assert other[0].attribution == "competitor"


@pytest.mark.parametrize("channel", CHANNELS)
def test_confirming_a_wrong_figure_is_a_contradiction(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "Spring Unlimited is $30 a month, is that right?"],
        ["agent", "Yes, that's right."],
    ]
    assert "contradiction" in kinds(turns, channel, campaigns)


# 6. Tense and modality
@pytest.mark.parametrize("channel", CHANNELS)
def test_past_and_hypothetical_figures_are_not_current_claims(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    for sentence in [
        "Spring Unlimited used to be $45 a month last year.",
        "If you stayed on Spring Unlimited for 24 months you'd still pay the same.",
    ]:
        assert "contradiction" not in kinds([["agent", sentence]], channel, campaigns), sentence


# 7. Retired claims: negation and numbers must agree
@pytest.mark.parametrize("channel", CHANNELS)
def test_retired_claim_needs_agreeing_negation(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    assert "retired_claim" in kinds(
        [["agent", "You get a free phone with every plan."]], channel, campaigns
    )
    assert "retired_claim" not in kinds(
        [["agent", "We don't say free phone with every plan any more, that offer ended."]],
        channel,
        campaigns,
    )


# 8. Pitch: a denial or a service answer is not a pitch
@pytest.mark.parametrize("channel", CHANNELS)
def test_service_answer_is_not_a_pitch(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "My bill on Spring Unlimited looks wrong."],
        ["agent", "Your Spring Unlimited account shows one payment this month."],
    ]
    assert not kinds(turns, channel, campaigns) & {"missing_disclosure", "missed_key_point"}


# 9. Disclosures in other words count (needs the sentence model: see test_models_text)
def test_disclosure_given_verbatim_counts(campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["agent", "Spring Unlimited is $35 a month. After 12 months the price is $45 a month."]
    ]
    assert "missing_disclosure" not in kinds(turns, "chat", campaigns)


# 10. Denials: by meaning, judged against eligibility
@pytest.mark.parametrize("channel", CHANNELS)
def test_false_exclusion_is_a_denial(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "Can I get the Spring Unlimited offer?"],
        ["agent", "Sorry, that's only for new customers."],
    ]
    # Spring Unlimited is open to existing customers too (its eligibility).
    assert "denied_offer" in kinds(turns, channel, campaigns)
    ok = [
        ["customer", "Can I get the Spring Unlimited offer?"],
        ["agent", "Yes, Spring Unlimited is $35 a month."],
    ]
    assert "denied_offer" not in kinds(ok, channel, campaigns)


# 11. Product names that contain each other: the longest wins
def test_successor_names_do_not_collide(tmp_path: Path) -> None:
    base = """
        version: 2
        id: {id}
        name: {name}
        from: {start}
        to: {end}
        products: ["{name}"]
        {extra}
        facts:
          - id: price
            about: ["price"]
            value: {{money: {{amount: {amount}, currency: USD, period: month}}}}
    """
    (tmp_path / "a.yaml").write_text(
        textwrap.dedent(
            base.format(
                id="OLD", name="Flex 500", start="2026-01-01", end="2026-03-31", extra="", amount=40
            )  # fmt: skip
        )
    )
    (tmp_path / "b.yaml").write_text(
        textwrap.dedent(
            base.format(
                id="NEW",
                name="Flex 500 Plus",
                start="2026-04-01",
                end="2026-07-31",
                extra="supersedes: [OLD]",
                amount=45,
            )  # fmt: skip
        )
    )
    cs = load_campaigns(tmp_path)
    result = explain("Flex 500 Plus is $45 a month.", dt.date(2026, 5, 1), "chat", cs)
    assert result["topics"] == ["NEW"] and not result["flags"]


# Schema v2
def test_v2_feature_under_version_1_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "id: X\nname: X\nfrom: 2026-01-01\nto: 2026-02-01\nproducts: [X]\n"
        "facts:\n  - id: d\n    value: {percent: 10, bound: up_to}\n"
    )
    with pytest.raises(FileErrors) as err:
        load_campaigns(tmp_path)
    assert "version: 2" in str(err.value.problems)


def test_overlapping_facts_are_named(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "id: X\nname: X\nfrom: 2026-01-01\nto: 2026-02-01\nproducts: [X]\nfacts:\n"
        "  - {id: a, about: [fee], value: {money: {amount: 5, currency: USD, period: once}}}\n"
        "  - {id: b, about: [fee], value: {money: {amount: 9, currency: USD, period: once}}}\n"
    )
    (warning,) = overlaps(load_campaigns(tmp_path)[0])
    assert "'a'" in warning and "'b'" in warning


def test_bounds_and_ranges_in_v2(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        "version: 2\nid: X\nname: Xplan\nfrom: 2026-01-01\nto: 2026-12-01\nproducts: [Xplan]\n"
        "facts:\n"
        "  - {id: d, about: [discount], value: {percent: 10, bound: up_to}}\n"
        "  - {id: w, about: [install], value: {duration: {amount: 3, unit: day}, to: 5}}\n"
    )
    cs = load_campaigns(tmp_path)
    day = dt.date(2026, 5, 1)
    assert not explain("Xplan gives a 7% discount.", day, "chat", cs)["flags"]
    assert explain("Xplan gives a 15% discount.", day, "chat", cs)["flags"]
    assert not explain("On Xplan we install in 4 days.", day, "chat", cs)["flags"]
    assert explain("On Xplan we install in 9 days.", day, "chat", cs)["flags"]


def test_low_confidence_flags_are_held_for_review(campaigns) -> None:  # type: ignore[no-untyped-def]
    # A figure whose words speak of no fact: the checker is unsure, so a person reviews it.
    case = {
        "id": "t",
        "date": DAY,
        "channel": "chat",
        "turns": [["agent", "Spring Unlimited: 4 weeks."]],
    }
    found = [
        f for f in check_interaction(case_interaction(case), campaigns) if f.kind == "contradiction"
    ]
    assert found and all(f.status == "review" and f.confidence < 0.6 for f in found)
