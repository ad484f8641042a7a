"""order.v1's, upsell_timing.v1's and retention.v1's word-level helpers pinned value by value:
which sentence discloses a detail of the customer's account, which names a change made to
it, which only names the subject of the contact, which opens a new account, which offers a
product the card does not list, and how words are cut to their stems. Each case sits on a
boundary of the rule (a word one place too far, a stem one letter too short), so that a
changed bound shows. No model: the English pack's cue lists and plain text only."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qa.matching import Matcher
from qa.models.text import MULTILINGUAL_TEXT_MODEL
from qa.scorecard.context import Context, Question
from qa.scorecard.criteria import (
    ABOUT_MIN,
    ABOUT_WORD_MIN,
    EVALUATORS,
    _account_opened,
    _already_left,
    _changed,
    _clauses,
    _comes_first,
    _customer_needs,
    _discloses,
    _lists_changes,
    _names,
    _on_theirs,
    _only_held,
    _only_the_subject,
    _opens_account,
    _product_named,
    _says_leaving,
    _specific,
    _stem,
    _stems,
    _step_topics,
    _taught,
    _topic_probe,
    questions_about,
    topic_words,
)
from qa.scorecard.schema import Examples
from qa.text import normalise
from tests.test_criteria import CRITERION, conversation

A, C = "agent", "customer"
ALMOST = 0.01


def context(lines: list[tuple[str, str]] | None = None) -> Context:
    return Context(conversation("chat", lines or [(A, "Hello.")]), Matcher(), None, None)


EN = context()


@pytest.mark.parametrize(
    ("text", "first", "then", "expected"),
    [
        ("Verify. Balance.", "Verify.", "Balance.", True),
        ("Balance. Verify.", "Verify.", "Balance.", False),
        ("Both at once.", "Both at once.", "Both at once.", True),  # one sentence: first
        ("Balance. Verify.", "Unsaid.", "Balance.", True),  # the first unsaid: at the start
        ("Verify. Balance.", "Balance.", "Unsaid.", True),  # the later unsaid: at the end
    ],
)
def test_comes_first(text: str, first: str, then: str, expected: bool) -> None:
    assert _comes_first(text, first, then) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It is 7.", True),
        ("£ only", True),
        ("$ only", True),
        ("€ only", True),
        ("¥ only", True),
        ("On the twelfth.", True),  # a pack word for a day
        ("In June.", True),  # a month
        ("Nothing of the sort.", False),
    ],
)
def test_specific(sentence: str, expected: bool) -> None:
    assert _specific(sentence, EN) is expected


def test_step_topics() -> None:
    assert _step_topics(["your direct debit", "I can see on your account"]) == {
        "direct",
        "debit",
        "account",
    }
    assert _step_topics(["your new direct debit"]) == {"direct"}  # two words after "your"
    assert _step_topics(["The Last Bill"]) == {"bill"}  # "the", any case; "last" says when
    assert _step_topics(["pay the"]) == set()  # nothing after it
    assert _step_topics(["my bill", "a balance"]) == set()  # only after "your" or "the"
    words = ["shows", "show", "last", "current", "see", "new", "next"]
    assert _step_topics([f"your {w}" for w in words]) == set()
    assert _step_topics([f"the {w} payment" for w in words]) == {"payment"}


def test_clauses() -> None:
    assert _clauses("Well, I've moved it; (yes) done: ok \u2013 fine \u2014 so - there") == [
        "well",
        "i've moved it",
        "yes",
        "done",
        "ok",
        "fine",
        "so",
        "there",
    ]
    assert _clauses("re-set, ,") == ["re set"]  # a hyphen inside a word splits nothing


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("running", "run"),  # -ing, then the doubled letter
        ("runs", "run"),  # three letters left: cut
        ("bus", "bus"),  # two letters left: kept
        ("bed", "bed"),
        ("boxes", "box"),
        ("planned", "plan"),
        ("stuff", "stuf"),  # a doubled letter at the end of four
        ("add", "add"),  # three letters: kept
        ("housing", "hous"),  # one ending only
        ("payments", "payment"),
        ("the", "the"),  # no content word: the word itself
    ],
)
def test_stem(word: str, stem: str) -> None:
    assert _stem(word) == stem


def test_stems() -> None:
    assert _stems("Running late, the boxes passed") == {"run", "late", "box", "pass"}
    assert _stems("") == set()


@pytest.mark.parametrize(
    ("phrases", "expected"),
    [
        (["I've applied a credit"], True),
        (["we have now added it"], True),
        (["I have gone ahead and cancelled it"], True),
        (["it has been sent"], True),
        (["it's already been moved"], True),
        (["they have just been paid"], True),
        (["your balance", "I can see"], False),
        (["you have a balance"], False),  # "you", not "I" or "we"
    ],
)
def test_lists_changes(phrases: list[str], expected: bool) -> None:
    assert _lists_changes(phrases) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I've moved your payment date.", True),
        ("Your refund has been sent.", True),
        ("I've booked your engineer.", True),  # not a listed topic, but "your"
        ("I've moved the date.", True),  # a topic word
        ("I've moved the meeting.", False),  # neither
        ("I've updated the account.", True),  # an account noun of the pack
        ("I've set the date.", True),  # a past participle without -ed
        ("I've put the date back.", True),
        ("I've written the date down.", True),  # -en
        ("I've sent the date.", True),  # -t
        ("I've verified you.", False),  # the check itself
        ("Have I moved your date?", False),  # a question
        ("If I've moved your date, fine.", False),  # said of what may be
        ("Fine, and if I've moved your date.", False),
        ("I've seen your date.", False),  # only seen
        ("I've got your date.", False),
        ("I've go your date.", False),  # no participle
        ("We have also moved your date.", True),
        ("We have gone ahead and moved your date.", True),
    ],
)
def test_changed(sentence: str, expected: bool) -> None:
    assert _changed(sentence, {"date"}, ["verified"], EN) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I'm calling about your policy.", True),
        ("Regarding your policy.", True),
        ("I'm calling about your policy renewal on 5 May.", False),  # a date after it
        ("Regarding your policy, it renews in June.", False),
        ("about a b your policy", True),  # "about" two words before
        ("about the a b your policy", False),  # three words before: too far
        ("Your policy is fine.", False),  # no framing word
        ("About nothing at all.", False),  # the phrase unsaid
    ],
)
def test_only_the_subject(sentence: str, expected: bool) -> None:
    assert _only_the_subject(sentence, ["your policy"], EN) is expected


def test_only_the_subject_any_phrase() -> None:
    assert _only_the_subject("About your bill.", ["your policy", "your bill"], EN)
    assert not _only_the_subject("About your bill.", [], EN)


@pytest.mark.parametrize(
    ("sentence", "topics", "expected"),
    [
        ("So your balance is £40.", {"balance"}, True),
        ("Your motor policy renews on the twelfth of May.", {"policy"}, True),
        ("You've got 20 left on your allowance.", set(), True),  # "you've got"; a pack noun
        ("You owe 20 on the account.", set(), True),  # a pack cue instead of "your"
        ("The balance is £40.", {"balance"}, False),  # nobody's
        ("Is your balance £40?", {"balance"}, False),  # asked
        ("Your balance is £40 on a new account.", {"balance"}, False),  # a new account
        ("So your order is 40.", set(), False),  # no topic word
        ("So your ordering is 40.", {"order"}, True),  # the topic, any ending
        ("So your bal is 40.", {"bal"}, False),  # under four letters: no match
        ("So your balan is 40.", {"balance"}, True),  # five letters agree
        ("So your balmy is 40.", {"balance"}, False),  # four agree, not five
        ("Your balance is £40.", {"balance"}, True),  # "Your" only opens the sentence
        ("The balance on your account is £40.", set(), True),
        ("Harbourstone claims will call you on 5 May.", {"claim"}, False),  # a name opens it
        ("So Your balance is £40.", {"balance"}, False),  # a capital inside: a name
        ("Call Harbourstone Claims on 5 May.", {"claim"}, False),  # a name
        ("I will call your claim on 5 May.", {"claim"}, True),  # "I" is no name
        ("Four questions about your claim.", {"claim"}, False),  # the subject, no figure after
        ("Questions about your claim on 5 May.", {"claim"}, True),  # a figure after it
        ("5 about the your claim.", {"claim"}, False),  # "about" three words before
        ("5 about a b your claim.", {"claim"}, True),  # four words before: not the subject
        ("That's already on your plan.", set(), True),  # no figure, said as on theirs
        ("If it's on your plan.", set(), False),
    ],
)
def test_discloses(sentence: str, topics: set[str], expected: bool) -> None:
    assert _discloses(sentence, topics, EN) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("That's already on your plan.", True),
        ("There's a note on your account.", True),
        ("It comes with your contract.", True),
        ("It sits under your policy.", True),
        ("They're in your plans.", True),  # the topic, any ending
        ("It is really very much on your plan.", False),  # more than two words between
        ("It is very much on your plan.", True),
        ("If it's on your bill.", False),
        ("Fine, and before anything on your account.", False),
        ("Fine, that's on your account; before anything.", True),  # the maybe in another clause
        ("It is on your car.", False),  # not a topic
        ("It is on your pla.", False),  # under four letters
    ],
)
def test_on_theirs(sentence: str, expected: bool) -> None:
    topics = {_stem(t) for t in ["plan", "bill", "account", "contract", "policy"]}
    assert _on_theirs(sentence, topics) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I'll set up an account for you.", True),  # a pack phrase
        ("Let's put it into your name.", True),
        ("We'll get the old bill in your name.", True),  # three words between
        ("We'll get a b c d in your name.", False),  # four: too far
        ("We'll register it in your name.", True),
        ("It is in your name.", False),  # no verb of putting
        ("Put it in your names.", False),
        ("put in your name", True),  # no word between
    ],
)
def test_opens_account(sentence: str, expected: bool) -> None:
    assert _opens_account(sentence, EN) is expected


def test_account_opened_is_the_first_agent_turn_that_opens_one() -> None:
    ctx = context(
        [
            (C, "Put it in my name."),
            (A, "Sure."),
            (C, "Thanks."),
            (A, "Right. I'll set up an account for you."),
            (A, "Let's put it into your name."),
        ]
    )
    assert _account_opened(ctx) == 3
    assert _account_opened(context([(A, "Hello."), (C, "Put it into your name.")])) == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I can move you onto Saver 12 today.", "saver 12"),
        ("I can offer Fibre 900 5G Pro.", "fibre 900 5g"),
        ("I can offer it from June 30 instead.", None),  # a date
        ("I could get you our travel insurance.", "travel insurance"),
        ("We can do our Fixed tariff.", "fixed tariff"),
        ("I can do our a b c plan.", "a b c plan"),  # three words before the noun
        ("I can do our a b c d plan.", None),  # four: too far
        ("I can do our plan.", "plan"),
        ("Our", None),
    ],
)
def test_product_named(sentence: str, expected: str | None) -> None:
    assert _product_named(sentence, normalise(sentence).split(), EN) == expected


@pytest.mark.parametrize(
    ("sentence", "product", "expected"),
    [
        ("Get Mesh WiFi now.", "Mesh Wi-Fi", True),  # the words run together
        ("Get Home-Bundle now.", "Home Bundle", True),
        ("A boiler breakdown, ours covers it.", "Breakdown Cover", False),  # scattered
        ("Try roam pas.", "Roam Pass", True),  # a slip in a word
        ("Try roam.", "Roam Pass", False),
        ("Try Fibre 500.", "Fibre 500", True),
        ("Try Fibre 900.", "Fibre 500", False),
        ("Nothing like it.", "upgrade you", True),  # a phrase, not a name
        ("Try our 5G Max.", "5g max", True),  # a digit makes a name
        ("Fibre.", "Fibre Max Pro", False),  # too few words in the sentence
    ],
)
def test_names(sentence: str, product: str, expected: bool) -> None:
    assert _names(sentence, product) is expected


@pytest.mark.parametrize(
    ("sentence", "product", "expected"),
    [
        ("You're on our Essentials plan.", "Essentials plan", True),
        ("You could move to our Essentials plan.", "Essentials plan", False),
        ("You've got home cover on there.", "home cover", True),
        ("Home cover is on.", "home cover", True),  # framed after
        ("Our Essentials plan is on.", "Essentials plan", True),  # framed after, not at the start
        ("Our Essentials plan is great.", "Essentials plan", False),
        ("Your Essentials plan.", "Essentials plan", True),  # "your" just before
        ("Your old Essentials plan.", "Essentials plan", True),  # two words before
        ("Your very old Essentials plan.", "Essentials plan", False),  # three: too far
        ("You're on a b c d e f Essentials plan.", "Essentials plan", True),  # eight words
        ("You're on a b c d e f g Essentials plan.", "Essentials plan", False),  # nine
        ("You're on Essentials plan and you could try Essentials plan.", "Essentials plan", False),
        ("You're on our Essentials plan; upgrade it.", "Essentials plan", False),  # an offer
        ("You're on our tariff.", "Essentials plan", False),  # never named
    ],
)
def test_only_held(sentence: str, product: str, expected: bool) -> None:
    assert _only_held(sentence, product, EN) is expected


def test_topic_probe_and_words() -> None:
    assert _topic_probe("asks about the customer's usage.") == "Tell me about your usage."
    assert _topic_probe("Questions about the caller") == "Tell me about you."
    assert _topic_probe("  their plans and them?! ") == "Tell me about your plans and you."
    assert _topic_probe("the customers' bills") == "Tell me about your bills."
    assert _topic_probe("用量") == "用量"  # no letters: embedded as it is
    assert topic_words("asks about the customer's usage") == {"usage"}
    assert topic_words("whether the caller asked questions on the topic") == set()


def test_taught() -> None:
    ex = Examples(positive=["What happened?"], negative=["How are you?"])
    assert _taught("what  happened?", ex) is True
    assert _taught("How are you?", ex) is False
    assert _taught("Why?", ex) is None
    assert _taught("What happened?", None) is None
    both = Examples(positive=["Why?"], negative=["why?"])
    assert _taught("Why?", both) is False  # a negative example wins


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I want to cancel.", True),
        ("I'll go with a rival.", True),
        ("This is rubbish.", False),  # a complaint, no leaving
        ("I want a cheaper deal.", True),  # the criterion's own cue
    ],
)
def test_says_leaving(sentence: str, expected: bool) -> None:
    assert _says_leaving(sentence, ["cheaper deal"], EN) is expected


def test_says_leaving_without_a_pack_list() -> None:
    item = conversation("chat", [(C, "C'est nul.")])
    item.language = "fr"  # no pack: the meaning alone decides
    assert _says_leaving("C'est nul.", [], Context(item, Matcher()))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I've already switched to a rival.", True),
        ("I've cancelled it, and I want to cancel the rest.", False),  # a wish still to come
        ("I want to switch.", False),
    ],
)
def test_already_left(sentence: str, expected: bool) -> None:
    assert _already_left(sentence, EN) is expected


class Embedder:
    """Each text on its own axis, unless `near` sets its cosine to another's; no floor."""

    model_name = "pinned-cosines"

    def __init__(self, near: dict[tuple[str, str], float]) -> None:
        self.near = near

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 2 * len(texts)))
        for n in range(len(texts)):
            out[n, n] = 1.0
        for (a, b), cos in self.near.items():
            if a in texts and b in texts:  # b leans towards a by `cos`
                i, j = texts.index(a), texts.index(b)
                out[j] = 0.0
                out[j, i] = cos
                out[j, len(texts) + j] = math.sqrt(1.0 - cos * cos)
        return out


