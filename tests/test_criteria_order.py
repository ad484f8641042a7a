"""order.v1 by cause, each in voice, chat and email.

- The later step is anything done to or told of the customer's account, not only a listed
  phrase: a change said as done ("I've moved your payment date") where the card's list
  names changes, and what is on something of theirs said as a fact with no figure
  ("that's included in your plan").
- A contact that puts an account in the customer's name (a new occupier) has no existing
  account to protect: what is said of the new account afterwards is no later step.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_criteria import CHANNELS, result, verdict

SECURITY_FIRST = {
    "type": "order.v1",
    "first": {"phrases": ["security", "passcode", "date of birth", "postcode"], "match": "fuzzy"},
    "then": {
        "phrases": ["I can see on your account", "your bill", "your contract", "I've applied"],
        "match": "fuzzy",
    },
}
# The same card without any change among its later steps.
DETAILS_ONLY = {
    **SECURITY_FIRST,
    "then": {"phrases": ["your bill", "your contract", "your balance"], "match": "fuzzy"},
}

CHECK = [
    ("agent", "Before I go any further, can I take your date of birth for security?"),
    ("customer", "Twelfth of March, 1979."),
]


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_change_said_as_done_is_the_later_step(channel: str) -> None:
    ask = [("customer", "Can the payments come out at the end of the month instead?")]
    change = [("agent", "No problem, I've moved your payment date to the twenty-eighth.")]
    assert result(SECURITY_FIRST, channel, ask + CHECK + change) == "pass"
    out = verdict(SECURITY_FIRST, channel, ask + change + CHECK)
    assert out.result == "fail"
    assert "moved your payment date" in out.evidence[0].quote
    # Without a figure, too: the change is what matters.
    booked = [("agent", "Right, I've booked an engineer visit against your line.")]
    assert result(SECURITY_FIRST, channel, ask + booked + CHECK) == "fail"
    # Only a card whose later steps are changes reads them so.
    assert result(DETAILS_ONLY, channel, ask + booked + CHECK) == "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_what_is_only_seen_asked_or_conditional_is_no_change(channel: str) -> None:
    for said in (
        "I've understood what you need, thanks.",
        "I've had a few calls about that today.",
        "Thanks, I've verified you on the account now.",
        "If I've changed your plan by mistake, we'll put it right.",
        "Have I moved your payment date already?",
    ):
        lines = [("customer", "Hi, it's about my direct debit."), ("agent", said)]
        assert result(SECURITY_FIRST, channel, lines) == "na", said


@pytest.mark.parametrize("channel", CHANNELS)
def test_what_is_on_their_plan_said_as_a_fact_is_the_later_step(channel: str) -> None:
    ask = [("customer", "Does my plan let me use my phone in France?")]
    told = [("agent", "Yes, that's already included in your plan, no extra charge.")]
    assert result(DETAILS_ONLY, channel, ask + CHECK + told) == "pass"
    assert result(DETAILS_ONLY, channel, ask + told + CHECK) == "fail"
    for maybe in (
        "If it's on your plan, it will show under extras.",
        "Before we look at what's on your plan, I'll need to take a few details.",
        "Is that on your bill as well?",
    ):
        assert result(DETAILS_ONLY, channel, ask + [("agent", maybe)]) == "na", maybe


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_account_put_in_the_customers_name_has_nothing_to_protect(channel: str) -> None:
    new_home = [
        ("customer", "We've taken over the flat at number 9 and need the supply sorted."),
        ("agent", "Congratulations! Let's put the supply into your name, what's your full name?"),
        ("customer", "Sam Okafor, and we moved in on the second."),
        ("agent", "Great, so your contract starts on the second at 24p a unit."),
    ]
    assert result(DETAILS_ONLY, channel, new_home) == "na"
    transferred = [
        new_home[0],
        ("agent", "Sure, I'll transfer it in your name today. What's your full name?"),
        *new_home[2:],
    ]
    assert result(DETAILS_ONLY, channel, transferred) == "na"
    # An existing account told before any check is still the later step first.
    existing = [
        ("customer", "Why has my bill gone up?"),
        ("agent", "Your bill went up to £48 on the first of May."),
        ("agent", "Is the account in your name, and what's your date of birth?"),
    ]
    assert result(DETAILS_ONLY, channel, existing) == "fail"


# A first step with a standard: `needs` (any one combination of details) or `min_details`
# (that many different phrases of the list). A check begun and left short fails, whether or
# not the account is then discussed, unless the details were taken to open an account in
# the customer's name; without either key a card reads as before.
STANDARD = {
    **DETAILS_ONLY,
    "first": {
        "phrases": ["passcode", "date of birth", "postcode", "security"],
        "match": "fuzzy",
        "needs": [["passcode"], ["date of birth", "postcode"]],
    },
}
# min_details counts different phrases of the list: it lists details, not "security".
TWO_DETAILS = {
    **DETAILS_ONLY,
    "first": {"phrases": ["date of birth", "postcode", "account number"], "min_details": 2},
}
QUERY = [("customer", "Hello, I've a question about my latest bill.")]
DOB_ONLY = [
    ("agent", "Sure, for security can I take your date of birth?"),
    ("customer", "The third of August, 1966."),
]
TOLD = [("agent", "Thanks. Your bill came to £61.20 on the fourth of May.")]


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_check_short_of_the_cards_standard_fails(channel: str) -> None:
    assert result(DETAILS_ONLY, channel, QUERY + DOB_ONLY + TOLD) == "pass"  # as before
    for card in (STANDARD, TWO_DETAILS):
        out = verdict(card, channel, QUERY + DOB_ONLY + TOLD)
        assert out.result == "fail"
        assert out.note.startswith("the check fell short of its standard before this")
        assert "'date of birth'" in out.note
        # Left short and nothing told of the account: still short.
        assert result(card, channel, QUERY + DOB_ONLY) == "fail"
    both = [
        ("agent", "Sure, for security can I take your date of birth and postcode?"),
        ("customer", "The third of August, 1966, and LS6 2QT."),
    ]
    for card in (STANDARD, TWO_DETAILS):
        assert result(card, channel, QUERY + both + TOLD) == "pass"
        assert result(card, channel, QUERY + both) == "na"
    # Passcode characters alone meet the standard's other combination.
    passcode = [
        ("agent", "For security, can I have the second and fourth characters of your passcode?"),
        ("customer", "R and 7."),
    ]
    assert result(STANDARD, channel, QUERY + passcode + TOLD) == "pass"
    # The standard met only after the account was discussed is too late.
    late = DOB_ONLY + TOLD + [("agent", "And can I just take your postcode as well?")]
    out = verdict(STANDARD, channel, QUERY + late)
    assert out.result == "fail" and "fell short" in out.note
    # Details taken to put a new account in the customer's name are no check left short.
    opening = [
        ("customer", "We've just moved in, can you start a supply for us?"),
        ("agent", "Of course. What's your full name and date of birth?"),
        ("customer", "Jo Park, 9 June 1991."),
        ("agent", "Thanks, I've set up an account for you from today."),
    ]
    assert result(STANDARD, channel, opening) == "na"
    assert result(STANDARD, channel, opening[:3]) == "fail"
    # A check the platform records as passed meets any standard.
    logged_in = [("system", "Customer verified in the app with their passcode.")]
    assert result(STANDARD, channel, logged_in + QUERY + TOLD) == "pass"


@pytest.mark.parametrize("channel", CHANNELS)
def test_both_details_and_the_account_in_one_turn(channel: str) -> None:
    one_turn = [
        QUERY[0],
        ("agent", "Date of birth and postcode please."),
        ("customer", "1/2/1980, M4 1AA."),
        ("agent", "Great, thanks for that. Your bill came to £61.20 on the fourth of May."),
    ]
    assert result(STANDARD, channel, one_turn) == "pass"
    told_then_asked = [
        QUERY[0],
        ("agent", "Your bill came to £61.20 on the fourth of May. What's your date of birth?"),
        ("customer", "1/2/1980."),
        ("agent", "And your postcode?"),
    ]
    assert result(STANDARD, channel, told_then_asked) == "fail"


def test_unchanged_cards_read_and_score_as_before() -> None:
    """A first step without needs or min_details has no standard; shipped cards use neither."""
    from qa.resources import shipped_scorecards
    from qa.scorecard.load import load_scorecard
    from qa.scorecard.schema import OrderV1
    from tests.conftest import ROOT

    seen = 0
    for name in shipped_scorecards():
        for _, c in load_scorecard(ROOT / "scorecards" / f"{name}.yaml").scorecard.criteria():
            if isinstance(c, OrderV1):
                seen += 1
                assert not c.first.standard and c.first.needs is None
                assert c.first.min_details == 1
    assert seen


@pytest.mark.parametrize(
    ("first", "line", "message"),
    [
        ('{phrases: ["date of birth"], needs: [[]]}', 7, "needs → 0: list should have at least 1"),
        (
            '{phrases: ["date of birth", "postcode"], needs: [["postcode"]], min_details: 2}',
            7,
            "give needs or min_details, not both",
        ),
        ('{phrases: ["date of birth"], min_details: 2}', 7, "min_details is 2 but the event"),
        ('{phrases: ["date of birth"], min_details: 0}', 7, "min_details: input should be"),
        ('{phrases: ["date of birth"], needs: [["x", ""]]}', 7, "needs → 0 → 1: string should"),
    ],
)
def test_standard_errors_name_the_file_line_and_path(
    tmp_path: Path, first: str, line: int, message: str
) -> None:
    problems = _problems(tmp_path, f"first: {first}\nthen: {{phrases: [your bill]}}")
    assert any(p.startswith(f"card.yaml:{line} ") and message in p for p in problems), problems


def test_a_standard_belongs_to_the_first_step_only(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, 'first: {phrases: ["postcode"]}\nthen: {phrases: [a, b], min_details: 2}'
    )
    assert any("then: needs and min_details belong to the first step" in p for p in problems)
    problems = _problems(
        tmp_path,
        'first: {phrases: ["postcode"]}\nthen: {phrases: [a]}\n'
        "applies_when: {event: {phrases: [a], needs: [[a]]}}",
    )
    assert any("belong to order.v1's first step" in p for p in problems), problems


def _problems(tmp_path: Path, body: str) -> list[str]:
    from qa.scorecard.load import load_scorecard
    from qa.yamlfile import FileErrors

    path = tmp_path / "card.yaml"
    lines = "\n".join("        " + x for x in body.splitlines())
    path.write_text(
        "name: T\nsections:\n  - id: s\n    criteria:\n      - id: o\n        type: order.v1\n"
        f"{lines}\n",
        encoding="utf-8",
    )
    with pytest.raises(FileErrors) as caught:
        load_scorecard(path)
    return list(caught.value.problems)
