"""Campaign flags a coach can trust: the time and speaker of one figure do not reach another
across a comma, a customer who asks about an offer is not denied it by an agent who explains
it, and an offer the agent said does not apply is not pitched by a later offer of a standard
quote. Voice, chat and email; the campaign and every sentence are invented here."""

from __future__ import annotations

import textwrap
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import Campaign, load_campaigns
from qa.statements.claims import extract_claims, figure_bounds
from qa.statements.quantities import extract

CHANNELS = ["voice", "chat", "email"]
DAY = "2026-10-06"

CAMPAIGN = """
id: LUMEN-AUTUMN
name: Lumen Broadband autumn offer
from: 2026-09-01
to: 2026-11-30
channels: [voice, chat, email]
products: ["Lumen Broadband"]
facts:
  - id: price
    about: ["monthly price", "price"]
    value: {money: {amount: 45, currency: USD, period: month}}
  - id: setup_fee
    about: ["setup fee", "set-up fee", "installation fee"]
    value: {money: {amount: 30, currency: USD, period: once}}
disclosures:
  - id: minimum_term
    phrases: ["an eighteen month minimum term applies"]
key_points:
  - id: router
    phrases: ["a wifi router comes included"]
"""
KNOWN = ("Lumen Broadband",)


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory: pytest.TempPathFactory) -> list[Campaign]:
    folder = tmp_path_factory.mktemp("lumen")
    (folder / "lumen.yaml").write_text(textwrap.dedent(CAMPAIGN))
    return load_campaigns(folder)


def flags(
    turns: list[list[str]], channel: str, campaigns: list[Campaign], matcher: Any = None
) -> set[tuple[str, str]]:
    case = {"id": "t", "date": DAY, "channel": channel, "turns": turns}
    return {
        (str(f.kind), f.fact.split(":")[0].split(" ")[0])
        for f in check_interaction(case_interaction(case), campaigns, matcher)
        if f.status != "review"
    }


def contradicted(sentence: str, channel: str, campaigns: list[Campaign]) -> set[str]:
    return {i for k, i in flags([["agent", sentence]], channel, campaigns) if k == "contradiction"}


# --- the clause of one figure ends at a comma that opens another clause ----------------------


@pytest.mark.parametrize(
    ("sentence", "first", "second"),
    [
        # a price that was, then the one that holds now
        ("It was $40 a month, now it is $55 a month.", ("reference", "past"), ("own", "current")),
        ("It used to be $40 a month, from today it's $55.", ("own", "past"), ("own", "current")),
        ("The old price was $40, going forward it is $55 a month.", ("reference", "past"),
         ("own", "current")),
        # someone else's price, then ours
        ("Other providers charge $40 a month, Lumen Broadband is $55 a month.",
         ("competitor", "current"), ("own", "current")),
        ("Other providers charge $40 a month, Lumen Broadband $55 a month.",
         ("competitor", "current"), ("own", "current")),
    ],
)  # fmt: skip
def test_time_and_speaker_stop_at_a_comma_that_opens_a_clause(
    sentence: str, first: tuple[str, str], second: tuple[str, str]
) -> None:
    a, b = extract_claims(sentence, known=KNOWN)
    assert (a.attribution, a.tense) == first
    assert (b.attribution, b.tense) == second
    assert not a.checkable and b.checkable


def test_a_comma_without_a_clause_of_its_own_does_not_cut() -> None:
    # The same price said two ways, a list, an aside: one clause, read as one.
    for sentence in [
        "It is $45 a month, $540 a year.",
        "They charge $40 a month, sometimes $50.",
    ]:
        text, qs = extract(sentence)
        assert [figure_bounds(text, q, qs, KNOWN) for q in qs] == [(0, len(text))] * 2, sentence
    a, b = extract_claims("They charge $40 a month, sometimes $50.", known=KNOWN)
    assert a.attribution == b.attribution == "competitor"


def test_a_word_for_now_holds_against_an_earlier_past_word() -> None:
    (claim,) = extract_claims("The price was raised in spring and now it is $55 a month.")
    assert (claim.attribution, claim.tense) == ("own", "current")
    # "until now" looks back: the figure after it is still the past one.
    (until,) = extract_claims("Until now it was $40 a month.")
    assert until.tense == "past" and not until.checkable
    # A past word after the word for now speaks of the figure: "now" no longer holds.
    (later,) = extract_claims("Now, back in spring, it was $40 a month.")
    assert later.tense == "past"


