"""Every criterion type's verdict pinned value by value: result, confidence, fraction, note,
details and each piece of evidence (turn, role, span, quote), on small conversations that
take each branch. A change to an evaluator's arithmetic, wording or evidence shows here;
after a deliberate one, `PYTHONPATH=. python tests/test_mut_criteria.py` prints EXPECTED anew."""

from __future__ import annotations

from typing import Any

import pytest

from qa.matching import Matcher
from qa.model import Evidence, Flag
from qa.scorecard.context import Context, Outcome
from qa.scorecard.criteria import EVALUATORS, _best_line
from tests.test_criteria import CRITERION, conversation

PITCH = {"phrases": ["Fibre Max", "Spring Unlimited"], "match": "exact"}
A, C = "agent", "customer"

SCENARIOS: list[tuple[str, dict[str, Any], str, list[tuple[str, str]]]] = [
    # phrase.v1
    (
        "phrase_required_hits_three_of_four",
        {"type": "phrase.v1", "phrases": ["thank you for calling"], "match": "exact"},
        "voice",
        [
            (A, "Thank you for calling Northwind."),
            (C, "Hello."),
            (A, "Thank you for calling, really."),
            (A, "Again, thank you for calling."),
            (A, "And thank you for calling once more."),
        ],
    ),
    (
        "phrase_required_missing_in_window",
        {
            "type": "phrase.v1",
            "phrases": ["welcome to Northwind", "good morning", "hello there", "hi there"],
            "match": "exact",
            "window": {"first_turns": 2},
        },
        "voice",
        [(A, "Yes, what is it?"), (C, "My bill."), (A, "Right then."), (A, "Hello there friend.")],
    ),
    (
        "phrase_required_customer_window_seconds",
        {
            "type": "phrase.v1",
            "phrases": ["my account number"],
            "match": "exact",
            "speaker": "customer",
            "window": {"first_seconds": 40},
        },
        "chat",
        [(A, "Hi."), (C, "Hi."), (C, "Here is my account number: 5.")],
    ),
    (
        "phrase_forbidden_said",
        {
            "type": "phrase.v1",
            "phrases": ["calm down"],
            "match": "exact",
            "mode": "forbidden",
        },
        "chat",
        [(A, "Please calm down."), (C, "I am calm."), (A, "Calm down, sir.")],
    ),
    (
        "phrase_forbidden_not_said_last_seconds",
        {
            "type": "phrase.v1",
            "phrases": ["calm down"],
            "match": "exact",
            "mode": "forbidden",
            "window": {"last_seconds": 30},
        },
        "chat",
        [(A, "Calm down."), (C, "Fine."), (A, "Thanks for waiting."), (C, "Bye.")],
    ),
    (
        "phrase_last_turns",
        {
            "type": "phrase.v1",
            "phrases": ["anything else"],
            "match": "exact",
            "window": {"last_turns": 1},
        },
        "voice",
        [(A, "Is there anything else?"), (C, "No."), (A, "Goodbye then.")],
    ),
    (
        "phrase_fuzzy_score_is_the_confidence",
        {"type": "phrase.v1", "phrases": ["thank you for contacting Northwind"]},
        "email",
        [(A, "Thanks you for contacting Northwind today."), (C, "Hi.")],
    ),
    # question.v1
    (
        "question_open_enough",
        {"type": "question.v1", "kind": "open", "min": 2},
        "chat",
        [
            (A, "How can I help? What happened next?"),
            (C, "It broke."),
            (A, "Is it plugged in?"),
        ],
    ),
    (
        "question_open_too_many",
        {"type": "question.v1", "kind": "open", "min": 1, "max": 2},
        "chat",
        [
            (A, "How are you? What is wrong? Why now?"),
            (C, "Dunno."),
            (A, "Which one? Where is it? When did it start?"),
        ],
    ),
    (
        "question_none",
        {"type": "question.v1", "kind": "closed", "min": 1, "max": 3},
        "voice",
        [(A, "Hello."), (C, "Can you help?"), (A, "Sure.")],
    ),
    (
        "question_any_at_the_bounds",
        {"type": "question.v1", "kind": "any", "min": 2, "max": 2, "speaker": "customer"},
        "chat",
        [(C, "Can you help? How long will it take?"), (A, "Yes.")],
    ),
    (
        "question_exactly_max_in_window",
        {
            "type": "question.v1",
            "kind": "closed",
            "min": 0,
            "max": 1,
            "window": {"first_turns": 1},
        },
        "chat",
        [(A, "Is it on? Is it off?"), (C, "Yes."), (A, "Did you try?")],
    ),
    # order.v1
    (
        "order_in_order",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"phrases": ["your balance is"], "match": "exact"},
        },
        "chat",
        [
            (A, "Hi."),
            (A, "First I need to verify your identity."),
            (C, "Sure."),
            (A, "Thanks, your balance is 5."),
            (A, "Let me verify your identity again."),
        ],
    ),
    (
        "order_wrong_order",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"phrases": ["your balance is"], "match": "exact"},
        },
        "voice",
        [(A, "Your balance is 5."), (C, "Ok."), (A, "Now let me verify your identity.")],
    ),
    (
        "order_missing_first_fails",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"question": "open"},
        },
        "chat",
        [(A, "Hello."), (C, "Hi."), (A, "What can I do for you?")],
    ),
    (
        "order_missing_first_na",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"question": "open"},
            "missing_first": "na",
        },
        "chat",
        [(A, "What can I do for you?")],
    ),
    (
        "order_then_never",
        {
            "type": "order.v1",
            "first": {"question": "any", "speaker": "customer"},
            "then": {"phrases": ["refund"], "match": "exact"},
        },
        "chat",
        [(C, "Can you help?"), (A, "Yes.")],
    ),
    (
        "order_question_event_beside_phrases",
        {
            "type": "order.v1",
            "first": {"phrases": ["my name is"], "match": "exact", "question": "open"},
            "then": {"phrases": ["goodbye"], "match": "exact"},
        },
        "chat",
        [(A, "How can I help?"), (C, "Bill."), (A, "My name is Sam."), (A, "Goodbye.")],
    ),
    # metric.v1
    (
        "metric_first_response_too_slow",
        {"type": "metric.v1", "metric": "first_response", "max": 60},
        "chat",
        [(C, "Hi?"), (C, "Anyone?"), (C, "Hello?"), (A, "Sorry, here."), (C, "Ok"), (A, "Yes")],
    ),
    (
        "metric_first_response_in_range",
        {"type": "metric.v1", "metric": "first_response", "min": 10, "max": 60},
        "chat",
        [(A, "Hi."), (C, "Hi?"), (A, "Hello."), (C, "Ok"), (C, "And?"), (A, "Yes")],
    ),
    (
        "metric_response_longest",
        {"type": "metric.v1", "metric": "response_longest", "max": 45},
        "chat",
        [(C, "Hi?"), (A, "Hello."), (C, "Ok"), (C, "And?"), (C, "Still?"), (A, "Yes"), (C, "k")],
    ),
    (
        "metric_monologue_longest",
        {"type": "metric.v1", "metric": "monologue_longest", "max": 3},
        "voice",
        [
            (A, "Hi there."),
            (C, "Hello."),
            (A, "Let me tell you all about our plans and prices today my friend."),
            (A, "Ok."),
        ],
    ),
    (
        "metric_turns_min_only",
        {"type": "metric.v1", "metric": "turns", "min": 4},
        "email",
        [(C, "Hi"), (A, "Hello"), (C, "Thanks")],
    ),
    (
        "metric_turns_at_min",
        {"type": "metric.v1", "metric": "turns", "min": 3, "max": 3},
        "email",
        [(C, "Hi"), (A, "Hello"), (C, "Thanks")],
    ),
    (
        "metric_not_measured",
        {"type": "metric.v1", "metric": "overtalk", "max": 0.6},
        "chat",
        [(C, "Hi"), (A, "Hello")],
    ),
    (
        "metric_talk_ratio_voice",
        {"type": "metric.v1", "metric": "talk_ratio", "min": 0.2, "max": 0.6},
        "voice",
        [(A, "Hello there, how can I help you today?"), (C, "My phone is broken.")],
    ),
    # script_reading.v1
    (
        "script_read_verbatim_on_a_call",
        {
            "type": "script_reading.v1",
            "script": [
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty "
                "five dollars a month with no contract at all",
                "",
            ],
            "min_run_words": 8,
            "fast_wpm": 100,
            "long_monologue_s": 5,
        },
        "voice",
        [
            (C, "I want something cheaper for my teenage daughter who streams video constantly."),
            (
                A,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty "
                "five dollars a month with no contract at all.",
            ),
            (C, "Is that too expensive for streaming video?"),
            (
                A,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty "
                "five dollars a month with no contract at all.",
            ),
            (C, "You did not answer."),
        ],
    ),
    (
        "script_own_words_in_chat",
        {
            "type": "script_reading.v1",
            "script": ["Our Spring Unlimited plan is thirty five dollars a month."],
            "max_score": 0.3,
        },
        "chat",
        [
            (C, "My daughter streams video all evening and the bill keeps growing, what now?"),
            (A, "Since your daughter streams video every evening, unlimited data fits the bill."),
            (C, "And the price?"),
        ],
    ),
    (
        "script_mixed_signals_on_a_call",
        {
            "type": "script_reading.v1",
            "script": [
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty "
                "five dollars a month",
                "Is there anything else I can help you with today my friend",
            ],
            "max_score": 0.4,
            "min_run_words": 8,
            "fast_wpm": 140,
            "long_monologue_s": 5,
        },
        "voice",
        [
            (C, "My daughter streams video every evening and roaming abroad costs a fortune."),
            (
                A,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty "
                "five dollars a month.",
            ),
            (C, "Does it include roaming abroad?"),
            (A, "Yes, roaming is included in every plan we sell."),
            (C, "Can I keep my number?"),
            (A, "Is there anything else I can help you with today my friend?"),
            (C, "No."),
        ],
    ),
    (
        "script_silent_agent",
        {"type": "script_reading.v1", "script": ["Hello."]},
        "chat",
        [(C, "Hello?")],
    ),
    (
        "script_question_with_no_reply",
        {"type": "script_reading.v1", "script": ["Thank you for calling Northwind today."]},
        "chat",
        [(A, "Hi."), (C, "Hi."), (A, "Yes."), (C, "Why?"), (C, "Bye.")],
    ),
    # needs_discovery.v1
    (
        "needs_discovered_and_acknowledged",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 2},
        "chat",
        [
            (A, "How do you use the internet at home? What matters most to you?"),
            (C, "I need fast upload for video calls. I work from home."),
            (A, "So you need fast upload."),
            (A, "Then Fibre Max is the one."),
            (A, "What else?"),
        ],
    ),
    (
        "needs_pitch_too_early",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 3},
        "chat",
        [
            (A, "What brings you here?"),
            (A, "Have a look at Fibre Max."),
            (C, "I want something cheap."),
            (A, "How about it? Why not?"),
        ],
    ),
    (
        "needs_acknowledged_by_restating_words",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 1},
        "chat",
        [
            (A, "What do you need?"),
            (C, "I'd like cheaper roaming data abroad."),
            (A, "Right, cheaper roaming data then."),
            (A, "Spring Unlimited does that."),
        ],
    ),
    (
        "needs_no_questions_no_ack_required",
        {
            "type": "needs_discovery.v1",
            "pitch": PITCH,
            "min_open_questions": 0,
            "require_acknowledgement": False,
        },
        "chat",
        [(A, "Hello."), (C, "Hi.")],
    ),
    (
        "needs_half_way",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 4},
        "chat",
        [
            (A, "How can I help? What do you use it for?"),
            (C, "I'm looking for a better deal."),
            (A, "Hello."),
            (A, "Fibre Max is good. Spring Unlimited too."),
        ],
    ),
    # product_explanation.v1
    (
        "product_all_points_linked_and_checked",
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "price", "phrases": ["35 dollars a month"], "match": "exact"},
                {"id": "term", "phrases": ["12 month contract"], "match": "exact"},
                {"id": "data", "phrases": ["unlimited data"], "match": "exact"},
            ],
        },
        "chat",
        [
            (C, "I need unlimited data for my kids."),
            (A, "It has unlimited data, so you can stream all day."),
            (A, "It is 35 dollars a month on a 12 month contract."),
            (A, "Does that make sense?"),
        ],
    ),
    (
        "product_nothing_explained",
        {
            "type": "product_explanation.v1",
            "key_points": [{"id": "price", "phrases": ["35 dollars a month"], "match": "exact"}],
        },
        "chat",
        [(C, "Hi."), (A, "Hello.")],
    ),
    (
        "product_partial_unlinked_unchecked",
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "price", "phrases": ["35 dollars a month"], "match": "exact"},
                {"id": "term", "phrases": ["12 month contract"], "match": "exact"},
                {"id": "data", "phrases": ["unlimited data"], "match": "exact"},
            ],
            "min_coverage": 0.5,
        },
        "chat",
        [
            (C, "Tell me."),
            (A, "Is that clear? It is 35 dollars a month."),
            (A, "Any questions?"),
            (A, "Nothing about the rest."),
        ],
    ),
    (
        "product_linked_by_need_words",
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "price", "phrases": ["35 dollars a month"], "match": "exact"},
                {"id": "data", "phrases": ["unlimited data"], "match": "exact"},
            ],
            "min_coverage": 1.0,
            "require_check": False,
        },
        "chat",
        [
            (C, "I would like cheaper roaming abroad."),
            (A, "It is 35 dollars a month. Cheaper roaming abroad included."),
            (A, "Also unlimited data."),
        ],
    ),
    (
        "product_no_requirements",
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "price", "phrases": ["35 dollars a month"], "match": "exact"},
                {"id": "data", "phrases": ["unlimited data"], "match": "exact"},
            ],
            "min_coverage": 0,
            "require_needs_link": False,
            "require_check": False,
        },
        "chat",
        [(A, "It is 35 dollars a month.")],
    ),
    # upsell_timing.v1
    (
        "upsell_over_open_complaint",
        {"type": "upsell_timing.v1", "pitch": PITCH},
        "chat",
        [
            (C, "Hi."),
            (C, "My router is not working and it is terrible."),
            (C, "Also awful."),
            (A, "Have you seen Fibre Max?"),
        ],
    ),
    (
        "upsell_after_resolution",
        {"type": "upsell_timing.v1", "pitch": PITCH},
        "chat",
        [
            (A, "Spring Unlimited is on offer."),
            (C, "My router is not working."),
            (A, "I've fixed it remotely."),
            (A, "Fibre Max would help too."),
            (C, "It is not working again."),
        ],
    ),
    (
        "upsell_custom_cues",
        {
            "type": "upsell_timing.v1",
            "pitch": PITCH,
            "complaint": {"phrases": ["grumble"], "match": "exact", "speaker": "customer"},
            "resolution": {"phrases": ["sorted"], "match": "exact"},
        },
        "chat",
        [(C, "Grumble."), (A, "All sorted."), (C, "Grumble again."), (A, "Try Fibre Max.")],
    ),
    (
        "upsell_no_pitch",
        {"type": "upsell_timing.v1", "pitch": PITCH},
        "chat",
        [(C, "It is not working."), (A, "Sorry.")],
    ),
    # retention.v1
    (
        "retention_saved",
        {"type": "retention.v1"},
        "chat",
        [
            (C, "I want to cancel my contract."),
            (A, "Oh."),
            (A, "May I ask why you want to leave?"),
            (C, "Price."),
        ],
    ),
    (
        "retention_too_late",
        {"type": "retention.v1", "within_turns": 1},
        "chat",
        [
            (C, "I want to cancel my contract."),
            (A, "Oh."),
            (A, "May I ask why you want to leave?"),
        ],
    ),
    (
        "retention_no_churn",
        {"type": "retention.v1"},
        "chat",
        [(C, "Hello."), (A, "Hi.")],
    ),
    (
        "retention_custom_cues_and_weak_save",
        {
            "type": "retention.v1",
            "churn": {"phrases": ["go elsewhere"], "match": "exact", "speaker": "customer"},
            "save": {"phrases": ["we would love you to stay with us"], "threshold": 0.6},
        },
        "chat",
        [(C, "I may go elsewhere."), (A, "We would like you to stay on here with us.")],
    ),
    (
        "retention_no_agent_after",
        {"type": "retention.v1"},
        "chat",
        [(A, "Hi."), (C, "I will cancel.")],
    ),
    # Turns of several sentences: evidence quotes the sentence, not the turn.
    (
        "phrase_quotes_the_sentence_four_hits",
        {"type": "phrase.v1", "phrases": ["calm down"], "match": "exact", "mode": "forbidden"},
        "chat",
        [
            (A, "Hello. Calm down now."),
            (A, "Sir. Calm down."),
            (A, "Please. Calm down."),
            (A, "Again. Calm down."),
        ],
    ),
    (
        "phrase_required_quotes_the_sentence",
        {"type": "phrase.v1", "phrases": ["thank you for calling"], "match": "exact"},
        "chat",
        [(A, "Hello. Thank you for calling.")],
    ),
    (
        "order_quotes_both_sentences",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"phrases": ["your balance is"], "match": "exact"},
        },
        "chat",
        [(A, "Hello. I must verify your identity."), (A, "Thanks. Your balance is 5.")],
    ),
    (
        "order_wrong_order_quotes_both_sentences",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"phrases": ["your balance is"], "match": "exact"},
        },
        "chat",
        [(A, "Hello. Your balance is 5."), (A, "Wait. I must verify your identity.")],
    ),
    (
        "order_missing_first_quotes_the_sentence",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"phrases": ["your balance is"], "match": "exact"},
        },
        "chat",
        [(A, "Hello. Your balance is 5.")],
    ),
    (
        "order_both_in_one_turn_is_not_before",
        {
            "type": "order.v1",
            "first": {"phrases": ["verify your identity"], "match": "exact"},
            "then": {"phrases": ["your balance is"], "match": "exact"},
        },
        "chat",
        [(A, "Your balance is 5. Now I verify your identity.")],
    ),
    (
        "metric_response_longest_keeps_the_first_of_equals",
        {"type": "metric.v1", "metric": "response_longest", "max": 100},
        "chat",
        [(C, "Hi?"), (C, "Hm?"), (C, "Hello?"), (A, "Yes."), (C, "Q"), (A, "A"), (C, "Q")]
        + [(C, "Q"), (C, "Q"), (A, "Same wait.")],
    ),
    (
        "metric_response_longest_not_the_last",
        {"type": "metric.v1", "metric": "response_longest", "max": 100},
        "chat",
        [(C, "Hi?"), (C, "Hm?"), (C, "Hello?"), (A, "Yes."), (C, "Q"), (A, "Quick.")],
    ),
    (
        "needs_many_questions_and_needs_all_shown",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 2},
        "chat",
        [
            (A, "How are you? What do you use? Why now? When do you call? Who uses it?"),
            (C, "I need speed. I want range. I use video. I'd like calls. I need more."),
            (A, "So you need speed."),
            (A, "Fibre Max it is. What do you think?"),
        ],
    ),
    (
        "needs_questions_enough_but_no_acknowledgement",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 1},
        "chat",
        [(A, "What do you need?"), (C, "I need speed."), (A, "Fibre Max.")],
    ),
    (
        "needs_acknowledged_but_too_few_questions",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 2},
        "chat",
        [(A, "What do you need?"), (C, "I need speed."), (A, "So you need speed. Fibre Max.")],
    ),
    (
        "needs_restated_with_exactly_two_words",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 1},
        "chat",
        [
            (A, "What do you need?"),
            (C, "I'd like cheaper roaming data abroad."),
            (A, "Right, cheaper roaming."),
            (A, "Spring Unlimited."),
        ],
    ),
    (
        "needs_a_negated_need",
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 0},
        "chat",
        [(C, "No I need speed."), (A, "Spring Unlimited.")],
    ),
    (
        "product_four_points_no_link",
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "a", "phrases": ["point alpha"], "match": "exact"},
                {"id": "b", "phrases": ["point bravo"], "match": "exact"},
                {"id": "c", "phrases": ["point charlie"], "match": "exact"},
                {"id": "d", "phrases": ["point delta"], "match": "exact"},
            ],
            "require_check": False,
        },
        "chat",
        [
            (C, "I want calls."),
            (A, "Point alpha."),
            (A, "Point bravo."),
            (A, "Point charlie."),
            (A, "Point delta."),
            (A, "Would you like that?"),
        ],
    ),
    (
        "product_a_question_is_not_a_check",
        {
            "type": "product_explanation.v1",
            "key_points": [{"id": "price", "phrases": ["35 dollars a month"], "match": "exact"}],
            "require_needs_link": False,
        },
        "chat",
        [(A, "It is 35 dollars a month."), (A, "Would you like it?")],
    ),
    (
        "product_match_and_threshold_of_a_key_point",
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "price", "phrases": ["35 dollars a month"], "match": "exact"},
                {"id": "data", "phrases": ["unlimited data"], "threshold": 0.99},
                {"id": "calls", "phrases": ["free calls"]},
            ],
            "min_coverage": 0.3,
            "require_needs_link": False,
            "require_check": False,
        },
        "chat",
        [(A, "It is 35 dollar a month, with unlimted data and free calls.")],
    ),
    (
        "product_linked_by_exactly_two_words",
        {
            "type": "product_explanation.v1",
            "key_points": [{"id": "price", "phrases": ["35 dollars a month"], "match": "exact"}],
            "require_check": False,
        },
        "chat",
        [
            (C, "I would like cheaper roaming abroad."),
            (A, "Cheaper roaming at 35 dollars a month."),
        ],
    ),
    (
        "upsell_quotes_the_sentences",
        {"type": "upsell_timing.v1", "pitch": PITCH},
        "chat",
        [(C, "Hello. My router is not working."), (A, "I see. Have you seen Fibre Max?")],
    ),
    (
        "upsell_pass_quotes_the_sentence",
        {"type": "upsell_timing.v1", "pitch": PITCH},
        "chat",
        [(A, "Hello. Have you seen Fibre Max?")],
    ),
    (
        "retention_quotes_the_sentences",
        {"type": "retention.v1"},
        "chat",
        [(C, "Hello. I want to cancel."), (A, "Oh. May I ask why?")],
    ),
    (
        "retention_fail_shows_one_later_turn",
        {"type": "retention.v1"},
        "chat",
        [(C, "Hello. I want to cancel."), (A, "Oh."), (A, "Right.")],
    ),
    (
        "retention_default_cue_threshold",
        {"type": "retention.v1"},
        "chat",
        [(C, "I will lave you."), (A, "Oh.")],
    ),
    (
        "script_boundaries_on_a_call",
        {
            "type": "script_reading.v1",
            "script": ["", "one two three four five six seven eight nine ten"],
            "verbatim_similarity": 1.0,
            "min_run_words": 10,
            "fast_wpm": 150,
            "long_monologue_s": 4,
            "max_score": 0.0,
        },
        "voice",
        [
            (C, "Alpha bravo charlie delta echo?"),
            (A, "one two three four five six seven eight nine ten"),
        ],
    ),
    (
        "script_just_slower_than_fast",
        {
            "type": "script_reading.v1",
            "script": ["one two three four five six seven eight nine ten"],
            "fast_wpm": 151,
            "long_monologue_s": 3,
        },
        "voice",
        [(A, "one two three four five six seven eight nine ten"), (C, "Ok.")],
    ),
    (
        "script_weights_in_chat",
        {
            "type": "script_reading.v1",
            "script": ["Our plan is thirty five dollars a month with unlimited data included."],
            "min_run_words": 5,
        },
        "chat",
        [
            (C, "My daughter streams video, is roaming abroad included, and the price?"),
            (A, "Our plan is thirty five dollars a month with unlimited data included."),
            (A, "Your daughter will love it."),
            (C, "Does it include roaming abroad?"),
            (
                A,
                "Our plan is thirty five dollars a month with unlimited data included roaming abroad.",
            ),
            (C, "And video?"),
            (A, "Our plan is thirty five dollars a month with unlimited data included."),
            (C, "Really? Why? How?"),
            (C, "Hello?"),
            (C, "Bye."),
        ],
    ),
    (
        "script_many_read_turns_and_ignored_questions",
        {
            "type": "script_reading.v1",
            "script": ["Our plan is thirty five dollars a month."],
            "min_run_words": 5,
        },
        "chat",
        [
            (C, "Price?"),
            (A, "Our plan is thirty five dollars a month."),
            (C, "Roaming?"),
            (A, "Our plan is thirty five dollars a month."),
            (C, "Video?"),
            (A, "Our plan is thirty five dollars a month."),
            (C, "Calls?"),
            (A, "Our plan is thirty five dollars a month."),
        ],
    ),
    (
        "script_five_words_said",
        {"type": "script_reading.v1", "script": ["Hello there."]},
        "chat",
        [(C, "apples bananas cherries dates elderberries"), (A, "Hello there, apples.")],
    ),
    (
        "script_four_words_said",
        {"type": "script_reading.v1", "script": ["Hello there."], "max_score": 0.0},
        "chat",
        [(C, "apples bananas cherries dates"), (A, "Hello there, apples.")],
    ),
]