def asked(lines: list[str], about: list[str], near: dict, threshold: float | None = None):
    ctx = Context(
        conversation("chat", [(A, s) for s in lines]), Matcher(Embedder(near)), None, None
    )
    found = [Question(i, s, "open") for i, s in enumerate(lines)]
    return [q.sentence for q in questions_about(ctx, found, about, threshold)]


def test_questions_about_by_the_topics_words() -> None:
    lines = ["How are your roaming costs?", "Do you roam?", "Is it raining?"]
    assert asked(lines, ["roaming", "the customer's travel"], {}) == lines[:2]
    assert asked([], ["roaming"], {}) == []


def test_questions_about_by_a_word_close_to_the_topics() -> None:
    lines = ["How often do you travel?", "How often do you fly?"]
    near = {("roaming", "travel"): ABOUT_WORD_MIN, ("roaming", "fly"): ABOUT_WORD_MIN - ALMOST}
    assert asked(lines, ["roaming"], near) == lines[:1]


def test_questions_about_by_the_whole_question() -> None:
    probe = "Tell me about your roaming."
    lines = ["Where do you go?", "Where are you?"]
    near = {(probe, lines[0]): ABOUT_MIN, (probe, lines[1]): ABOUT_MIN - ALMOST}
    assert asked(lines, ["the customer's roaming"], near) == lines[:1]
    probe = "Tell me about roaming."
    near = {(probe, lines[0]): 0.5, (probe, lines[1]): 0.5 - ALMOST}
    assert asked(lines, ["roaming"], near, threshold=0.5) == lines[:1]  # the card's own bar
    assert asked(lines, ["roaming"], near, threshold=0.6) == []


