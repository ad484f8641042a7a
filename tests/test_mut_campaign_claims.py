"""What an agent's sentence claims, figure by figure (qa.statements.claims.extract_claims):
whose figure it is, whether it holds now, whether it is denied, and which figures of the
customer's an agent's "that's right" makes the agent's own. The campaign check compares only
the agent's own current figures, so each reading below decides whether a figure can raise a
contradiction. Sentences are written here."""

from __future__ import annotations

import pytest

from qa.statements.claims import extract_claims

Reading = tuple[str, str, str, str]  # the figure as said, polarity, attribution, tense

OWN = ("asserted", "own", "current")


def read(sentence: str, previous: str = "", known: tuple[str, ...] = ()) -> list[Reading]:
    return [
        (c.quantity.text, c.polarity, c.attribution, c.tense)
        for c in extract_claims(sentence, previous, known)
    ]


@pytest.mark.parametrize(
    ("said", "previous", "want"),
    [
        # A confirmation makes the customer's figures the agent's own.
        (
            "Yes, that's right.",
            "It's $45 a month, isn't it?",
            [("$45 a month", "asserted", "confirmed", "current")],
        ),
        (
            "Yes.",
            "It's $45 a month, isn't it?",
            [("$45 a month", "asserted", "confirmed", "current")],
        ),
        # "Correct" leading a longer sentence confirms as well.
        (
            "Correct, and you also get free calls.",
            "It's $45 a month?",
            [("$45 a month", "asserted", "confirmed", "current")],
        ),
        # Nothing to confirm, or no confirmation.
        ("Yes, that's right.", "", []),
        ("I'll check that.", "It's $45 a month?", []),
        # The agent states its own figure of that kind: only the others are confirmed.
        ("That's right, it's $30 a month.", "It's $45 a month?", [("$30 a month", *OWN)]),
        (
            "Correct, it's $30.",
            "So $45 a month for 12 months?",
            [("12 months", "asserted", "confirmed", "current"), ("$30", *OWN)],
        ),
        (
            "Correct, it's 24 months.",
            "So 12 months at $45 a month?",
            [("$45 a month", "asserted", "confirmed", "current"), ("24 months", *OWN)],
        ),
        # A product's name with a number in it is a name, not a figure.
        (
            "Yes.",
            "Is Fibre 500 $45 a month?",
            [("$45 a month", "asserted", "confirmed", "current")],
        ),
    ],
)
def test_a_confirmation_of_the_customers_figures(
    said: str, previous: str, want: list[Reading]
) -> None:
    assert read(said, previous, ("Fibre 500",)) == want


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("It's $30 a month.", [("$30 a month", *OWN)]),
        # Denied, corrected either way round.
        ("It's not $30 a month.", [("$30 a month", "negated", "own", "current")]),
        (
            "It's not $49.99, it's $39.99.",
            [("$49.99", "negated", "own", "current"), ("$39.99", "corrected", "own", "current")],
        ),
        (
            "It's $39.99, not $49.99.",
            [("$39.99", "corrected", "own", "current"), ("$49.99", "negated", "own", "current")],
        ),
        ("$30 a month wouldn't apply to you.", [("$30 a month", "negated", "own", "current")]),
        (
            "It's $39.99 rather than $49.99.",
            [("$39.99", "corrected", "own", "current"), ("$49.99", "negated", "own", "current")],
        ),
        # A negation does not reach past a comma, nor across many words, nor out of the
        # figure's clause either way.
        ("We don't charge extra but it's $30 a month.", [("$30 a month", *OWN)]),
        ("It's $30 a month, and the other fee doesn't apply.", [("$30 a month", *OWN)]),
        ("If you can't pay, the fee is $50.", [("$50", *OWN)]),
        ("We never said that the price of the whole family bundle would be $30.", [("$30", *OWN)]),
        # Whose figure: a total, a competitor's, the customer's own, an add-on, a reference.
        ("For both of you it's $60 a month.", [("$60 a month", "asserted", "total", "current")]),
        (
            "That's $30 a month for the two of you.",
            [("$30 a month", "asserted", "total", "current")],
        ),
        ("They charge $25 a month.", [("$25 a month", "asserted", "competitor", "current")]),
        (
            "It is $25 a month with Pinecell.",
            [("$25 a month", "asserted", "competitor", "current")],
        ),
        ("It is $25 a month with Fibre 500.", [("$25 a month", *OWN)]),
        ("Your current bill is $80 a month.", [("$80 a month", "asserted", "customer", "current")]),
        (
            "There's an optional add-on at $5 a month.",
            [("$5 a month", "asserted", "add_on", "current")],
        ),
        # An add-on said in the clause before: a rough figure after it is the add-on's.
        (
            "The installation is extra; it's roughly $35.",
            [("$35", "asserted", "add_on", "current")],
        ),
        ("The installation is extra; it's $35.", [("$35", *OWN)]),
        ("It's normally $50 a month.", [("$50 a month", "asserted", "reference", "current")]),
        ("It's $50 a month normally.", [("$50 a month", "asserted", "reference", "current")]),
        ("It's $50 a month, normally.", [("$50 a month", *OWN)]),
        ("It's $50 a month Normally.", [("$50 a month", "asserted", "reference", "current")]),
        # Our own name opens a clause of its own: the competitor's words stay with theirs.
        (
            "Pinecell charge $20 a month, Fibre Max $35 a month.",
            [("$20 a month", "asserted", "competitor", "current"), ("$35 a month", *OWN)],
        ),
        (
            "Down from $50, it is now $35 a month.",
            [("$50", "asserted", "reference", "current"), ("$35 a month", *OWN)],
        ),
        # When: a condition, an if-clause, past, future; a word for now holds.
        (
            "As long as you stay 12 months it's $30.",
            [
                ("12 months", "asserted", "own", "hypothetical"),
                ("$30", "asserted", "own", "hypothetical"),
            ],
        ),
        (
            "If you left after 12 months the fee is $75.",
            [
                ("12 months", "asserted", "own", "hypothetical"),
                ("$75", "asserted", "own", "hypothetical"),
            ],
        ),
        ("If you pay by direct debit, it's $30 a month.", [("$30 a month", *OWN)]),
        (
            "If prices rose to, say, $35 a month, you could leave.",
            [("$35 a month", "asserted", "own", "hypothetical")],
        ),
        ("From September it will be $40 a month.", [("$40 a month", "asserted", "own", "future")]),
        ("Today it will be $40 a month.", [("$40 a month", "asserted", "own", "future")]),
        ("Now it went up to $40 a month.", [("$40 a month", *OWN)]),
        # A word for now holds over a past word before it in the clause, not over one in
        # another clause.
        ("It was raised and now it's $35 a month.", [("$35 a month", *OWN)]),
        (
            "Currently we're busy, but $20 a month was the old price.",
            [("$20 a month", "asserted", "own", "past")],
        ),
        (
            "It used to be $20 a month, now it is $35 a month.",
            [("$20 a month", "asserted", "own", "past"), ("$35 a month", *OWN)],
        ),
        (
            "It was reduced from $50, now it's $35 a month.",
            [("$50", "asserted", "reference", "past"), ("$35 a month", *OWN)],
        ),
        (
            "It used to be $20, it's $35 now.",
            [("$20", "asserted", "own", "past"), ("$35", *OWN)],
        ),
    ],
)
def test_whose_figure_and_when(said: str, want: list[Reading]) -> None:
    assert read(said, known=("Fibre 500", "Fibre Max")) == want


