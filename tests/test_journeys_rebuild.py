"""The journey rebuild: cue tests before sentence splitting keep results, sites keep their own
rosters, and a new batch rebuilds only what it touches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qa.journeys import promises, stories
from qa.journeys.model import Contact, Journey, Turn
from qa.journeys.promises import find_promises
from qa.journeys.stories import find_inconsistencies

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday


def _contact(iid: str, days: float, *turns: tuple[str, str], channel: str = "chat") -> Contact:
    return Contact(
        interaction_id=iid,
        source=f"{iid}.json",
        channel=channel,
        started_at=T0 + timedelta(days=days),
        agent_id="a.one",
        team="Billing",
        direction="inbound",
        initiated_by="customer",
        turns=tuple(Turn(i, role, text) for i, (role, text) in enumerate(turns)),
    )


def test_a_promise_wrapped_over_lines_still_passes_the_cue_test() -> None:
    # "going\nto" is two lines of a wrapped message: the cue test reads the words as the
    # sentences do, so the promise is still found, then broken by the chase.
    first = _contact(
        "p1",
        0,
        ("customer", "My refund has not arrived."),
        (
            "agent",
            "Thank you for bearing with me while I read the notes, I am going\n"
            "to call you back tomorrow afternoon with the answer.",
        ),
    )
    chase = _contact("p2", 3, ("customer", "Nobody called me back, I'm still waiting."))
    flags = find_promises(Journey("j", "C1", [first, chase]), T0 + timedelta(days=30))
    assert [f.kind for f in flags] == ["broken_promise"]
    assert "I am going to call you back tomorrow" in flags[0].quote


def test_turns_without_a_cue_are_never_split(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    split: list[str] = []
    real = promises.sentences

    def counting(contact, role=None, keep=None):  # type: ignore[no-untyped-def]
        for s in real(contact, role, keep):
            split.append(s.turn.text)
            yield s

    monkeypatch.setattr(promises, "sentences", counting)
    plain = _contact("q1", 0, ("customer", "Hello."), ("agent", "That is all sorted now."))
    assert find_promises(Journey("j", "C1", [plain]), T0 + timedelta(days=30)) == []
    assert split == []


def test_two_stories_read_through_the_cue_test() -> None:
    a = _contact(
        "s1",
        0,
        ("customer", "What is the exit fee?"),
        ("agent", "Thanks for waiting.\nThe exit fee is £60."),
    )
    b = _contact(
        "s2",
        2,
        ("customer", "How much is the exit fee again?"),
        ("agent", "The exit fee is £45."),
    )
    [flag] = find_inconsistencies(Journey("j", "C1", [a, b]))
    assert flag.kind == "journey_inconsistency"
    assert "60" in flag.quote and "45" in flag.other_quote
    # A turn with no amount, date kind or eligibility word is passed over whole.
    assert not stories._may_state(Turn(0, "agent", "Thanks for waiting, all sorted."))
    assert stories._may_state(Turn(0, "agent", "It was delivered on the 5th."))