def test_customer_needs() -> None:
    ctx = context(
        [
            (C, "Hi. I need more data. Mostly at night."),
            (A, "I need your postcode."),  # the agent's needs are not the customer's
            (C, "Thanks. I travel a lot."),
            (C, "We need speed."),
        ]
    )
    assert _customer_needs(ctx) == [
        (0, "I need more data."),
        (0, "Mostly at night."),
        (2, "I travel a lot."),
        (3, "We need speed."),
    ]
    assert _customer_needs(ctx, before=3) == [
        (0, "I need more data."),
        (0, "Mostly at night."),
        (2, "I travel a lot."),
    ]
    assert _customer_needs(ctx, before=0) == []
    item = conversation("chat", [(C, "I need more data.")])
    item.language = "fr"  # no pack, no needs listed
    assert _customer_needs(Context(item, Matcher())) == []


def test_questions_about_on_the_models_own_scale() -> None:
    """The multilingual model's cosines start at its floor: 0.9 is 0.5 on the common scale,
    0.85 only 0.25."""
    probe = "Tell me about roaming."
    lines = ["Where do you go?", "Where are you?"]
    near = {(probe, lines[0]): 0.9, (probe, lines[1]): 0.85}
    floor = Embedder(near)
    floor.model_name = MULTILINGUAL_TEXT_MODEL
    ctx = Context(conversation("chat", [(A, s) for s in lines]), Matcher(floor), None, None)
    found = [Question(i, s, "open") for i, s in enumerate(lines)]
    assert [q.sentence for q in questions_about(ctx, found, ["roaming"])] == lines[:1]