@pytest.mark.parametrize(
    ("said", "want"),
    [
        ("Over a year that's $600.", [("$600", "year")]),
        ("Monthly that's $50.", [("$50", "month")]),
        # A period said with an earlier figure stays with it.
        (
            "It's $30 a month, over a year that's $360.",
            [("$30 a month", "month"), ("$360", "year")],
        ),
        ("Over a year you save 10%, that's $50.", [("10%", None), ("$50", None)]),
        ("Over a year you get 10% off and $50 back.", [("10%", None), ("$50", None)]),
    ],
)
def test_a_period_said_before_the_amount(said: str, want: list[tuple[str, str | None]]) -> None:
    assert [(c.quantity.text, c.quantity.period) for c in extract_claims(said)] == want


def test_a_confirmed_figure_is_read_in_the_customers_words() -> None:
    [claim] = extract_claims("Yes, that's right.", "So the setup fee is $45, and that's it?")
    assert (claim.clause, claim.sentence) == (
        "So the setup fee is $45",
        "So the setup fee is $45, and that's it?",
    )
    [claim] = extract_claims("It's $30 a month, and that's it.")
    assert (claim.clause, claim.sentence) == (
        "It's $30 a month",
        "It's $30 a month, and that's it.",
    )


@pytest.mark.parametrize(
    ("said", "previous", "known", "want"),
    [
        ("是的。", "月费是九十九元吗？", (), [("99元", "asserted", "confirmed", "current")]),
        ("是的。", "", (), []),
        # A name with a number in it is no figure.
        (
            "您的5G畅享套餐月费九十九元。",
            "",
            ("5G畅享套餐",),
            [("99元", "asserted", "customer", "current")],
        ),
        (
            "您的5G畅享套餐月费九十九元。",
            "",
            (),
            [
                ("5G", "asserted", "customer", "current"),
                ("99元", "asserted", "customer", "current"),
            ],
        ),
    ],
)
def test_a_chinese_sentence_is_read_by_the_chinese_cues(
    said: str, previous: str, known: tuple[str, ...], want: list[Reading]
) -> None:
    assert read(said, previous, known) == want