EXPECTED: dict[str, tuple[Any, ...]] = {
    "phrase_required_hits_three_of_four": (
        "pass",
        1.0,
        None,
        None,
        {},
        [
            (0, "agent", 0.0, 2.0, "Thank you for calling Northwind."),
            (2, "agent", 3.8, 5.8, "Thank you for calling, really."),
            (3, "agent", 6.5, 8.5, "Again, thank you for calling."),
        ],
    ),
    "phrase_required_missing_in_window": (
        "fail",
        0.85,
        None,
        "none of 'welcome to Northwind', 'good morning', 'hello "
        "there' and 1 more found in the agent turns, 0–5 s",
        {},
        [
            (
                None,
                "agent",
                0.0,
                4.6,
                "none of 'welcome to Northwind', 'good morning', 'hello "
                "there' and 1 more found in the agent turns, 0–5 s",
            )
        ],
    ),
    "phrase_required_customer_window_seconds": (
        "fail",
        0.85,
        None,
        "none of 'my account number' found in the 1 customer message, 0–40 s",
        {},
        [
            (
                None,
                "customer",
                0.0,
                40.0,
                "none of 'my account number' found in the 1 customer message, 0–40 s",
            )
        ],
    ),
    "phrase_forbidden_said": (
        "fail",
        1.0,
        None,
        None,
        {},
        [(0, "agent", 0.0, 0.0, "Please calm down."), (2, "agent", 60.0, 60.0, "Calm down, sir.")],
    ),
    "phrase_forbidden_not_said_last_seconds": (
        "pass",
        0.85,
        None,
        "no 'calm down' in the 0 agent messages, 90–120 s",
        {},
        [(None, "agent", 90.0, 120.0, "no 'calm down' in the 0 agent messages, 90–120 s")],
    ),
    "phrase_last_turns": (
        "fail",
        0.85,
        None,
        "none of 'anything else' found in the agent turns, 3–5 s",
        {},
        [(None, "agent", 3.4, 4.9, "none of 'anything else' found in the agent turns, 3–5 s")],
    ),
    "phrase_fuzzy_score_is_the_confidence": (
        "pass",
        0.9855,
        None,
        None,
        {},
        [(0, "agent", 0.0, 0.0, "Thanks you for contacting Northwind today.")],
    ),
    "question_open_enough": (
        "fail",
        0.8,
        None,
        "1 open question(s); wanted at least 2",
        {"count": 1},
        [(0, "agent", 0.0, 0.0, "What happened next?")],
    ),
    "question_open_too_many": (
        "pass",
        0.8,
        None,
        "1 open question(s); wanted at least 1 and at most 2",
        {"count": 1},
        [(0, "agent", 0.0, 0.0, "How are you?")],
    ),
    "question_none": (
        "fail",
        0.8,
        None,
        "0 closed question(s); wanted at least 1 and at most 3",
        {"count": 0},
        [(None, "agent", 0.0, 4.1, "no closed questions from the agent")],
    ),
    "question_any_at_the_bounds": (
        "pass",
        0.8,
        None,
        "2 question(s); wanted at least 2 and at most 2",
        {"count": 2},
        [
            (0, "customer", 0.0, 0.0, "Can you help?"),
            (0, "customer", 0.0, 0.0, "How long will it take?"),
        ],
    ),
    "question_exactly_max_in_window": (
        "fail",
        0.8,
        None,
        "2 closed question(s); wanted at least 0 and at most 1",
        {"count": 2},
        [(0, "agent", 0.0, 0.0, "Is it on?"), (0, "agent", 0.0, 0.0, "Is it off?")],
    ),
    "order_in_order": (
        "pass",
        0.85,
        None,
        None,
        {},
        [
            (1, "agent", 30.0, 30.0, "First I need to verify your identity."),
            (3, "agent", 90.0, 90.0, "Thanks, your balance is 5."),
        ],
    ),
    "order_wrong_order": (
        "fail",
        0.85,
        None,
        "the steps came in the wrong order",
        {},
        [
            (0, "agent", 0.0, 1.6, "Your balance is 5."),
            (2, "agent", 3.4, 5.8, "Now let me verify your identity."),
        ],
    ),
    "order_missing_first_fails": (
        "fail",
        0.8,
        None,
        "the first step never happened before this",
        {},
        [(2, "agent", 60.0, 60.0, "What can I do for you?")],
    ),
    "order_missing_first_na": ("na", 0.9, None, "the first step never happened", {}, []),
    "order_then_never": ("na", 0.9, None, "the later step never happened", {}, []),
    "order_question_event_beside_phrases": (
        "pass",
        0.85,
        None,
        None,
        {},
        [(0, "agent", 0.0, 0.0, "How can I help?"), (3, "agent", 90.0, 90.0, "Goodbye.")],
    ),
    "metric_first_response_too_slow": (
        "fail",
        0.95,
        None,
        "first_response = 90 (wanted ≤ 60)",
        {},
        [(3, "agent", 90.0, 90.0, "Sorry, here.")],
    ),
    "metric_first_response_in_range": (
        "pass",
        0.95,
        None,
        "first_response = 30 (wanted ≥ 10 and ≤ 60)",
        {},
        [(2, "agent", 60.0, 60.0, "Hello.")],
    ),
    "metric_response_longest": (
        "fail",
        0.95,
        None,
        "response_longest = 90 (wanted ≤ 45)",
        {},
        [(5, "agent", 150.0, 150.0, "Yes")],
    ),
    "metric_monologue_longest": (
        "fail",
        0.95,
        None,
        "monologue_longest = 6.3 (wanted ≤ 3)",
        {},
        [(2, "agent", 2.6, 7.8, "Let me tell you all about our plans and prices today my friend.")],
    ),
    "metric_turns_min_only": (
        "fail",
        0.95,
        None,
        "turns = 3 (wanted ≥ 4)",
        {},
        [(None, None, 0.0, 32400.0, "turns = 3 (wanted ≥ 4)")],
    ),
    "metric_turns_at_min": (
        "pass",
        0.95,
        None,
        "turns = 3 (wanted ≥ 3 and ≤ 3)",
        {},
        [(None, None, 0.0, 32400.0, "turns = 3 (wanted ≥ 3 and ≤ 3)")],
    ),
    "metric_not_measured": ("na", 0.9, None, "overtalk is not measured for chat", {}, []),
    "metric_talk_ratio_voice": (
        "fail",
        0.95,
        None,
        "talk_ratio = 0.667 (wanted ≥ 0.2 and ≤ 0.6)",
        {},
        [(None, None, 0.0, 6.2, "talk_ratio = 0.667 (wanted ≥ 0.2 and ≤ 0.6)")],
    ),
    "script_read_verbatim_on_a_call": (
        "fail",
        0.95,
        None,
        "reading score 1.00 (fails above 0.50): verbatim 1.00, fast_monologue 1.00, "
        "ignored_questions 1.00, low_reuse 1.00; 1 of 1 customer question(s) or objection(s) "
        "brushed aside",
        {
            "brushed_aside": 1,
            "score": 1.0,
            "signals": {
                "fast_monologue": 1.0,
                "ignored_questions": 1.0,
                "low_reuse": 1.0,
                "verbatim": 1.0,
            },
        },
        [
            (
                1,
                "agent",
                5.5,
                14.3,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty five "
                "dollars a month with no contract at all.",
            ),
            (
                3,
                "agent",
                18.5,
                27.3,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty five "
                "dollars a month with no contract at all.",
            ),
            (2, "customer", 15.0, 17.8, "Is that too expensive for streaming video?"),
            (
                3,
                "agent",
                18.5,
                27.3,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty five "
                "dollars a month with no contract at all.",
            ),
        ],
    ),
    "script_own_words_in_chat": (
        "pass",
        0.8,
        None,
        "reading score 0.00 (fails above 0.30): verbatim 0.00, ignored_questions 0.00, "
        "low_reuse 0.00",
        {
            "brushed_aside": 0,
            "score": 0.0,
            "signals": {"ignored_questions": 0.0, "low_reuse": 0.0, "verbatim": 0.0},
        },
        [(None, "agent", 0, 90.0, "no near-verbatim script runs found")],
    ),
    "script_mixed_signals_on_a_call": (
        "fail",
        0.69,
        None,
        "reading score 0.59 (fails above 0.40): verbatim 0.76, fast_monologue 0.45, "
        "ignored_questions 0.50, low_reuse 0.44; 1 of 2 customer question(s) or objection(s) "
        "brushed aside",
        {
            "brushed_aside": 1,
            "score": 0.586,
            "signals": {
                "fast_monologue": 0.447,
                "ignored_questions": 0.5,
                "low_reuse": 0.444,
                "verbatim": 0.763,
            },
        },
        [
            (
                1,
                "agent",
                5.5,
                12.3,
                "Our Spring Unlimited plan gives you unlimited calls texts and data for thirty five "
                "dollars a month.",
            ),
            (5, "agent", 22.7, 27.5, "Is there anything else I can help you with today my friend?"),
            (4, "customer", 20.0, 22.0, "Can I keep my number?"),
            (5, "agent", 22.7, 27.5, "Is there anything else I can help you with today my friend?"),
        ],
    ),
    "script_silent_agent": ("na", 0.9, None, "the agent said nothing", {}, []),
    "script_question_with_no_reply": (
        "pass",
        0.95,
        None,
        "reading score 0.00 (fails above 0.50): verbatim 0.00",
        {"brushed_aside": 0, "score": 0.0, "signals": {"verbatim": 0.0}},
        [(None, "agent", 0, 150.0, "no near-verbatim script runs found")],
    ),
    "needs_discovered_and_acknowledged": (
        "pass",
        0.75,
        1.0,
        "2 open question(s) before the pitch (wanted 2); needs acknowledged; 2 stated need(s)",
        {
            "open_questions": 2,
            "needs": ["I need fast upload for video calls.", "I work from home."],
            "acknowledged": True,
        },
        [
            (0, "agent", 0.0, 0.0, "How do you use the internet at home?"),
            (0, "agent", 0.0, 0.0, "What matters most to you?"),
            (0, "agent", 0.0, 0.0, "What matters most to you?"),
            (1, "customer", 30.0, 30.0, "I need fast upload for video calls."),
            (1, "customer", 30.0, 30.0, "I work from home."),
            (3, "agent", 90.0, 90.0, "Then Fibre Max is the one."),
        ],
    ),
    "needs_pitch_too_early": (
        "fail",
        0.75,
        0.1667,
        "1 open question(s) before the pitch (wanted 3); needs not acknowledged; 0 stated need(s)",
        {"open_questions": 1, "needs": [], "acknowledged": False},
        [
            (0, "agent", 0.0, 0.0, "What brings you here?"),
            (1, "agent", 30.0, 30.0, "Have a look at Fibre Max."),
        ],
    ),
    "needs_acknowledged_by_restating_words": (
        "fail",
        0.75,
        0.5,
        "1 open question(s) before the pitch (wanted 1); needs not acknowledged; 1 stated need(s)",
        {
            "open_questions": 1,
            "needs": ["I'd like cheaper roaming data abroad."],
            "acknowledged": False,
        },
        [
            (0, "agent", 0.0, 0.0, "What do you need?"),
            (1, "customer", 30.0, 30.0, "I'd like cheaper roaming data abroad."),
            (3, "agent", 90.0, 90.0, "Spring Unlimited does that."),
        ],
    ),
    "needs_no_questions_no_ack_required": (
        "na",
        0.9,
        None,
        "nothing was recommended or offered",
        {},
        [],
    ),
    "needs_half_way": (
        "fail",
        0.75,
        0.125,
        "1 open question(s) before the pitch (wanted 4); needs not acknowledged; 1 stated need(s)",
        {"open_questions": 1, "needs": ["I'm looking for a better deal."], "acknowledged": False},
        [
            (0, "agent", 0.0, 0.0, "What do you use it for?"),
            (1, "customer", 30.0, 30.0, "I'm looking for a better deal."),
            (3, "agent", 90.0, 90.0, "Spring Unlimited too."),
        ],
    ),
    "product_all_points_linked_and_checked": (
        "pass",
        0.75,
        1.0,
        "3/3 key points; tied to the customer's needs; checked understanding",
        {"covered": ["data", "price", "term"], "missing": [], "linked": True, "checked": True},
        [
            (1, "agent", 30.0, 30.0, "It has unlimited data, so you can stream all day."),
            (2, "agent", 60.0, 60.0, "It is 35 dollars a month on a 12 month contract."),
            (2, "agent", 60.0, 60.0, "It is 35 dollars a month on a 12 month contract."),
            (1, "agent", 30.0, 30.0, "It has unlimited data, so you can stream all day."),
            (3, "agent", 90.0, 90.0, "Does that make sense?"),
        ],
    ),
    "product_nothing_explained": ("na", 0.9, None, "nothing was recommended or offered", {}, []),
    "product_partial_unlinked_unchecked": (
        "fail",
        0.75,
        0.5556,
        "1/3 key points (missing: term, data); not tied to the "
        "customer's needs; checked understanding",
        {"covered": ["price"], "missing": ["term", "data"], "linked": False, "checked": True},
        [
            (1, "agent", 30.0, 30.0, "It is 35 dollars a month."),
            (1, "agent", 30.0, 30.0, "Is that clear?"),
        ],
    ),
    "product_linked_by_need_words": (
        "pass",
        0.75,
        1.0,
        "2/2 key points; tied to the customer's needs; no check for understanding",
        {"covered": ["data", "price"], "missing": [], "linked": True, "checked": False},
        [
            (1, "agent", 30.0, 30.0, "It is 35 dollars a month."),
            (2, "agent", 60.0, 60.0, "Also unlimited data."),
            (1, "agent", 30.0, 30.0, "Cheaper roaming abroad included."),
        ],
    ),
    "product_no_requirements": ("na", 0.9, None, "nothing was recommended or offered", {}, []),
    "upsell_over_open_complaint": (
        "fail",
        0.8,
        None,
        "pitched while the customer's problem was still open",
        {},
        [
            (1, "customer", 30.0, 30.0, "My router is not working and it is terrible."),
            (3, "agent", 90.0, 90.0, "Have you seen Fibre Max?"),
        ],
    ),
    "upsell_after_resolution": (
        "fail",
        0.8,
        None,
        "pitched while the customer's problem was still open",
        {},
        [
            (1, "customer", 30.0, 30.0, "My router is not working."),
            (3, "agent", 90.0, 90.0, "Fibre Max would help too."),
        ],
    ),
    "upsell_custom_cues": (
        "pass",
        0.75,
        None,
        "no pitch over an open problem",
        {},
        [(3, "agent", 90.0, 90.0, "Try Fibre Max.")],
    ),
    "upsell_no_pitch": ("na", 0.9, None, "no pitch in this interaction", {}, []),
    "retention_saved": (
        "fail",
        0.8,
        None,
        "no retention move within 2 agent turn(s) of the churn cue",
        {},
        [
            (0, "customer", 0.0, 0.0, "I want to cancel my contract."),
            (1, "agent", 30.0, 30.0, "Oh."),
        ],
    ),
    "retention_too_late": (
        "fail",
        0.8,
        None,
        "no retention move within 1 agent turn(s) of the churn cue",
        {},
        [
            (0, "customer", 0.0, 0.0, "I want to cancel my contract."),
            (1, "agent", 30.0, 30.0, "Oh."),
        ],
    ),
    "retention_no_churn": ("na", 0.9, None, "no churn cue from the customer", {}, []),
    "retention_custom_cues_and_weak_save": (
        "pass",
        0.806,
        None,
        "the churn cue got a retention move",
        {},
        [
            (0, "customer", 0.0, 0.0, "I may go elsewhere."),
            (1, "agent", 30.0, 30.0, "We would like you to stay on here with us."),
        ],
    ),
    "retention_no_agent_after": (
        "fail",
        0.8,
        None,
        "no retention move within 2 agent turn(s) of the churn cue",
        {},
        [(1, "customer", 30.0, 30.0, "I will cancel.")],
    ),
    "phrase_quotes_the_sentence_four_hits": (
        "fail",
        1.0,
        None,
        None,
        {},
        [
            (0, "agent", 0.0, 0.0, "Calm down now."),
            (1, "agent", 30.0, 30.0, "Calm down."),
            (2, "agent", 60.0, 60.0, "Calm down."),
        ],
    ),
    "phrase_required_quotes_the_sentence": (
        "pass",
        1.0,
        None,
        None,
        {},
        [(0, "agent", 0.0, 0.0, "Thank you for calling.")],
    ),
    "order_quotes_both_sentences": (
        "pass",
        0.85,
        None,
        None,
        {},
        [
            (0, "agent", 0.0, 0.0, "I must verify your identity."),
            (1, "agent", 30.0, 30.0, "Your balance is 5."),
        ],
    ),
    "order_wrong_order_quotes_both_sentences": (
        "fail",
        0.85,
        None,
        "the steps came in the wrong order",
        {},
        [
            (0, "agent", 0.0, 0.0, "Your balance is 5."),
            (1, "agent", 30.0, 30.0, "I must verify your identity."),
        ],
    ),
    "order_missing_first_quotes_the_sentence": (
        "fail",
        0.8,
        None,
        "the first step never happened before this",
        {},
        [(0, "agent", 0.0, 0.0, "Your balance is 5.")],
    ),
    "order_both_in_one_turn_is_not_before": (
        "fail",
        0.85,
        None,
        "the steps came in the wrong order",
        {},
        [
            (0, "agent", 0.0, 0.0, "Your balance is 5."),
            (0, "agent", 0.0, 0.0, "Now I verify your identity."),
        ],
    ),
    "metric_response_longest_keeps_the_first_of_equals": (
        "pass",
        0.95,
        None,
        "response_longest = 90 (wanted ≤ 100)",
        {},
        [(3, "agent", 90.0, 90.0, "Yes.")],
    ),
    "metric_response_longest_not_the_last": (
        "pass",
        0.95,
        None,
        "response_longest = 90 (wanted ≤ 100)",
        {},
        [(3, "agent", 90.0, 90.0, "Yes.")],
    ),
    "needs_many_questions_and_needs_all_shown": (
        "fail",
        0.75,
        0.5,
        "2 open question(s) before the pitch (wanted 2); needs not acknowledged; 5 stated need(s)",
        {
            "open_questions": 2,
            "needs": [
                "I need speed.",
                "I want range.",
                "I use video.",
                "I'd like calls.",
                "I need more.",
            ],
            "acknowledged": False,
        },
        [
            (0, "agent", 0.0, 0.0, "How are you?"),
            (0, "agent", 0.0, 0.0, "What do you use?"),
            (1, "customer", 30.0, 30.0, "I need speed."),
            (1, "customer", 30.0, 30.0, "I want range."),
            (1, "customer", 30.0, 30.0, "I use video."),
            (3, "agent", 90.0, 90.0, "Fibre Max it is."),
        ],
    ),
    "needs_questions_enough_but_no_acknowledgement": (
        "fail",
        0.75,
        0.5,
        "1 open question(s) before the pitch (wanted 1); needs not acknowledged; 1 stated need(s)",
        {"open_questions": 1, "needs": ["I need speed."], "acknowledged": False},
        [
            (0, "agent", 0.0, 0.0, "What do you need?"),
            (1, "customer", 30.0, 30.0, "I need speed."),
            (2, "agent", 60.0, 60.0, "Fibre Max."),
        ],
    ),
    "needs_acknowledged_but_too_few_questions": (
        "fail",
        0.75,
        0.25,
        "1 open question(s) before the pitch (wanted 2); needs not acknowledged; 1 stated need(s)",
        {"open_questions": 1, "needs": ["I need speed."], "acknowledged": False},
        [
            (0, "agent", 0.0, 0.0, "What do you need?"),
            (1, "customer", 30.0, 30.0, "I need speed."),
            (2, "agent", 60.0, 60.0, "Fibre Max."),
        ],
    ),
    "needs_restated_with_exactly_two_words": (
        "fail",
        0.75,
        0.5,
        "1 open question(s) before the pitch (wanted 1); needs not acknowledged; 1 stated need(s)",
        {
            "open_questions": 1,
            "needs": ["I'd like cheaper roaming data abroad."],
            "acknowledged": False,
        },
        [
            (0, "agent", 0.0, 0.0, "What do you need?"),
            (1, "customer", 30.0, 30.0, "I'd like cheaper roaming data abroad."),
            (3, "agent", 90.0, 90.0, "Spring Unlimited."),
        ],
    ),
    "needs_a_negated_need": (
        "fail",
        0.75,
        0.5,
        "0 open question(s) before the pitch (wanted 0); needs not acknowledged; 1 stated need(s)",
        {"open_questions": 0, "needs": ["No I need speed."], "acknowledged": False},
        [
            (0, "customer", 0.0, 0.0, "No I need speed."),
            (1, "agent", 30.0, 30.0, "Spring Unlimited."),
        ],
    ),
    "product_four_points_no_link": (
        "fail",
        0.75,
        0.5,
        "4/4 key points; not tied to the customer's needs; no check for understanding",
        {"covered": ["a", "b", "c", "d"], "missing": [], "linked": False, "checked": False},
        [
            (1, "agent", 30.0, 30.0, "Point alpha."),
            (2, "agent", 60.0, 60.0, "Point bravo."),
            (3, "agent", 90.0, 90.0, "Point charlie."),
        ],
    ),
    "product_a_question_is_not_a_check": (
        "fail",
        0.75,
        0.5,
        "1/1 key points; not tied to the customer's needs; no check for understanding",
        {"covered": ["price"], "missing": [], "linked": False, "checked": False},
        [(0, "agent", 0.0, 0.0, "It is 35 dollars a month.")],
    ),
    "product_match_and_threshold_of_a_key_point": (
        "na",
        0.9,
        None,
        "nothing was recommended or offered",
        {},
        [],
    ),
    "product_linked_by_exactly_two_words": (
        "na",
        0.9,
        None,
        "nothing was recommended or offered",
        {},
        [],
    ),
    "upsell_quotes_the_sentences": (
        "fail",
        0.8,
        None,
        "pitched while the customer's problem was still open",
        {},
        [
            (0, "customer", 0.0, 0.0, "My router is not working."),
            (1, "agent", 30.0, 30.0, "Have you seen Fibre Max?"),
        ],
    ),
    "upsell_pass_quotes_the_sentence": (
        "pass",
        0.75,
        None,
        "no pitch over an open problem",
        {},
        [(0, "agent", 0.0, 0.0, "Have you seen Fibre Max?")],
    ),
    "retention_quotes_the_sentences": (
        "pass",
        0.5,
        None,
        "the churn cue got a retention move",
        {},
        [
            (0, "customer", 0.0, 0.0, "I want to cancel."),
            (1, "agent", 30.0, 30.0, "May I ask why?"),
        ],
    ),
    "retention_fail_shows_one_later_turn": (
        "fail",
        0.8,
        None,
        "no retention move within 2 agent turn(s) of the churn cue",
        {},
        [(0, "customer", 0.0, 0.0, "I want to cancel."), (1, "agent", 30.0, 30.0, "Oh.")],
    ),
    "retention_default_cue_threshold": ("na", 0.9, None, "no churn cue from the customer", {}, []),
    "script_boundaries_on_a_call": (
        "fail",
        0.95,
        None,
        "reading score 1.00 (fails above 0.00): verbatim 1.00, fast_monologue 1.00, "
        "ignored_questions 1.00, low_reuse 1.00; 1 of 1 customer question(s) or objection(s) "
        "brushed aside",
        {
            "brushed_aside": 1,
            "score": 1.0,
            "signals": {
                "fast_monologue": 1.0,
                "ignored_questions": 1.0,
                "low_reuse": 1.0,
                "verbatim": 1.0,
            },
        },
        [
            (1, "agent", 2.7, 6.7, "one two three four five six seven eight nine ten"),
            (0, "customer", 0.0, 2.0, "Alpha bravo charlie delta echo?"),
            (1, "agent", 2.7, 6.7, "one two three four five six seven eight nine ten"),
        ],
    ),
    "script_just_slower_than_fast": (
        "pass",
        0.95,
        None,
        "reading score 0.00 (fails above 0.50): verbatim 0.00, fast_monologue 0.00",
        {"brushed_aside": 0, "score": 0.0, "signals": {"fast_monologue": 0.0, "verbatim": 0.0}},
        [(None, "agent", 0, 5.8, "no near-verbatim script runs found")],
    ),
    "script_weights_in_chat": (
        "fail",
        0.65,
        None,
        "reading score 0.65 (fails above 0.50): verbatim 0.88, ignored_questions 0.67, "
        "low_reuse 0.00; 2 of 3 customer question(s) or objection(s) brushed aside",
        {
            "brushed_aside": 2,
            "score": 0.65,
            "signals": {"ignored_questions": 0.667, "low_reuse": 0.0, "verbatim": 0.884},
        },
        [
            (
                1,
                "agent",
                30.0,
                30.0,
                "Our plan is thirty five dollars a month with unlimited data included.",
            ),
            (
                4,
                "agent",
                120.0,
                120.0,
                "Our plan is thirty five dollars a month with unlimited data included roaming "
                "abroad.",
            ),
            (
                6,
                "agent",
                180.0,
                180.0,
                "Our plan is thirty five dollars a month with unlimited data included.",
            ),
            (
                0,
                "customer",
                0.0,
                0.0,
                "My daughter streams video, is roaming abroad included, and the price?",
            ),
            (
                1,
                "agent",
                30.0,
                30.0,
                "Our plan is thirty five dollars a month with unlimited data included.",
            ),
            (5, "customer", 150.0, 150.0, "And video?"),
            (
                6,
                "agent",
                180.0,
                180.0,
                "Our plan is thirty five dollars a month with unlimited data included.",
            ),
        ],
    ),
    "script_many_read_turns_and_ignored_questions": (
        "fail",
        0.95,
        None,
        "reading score 1.00 (fails above 0.50): verbatim 1.00, ignored_questions 1.00; 4 of 4 "
        "customer question(s) or objection(s) brushed aside",
        {"brushed_aside": 4, "score": 1.0, "signals": {"ignored_questions": 1.0, "verbatim": 1.0}},
        [
            (1, "agent", 30.0, 30.0, "Our plan is thirty five dollars a month."),
            (3, "agent", 90.0, 90.0, "Our plan is thirty five dollars a month."),
            (5, "agent", 150.0, 150.0, "Our plan is thirty five dollars a month."),
            (0, "customer", 0.0, 0.0, "Price?"),
            (1, "agent", 30.0, 30.0, "Our plan is thirty five dollars a month."),
            (2, "customer", 60.0, 60.0, "Roaming?"),
            (3, "agent", 90.0, 90.0, "Our plan is thirty five dollars a month."),
        ],
    ),
    "script_five_words_said": (
        "pass",
        0.91,
        None,
        "reading score 0.09 (fails above 0.50): verbatim 0.00, low_reuse 0.33",
        {"brushed_aside": 0, "score": 0.091, "signals": {"low_reuse": 0.333, "verbatim": 0.0}},
        [(None, "agent", 0, 60.0, "no near-verbatim script runs found")],
    ),
    "script_four_words_said": (
        "pass",
        0.5,
        None,
        "reading score 0.00 (fails above 0.00): verbatim 0.00",
        {"brushed_aside": 0, "score": 0.0, "signals": {"verbatim": 0.0}},
        [(None, "agent", 0, 60.0, "no near-verbatim script runs found")],
    ),
}