@pytest.mark.parametrize(
    ("language", "model_for"),
    [("en", "en"), ("zh", "zh"), ("fr", "en")],  # no French pack: the card's language
)
def test_questions_about_embeds_in_the_interactions_language(
    monkeypatch: pytest.MonkeyPatch, language: str, model_for: str
) -> None:
    asked_for: list[str | None] = []

    def embedder_for(self: Matcher, lang: str | None) -> Embedder:
        asked_for.append(lang)
        return Embedder({})

    monkeypatch.setattr(Matcher, "embedder_for", embedder_for)
    item = conversation("chat", [(A, "Is it on?")])
    item.language = language
    questions_about(Context(item, Matcher()), [Question(0, "Is it on?", "closed")], ["usage"])
    assert asked_for == [model_for]


def test_question_v1_about_threshold_is_the_cards_bar() -> None:
    probe = "Tell me about roaming."
    lines = ["Where do you go?", "Where are you?"]
    near = {(probe, lines[0]): 0.5, (probe, lines[1]): 0.4}
    ctx = Context(
        conversation("chat", [(A, s) for s in lines]), Matcher(Embedder(near)), None, None
    )
    crit = {"id": "c", "type": "question.v1", "kind": "any", "about": ["roaming"]}
    c = CRITERION.validate_python({**crit, "about_threshold": 0.5})
    assert EVALUATORS[c.type](c, ctx).details == {"count": 1}
    c = CRITERION.validate_python(crit)  # the default bar, 0.35: both
    assert EVALUATORS[c.type](c, ctx).details == {"count": 2}