def test_the_clause_that_chooses_the_fact_is_the_whole_clause() -> None:
    # The words before the comma still say which fact the figure is ("setup fee").
    (_, fee) = extract_claims("The setup fee was $20, now it is $35.", known=KNOWN)
    assert "setup fee" in fee.clause and fee.tense == "current"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_wrong_price_said_after_an_old_one_is_checked(
    channel: str, campaigns: list[Campaign]
) -> None:
    wrong = [
        "Lumen Broadband was $40 a month, now it is $55 a month.",
        "It cost $40 a month last year, going forward Lumen Broadband is $60 a month.",
        "Other providers charge $40 a month, Lumen Broadband is $55 a month.",
        "Lumen Broadband was raised over the summer and now it's $52 a month.",
    ]
    for sentence in wrong:
        assert contradicted(sentence, channel, campaigns) == {"price"}, sentence
    right = [
        "Lumen Broadband was $40 a month, now it is $45 a month.",
        "Other providers charge $55 a month, Lumen Broadband is $45 a month.",
        "Lumen Broadband used to be $60 a month, from today it's $45.",
    ]
    for sentence in right:
        assert contradicted(sentence, channel, campaigns) == set(), sentence


# --- a denial needs the agent to deny --------------------------------------------------------

ASKED = "Hello, what's this Lumen Broadband deal I keep seeing on the bus stops?"
EXPLAINS = "Lumen Broadband is $45 a month and a wifi router comes included."
DEADLINE = "It's only available until the end of November, though."
REFUSES = "Sorry, we're not running any Lumen Broadband deal."
STANDARD = "I can still give you a standard Lumen Broadband quote if you like."


class Embedder:
    """Every text on an axis of its own: nothing is near anything (no paraphrase given)."""

    def __init__(self) -> None:
        self.axes: dict[str, int] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = np.zeros((len(texts), 256))
        for i, t in enumerate(texts):
            rows[i, self.axes.setdefault(t, len(self.axes) % 256)] = 1.0
        return rows


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, dict[str, dict[str, float]]]:
    """A model whose act reader says what the test sets, sentence by sentence."""
    import qa.acts
    import qa.campaigns.check as check

    said: dict[str, dict[str, float]] = {}

    def classify(texts: list[str], names: list[str], **_: Any) -> list[dict[str, float]]:
        return [said.get(t, {"present_offer": 0.0, "deny_offer": 0.0}) for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    monkeypatch.setattr(check, "_phrase_vectors", {})
    return SimpleNamespace(embedder=Embedder()), said


PITCH = {"present_offer": 0.9, "deny_offer": 0.1}
DENY = {"present_offer": 0.3, "deny_offer": 0.8}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_question_about_an_offer_answered_with_its_terms_is_no_denial(
    channel: str, campaigns: list[Campaign], acts: tuple[Any, dict[str, Any]]
) -> None:
    matcher, said = acts
    said.update({EXPLAINS: PITCH, DEADLINE: DENY})
    turns = [["customer", ASKED], ["agent", f"{EXPLAINS} {DEADLINE}"]]
    assert ("denied_offer", "Lumen") not in flags(turns, channel, campaigns, matcher)
    # A deadline alone tells the customer the offer is on.
    turns = [["customer", ASKED], ["agent", DEADLINE]]
    assert ("denied_offer", "Lumen") not in flags(turns, channel, campaigns, matcher)


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_agent_who_denies_the_offer_is_still_flagged(
    channel: str, campaigns: list[Campaign], acts: tuple[Any, dict[str, Any]]
) -> None:
    matcher, said = acts
    said[REFUSES] = DENY
    # A denying phrase, with the offer's terms said wrongly or not at all.
    turns = [["customer", ASKED], ["agent", REFUSES]]
    assert ("denied_offer", "Lumen") in flags(turns, channel, campaigns, matcher)
    assert ("denied_offer", "Lumen") in flags(turns, channel, campaigns)  # without a model
    # A denial by the act alone, in a reply that states no term of the offer rightly.
    ended = "It was only on until the end of August."
    said[ended] = DENY
    turns = [["customer", ASKED], ["agent", ended]]
    assert ("denied_offer", "Lumen") in flags(turns, channel, campaigns, matcher)
    wrong = "Lumen Broadband is $70 a month, but we only sell it to businesses."
    said[wrong] = DENY
    turns = [["customer", ASKED], ["agent", wrong]]
    assert ("denied_offer", "Lumen") in flags(turns, channel, campaigns, matcher)


@pytest.mark.parametrize("channel", CHANNELS)
def test_no_pitch_of_an_offer_the_agent_said_does_not_apply(
    channel: str, campaigns: list[Campaign], acts: tuple[Any, dict[str, Any]]
) -> None:
    matcher, said = acts
    said.update({REFUSES: DENY, STANDARD: PITCH})
    turns = [["customer", ASKED], ["agent", REFUSES], ["customer", "Oh."], ["agent", STANDARD]]
    assert flags(turns, channel, campaigns, matcher) == {("denied_offer", "Lumen")}
    # Stating the offer's terms after all is a pitch, with what a pitch must say.
    terms = "Actually, Lumen Broadband is $45 a month, shall I sign you up?"
    said[terms] = PITCH
    turns = [["customer", ASKED], ["agent", REFUSES], ["customer", "Oh."], ["agent", terms]]
    assert flags(turns, channel, campaigns, matcher) == {
        ("denied_offer", "Lumen"),
        ("missing_disclosure", "disclosure"),
        ("missed_key_point", "key"),
    }


# --- a flag a coach reads as a sentence ------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_flag_says_what_was_said_what_holds_and_since_when(
    channel: str, campaigns: list[Campaign]
) -> None:
    case = {
        "id": "t",
        "date": DAY,
        "channel": channel,
        "turns": [["agent", "The Lumen Broadband setup fee was $20, now it is $35."]],
    }
    (flag,) = check_interaction(case_interaction(case), campaigns)
    assert flag.message == (
        "Said '$35', but Lumen Broadband autumn offer has setup fee at USD 30.00 since"
        " 1 September 2026 (compared with setup_fee because: an amount; the sentence names"
        " setup_fee)."
    )


