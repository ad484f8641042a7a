"""question.v1, order.v1, upsell_timing.v1, retention.v1 and pitches: the corners the other
pins leave open, each verdict pinned whole (result, confidence, fraction, note, details,
evidence). Dialogue acts come from a reader each case sets: a sentence not listed performs
no act, so no model is loaded."""

from __future__ import annotations

from typing import Any

import pytest

import qa.acts
from qa.matching import Matcher
from qa.packs import set_site_extensions
from qa.scorecard.context import Context, Question
from qa.scorecard.criteria import (
    _confirmed_when_asked,
    _customer_needs,
    _discloses,
    _invitations,
    _later_steps,
    _only_held,
    _only_the_subject,
    discovery_questions,
)
from qa.scorecard.schema import Event, Examples
from tests.test_criteria import conversation
from tests.test_mut_criteria import snap, verdict

A, C, S = "agent", "customer", "system"

ID_FIRST = {
    "type": "order.v1",
    "first": {"phrases": ["date of birth", "postcode", "passcode"], "match": "exact"},
    "then": {"phrases": ["your balance is"], "match": "exact"},
}
STANDARD = {
    **ID_FIRST,
    "first": {**ID_FIRST["first"], "needs": [["passcode"], ["date of birth", "postcode"]]},
}
# Any speaker's turns, the platform's among them, may carry the check.
BOTH_ANYWHERE = {
    **ID_FIRST,
    "first": {
        "phrases": ["date of birth", "postcode"],
        "match": "exact",
        "speaker": "any",
        "needs": [["postcode", "date of birth"]],
    },
}

CHANGES = {
    **ID_FIRST,
    "then": {"phrases": ["I've applied a credit to your account"], "match": "exact"},
}
NOT_THE_ACCOUNT = {**ID_FIRST, "then": {"phrases": ["the engineer will arrive"], "match": "exact"}}
ANY_SPEAKER = {
    **ID_FIRST,
    "then": {"phrases": ["your balance is"], "match": "exact", "speaker": "any"},
}
PITCH = {"phrases": ["Fibre Max", "Spring Unlimited"], "match": "exact"}
UPSELL = {"type": "upsell_timing.v1", "pitch": PITCH}
OWN_COMPLAINTS = {
    **UPSELL,
    "complaint": {"phrases": ["wonky"], "match": "exact", "speaker": "customer"},
}
ON_COMPLAINT = {**UPSELL, "applies": "complaint"}
NEAR_NAMES = {**UPSELL, "pitch": {**PITCH, "match": "fuzzy", "threshold": 0.8}}
PITCH_ACT = {**UPSELL, "pitch": {**PITCH, "act": "recommend"}}
ZH_STANDARD = {
    "type": "order.v1",
    "first": {"phrases": ["出生日期", "邮编"], "match": "exact", "needs": [["出生日期", "邮编"]]},
    "then": {"phrases": ["您的余额"], "match": "exact"},
}
DROP = "My data keeps running out."
# A cue list of the card's own, said by anyone, the agent included.
CHURN_ANYWHERE = {
    "type": "retention.v1",
    "within_turns": 1,
    "churn": {
        "phrases": ["I want to cancel"],
        "match": "exact",
        "speaker": "any",
        "act": "literal",
    },
}

EN = Context(conversation("chat", [(A, "Hello.")]), Matcher(), None, None)