def test_topic_probe_letters() -> None:
    assert _topic_probe("plan X") == "Tell me about plan X."  # only ". ? !" and spaces go
    assert _topic_probe("SIM") == "Tell me about SIM."  # capitals are letters


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("I've authenticated your account.", False),  # a check word of the first step
        ("I've moved your date?", False),
        ("I've moved your date? ", False),  # a space after the question mark
        ("If you like, I've moved your date.", True),  # the maybe in another clause
    ],
)
def test_changed_checks_questions_and_clauses(sentence: str, expected: bool) -> None:
    assert _changed(sentence, {"date"}, ["authenticated"], EN) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("If you like, that's on your plan.", True),  # the maybe in another clause
        ("It is on your house.", False),  # four letters or more, but no topic
    ],
)
def test_on_theirs_clauses_and_topics(sentence: str, expected: bool) -> None:
    assert _on_theirs(sentence, {_stem(t) for t in ["plan", "bill"]}) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The plan is our Saver deal.", "saver deal"),  # a noun before "our" is not its
        ("I can offer a plan our cheapest deal.", "cheapest deal"),
        ("I can do our plan today.", "plan"),  # up to the noun only
    ],
)
def test_product_named_after_our(sentence: str, expected: str) -> None:
    assert _product_named(sentence, normalise(sentence).split(), EN) == expected


@pytest.mark.parametrize(
    ("sentence", "product", "expected"),
    [
        ("Try our 5g plan.", "5g max", False),  # a digit makes it a name, not a phrase
        ("Get MeshWiFi now.", "Mesh WiFi", True),  # one word for two
        ("Get Wi Fi now.", "WiFi", True),  # two words for one
        ("Try fibr mx today.", "Fibre Max", True),  # word by word, not run together
        ("Try fib max today.", "Fibre Max", True),  # a word at the bar (75)
        ("Get superfastbroadbandbunxxe1 now.", "Superfastbroadband Bundle1", True),  # 92
    ],
)
def test_names_runs_and_bars(sentence: str, product: str, expected: bool) -> None:
    assert _names(sentence, product) is expected