def test_the_reason_for_a_fact_reads_as_words() -> None:
    from qa.campaigns.check import choose_fact

    camp = Campaign.model_validate(
        {
            "version": 2,
            "id": "GRID",
            "name": "Grid Saver",
            "from": "2026-01-05",
            "to": "2026-06-30",
            "products": ["Grid Saver"],
            "facts": [
                {"id": "standing", "value": {"money": {"amount": 0.7, "currency": "EUR",
                                                       "period": "day"}}},
                {"id": "joining", "value": {"money": {"amount": 20, "currency": "EUR",
                                                      "period": "once"}}},
                {"id": "starts", "value": {"date": "2026-02-01"}},
            ],
        }
    )  # fmt: skip
    (daily,) = extract_claims("It's 90 cent a day.")
    assert choose_fact(daily, camp, None)[1:] == (
        "an amount; the only daily amount; both a day",
        0.7,
    )
    (day,) = extract_claims("Supply starts on 3 February.")
    assert choose_fact(day, camp, None)[1:] == ("a date; the only date", 0.7)
    (once,) = extract_claims("It's 25 euro one-off.")
    assert choose_fact(once, camp, None)[1:] == (
        "an amount; the nearest period; both one-off",
        0.45,
    )


# --- figures read as said: commas and white space around them --------------------------------


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("thirty five, a month", "35, a month"),
        ("it is two point five, and the rest", "it is 2.5, and the rest"),
        ("sixty, and then seventy", "60, and then 70"),
        ("forty nine, ninety nine", "49, 99"),  # a comma inside a run stays where it was
        ("twelve and", "12 and"),
    ],
)
def test_a_comma_after_a_spoken_figure_stays_next_to_it(said: str, want: str) -> None:
    from qa.statements.numbers import digits

    assert digits(said) == want


@pytest.mark.parametrize("gap", ["\t", "\r\n", "  ", " \n "])
def test_a_bound_word_reaches_its_figure_across_any_white_space(gap: str) -> None:
    _, (q,) = extract(f"Lumen Broadband saves you up to{gap}40% a year.")
    assert (q.value, q.bound) == (40, "max")
    _, (low,) = extract(f"It costs at least{gap}$20 a month.")
    assert (low.value, low.bound) == (20, "min")