def snap(out: Outcome) -> tuple[Any, ...]:
    def r(x: Any) -> Any:
        return round(x, 4) if isinstance(x, float) else x

    ev = [(e.turn, e.role, r(e.start), r(e.end), e.quote) for e in out.evidence]
    return (out.result, r(out.confidence), r(out.fraction), out.note, out.details, ev)


def verdict(crit: dict[str, Any], channel: str, lines: list[tuple[str, str]], flags=None) -> Any:
    c = CRITERION.validate_python({"id": "c", **crit})
    return EVALUATORS[c.type](c, Context(conversation(channel, lines), Matcher(), None, flags))


@pytest.mark.parametrize(
    ("name", "crit", "channel", "lines"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_verdict_is_pinned(name: str, crit: dict[str, Any], channel: str, lines: Any) -> None:
    assert snap(verdict(crit, channel, lines)) == EXPECTED[name]


def test_best_line_values() -> None:
    def best(text: str, script: list[str]) -> float:
        return round(_best_line(text, script), 4)

    assert best("a b c d e f g h i j k l", ["c d e"]) == 0.3261  # a short line, scaled down
    assert best("hello there!", ["hello there"]) == 1.0  # nearly the whole turn: capped at 1
    assert best("hello", ["hello there my friend"]) == 0.3846  # a line longer than the turn
    assert best("abcd", ["abce"]) == 0.8571  # the same length: the line is the short side
    assert best("a", ["a"]) == 1.0
    assert best("hello there!", ["", "zzz", "hello there"]) == 1.0  # an empty line is skipped
    assert best("anything", []) == 0.0


def flag(kind: str, n: int) -> Flag:
    return Flag(
        kind, "high", "SPRING", "price", f"{kind} {n}", [Evidence(n, "agent", n, n, f"q{n}")]
    )


def test_campaign_consistency_values() -> None:
    crit = {"type": "campaign_consistency.v1", "kinds": ["expired_offer", "contradiction"]}
    lines = [("agent", "Hello."), ("customer", "Hi.")]
    assert snap(verdict(crit, "chat", lines, None)) == (
        "na",
        0.9,
        None,
        "no campaigns were checked (qa score --campaigns DIR)",
        {},
        [],
    )
    note = "nothing inconsistent with the active campaigns (expired_offer, contradiction)"
    quiet = [flag("missing_disclosure", 0)]
    assert snap(verdict(crit, "chat", lines, quiet)) == (
        "pass",
        0.8,
        None,
        note,
        {},
        [(None, "agent", 0, 60.0, note)],
    )
    hits = [flag("contradiction", 0), flag("missing_disclosure", 1)]
    hits += [flag("expired_offer", i) for i in (2, 3, 4)] + [flag("contradiction", 5)]
    # Evidence from the first four matching flags, the note from the first three.
    assert snap(verdict(crit, "chat", lines, hits)) == (
        "fail",
        0.85,
        None,
        "contradiction: contradiction 0; expired_offer: expired_offer 2; expired_offer: expired_offer 3",
        {
            "flags": [
                "contradiction",
                "expired_offer",
                "expired_offer",
                "expired_offer",
                "contradiction",
            ]
        },
        [(i, "agent", i, i, f"q{i}") for i in (0, 2, 3, 4)],
    )


if __name__ == "__main__":  # after a deliberate change: print EXPECTED as the code has it now
    import pprint

    from tests.text_model import use_real_model

    use_real_model(False)
    now = {s[0]: snap(verdict(s[1], s[2], s[3])) for s in SCENARIOS}
    print("EXPECTED: dict[str, tuple[Any, ...]] = ", end="")
    pprint.pprint(now, width=100, sort_dicts=False)
