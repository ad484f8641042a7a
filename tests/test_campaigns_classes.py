"""Campaign checks on contacts written in other words than ours: spoken and written figures,
the fact a figure speaks of, what a negation or a period reaches, add-ons the campaign
prices, retired promises made in other words, and denials by a condition the offer never
set. Every class on voice, chat and email; the campaign and the sentences are invented here."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import Campaign, load_campaigns
from qa.statements.claims import extract_claims
from qa.statements.concepts import same_promise
from qa.statements.numbers import digits
from qa.statements.quantities import extract

CHANNELS = ["voice", "chat", "email"]
DAY = "2026-05-12"

CAMPAIGN = """
id: KESTREL-HOME
name: Kestrel Home Cover
from: 2026-04-01
to: 2026-09-30
channels: [voice, chat, email]
products: ["Kestrel Home", "Kestrel"]
facts:
  - id: premium
    about: ["premium", "a year", "per year", "annual"]
    value: {money: {amount: 180, currency: GBP, period: year}}
  - id: flood_cover
    about: ["flood cover", "floods up to", "flooding"]
    value: {money: {amount: 250000, currency: GBP, period: once}}
  - id: theft_cover
    about: ["theft cover", "theft up to", "stolen"]
    value: {money: {amount: 40000, currency: GBP, period: once}}
  - id: setup_fee
    about: ["setup fee", "set-up fee", "admin fee"]
    value: {money: {amount: 30, currency: GBP, period: once}}
  - id: extra_person
    about: ["extra person", "additional person", "another person"]
    value: {money: {amount: 15, currency: GBP, period: year}}
  - id: garden_discount
    about: ["garden cover", "garden add-on"]
    value: {percent: 10}
  - id: eligibility
    value: {text: "Homeowners and tenants in the UK, bought by phone, chat or online"}
disclosures:
  - id: excess
    phrases: ["a £150 excess applies to every claim"]
key_points:
  - id: helpline
    phrases: ["a legal helpline around the clock"]
retired_claims:
  - id: price_freeze
    phrases: ["your premium is frozen for life", "the premium will never rise"]
    campaign: KESTREL-2025
  - id: no_cancellation_fee
    phrases: ["no cancellation fees", "cancel any time for free"]
    campaign: KESTREL-2025
  - id: lowest
    phrases: ["the cheapest home cover on the market"]
    campaign: KESTREL-2025
