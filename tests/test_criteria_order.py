"""order.v1 by cause, each in voice, chat and email.

- The later step is anything done to or told of the customer's account, not only a listed
  phrase: a change said as done ("I've moved your payment date") where the card's list
  names changes, and what is on something of theirs said as a fact with no figure
  ("that's included in your plan").
- A contact that puts an account in the customer's name (a new occupier) has no existing
  account to protect: what is said of the new account afterwards is no later step.
"""

from __future__ import annotations

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