Readings = dict[str, dict[str, float]]
CASES: list[tuple[str, dict[str, Any], str, list[tuple[str, str]], Readings, tuple[Any, ...]]] = [
    (
        # The detail said in the very sentence of the later step counts as said before it.
        "order_short_of_the_standard_in_the_later_steps_sentence",
        STANDARD,
        "chat",
        [(A, "Thanks for the postcode, your balance is 5.")],
        {},
        (
            "fail",
            0.8,
            None,
            "the check fell short of its standard before this (only 'postcode'; needs "
            "'passcode' or 'date of birth' and 'postcode')",
            {},
            [
                (0, A, 0.0, 0.0, "Thanks for the postcode, your balance is 5."),
                (0, A, 0.0, 0.0, "Thanks for the postcode, your balance is 5."),
            ],
        ),
    ),
    (
        # A check the platform records is met where it is recorded: its first sentence,
        # before the sentence that completes the combination.
        "order_standard_met_in_a_system_message",
        BOTH_ANYWHERE,
        "chat",
        [(S, "Postcode checked. Date of birth checked."), (A, "So your balance is 5.")],
        {},
        (
            "pass",
            0.85,
            None,
            None,
            {},
            [(0, S, 0.0, 0.0, "Postcode checked."), (1, A, 30.0, 30.0, "So your balance is 5.")],
        ),
    ),
    (
        # The save window opens after the cue's turn: not in the turn that said the cue.
        "retention_window_starts_after_the_cues_own_turn",
        CHURN_ANYWHERE,
        "chat",
        [
            (C, "Hi."),
            (A, "I want to cancel it for you. Can I offer you a discount?"),
            (A, "Goodbye."),
        ],
        {"Can I offer you a discount?": {"retention_move": 0.9}},
        (
            "fail",
            0.8,
            None,
            "no retention move within 1 agent turn(s) of the churn cue",
            {},
            [(1, A, 30.0, 30.0, "I want to cancel it for you."), (2, A, 60.0, 60.0, "Goodbye.")],
        ),
    ),
    (
        # The card's own save list, matched as it is written, replaces the pack's.
        "retention_the_cards_own_save_list",
        {
            "type": "retention.v1",
            "save": {"phrases": ["price match"], "match": "exact", "act": "literal"},
        },
        "chat",
        [(C, "I want to cancel."), (A, "We can price match that.")],
        {"I want to cancel.": {"churn_signal": 0.9}},
        (
            "pass",
            0.9,
            None,
            "the churn cue got a retention move",
            {},
            [(0, C, 0.0, 0.0, "I want to cancel."), (1, A, 30.0, 30.0, "We can price match that.")],
        ),
    ),
    (
        # A change said as done that names a detail of the check is the check itself.
        "order_a_change_that_names_the_check_is_no_later_step",
        CHANGES,
        "chat",
        [(A, "I've updated the postcode on your account.")],
        {},
        ("na", 0.9, None, "the later step never happened", {}, []),
    ),
    (
        # Nor is one that says the check was done.
        "order_a_change_that_reports_the_check_done_is_no_later_step",
        CHANGES,
        "chat",
        [(A, "What's your postcode?"), (C, "AB1 2CD."), (A, "I've authenticated your account.")],
        {},
        ("na", 0.9, None, "the later step never happened", {}, []),
    ),
    (
        # No later step: the evidence is the check's own sentence, not its whole turn.
        "order_short_of_the_standard_quotes_the_checks_sentence",
        STANDARD,
        "chat",
        [(A, "Hello. What's your postcode?"), (C, "AB1 2CD.")],
        {},
        (
            "fail",
            0.75,
            None,
            "the check fell short of its standard (only 'postcode'; needs 'passcode' or 'date of birth' and 'postcode')",
            {},
            [(0, A, 0.0, 0.0, "What's your postcode?")],
        ),
    ),
    (
        "order_short_of_the_standard_before_the_later_step_quotes_the_checks_sentence",
        STANDARD,
        "chat",
        [(A, "Hello. What's your postcode?"), (C, "AB1 2CD."), (A, "Thanks, your balance is 5.")],
        {},
        (
            "fail",
            0.8,
            None,
            "the check fell short of its standard before this (only 'postcode'; needs 'passcode' or 'date of birth' and 'postcode')",
            {},
            [
                (2, A, 60.0, 60.0, "Thanks, your balance is 5."),
                (0, A, 0.0, 0.0, "What's your postcode?"),
            ],
        ),
    ),
    (
        # The wrong order, quoting where the standard was met, not where the check began.
        "order_standard_met_after_the_later_step_quotes_where_it_was_met",
        STANDARD,
        "chat",
        [(A, "Your balance is 5."), (A, "What's your postcode?"), (A, "And your date of birth?")],
        {},
        (
            "fail",
            0.85,
            None,
            "the steps came in the wrong order",
            {},
            [(0, A, 0.0, 0.0, "Your balance is 5."), (2, A, 60.0, 60.0, "And your date of birth?")],
        ),
    ),
    (
        "order_nothing_counts_in_the_turn_that_opens_an_account",
        ID_FIRST,
        "chat",
        [
            (A, "What's your postcode?"),
            (C, "AB1 2CD."),
            (A, "Let me open an account for you. Your balance is £0."),
        ],
        {},
        ("na", 0.9, None, "the later step never happened", {}, []),
    ),
    (
        "order_a_disclosure_counts_only_where_the_step_is_about_the_account",
        NOT_THE_ACCOUNT,
        "chat",
        [(A, "What's your postcode?"), (C, "AB1 2CD."), (A, "Your plan is £5.")],
        {},
        ("na", 0.9, None, "the later step never happened", {}, []),
    ),
    (
        "order_a_disclosure_by_any_speaker",
        ANY_SPEAKER,
        "chat",
        [(A, "What's your postcode?"), (C, "AB1 2CD."), (A, "Your plan is £5.")],
        {},
        (
            "pass",
            0.85,
            None,
            None,
            {},
            [(0, A, 0.0, 0.0, "What's your postcode?"), (2, A, 60.0, 60.0, "Your plan is £5.")],
        ),
    ),
    (
        # exact: 'pass code' is not 'passcode'
        "order_a_platform_message_is_matched_as_the_card_says",
        ID_FIRST,
        "chat",
        [(S, "Customer authenticated in the app (pass code)."), (A, "So your balance is 5.")],
        {},
        (
            "fail",
            0.8,
            None,
            "the first step never happened before this",
            {},
            [(1, A, 30.0, 30.0, "So your balance is 5.")],
        ),
    ),
    (
        # The apology before the pitch shares the problem's words; the offer itself does not.
        "upsell_what_the_turn_says_before_the_pitch_is_not_the_offer",
        UPSELL,
        "chat",
        [
            (C, "My data keeps running out."),
            (
                A,
                "Sorry your data keeps running out, so you won't be stuck. Fibre Max is our best plan.",
            ),
        ],
        {DROP: {"complaint": 0.9}, "Fibre Max is our best plan.": {"recommend": 0.9}},
        (
            "fail",
            0.8,
            None,
            "pitched while the customer's problem was still open",
            {},
            [
                (0, C, 0.0, 0.0, "My data keeps running out."),
                (1, A, 30.0, 30.0, "Fibre Max is our best plan."),
            ],
        ),
    ),
    (
        "upsell_a_tie_back_without_the_problems_words_fixes_nothing",
        UPSELL,
        "chat",
        [(C, "My data keeps running out."), (A, "Fibre Max is great so you won't be stuck.")],
        {DROP: {"complaint": 0.9}, "Fibre Max is great so you won't be stuck.": {"recommend": 0.9}},
        (
            "fail",
            0.8,
            None,
            "pitched while the customer's problem was still open",
            {},
            [
                (0, C, 0.0, 0.0, "My data keeps running out."),
                (1, A, 30.0, 30.0, "Fibre Max is great so you won't be stuck."),
            ],
        ),
    ),
    (
        # The problem's words in the offer's second sentence, its first word among them.
        "upsell_the_offer_runs_to_the_end_of_the_turn",
        UPSELL,
        "chat",
        [
            (C, "My data keeps running out."),
            (A, "Fibre Max is our best plan. Data never runs out on it, so you won't be stuck."),
        ],
        {DROP: {"complaint": 0.9}, "Fibre Max is our best plan.": {"recommend": 0.9}},
        (
            "pass",
            0.75,
            None,
            "no pitch over an open problem",
            {},
            [(1, A, 30.0, 30.0, "Fibre Max is our best plan.")],
        ),
    ),
    (
        # A pitch that fixes the first problem; a second problem, then another pitch.
        "upsell_a_fix_closes_only_its_own_problem",
        UPSELL,
        "chat",
        [
            (C, "My data keeps running out."),
            (A, "Fibre Max has more data, so you won't run out."),
            (C, "Also my bill is wrong."),
            (A, "Spring Unlimited is on offer too."),
        ],
        {
            DROP: {"complaint": 0.9},
            "Also my bill is wrong.": {"complaint": 0.9},
            "Fibre Max has more data, so you won't run out.": {"recommend": 0.9},
            "Spring Unlimited is on offer too.": {"recommend": 0.9},
        },
        (
            "fail",
            0.8,
            None,
            "pitched while the customer's problem was still open",
            {},
            [
                (2, C, 60.0, 60.0, "Also my bill is wrong."),
                (3, A, 90.0, 90.0, "Spring Unlimited is on offer too."),
            ],
        ),
    ),
    (
        # Two products offered, then the first one named again.
        "upsell_a_recap_of_an_earlier_product_is_no_new_pitch",
        UPSELL,
        "chat",
        [
            (A, "Try Fibre Max."),
            (A, "Or Spring Unlimited."),
            (C, "My internet keeps dropping."),
            (A, "So that's Fibre Max then."),
        ],
        {
            "Try Fibre Max.": {"recommend": 0.9},
            "Or Spring Unlimited.": {"recommend": 0.9},
            "My internet keeps dropping.": {"complaint": 0.9},
            "So that's Fibre Max then.": {"recommend": 0.9},
        },
        (
            "pass",
            0.75,
            None,
            "no pitch over an open problem",
            {},
            [(0, A, 0.0, 0.0, "Try Fibre Max.")],
        ),
    ),
    (
        # Matched by the card's list, with the act just plausible.
        "upsell_the_cards_own_complaint_words",
        OWN_COMPLAINTS,
        "chat",
        [(C, "The router is wonky."), (A, "Try Fibre Max.")],
        {"The router is wonky.": {"complaint": 0.4}, "Try Fibre Max.": {"recommend": 0.9}},
        (
            "fail",
            0.8,
            None,
            "pitched while the customer's problem was still open",
            {},
            [(0, C, 0.0, 0.0, "The router is wonky."), (1, A, 30.0, 30.0, "Try Fibre Max.")],
        ),
    ),
    (
        "upsell_on_complaint_quotes_the_complaint",
        ON_COMPLAINT,
        "chat",
        [(C, "Hello. My internet keeps dropping."), (A, "Let me check.")],
        {"My internet keeps dropping.": {"complaint": 0.9}},
        (
            "pass",
            0.75,
            None,
            "nothing pitched while the problem was open",
            {},
            [(0, C, 0.0, 0.0, "My internet keeps dropping.")],
        ),
    ),
    (
        "upsell_an_exact_list_names_only_what_is_said",
        UPSELL,
        "chat",
        [(A, "Fibre Max is popular. You could try Fibre Maxx.")],
        {"You could try Fibre Maxx.": {"recommend": 0.9}},
        ("na", 0.9, None, "no pitch in this interaction", {}, []),
    ),
    (
        # The name a little off, within the card's bar (0.8), not the default one.
        "upsell_the_cards_bar_for_a_name_said_near_enough",
        NEAR_NAMES,
        "chat",
        [
            (A, "You could try Fiber Maxx."),
            (C, "My internet keeps dropping."),
            (A, "Try Fiber Maxx again."),
        ],
        {
            "You could try Fiber Maxx.": {"recommend": 0.9},
            "My internet keeps dropping.": {"complaint": 0.9},
            "Try Fiber Maxx again.": {"recommend": 0.9},
        },
        (
            "pass",
            0.75,
            None,
            "no pitch over an open problem",
            {},
            [(0, A, 0.0, 0.0, "You could try Fiber Maxx.")],
        ),
    ),
    (
        "upsell_an_unlisted_product_near_a_listed_name_is_a_new_pitch",
        UPSELL,
        "chat",
        [
            (A, "Try Fibre Max."),
            (C, "My internet keeps dropping."),
            (A, "I can move you onto our Fibre Maxi 2 plan."),
        ],
        {
            "Try Fibre Max.": {"recommend": 0.9},
            "My internet keeps dropping.": {"complaint": 0.9},
            "I can move you onto our Fibre Maxi 2 plan.": {"present_offer": 0.9, "recommend": 0.9},
        },
        (
            "fail",
            0.8,
            None,
            "pitched while the customer's problem was still open",
            {},
            [
                (1, C, 30.0, 30.0, "My internet keeps dropping."),
                (2, A, 60.0, 60.0, "I can move you onto our Fibre Maxi 2 plan."),
            ],
        ),
    ),
    (
        # The card names the act: the turns are still found by the product's name, each sentence read on its own.
        "upsell_a_card_act_still_pitches_by_the_names_said",
        PITCH_ACT,
        "chat",
        [(A, "Fibre Max is down today. But Fibre Max is worth it.")],
        {"But Fibre Max is worth it.": {"recommend": 0.4}},
        (
            "pass",
            0.75,
            None,
            "no pitch over an open problem",
            {},
            [(0, A, 0.0, 0.0, "But Fibre Max is worth it.")],
        ),
    ),
    (
        "upsell_words_of_a_name_apart_do_not_name_it",
        NEAR_NAMES,
        "chat",
        [(A, "You could try Fibre and Max.")],
        {"You could try Fibre and Max.": {"recommend": 0.9}},
        ("na", 0.9, None, "no pitch in this interaction", {}, []),
    ),
    (
        # No pack list for opening an account in Chinese: nothing said opens one.
        "order_zh_check_short_of_the_standard_with_no_later_step",
        ZH_STANDARD,
        "chat",
        [(C, "你好，我想查余额。"), (A, "请问您的出生日期？")],
        {},
        (
            "fail",
            0.75,
            None,
            "the check fell short of its standard (only '出生日期'; needs '出生日期' and '邮编')",
            {},
            [(1, A, 30.0, 30.0, "请问您的出生日期？")],
        ),
    ),
    (
        "order_a_disclosure_is_quoted_by_its_sentence",
        ID_FIRST,
        "chat",
        [(A, "What's your postcode?"), (C, "AB1 2CD."), (A, "Thanks. Your plan is £5.")],
        {},
        (
            "pass",
            0.85,
            None,
            None,
            {},
            [(0, A, 0.0, 0.0, "What's your postcode?"), (2, A, 60.0, 60.0, "Your plan is £5.")],
        ),
    ),
]


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> Readings:
    said: Readings = {}

    def classify(
        texts: list[str], names: list[str], lang: str, extra: Any = None, *_: Any, **__: Any
    ) -> list[dict[str, float]]:
        # The card's examples, where given, make any question a discovery question.
        taught = {"discovery_question": 0.9} if extra else {}
        return [{n: taught.get(n, said.get(t, {}).get(n, 0.0)) for n in names} for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said


@pytest.mark.parametrize(
    ("name", "crit", "channel", "lines", "read", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_verdict_is_pinned(
    acts: Readings,
    name: str,
    crit: dict[str, Any],
    channel: str,
    lines: list[tuple[str, str]],
    read: Readings,
    expected: tuple[Any, ...],
) -> None:
    acts.update(read)
    assert snap(verdict(crit, channel, lines)) == expected


def test_order_detail_in_a_code_switched_line_is_said_where_the_turn_begins(acts: Readings) -> None:
    """A Chinese turn whose English words, read in Chinese, join two lines into one sentence
    ("thank\nyou" is 谢谢): the detail found there counts from the turn's first sentence, so
    the check is short of its standard with that detail said, not with nothing listed."""
    lines = [(C, "你好，我想查余额。"), (A, "您的余额是5元，出生日期 thank\nyou")]
    out = verdict(ZH_STANDARD, "chat", lines)
    assert (out.result, out.confidence) == ("fail", 0.8)
    assert out.note == (
        "the check fell short of its standard before this (only '出生日期'; needs '出生日期' "
        "and '邮编')"
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Home cover is still on the account.", True),  # the site's phrase, four words
        ("Home cover is still on the way.", False),
        ("Home cover is on.", True),  # the shipped list still holds
    ],
)
def test_only_held_reads_a_sites_longer_phrase_after_the_product(
    sentence: str, expected: bool
) -> None:
    set_site_extensions({"en": {"criteria": {"held_after": ["is still on the account"]}}})
    try:
        ctx = Context(conversation("chat", [(A, "Hello.")]), Matcher(), None, None)
        assert _only_held(sentence, "home cover", ctx) is expected
    finally:
        set_site_extensions(None)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # "Not really" answers the question before; the need after it stands.
        ("Not really, I need a faster plan.", [(0, "Not really, I need a faster plan.")]),
        ("I don't need a faster plan.", []),
    ],
)
def test_customer_needs_are_matched_word_for_word(said: str, expected: list) -> None:
    ctx = Context(conversation("chat", [(C, said)]), Matcher(), None, None)
    assert _customer_needs(ctx) == expected