"""


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory: pytest.TempPathFactory) -> list[Campaign]:
    folder = tmp_path_factory.mktemp("kestrel")
    (folder / "kestrel.yaml").write_text(textwrap.dedent(CAMPAIGN))
    return load_campaigns(folder)


def raised(turns: list[list[str]], channel: str, campaigns: list[Campaign]) -> set[tuple[str, str]]:
    case = {"id": "t", "date": DAY, "channel": channel, "turns": turns}
    return {
        (str(f.kind), f.fact.split(":")[0].replace("retired claim ", "").split(" ")[0])
        for f in check_interaction(case_interaction(case), campaigns)
        if f.status != "review"
    }


def contradicted(sentence: str, channel: str, campaigns: list[Campaign]) -> set[str]:
    return {i for k, i in raised([["agent", sentence]], channel, campaigns) if k == "contradiction"}


# --- spoken and written figures -------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "kind", "value", "high", "period", "unit"),
    [
        ("It's just 24.99 a month.", "money", 24.99, None, "month", None),
        ("a £99 one-off fee", "money", 99, None, "once", "GBP"),
        ("$40 one time", "money", 40, None, "once", "USD"),
        ("between 10 and 20 percent off", "percent", 10, 20, None, None),
        ("between ten and fifteen pounds", "money", 10, 15, None, "GBP"),
        ("up to three and a half grand", "money", 3500, None, None, None),
        ("five grand a year", "money", 5000, None, "year", None),
    ],
)
def test_figures_read_whole(said: str, kind: str, value: float, high, period, unit) -> None:  # type: ignore[no-untyped-def]
    _, qs = extract(said)
    assert [(q.kind, q.value, q.high, q.period, q.unit) for q in qs] == [
        (kind, value, high, period, unit)
    ]


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("back in twenty twenty-four it cost more", "back in 2024 it cost more"),
        ("since nineteen ninety-eight", "since 1998"),
        ("nineteen ninety-nine a month", "19.99 a month"),
        ("from nineteen ninety-nine a month", "from 19.99 a month"),
        ("a One-off payment", "a One-off payment"),
        ("up to two and a half grand", "up to 2500"),
    ],
)
def test_years_and_one_offs_are_not_prices(said: str, want: str) -> None:
    assert digits(said) == want


def test_a_reference_word_must_be_a_whole_word() -> None:
    # "just" ends in "st" (street): the figure after it is still a price.
    _, qs = extract("That's just 12.50 a week.")
    assert [(q.value, q.period) for q in qs] == [(12.5, "week")]
    _, ref = extract("Your account number is 4417.")
    assert ref == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_spoken_scale_words_are_compared(channel: str, campaigns: list[Campaign]) -> None:
    wrong = "Kestrel Home covers flooding up to a hundred and twenty grand."
    right = "Kestrel Home covers floods up to two hundred and fifty thousand pounds."
    assert contradicted(wrong, channel, campaigns) == {"flood_cover"}
    assert not contradicted(right, channel, campaigns)


# --- the fact a figure speaks of --------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_phrase_leading_into_a_figure_chooses_the_fact(
    channel: str, campaigns: list[Campaign]
) -> None:
    # Two cover limits in one clause: each figure belongs to the words just before it.
    wrong = "Kestrel Home covers floods up to £90,000 and theft up to £40,000."
    assert contradicted(wrong, channel, campaigns) == {"flood_cover"}
    right = "Kestrel Home covers floods up to £250,000 and theft up to £40,000."
    assert not contradicted(right, channel, campaigns)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_plural_speaks_of_the_fact(channel: str, campaigns: list[Campaign]) -> None:
    assert contradicted("With Kestrel Home, setup fees are £45 once.", channel, campaigns) == {
        "setup_fee"
    }


# --- what a negation, a name or a period reaches -------------------------------------------------


def test_a_capitalised_pronoun_is_not_a_competitor() -> None:
    for sentence in ["It's £180 a year.", "That's £180 a year.", "There's a £30 setup fee."]:
        (claim,) = extract_claims(sentence, known=("Kestrel Home",))
        assert claim.attribution == "own", sentence
    (other,) = extract_claims("Brockwell's cover is £150 a year.", known=("Kestrel Home",))
    assert other.attribution == "competitor"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_negation_does_not_reach_past_a_comma(channel: str, campaigns: list[Campaign]) -> None:
    sentence = "If you don't want paper documents, the Kestrel setup fee is £55."
    assert contradicted(sentence, channel, campaigns) == {"setup_fee"}
    assert not contradicted("The Kestrel setup fee isn't £55, it's £30.", channel, campaigns)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_period_stays_with_its_own_figure(channel: str, campaigns: list[Campaign]) -> None:
    sentence = "Kestrel Home is £180 for the year, with theft cover up to £40,000."
    assert not contradicted(sentence, channel, campaigns)
    (_, limit) = extract_claims(sentence, known=("Kestrel Home",))
    assert limit.quantity.period is None


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_one_off_fee_said_monthly_is_a_contradiction(
    channel: str, campaigns: list[Campaign]
) -> None:
    sentence = "The Kestrel setup fee is £30 a month, taken with your first payments."
    assert contradicted(sentence, channel, campaigns) == {"setup_fee"}


# --- add-ons the campaign prices; the customer's own account -----------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_add_on_the_campaign_prices_is_checked(channel: str, campaigns: list[Campaign]) -> None:
    wrong = "On Kestrel Home an extra person is £25 a year on top."
    assert contradicted(wrong, channel, campaigns) == {"extra_person"}
    assert not contradicted("On Kestrel Home an extra person is £15 a year on top.", channel,
                            campaigns)  # fmt: skip
    # An add-on the campaign does not price, and taxes, are not its facts.
    assert not contradicted("Kestrel Home plus pet cover is £40 a year extra.", channel, campaigns)
    taxed = "Kestrel Home is £180 a year before taxes and fees, which come to about £20 a year."
    assert not contradicted(taxed, channel, campaigns)


@pytest.mark.parametrize("channel", CHANNELS)
def test_agreeing_about_the_customers_own_account_confirms_no_offer(
    channel: str, campaigns: list[Campaign]
) -> None:
    service = [
        ["customer", "My Kestrel Home bill went up, it's 3 years now I've been with you."],
        ["agent", "Your Kestrel Home renewal is £180 a year."],
        ["customer", "So it covers 2 years in one go?"],
        ["agent", "Exactly, the renewal letter explains it."],
    ]
    assert not {k for k, _ in raised(service, channel, campaigns)} & {"contradiction"}
    sales = [
        ["customer", "The Kestrel Home premium is £120 a year, is that right?"],
        ["agent", "Yes, that's right."],
    ]
    assert ("contradiction", "premium") in raised(sales, channel, campaigns)


# --- retired promises in other words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "said", "same"),
    [
        ("no cancellation fees", "you can walk away whenever you like and it won't cost you a thing", True),
        ("cancel any time for free", "you can leave at any stage with no charge", True),
        ("no cancellation fees", "there's a £40 fee if you cancel in the first year", False),
        ("cancel any time for free", "you can cancel any time, but a £40 fee applies", False),
        ("the premium will never rise", "that £180 stays yours as long as you stay with us", True),
        ("the premium will never rise", "the premium won't go up for 12 months", False),
        ("the cheapest home cover on the market", "nobody is cheaper anywhere in Britain", True),
        ("the cheapest home cover on the market", "this is our cheapest level of cover", False),
        ("we'll match any quote", "bring me a lower quote and we'll beat it", True),
        ("we'll match any quote", "we don't match quotes any more", False),
        ("no throttling at all", "we never slow your connection down", True),
        ("no throttling at all", "speeds may be slowed at busy times", False),
        ("no medical questions", "you won't need to tell us about health conditions", True),
        ("no medical questions", "you need to declare any medical conditions", False),
        ("no early repayment charges", "pay it off early whenever you like at no cost", True),
        ("no early repayment charges", "early repayment charges apply in the first year", False),
        ("no contract needed", "you're never locked in, it's month-to-month", True),
        ("no contract needed", "it's a 24-month contract", False),
        ("free delivery", "we'll deliver it at no extra cost", True),
        ("free delivery", "delivery is £4.99", False),
    ],
)  # fmt: skip
def test_the_same_promise_in_other_words(phrase: str, said: str, same: bool) -> None:
    assert same_promise(phrase, said) is same


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_retired_promise_in_other_words_is_flagged(
    channel: str, campaigns: list[Campaign]
) -> None:
    said = [["agent", "With Kestrel Home you can walk away whenever you like, it costs nothing."]]
    assert ("retired_claim", "no_cancellation_fee") in raised(said, channel, campaigns)
    fee = [["agent", "With Kestrel Home there's a £40 charge if you cancel in the first year."]]
    assert not {k for k, _ in raised(fee, channel, campaigns)} & {"retired_claim"}
    low = [["agent", "Honestly, you won't find a lower premium anywhere in the UK than Kestrel."]]
    assert ("retired_claim", "lowest") in raised(low, channel, campaigns)


# --- denials by a condition the offer never set --------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_condition_the_offer_never_set_is_a_false_exclusion(
    channel: str, campaigns: list[Campaign]
) -> None:
    asked = ["customer", "Can I get Kestrel Home for my flat?"]
    false = [asked, ["agent", "Sorry, Kestrel Home is only for houses built after 1990."]]
    assert ("denied_offer", "Kestrel") in {
        (k, i.split(" ")[0]) for k, i in raised(false, channel, campaigns)
    }
    # A condition in the campaign's own terms is a legitimate exclusion.
    legit = [
        asked,
        ["agent", "Sorry, the garden add-on discount is only with a garden cover policy."],
    ]
    assert not {k for k, _ in raised(legit, channel, campaigns)} & {"denied_offer"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_offer_said_to_be_withdrawn_is_denied(channel: str, campaigns: list[Campaign]) -> None:
    turns = [
        ["customer", "I'd like to sign up for Kestrel Home please."],
        ["agent", "I'm sorry, we stopped selling Kestrel Home, it was pulled last month."],
    ]
    assert "denied_offer" in {k for k, _ in raised(turns, channel, campaigns)}


# --- disclosures and key points given in a short answer ------------------------------------------


def test_a_figure_before_a_scale_word_is_scaled() -> None:
    assert digits("£10 million of cover") == "£10000000 of cover"
    assert digits("2.5 thousand") == "2500"


@pytest.mark.parametrize(
    ("question", "answer", "says"),
    [
        ("Is there an excess?", "There is, I'm afraid.", "Is there an excess"),
        ("Any fee for cancelling?", "None at all.", "no fee for cancelling"),
        ("Does it have a legal helpline?", "Yes, it does.", "Does it have a legal helpline"),
        ("Does it have a legal helpline?", "No, it doesn't.", "no legal helpline"),
        ("Does it have a legal helpline?", "No problem, let me check.", None),
        ("I'd like a quote.", "Yes, of course.", None),
    ],
)
def test_what_a_short_answer_says(question: str, answer: str, says: str | None) -> None:
    from qa.campaigns.check import Sentence, answered

    said = answered([Sentence(0, "customer", 0, 0, question), Sentence(1, "agent", 0, 0, answer)])
    assert [s.text for s in said] == ([says] if says else [])


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_disclosure_given_in_a_yes_counts(channel: str, campaigns: list[Campaign]) -> None:
    turns = [
        ["customer", "How much is Kestrel Home?"],
        ["agent", "Kestrel Home is £180 a year, with a legal helpline around the clock."],
        ["customer", "Does a £150 excess apply to every claim?"],
        ["agent", "Yes, it does."],
    ]
    assert not {k for k, _ in raised(turns, channel, campaigns)} & {"missing_disclosure"}
    # A "no" does not give a disclosure that says there is one.
    turns[3] = ["agent", "No, it doesn't."]
    assert ("missing_disclosure", "disclosure") in raised(turns, channel, campaigns)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_key_point_with_its_figure_in_other_words(
    channel: str, campaigns: list[Campaign]
) -> None:
    from qa.campaigns.check import _same_figure_and_word

    assert _same_figure_and_word("£10 million medical cover", "with medical cover up to £10m")
    assert not _same_figure_and_word("£75 exit fee before 18 months", "fixed for 18 months")
    turns = [["agent", "Kestrel Home is £180 a year; every claim carries an excess of £150."]]
    assert not {k for k, _ in raised(turns, channel, campaigns)} & {"missing_disclosure"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_price_for_a_group_is_held_for_review(channel: str, campaigns: list[Campaign]) -> None:
    # The premium is for one household; a price per person of several is a tier the campaign
    # file may not hold, so a person reviews it rather than a coach being shown it.
    for sentence in [
        "The Kestrel Home premium for a family of five is £240 a year.",
        "For the three of you the Kestrel Home premium is £90 a year per person.",
    ]:
        assert not contradicted(sentence, channel, campaigns), sentence
    # A limit of cover is not priced per head, and a plain price is still compared.
    # The price of one more person is the extra_person fact itself, not a group price.
    extra = "Adding a person to Kestrel Home, each extra person is £25 a year."
    assert contradicted(extra, channel, campaigns) == {"extra_person"}
    plain = "The Kestrel Home premium is £240 a year."
    assert contradicted(plain, channel, campaigns) == {"premium"}
    assert contradicted(
        "Kestrel Home covers theft up to £20,000 per person.", channel, campaigns
    ) == {"theft_cover"}


def test_a_condition_is_not_judged_without_eligibility(tmp_path: Path) -> None:
    from qa.campaigns.check import _false_condition

    (tmp_path / "k.yaml").write_text(
        textwrap.dedent(CAMPAIGN).replace(
            '  - id: eligibility\n    value: {text: "Homeowners and tenants in the UK, bought by '
            'phone, chat or online"}\n',
            "",
        )
    )
    (bare,) = load_campaigns(tmp_path)
    assert not any(f.id == "eligibility" for f in bare.facts)
    said = "Sorry, Kestrel Home is only for houses built after 1990."
    assert not _false_condition(said, bare)