OTHERWISE = "Most people round here pick something else."  # no denying phrase, no deadline


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "terms",
    [
        "With Lumen Broadband it's just $45 a month.",  # "with <name>": ours, by our names
        "It was $30 a month last spring, now with Lumen Broadband it's $45 a month.",
    ],
)
def test_a_reply_that_states_the_terms_rightly_does_not_deny_by_the_act_alone(
    channel: str, terms: str, campaigns: list[Campaign], acts: tuple[Any, dict[str, Any]]
) -> None:
    matcher, said = acts
    said.update({terms: PITCH, OTHERWISE: DENY})
    turns = [["customer", ASKED], ["agent", f"{terms} {OTHERWISE}"]]
    assert ("denied_offer", "Lumen") not in flags(turns, channel, campaigns, matcher)
    # The same reply with the price said wrongly, or no term at all: the act's denial stands.
    wrong = terms.replace("$45", "$65")
    said[wrong] = PITCH
    turns = [["customer", ASKED], ["agent", f"{wrong} {OTHERWISE}"]]
    assert ("denied_offer", "Lumen") in flags(turns, channel, campaigns, matcher)
    turns = [["customer", ASKED], ["agent", OTHERWISE]]
    assert ("denied_offer", "Lumen") in flags(turns, channel, campaigns, matcher)


@pytest.mark.parametrize(
    ("reply", "deny", "denied"),
    [
        (REFUSES, 0.2, False),  # a denying phrase the act reader does not read as a denial
        (REFUSES, 0.35, True),  # the phrase and a likely denial, at the bar
        (REFUSES, 0.5, True),
        (OTHERWISE, 0.5, False),  # likely, without the phrase: not sure enough
        (OTHERWISE, 0.74, False),
        (OTHERWISE, 0.75, True),  # sure, at the bar
    ],
)
def test_a_denial_by_the_act_and_the_phrase_together(
    reply: str,
    deny: float,
    denied: bool,
    campaigns: list[Campaign],
    acts: tuple[Any, dict[str, Any]],
) -> None:
    matcher, said = acts
    said[reply] = {"present_offer": 0.0, "deny_offer": deny}
    turns = [["customer", ASKED], ["agent", reply]]
    assert (("denied_offer", "Lumen") in flags(turns, "chat", campaigns, matcher)) is denied


@pytest.mark.parametrize(
    ("sentence", "known", "second"),
    [
        # a verb of its own after the comma, no name and no word for now
        ("Other providers charge $40 a month, ours costs $55 a month.", KNOWN, "own"),
        # one of our names, said in any case
        ("Other providers charge $40 a month, lumen broadband $55 a month.", KNOWN, "own"),
        # a figure at the very start of the sentence is a figure of the clause
        ("$40 a month with them, ours is $55 a month.", KNOWN, "own"),
        # an empty name names nothing: no cut without a clause of its own
        ("They charge $40 a month, sometimes $50.", ("",), "competitor"),
        # a figure of an earlier clause does not cut this one: the bill stays the customer's
        ("The deposit was $20. On your bill this month, the charge is $80.", KNOWN, "customer"),
        # no space after the comma, as typed in a chat
        ("Other providers charge $40 a month,Lumen Broadband $55 a month.", KNOWN, "own"),
        ("Ours is $55 a month,their price is $40.", KNOWN, "competitor"),
    ],
)
def test_which_comma_cuts_a_clause(sentence: str, known: tuple[str, ...], second: str) -> None:
    claims = extract_claims(sentence, known=known)
    assert claims[-1].attribution == second


@pytest.mark.parametrize(
    "sentence",
    [
        "Ours is $40 a month, they charge $55 a month.",
        "Ours is $40 a month, they charge $55",  # the figure ends the text
        "It's $40 a month with us,today $55 with them.",  # no space after the comma
    ],
)
def test_the_first_figure_ends_where_the_next_clause_opens(sentence: str) -> None:
    ours, theirs = extract_claims(sentence, known=KNOWN)
    assert (ours.attribution, theirs.attribution) == ("own", "competitor")


def test_a_word_for_now_at_the_start_of_the_sentence() -> None:
    (claim,) = extract_claims("Today it's $55 a month, the same as it was in spring.")
    assert claim.tense == "current"