@pytest.mark.parametrize(
    ("sentence", "topics", "expected"),
    [
        # The first word is a topic word: nothing comes before it to make it a name.
        ("Renewal of your cover is on 5 May with Tideline.", {"renewal"}, True),
        ("Today I refund your £5.", set(), True),  # "I" before it names nothing
        ("Your plan is £5.", set(), True),  # a topic word of four letters
        # A name (a capital before a word) is passed over, and the sentence read on.
        ("Call Harbourstone Claims, your policy renews on 5 June.", set(), True),
        # A common word is no topic word, though a topic begins with it.
        ("Your Gold Aftercare costs £5 after May.", {"aftercare"}, False),
        # The subject of the contact, three words back from the start of the sentence.
        ("About 2 claims you have made this year.", set(), False),
        ("I'm calling about your claim from June.", set(), True),  # a month after it
        ("About your payment, 40 was taken.", set(), True),  # the figure just after it
        ("About your 2 claims.", set(), False),  # the figure before it is the subject's
        # The subject first, then a topic word that is not: told.
        ("At £5 a month, as I said about your claim, the premium stays.", set(), True),
    ],
)
def test_discloses_where_the_topic_word_stands(
    sentence: str, topics: set[str], expected: bool
) -> None:
    assert _discloses(sentence, topics, EN) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I'm calling on 5 June about your policy.", True),  # the date is not after it
        ("I'm calling about your policy.", True),
    ],
)
def test_only_the_subject_reads_only_what_follows(sentence: str, expected: bool) -> None:
    assert _only_the_subject(sentence, ["your policy"], EN) is expected


