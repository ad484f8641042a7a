"""Promises: due-time arithmetic, and kept / broken / open over a journey's contacts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from qa.journeys.dates import (
    add_working_days,
    due_time,
    easter_sunday,
    england_and_wales,
    find_dates,
)
from qa.journeys.model import Contact, Journey, Turn
from qa.journeys.promises import assess_promises, commitment, find_promises

# Wednesday 6 May 2026, 11:00 UTC.
WED = datetime(2026, 5, 6, 11, 0, tzinfo=UTC)
DATA_END = datetime(2026, 6, 30, 23, 59, 59, tzinfo=UTC)


def _due(text: str, at: datetime = WED) -> datetime | None:
    d = due_time(text, at)
    return None if d is None else d.at


# --- due times -----------------------------------------------------------------------------


def test_working_days_skip_the_weekend():
    # Wednesday + 3 working days: Thu, Fri, Mon.
    assert _due("within 3 working days") == datetime(2026, 5, 11, 23, 59, 59, tzinfo=UTC)
    # Plain days count the weekend.
    assert _due("within 3 days") == datetime(2026, 5, 9, 23, 59, 59, tzinfo=UTC)


def test_working_days_skip_bank_holidays():
    # Thursday 21 May + 3 working days: Fri 22, (Mon 25 is the spring bank holiday), Tue, Wed.
    thu = datetime(2026, 5, 21, 9, 0, tzinfo=UTC)
    assert _due("within 3 business days", thu).date() == date(2026, 5, 27)
    assert easter_sunday(2026) == date(2026, 4, 5) and easter_sunday(2027) == date(2027, 3, 28)
    assert {date(2026, 4, 3), date(2026, 4, 6), date(2026, 12, 28)} <= england_and_wales(2026)
    # Christmas 2027 falls on a Saturday: the substitute days are Monday and Tuesday.
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= england_and_wales(2027)


def test_configured_holidays_replace_the_default():
    def none(year: int) -> frozenset[date]:
        return frozenset()

    fri = date(2026, 4, 2)  # Thursday before Good Friday
    assert add_working_days(fri, 1) == date(2026, 4, 7)
    assert add_working_days(fri, 1, holidays=none) == date(2026, 4, 3)
    thu = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    assert due_time("within 1 working day", thu, holidays=none).at.date() == date(2026, 4, 3)


def test_hours_are_counted_from_the_moment_it_was_said():
    assert _due("you will get it within 36 hours") == WED + timedelta(hours=36)


def test_afternoon_and_clock_deadlines_end_at_their_hour_in_the_contacts_zone():
    assert _due("I'll phone you back tomorrow afternoon") == datetime(2026, 5, 7, 18, 0, tzinfo=UTC)
    assert _due("someone will ring you today before 4pm") == datetime(2026, 5, 6, 16, 0, tzinfo=UTC)
    bst = timezone(timedelta(hours=1))
    said = datetime(2026, 5, 6, 12, 0, tzinfo=bst)
    assert due_time("we'll call you back tomorrow afternoon", said).at == datetime(
        2026, 5, 7, 18, 0, tzinfo=bst
    )


def test_a_date_alone_ends_at_the_end_of_that_day():
    assert _due("it will be posted by Tuesday 12 May") == datetime(
        2026, 5, 12, 23, 59, 59, tzinfo=UTC
    )
    assert _due("I'll send it by Friday") == datetime(2026, 5, 8, 23, 59, 59, tzinfo=UTC)
    assert _due("the credit will be applied by the end of June") == datetime(
        2026, 6, 30, 23, 59, 59, tzinfo=UTC
    )


def test_the_latest_of_two_deadlines_counts():
    text = "I'll restart it tonight and the data will be back by tomorrow"
    assert _due(text) == datetime(2026, 5, 7, 23, 59, 59, tzinfo=UTC)


def test_no_deadline_and_effective_dates_are_not_due_times():
    assert _due("someone from the team will be in touch") is None
    assert _due("your new plan applies from 1 June") is None


def test_dates_said_in_words_and_digits_agree():
    words = find_dates("Tuesday the twelfth", date(2026, 5, 6))[0].day
    digits = find_dates("12 May", date(2026, 5, 6))[0].day
    ordinal = find_dates("the 12th of May", date(2026, 5, 6))[0].day
    assert words == digits == ordinal == date(2026, 5, 12)
    assert find_dates("Jan 3rd", date(2026, 12, 20))[0].day == date(2027, 1, 3)


# --- what counts as a commitment ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'll ring you back on Thursday morning.",
        "We will refund the overcharge within 7 working days.",
        "The replacement router will be delivered by Monday 11 May.",
        "I'm sending the form to you tonight.",
    ],
)
def test_commitments(text):
    assert commitment(text) != ()


@pytest.mark.parametrize(
    "text",
    [
        "I've booked a technician for Monday 11 May, 8 till 12.",  # a booked visit: a fact
        "Your fibre will go live on 14 May.",  # a go-live date: a fact
        "Will you be at home on Monday?",  # a question
        "If it fails again, we'll send an engineer by Friday.",  # conditional
        "The tariff changes on the 1st.",  # no commitment
    ],
)
def test_not_commitments(text):
    assert commitment(text) == ()


# --- journeys -----------------------------------------------------------------------------


def _contact(
    cid: str,
    at: datetime,
    turns: list[tuple[str, str]],
    channel: str = "call",
    by: str = "customer",
) -> Contact:
    return Contact(
        interaction_id=cid,
        source=f"{cid}.txt",
        channel=channel,
        started_at=at,
        agent_id="a1",
        team="T",
        direction="inbound" if by == "customer" else "outbound",
        initiated_by=by,  # type: ignore[arg-type]
        turns=tuple(
            Turn(idx=i, role=role, text=text, start=float(10 * i))
            for i, (role, text) in enumerate(turns)
        ),
    )


PROMISE = _contact(
    "c1",
    WED,
    [
        ("customer", "My router keeps dropping."),
        ("agent", "I'll send you a replacement router within 2 working days."),
        ("customer", "Thanks."),
    ],
)


def _journey(*later: Contact) -> Journey:
    return Journey("J", "cust", [PROMISE, *later])


def test_broken_when_not_done_and_chased_after_the_due_time():
    chase = _contact(
        "c2",
        datetime(2026, 5, 11, 9, 0, tzinfo=UTC),
        [("agent", "Hello, how can I help?"), ("customer", "The router still hasn't come.")],
    )
    flags = find_promises(_journey(chase), DATA_END)
    assert [f.kind for f in flags] == ["broken_promise"]
    f = flags[0]
    assert f.interaction_id == "c1" and f.other_interaction_id == "c2"
    assert f.turn == 1 and f.other_turn == 1
    assert f.quote == "I'll send you a replacement router within 2 working days."
    assert f.other_quote == "The router still hasn't come."
    assert f.details["due"] == "2026-05-08T23:59:59+00:00"


def test_a_chase_before_the_due_time_does_not_break_it():
    early = _contact(
        "c2",
        datetime(2026, 5, 8, 9, 0, tzinfo=UTC),
        [("customer", "Still waiting on that router.")],
    )
    (p,) = assess_promises(_journey(early), DATA_END)
    assert p.status == "open" and "lapsed" in p.why


def test_kept_when_a_later_contact_shows_it_done_in_time():
    done = _contact(
        "c2",
        datetime(2026, 5, 7, 15, 0, tzinfo=UTC),
        [("agent", "Just to let you know, your router was dispatched and has been sent today.")],
        by="agent",
    )
    chase = _contact(
        "c3",
        datetime(2026, 5, 12, 9, 0, tzinfo=UTC),
        [("customer", "I still haven't got it.")],
    )
    journey = _journey(done, chase)
    (p,) = assess_promises(journey, DATA_END)
    assert p.status == "kept" and p.kept_by is not None
    assert p.kept_by.contact.interaction_id == "c2"
    assert find_promises(journey, DATA_END) == []


def test_a_callback_promise_is_kept_by_our_own_call():
    promise = _contact(
        "c1", WED, [("agent", "I'll call you back tomorrow afternoon with the answer.")]
    )
    callback = _contact(
        "c2",
        datetime(2026, 5, 7, 14, 0, tzinfo=UTC),
        [("agent", "Hi, it's the billing team calling back.")],
        by="agent",
    )
    late = _contact(
        "c2",
        datetime(2026, 5, 7, 19, 0, tzinfo=UTC),
        [("agent", "Hi, it's the billing team calling back.")],
        by="agent",
    )
    assert assess_promises(Journey("J", "x", [promise, callback]), DATA_END)[0].status == "kept"
    chase = _contact(
        "c3",
        datetime(2026, 5, 8, 9, 0, tzinfo=UTC),
        [("customer", "Nobody called me back yesterday.")],
    )
    (p,) = assess_promises(Journey("J", "x", [promise, late, chase]), DATA_END)
    assert p.status == "broken"


def test_done_late_is_still_broken_when_chased():
    late = _contact(
        "c2",
        datetime(2026, 5, 12, 9, 0, tzinfo=UTC),
        [
            ("customer", "I was promised a router and nothing has arrived."),
            ("agent", "Sorry, I've sent it now."),
        ],
    )
    (p,) = assess_promises(_journey(late), DATA_END)
    assert p.status == "broken"


def test_a_later_contact_that_dates_the_deed_in_time_keeps_it():
    later = _contact(
        "c2",
        datetime(2026, 5, 12, 9, 0, tzinfo=UTC),
        [
            ("customer", "Still no router."),
            ("agent", "It was delivered on Thursday the 7th, signed for at the door."),
        ],
    )
    (p,) = assess_promises(_journey(later), DATA_END)
    assert p.status == "kept"


def test_open_when_due_after_the_data_ends():
    promise = _contact(
        "c1", WED, [("agent", "The refund will be credited to your card by the end of July.")]
    )
    flags = find_promises(Journey("J", "x", [promise]), DATA_END)
    assert [f.kind for f in flags] == ["open_promise"]
    assert "after the end of the data" in flags[0].message


def test_without_a_due_time_a_chased_commitment_is_not_a_promise():
    vague = _contact("c1", WED, [("agent", "The complaints team will get back to you.")])
    chase = _contact(
        "c2",
        datetime(2026, 5, 20, 9, 0, tzinfo=UTC),
        [("customer", "Nobody has got back to me, I'm still waiting.")],
    )
    assert find_promises(Journey("J", "x", [vague, chase]), DATA_END) == []


def test_transcript_clock_times_count_from_the_first_turn():
    # Plain-text transcripts carry clock times ("[16:40:10]") as seconds since midnight.
    call = Contact(
        interaction_id="c1",
        source="c1.txt",
        channel="call",
        started_at=datetime(2026, 5, 6, 16, 40, tzinfo=UTC),
        agent_id="a1",
        team="T",
        direction="inbound",
        initiated_by="customer",
        turns=(
            Turn(0, "customer", "It's broken.", start=60000.0),
            Turn(1, "agent", "An engineer will ring you today before 6pm.", start=60010.0),
        ),
    )
    (p,) = assess_promises(Journey("J", "x", [call]), DATA_END)
    assert p.sentence.at == datetime(2026, 5, 6, 16, 40, 10, tzinfo=UTC)
    assert p.due == datetime(2026, 5, 6, 18, 0, tzinfo=UTC)


def test_an_email_thread_is_read_message_by_message():
    def msg(i: int, role: str, text: str, day: int) -> Turn:
        return Turn(i, role, text, start=None, meta={"date": f"2026-05-{day:02d}T10:00:00+00:00"})

    thread = Contact(
        interaction_id="t1",
        source="t1.eml",
        channel="email",
        started_at=datetime(2026, 5, 4, 10, 0, tzinfo=UTC),
        agent_id="a1",
        team="T",
        direction="inbound",
        initiated_by="customer",
        turns=(
            msg(0, "customer", "Please refund my deposit.", 4),
            msg(1, "agent", "We will refund the deposit within 5 working days.", 5),
            msg(2, "customer", "It's been two weeks and still nothing has come.", 19),
        ),
    )
    (f,) = find_promises(Journey("J", "x", [thread]), DATA_END)
    assert f.kind == "broken_promise" and f.turn == 1 and f.other_turn == 2
    assert f.interaction_id == f.other_interaction_id == "t1"


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("you should receive it within a week", datetime(2026, 5, 13, 23, 59, 59, tzinfo=UTC)),
        ("we'll refund you in 3-5 working days", datetime(2026, 5, 13, 23, 59, 59, tzinfo=UTC)),
        ("I'll call you in a couple of days", datetime(2026, 5, 8, 23, 59, 59, tzinfo=UTC)),
        ("it will be posted within a fortnight", datetime(2026, 5, 20, 23, 59, 59, tzinfo=UTC)),
        ("they'll ring you by midday tomorrow", datetime(2026, 5, 7, 12, 0, tzinfo=UTC)),
        ("I'll email you by close of business", datetime(2026, 5, 6, 18, 0, tzinfo=UTC)),
        ("I'll email you today", datetime(2026, 5, 6, 23, 59, 59, tzinfo=UTC)),
        ("I'll post it by the end of next week", datetime(2026, 5, 15, 23, 59, 59, tzinfo=UTC)),
        ("I'll call you back within the hour", WED + timedelta(hours=1)),
        ("I'll ring you back in 20 minutes", WED + timedelta(minutes=20)),
        (
            "the credit will be applied by the end of the month",
            datetime(2026, 5, 31, 23, 59, 59, tzinfo=UTC),
        ),
    ],
)
def test_other_ways_to_say_a_due_time(text, due):
    assert commitment(text) != ()
    assert _due(text) == due


def test_an_earlier_promise_talked_about_again_is_not_a_new_one():
    assert commitment("The refund my colleague mentioned should be with you today.") == ()


def test_the_customers_own_deadline_is_not_our_promise():
    contact = _contact(
        "c1",
        WED,
        [("agent", "I'll email you the form, and you'll need to send it back within 14 days.")],
    )
    assert assess_promises(Journey("J", "x", [contact]), DATA_END) == []


def test_the_latest_clause_with_its_own_commitment_sets_the_due_time():
    contact = _contact(
        "c1",
        WED,
        [("agent", "I'm restarting the line tonight, and the engineer will ring you by Friday.")],
    )
    (p,) = assess_promises(Journey("J", "x", [contact]), DATA_END)
    assert p.due == datetime(2026, 5, 8, 23, 59, 59, tzinfo=UTC)


def test_done_later_in_the_same_call_is_kept():
    contact = _contact(
        "c1",
        WED,
        [
            ("agent", "I'll email you the statement today."),
            ("customer", "Thanks."),
            ("agent", "There, I've sent it to your address on file."),
        ],
    )
    chase = _contact(
        "c2", datetime(2026, 5, 8, 9, 0, tzinfo=UTC), [("customer", "I still haven't got it.")]
    )
    (p,) = assess_promises(Journey("J", "x", [contact, chase]), DATA_END)
    assert p.status == "kept"
