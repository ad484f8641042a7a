"""Conversation-flow criteria by cause, each in voice, chat and email.

order.v1: the later step is a detail of the customer's account given to them, in any
words ("your phone has ninety pounds left to pay"), not a listed phrase said as the
subject of the contact ("I'm ringing about your plan"); a check the platform records as
passed (a system message after an app login) is the first step.
"""

from __future__ import annotations

import pytest

from tests.test_criteria import CHANNELS, result

SECURITY_FIRST = {
    "type": "order.v1",
    "first": {
        "phrases": ["security", "passcode", "date of birth", "postcode"],
        "match": "fuzzy",
    },
    "then": {
        "phrases": ["your plan", "your bill", "your balance", "I can see on your account"],
        "match": "fuzzy",
    },
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_subject_of_the_contact_is_no_account_detail(channel: str) -> None:
    checked_then_told = [
        ("agent", "Hello, it's Dana from Northwind, I'm ringing about your plan."),
        ("customer", "Oh right, go on."),
        ("agent", "First, what's your date of birth and postcode?"),
        ("customer", "Ninth of July, eighty-one, and NW2 4QQ."),
        ("agent", "Thanks. Your plan renews on the fourth of June at nineteen pounds."),
    ]
    assert result(SECURITY_FIRST, channel, checked_then_told) == "pass"
    never_told = checked_then_told[:2] + [("agent", "Bye for now.")]
    assert result(SECURITY_FIRST, channel, never_told) == "na"
    # The same words with the figure said before the check: a detail came first.
    told_first = [
        ("agent", "Hello, it's Dana from Northwind, about your plan, which is £19 a month."),
        ("customer", "Oh right, go on."),
        ("agent", "First, what's your date of birth and postcode?"),
    ]
    assert result(SECURITY_FIRST, channel, told_first) == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_account_detail_in_other_words_is_the_later_step(channel: str) -> None:
    detail_first = [
        ("customer", "How much is left to pay on my phone?"),
        ("agent", "You've got ninety pounds left on the handset, over three months."),
        ("customer", "Okay."),
        ("agent", "Can you confirm your date of birth for security?"),
    ]
    assert result(SECURITY_FIRST, channel, detail_first) == "fail"
    check_first = [
        detail_first[0],
        detail_first[3],
        ("customer", "Second of May, 1990."),
        detail_first[1],
    ]
    assert result(SECURITY_FIRST, channel, check_first) == "pass"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_or_a_question_is_no_account_detail(channel: str) -> None:
    offer_and_survey = [
        ("agent", "Our Home Shield cover protects your boiler for six pounds a month."),
        ("customer", "Not for me, thanks."),
        ("agent", "How did you find your bill this time round?"),
    ]
    assert result(SECURITY_FIRST, channel, offer_and_survey) == "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_check_the_platform_records_as_passed_comes_first(channel: str) -> None:
    logged_in = [
        ("system", "The customer signed in with their passcode and is verified."),
        ("customer", "Why is this month higher?"),
        ("agent", "I can see on your account a roaming charge of £6 on the 3rd."),
    ]
    assert result(SECURITY_FIRST, channel, logged_in) == "pass"
    refused = [("system", "Passcode check failed, the customer is not verified.")] + logged_in[1:]
    assert result(SECURITY_FIRST, channel, refused) == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_account_details_count_only_for_a_list_about_the_account(channel: str) -> None:
    greet_before_offer = {
        "type": "order.v1",
        "first": {"phrases": ["thanks for calling"], "match": "fuzzy"},
        "then": {"phrases": ["Fibre Max", "Spring Unlimited"], "match": "fuzzy"},
    }
    detail_only = [
        ("agent", "Your bill this month is £42, due on the 9th."),
        ("customer", "Okay."),
    ]
    assert result(greet_before_offer, channel, detail_only) == "na"
    assert result(SECURITY_FIRST, channel, detail_only) == "fail"


# retention.v1: a cue found by meaning must speak of leaving; the agent's turns that
# only identify the customer or ask about their situation do not use up the window; a
# refusal to help is never a retention move.
RETENTION = {
    "type": "retention.v1",
    "churn": {
        "phrases": ["cancel", "leave Northwind", "close my account"],
        "match": "fuzzy",
        "speaker": "customer",
    },
    "save": {"phrases": ["can I ask why", "let me see what I can do"], "match": "semantic"},
    "within_turns": 2,
}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_no_wish_to_leave_is_no_churn_cue(channel: str) -> None:
    for said in (
        "The reference on the letter is QX 2284 19.",
        "I'd like the money for the double charge put back, please.",
        "No thank you, I don't want the add-on.",
        "I've had enough of the engineer not turning up.",
    ):
        lines = [("customer", said), ("agent", "Right, let me look into that for you.")]
        assert result(RETENTION, channel, lines) == "na", said


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_identifying_the_customer_does_not_use_up_the_window(channel: str) -> None:
    lines = [
        ("customer", "I want to close my account, I've gone to a different energy firm."),
        ("agent", "I can help with that. What's your account number, please?"),
        ("customer", "It's 40021877."),
        ("agent", "Thanks, and your date of birth for security?"),
        ("customer", "Fourth of April, 1983."),
        ("agent", "Thanks. Before I close it, can I ask why you've decided to go?"),
    ]
    assert result(RETENTION, channel, lines) == "pass"
    ignored = lines[:5] + [
        ("agent", "Okay, your final bill will follow in two weeks."),
        ("customer", "Fine."),
        ("agent", "That's it closed as of today."),
        ("customer", "Good."),
        ("agent", "Can I ask why you went, for our survey?"),
    ]
    assert result(RETENTION, channel, ignored) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_refusal_to_help_is_no_retention_move(channel: str) -> None:
    lines = [
        ("customer", "If the price goes up again I'll cancel."),
        ("agent", "Prices are set centrally, there's nothing I can do about that."),
    ]
    assert result(RETENTION, channel, lines) == "fail"