def context(lines: list[tuple[str, str]]) -> Context:
    return Context(conversation("chat", lines), Matcher(), None, None)


def test_confirmed_when_asked_reads_every_answer_to_a_check(acts: Readings) -> None:
    lines = [
        (C, "Yes, thanks."),  # nothing was asked before it
        (A, "Hi."),
        (C, "My internet drops."),  # no check asked
        (A, "Is that fixed now?"),
        (C, "Hmm, I think so."),  # no yes
        (A, "Is it sorted now?"),
        (C, "Yes but it's slow."),  # a yes with a but
        (A, "Is it working now?"),
        (C, "Yep. Thanks a lot."),
        (A, "Is that all sorted now?"),  # asked last: the first line answers nothing
    ]
    assert _confirmed_when_asked(context(lines)) == {8: "Yep."}
    assert _confirmed_when_asked(context([(A, "Is that fixed now?"), (C, "")])) == {}


def test_discovery_questions_default_to_the_agents_turns(acts: Readings) -> None:
    acts.update({"What happened?": {"discovery_question": 0.9}})
    ctx = context([(A, "Hello. What happened?"), (C, "What happened?")])
    assert discovery_questions(ctx) == [Question(0, "What happened?", "open")]


def test_discovery_questions_read_with_the_cards_examples(acts: Readings) -> None:
    ctx = context([(A, "Hello. What happened? Tell me more."), (C, "It broke.")])
    assert discovery_questions(ctx, [0]) == []
    assert discovery_questions(ctx, [0], Examples(positive=["What went wrong?"])) == [
        Question(0, "What happened?", "open"),
        Question(0, "Tell me more.", "open"),
    ]


def test_invitations_are_open_questions() -> None:
    ctx = context([(A, "Hello. What happened? Tell me more.")])
    assert _invitations(ctx, [0]) == [Question(0, "Tell me more.", "open")]


def test_later_steps_are_every_turn_that_tells_a_detail() -> None:
    ctx = context([(A, "Your balance is £5."), (C, "Ok."), (A, "Thanks. Your plan is £10.")])
    then = Event(phrases=["your balance is"], match="exact")
    first = Event(phrases=["postcode"], match="exact")
    assert _later_steps(then, ctx, first) == [(0, "Your balance is £5."), (2, "Your plan is £10.")]
