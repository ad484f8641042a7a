"""Sales-flow criteria by cause, each in voice, chat and email.

A pitch is an offer of a product, found by its name said as a name: a product named only
as what the customer already has ("you're on our ... plan", "you've got ... on there") is
no pitch, and the words of a product's name scattered over a sentence do not name it.
needs_discovery.v1 counts the open questions about the customer's use behind a lead-in
("Before I suggest anything, tell me ...") and those about how often or how much they
do something; questions that only collect facts or data still do not count.
upsell_timing.v1 judges each product at its first offer (a recap is no new pitch), takes
only the offer itself as a fix for the problem, and closes the problem on a plain yes to
the agent asking whether it is sorted.
"""

from __future__ import annotations

import pytest

from tests.test_criteria import CHANNELS, result

PITCH = {"phrases": ["Spring Unlimited", "Fibre Max", "Boiler Care"], "match": "fuzzy"}
NEEDS = {
    "type": "needs_discovery.v1",
    "pitch": PITCH,
    "min_open_questions": 1,
    "require_acknowledgement": False,
}
TIMING = {"type": "upsell_timing.v1", "pitch": PITCH}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_the_customer_already_has_is_no_pitch(channel: str) -> None:
    held = [
        ("customer", "The broadband keeps cutting out every evening around eight."),
        ("agent", "Thanks for bearing with me. I can see you're on our Fibre Max package."),
        ("customer", "That's right, for about two years now."),
        ("agent", "There's a fault at the cabinet, an engineer is fixing it today."),
    ]
    assert result(NEEDS, channel, held) == "na"
    assert result(TIMING, channel, held) == "na"
    covered = [
        ("customer", "Water is dripping from under the boiler again."),
        ("agent", "You've got Boiler Care on the account, so the repair costs you nothing."),
    ]
    assert result(NEEDS, channel, covered) == "na"
    # Offered, not held: the same product names are a pitch.
    offered = held[:1] + [
        ("agent", "You'd be better off on Fibre Max, it's twenty-five pounds a month."),
    ]
    assert result(NEEDS, channel, offered) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_the_words_of_a_product_scattered_over_a_sentence_do_not_name_it(channel: str) -> None:
    lines = [
        ("customer", "My internet is crawling every night, it's useless."),
        ("agent", "The fibre may slow down at busy times, so I'd suggest restarting the router."),
        ("customer", "Okay, I'll try that tonight."),
    ]
    assert result(NEEDS, channel, lines) == "na"
    slip = lines[:1] + [("agent", "I'd suggest Fibre Maxx, it's our fastest package.")]
    assert result(NEEDS, channel, slip) == "fail"  # a typing slip still names it


NEEDS_TWO = {**NEEDS, "min_open_questions": 2}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_questions_about_use_count_behind_a_lead_in_and_as_amounts(channel: str) -> None:
    start = [("customer", "The internet is far too slow for the whole family.")]
    offer = [("agent", "Spring Unlimited would suit you, it's thirty pounds a month.")]
    asked = [
        ("agent", "Before I suggest anything, tell me how everyone at home uses it."),
        ("customer", "Two teenagers gaming all evening, and I work from home."),
        ("agent", "How many days a week are you working from the house?"),
        ("customer", "Three, on video calls mostly."),
    ]
    assert result(NEEDS_TWO, channel, start + asked + offer) == "pass"
    led_in = [
        ("agent", "So I can point you the right way, what do the kids mostly do online?"),
        ("customer", "Games and streaming, every night."),
        ("agent", "And how often are you on video calls for work?"),
        ("customer", "Most days."),
    ]
    assert result(NEEDS_TWO, channel, start + led_in + offer) == "pass"
    # Questions that only collect facts about the property are no discovery.
    data = [
        ("agent", "How many floors does the building have?"),
        ("customer", "Two."),
        ("agent", "And what's the postcode there?"),
        ("customer", "LS2 9ZZ."),
    ]
    assert result(NEEDS_TWO, channel, start + data + offer) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_named_again_after_its_offer_is_no_new_pitch(channel: str) -> None:
    lines = [
        ("agent", "Would you like Boiler Care? It's eight pounds a month for every repair."),
        ("customer", "Go on then, add it."),
        ("customer", "Also your engineer never turned up last week and nobody called me."),
        ("agent", "So to confirm, Boiler Care starts on Monday at eight pounds a month."),
    ]
    assert result(TIMING, channel, lines) == "pass"  # offered before the problem came up


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_only_the_offer_itself_can_be_the_fix(channel: str) -> None:
    raised_then_pitched = [
        ("customer", "You charged me twice for March, please refund the second payment."),
        (
            "agent",
            "Sorry about that. A refund request for the payment has gone to our payments "
            "team. Have you thought about Spring Unlimited? There's no contract, so you "
            "can leave whenever you like.",
        ),
    ]
    assert result(TIMING, channel, raised_then_pitched) == "fail"
    fix = [
        ("customer", "My data runs out every month and the extra charges are a problem."),
        (
            "agent",
            "Since your data runs out every month, Spring Unlimited would end those extra "
            "charges, so you won't pay more than the plan.",
        ),
    ]
    assert result(TIMING, channel, fix) == "pass"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_yes_to_is_it_sorted_closes_the_problem(channel: str) -> None:
    start = [
        ("customer", "The router keeps dropping the connection, it's a real problem."),
        ("agent", "I've reset the line from here. Is that all working now?"),
    ]
    pitch = [("agent", "Great. Fibre Max would double your speed for five pounds more.")]
    assert result(TIMING, channel, start + [("customer", "Yep.")] + pitch) == "pass"
    still = [("customer", "Yes, but it still drops every evening.")]
    assert result(TIMING, channel, start + still + pitch) == "fail"
    more = [
        ("agent", "I've booked an engineer. Anything else I can help with?"),
        ("customer", "Yes."),
    ]
    assert result(TIMING, channel, start[:1] + more + pitch) == "fail"


KEEP = {"type": "retention.v1", "within_turns": 2}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_customer_who_has_already_left_is_no_churn_cue(channel: str) -> None:
    reply = [("agent", "Of course, I'll send the final statement today.")]
    gone = [
        (
            "customer",
            "We've already switched to a different supplier last month, so please just "
            "send the final statement.",
        )
    ]
    assert result(KEEP, channel, gone + reply) == "na"
    deciding = [("customer", "We're thinking of switching to a different supplier, it's dear.")]
    assert result(KEEP, channel, deciding + reply) == "fail"
