"""Two stories: different values for one fact across a journey, and the near misses that are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qa.journeys.model import Contact, Journey, Turn
from qa.journeys.stories import KnownFact, find_inconsistencies

MON = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _contact(
    cid: str, days: float, turns: list[tuple[str, str]], agent: str = "a1", channel: str = "chat"
) -> Contact:
    return Contact(
        interaction_id=cid,
        source=f"{cid}.json",
        channel=channel,
        started_at=MON + timedelta(days=days),
        agent_id=agent,
        team="T",
        direction="inbound",
        initiated_by="customer",
        turns=tuple(
            Turn(idx=i, role=role, text=text, start=float(5 * i))
            for i, (role, text) in enumerate(turns)
        ),
    )


def _flags(*contacts: Contact, known: tuple[KnownFact, ...] = ()):
    return find_inconsistencies(Journey("J", "cust", list(contacts)), known)


def test_two_fees_for_the_same_thing_are_two_stories():
    a = _contact("c1", 0, [("agent", "The cancellation fee is £30.")], agent="ann")
    b = _contact(
        "c2",
        2,
        [("customer", "I want to cancel."), ("agent", "The cancellation fee is sixty pounds.")],
        agent="bob",
    )
    (f,) = _flags(a, b)
    assert f.kind == "journey_inconsistency"
    assert (f.interaction_id, f.other_interaction_id) == ("c1", "c2")
    assert f.quote == "The cancellation fee is £30."
    assert f.other_quote == "The cancellation fee is sixty pounds."
    assert f.turn == 0 and f.other_turn == 1
    assert f.details["values"] == [30.0, 60.0]
    assert f.details["agents"] == ["ann", "bob"]
    assert f.details["right"] is None
    assert f.details["times"][0].startswith("2026-06-01")


def test_the_same_value_said_differently_is_one_story():
    a = _contact("c1", 0, [("agent", "The reconnection fee is £40.")])
    b = _contact("c2", 1, [("agent", "Yes, the reconnection fee is forty quid.")])
    c = _contact("c3", 2, [("agent", "That reconnection fee is £40.00, one-off.")])
    assert _flags(a, b, c) == []


def test_rates_with_a_trailing_zero_are_the_same():
    a = _contact("c1", 0, [("agent", "The unit rate is 31.5p per kWh on that plan.")])
    b = _contact("c2", 1, [("agent", "Your unit rate: 31.50p per kWh.")])
    assert _flags(a, b) == []


def test_a_revised_amount_is_a_different_fact():
    a = _contact("c1", 0, [("agent", "Your bill for the quarter is £300.")])
    b = _contact("c2", 3, [("agent", "The corrected bill is £220 after the meter reading.")])
    assert _flags(a, b) == []


def test_a_monthly_price_is_not_a_one_off_fee():
    a = _contact("c1", 0, [("agent", "The installation fee is £60.")])
    b = _contact("c2", 1, [("agent", "The installation fee is spread at £5 a month.")])
    assert _flags(a, b) == []


def test_a_waived_fee_is_a_decision_not_a_second_story():
    a = _contact("c1", 0, [("agent", "There's a £20 admin fee for the paper bill.")])
    b = _contact("c2", 2, [("agent", "I've waived the admin fee, so you won't pay anything.")])
    assert _flags(a, b) == []


def test_fees_for_different_services_are_different_facts():
    a = _contact("c1", 0, [("agent", "The broadband exit fee is £90.")])
    b = _contact("c2", 1, [("agent", "There's no exit fee on the gas and electricity.")])
    assert _flags(a, b) == []


def test_free_against_a_charge_is_two_stories_and_a_correction_says_who_was_right():
    a = _contact("c1", 0, [("agent", "No, there's no delivery charge, it's free.")])
    b = _contact(
        "c2",
        3,
        [
            ("customer", "Your colleague told me delivery was free."),
            ("agent", "I'm afraid that was wrong: the delivery charge is £12."),
        ],
    )
    (f,) = _flags(a, b)
    assert f.details["values"] == [0.0, 12.0]
    assert f.details["right"] == "b"


def test_a_customer_misquote_that_the_transcript_disproves_is_not_a_story():
    a = _contact("c1", 0, [("agent", "Moving the socket costs £70 as an engineer job.")])
    b = _contact(
        "c2",
        2,
        [
            ("customer", "The man on the phone said moving the socket was free."),
            ("agent", "Moving the socket costs £70, I'm afraid."),
        ],
    )
    assert _flags(a, b) == []


def test_a_third_contact_restating_the_first_value_makes_it_right():
    a = _contact("c1", 0, [("agent", "The router will be delivered on Wednesday 3 June.")])
    b = _contact("c2", 1, [("agent", "Expected delivery: Friday 5 June.")], channel="email")
    c = _contact("c3", 1.5, [("agent", "Our courier has your delivery down for 3 June.")])
    flags = _flags(a, b, c)
    assert [(f.interaction_id, f.other_interaction_id) for f in flags] == [("c1", "c2")]
    assert flags[0].details["right"] == "a"
    assert flags[0].details["fact"].startswith("delivery_date")


def test_the_same_date_in_words_and_digits_is_one_story():
    a = _contact("c1", 0, [("agent", "I've booked the engineer for Thursday the fourth.")])
    b = _contact("c2", 1, [("agent", "Your engineer appointment is 4 June, 8am to 1pm.")])
    assert _flags(a, b) == []


def test_a_rebooked_or_passed_date_is_a_new_event():
    a = _contact("c1", 0, [("agent", "Your appointment is booked for 4 June.")])
    rebooked = _contact(
        "c2", 1, [("agent", "I've rescheduled it: your appointment is now booked for 9 June.")]
    )
    assert _flags(a, rebooked) == []
    missed = _contact("c3", 5, [("agent", "Your new appointment is booked for 9 June.")])
    assert _flags(a, missed) == []


def test_eligibility_said_both_ways_is_two_stories():
    a = _contact("c1", 0, [("agent", "The Winter Fuel Grant isn't available on your plan.")])
    b = _contact("c2", 4, [("agent", "You are eligible for the Winter Fuel Grant.")])
    (f,) = _flags(a, b)
    assert f.details["values"] == [False, True]


def test_a_known_fact_says_which_story_was_right():
    a = _contact("c1", 0, [("agent", "The early exit fee on Saver 24 is £50.")])
    b = _contact("c2", 2, [("agent", "On Saver 24 the exit fee is £80.")])
    known = (KnownFact("fee", frozenset({"exit"}), 50.0),)
    (f,) = _flags(a, b, known=known)
    assert f.details["right"] == "a"
    (g,) = _flags(a, b)
    assert g.details["right"] is None


def test_two_figures_in_one_contact_are_not_two_stories():
    a = _contact(
        "c1",
        0,
        [("agent", "The transfer fee is £25."), ("agent", "Sorry, the transfer fee is £35.")],
    )
    assert _flags(a) == []


def test_bills_of_different_months_are_different_facts():
    a = _contact("c1", 0, [("agent", "Your May bill is £80.")])
    b = _contact("c2", 2, [("agent", "Your June bill is £95.")])
    assert _flags(a, b) == []


def test_a_price_with_vat_is_not_the_price_without():
    a = _contact("c1", 0, [("agent", "The router upgrade fee is £50 plus VAT.")])
    b = _contact("c2", 2, [("agent", "The router upgrade fee is £60.")])
    assert _flags(a, b) == []


def test_a_named_product_price_is_not_an_unnamed_one():
    a = _contact("c1", 0, [("agent", "Fibre 900 is £45 a month.")])
    b = _contact("c2", 1, [("agent", "The basic plan is £25 a month.")])
    assert _flags(a, b) == []


# ----------------------------------------------------------------------------- campaign facts
def _campaign(start: str = "2026-06-01", end: str = "2026-06-30", amount: float = 34.0):
    from qa.campaigns.schema import Campaign

    return Campaign.model_validate(
        {
            "id": "FIBRE-JUNE",
            "name": "Fibre 500 in June",
            "from": start,
            "to": end,
            "products": ["Fibre 500"],
            "facts": [
                {
                    "id": "price",
                    "about": ["price", "a month", "monthly"],
                    "value": {"money": {"amount": amount, "currency": "GBP", "period": "month"}},
                },
                {
                    "id": "exit_fee",
                    "about": ["exit fee", "leave early"],
                    "value": {"money": {"amount": 75, "currency": "GBP", "period": "once"}},
                },
            ],
        }
    )


def _priced(cid: str, days: float, price: str, agent: str) -> Contact:
    return _contact(
        cid,
        days,
        [("customer", "How much is Fibre 500?"), ("agent", f"Fibre 500 is {price} a month.")],
        agent=agent,
    )


def _in_force(*contacts: Contact, campaign=None) -> dict:
    from qa.journeys.known import KnownFacts, facts_of

    camp = campaign or _campaign()
    facts = KnownFacts.__new__(KnownFacts)  # no store: the set is given
    facts.sets = {c.interaction_id: "set" for c in contacts}
    facts._facts = {"set": [(camp, facts_of(camp))]}
    return facts.by_contact(contacts, {c.interaction_id: c.started_at.date() for c in contacts})


def test_a_campaign_fact_in_force_names_the_story_that_was_right():
    a, b = _priced("c1", 0, "£30", "ann"), _priced("c2", 2, "£34", "bob")
    [f] = find_inconsistencies(Journey("J", "cust", [a, b]), known_at=_in_force(a, b))
    assert f.details["right"] == "b"
    assert f.details["right_contact"] == "c2" and f.details["right_agent"] == "bob"
    assert f.details["known_fact"] == {
        "campaign": "FIBRE-JUNE",
        "campaign_name": "Fibre 500 in June",
        "fact": "price",
        "value": 34.0,
        "shown": "GBP 34.00 a month",
        "from": "2026-06-01",
        "to": "2026-06-30",
    }
    assert "price of FIBRE-JUNE" in f.details["why_right"]
    assert f.message.endswith("the second was right") and f.severity == "high"
    # The earlier contact right: the same fact names it.
    c = _priced("c3", 3, "£31", "cat")
    [g] = find_inconsistencies(Journey("J", "cust", [b, c]), known_at=_in_force(b, c))
    assert (g.details["right"], g.details["right_contact"]) == ("a", "c2")


def test_without_a_campaign_the_flag_is_as_before():
    a, b = _priced("c1", 0, "£30", "ann"), _priced("c2", 2, "£34", "bob")
    [plain] = _flags(a, b)
    [empty] = find_inconsistencies(Journey("J", "cust", [a, b]), known_at={})
    for f in (plain, empty):
        assert f.details["right"] is None and f.details["right_contact"] is None
        assert f.details["known_fact"] is None and f.severity == "medium"
        assert f.message.endswith("(bob, 03 Jun 09:00)")


def test_a_campaign_fact_outside_its_window_is_not_used():
    a, b = _priced("c1", 0, "£30", "ann"), _priced("c2", 2, "£34", "bob")
    for window in (("2026-05-01", "2026-05-31"), ("2026-06-02", "2026-06-30")):
        # Over before both contacts; or in force at the second only (a term that changed
        # between them says nothing about the first).
        known = _in_force(a, b, campaign=_campaign(*window))
        [f] = find_inconsistencies(Journey("J", "cust", [a, b]), known_at=known)
        assert f.details["known_fact"] is None and f.details["right"] is None


def test_a_campaign_fact_of_another_product_or_kind_decides_nothing():
    a = _contact("c1", 0, [("agent", "Fibre 150 is £30 a month.")])
    b = _contact("c2", 2, [("agent", "Fibre 150 is £34 a month.")])
    [f] = find_inconsistencies(Journey("J", "cust", [a, b]), known_at=_in_force(a, b))
    assert f.details["known_fact"] is None
    fee_a = _contact("c3", 0, [("agent", "On Fibre 500 the exit fee is £60.")])
    fee_b = _contact("c4", 2, [("agent", "On Fibre 500 the exit fee is £75.")])
    [g] = find_inconsistencies(
        Journey("J", "cust", [fee_a, fee_b]), known_at=_in_force(fee_a, fee_b)
    )
    assert g.details["known_fact"]["fact"] == "exit_fee" and g.details["right"] == "b"


def test_a_campaign_fact_that_gives_neither_value_says_so():
    a, b = _priced("c1", 0, "£30", "ann"), _priced("c2", 2, "£34", "bob")
    known = _in_force(a, b, campaign=_campaign(amount=36.0))
    [f] = find_inconsistencies(Journey("J", "cust", [a, b]), known_at=known)
    assert f.details["right"] is None and f.details["right_contact"] is None
    assert f.details["known_fact"]["value"] == 36.0
    assert "gives neither value" in f.details["why_right"]
    assert f.message.endswith("neither was right") and f.severity == "high"
