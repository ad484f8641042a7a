"""One evaluator per versioned criterion type. Each returns an Outcome with evidence,
or with the span it searched when it found nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from rapidfuzz import fuzz

from qa.matching import Hit
from qa.scorecard.context import (
    ACT_THRESHOLD,
    Context,
    Outcome,
    Question,
    _extra,
    introduces_someone,
    stems,
)
from qa.scorecard.schema import (
    LITERAL_ACT,
    CampaignConsistencyV1,
    CriterionBase,
    Event,
    Examples,
    MetricV1,
    NeedsDiscoveryV1,
    OrderV1,
    Phrases,
    PhraseV1,
    ProductExplanationV1,
    QuestionV1,
    RetentionV1,
    ScriptReadingV1,
    UpsellTimingV1,
)
from qa.text import STOPWORDS, content_words, normalise, question_kind, sentences, word_count
from qa.vocabulary import Channel

C = TypeVar("C", bound=CriterionBase)
Evaluator = Callable[[Any, Context], Outcome]
EVALUATORS: dict[str, Evaluator] = {}


def evaluator(
    type_name: str,
) -> Callable[[Callable[[C, Context], Outcome]], Callable[[C, Context], Outcome]]:
    def register(fn: Callable[[C, Context], Outcome]) -> Callable[[C, Context], Outcome]:
        EVALUATORS[type_name] = fn
        return fn

    return register


def _cues(given: Phrases | None, ctx: Context, name: str, speaker: str) -> Phrases:
    """The criterion's own list, else the language pack's list `name`."""
    return given or Phrases(phrases=ctx.cues(name), match="fuzzy", threshold=0.9, speaker=speaker)


def phrase_v1(c: PhraseV1, ctx: Context) -> Outcome:
    idxs, start, end = ctx.window(c.speaker, c.window)
    hits = ctx.find(c, idxs, examples=c.examples, infer_fuzzy=c.mode == "required")
    more = len(c.phrases) - 3
    shown = ", ".join(repr(p) for p in c.phrases[:3]) + (f" and {more} more" if more > 0 else "")
    # Where it looked: a call's turns and seconds; a chat's or email's messages (seconds
    # between the messages of an email thread say nothing).
    texts = f"{len(idxs)} {c.speaker} message{'' if len(idxs) == 1 else 's'}"
    if c.window is not None and (c.window.first_seconds or c.window.last_seconds):
        texts += f", {start:.0f}–{end:.0f} s"  # a window in seconds from the first message
    where = (
        texts
        if ctx.item.channel != Channel.VOICE
        else f"{c.speaker} turns, {start:.0f}–{end:.0f} s"
    )
    token: list[Hit] = []
    if c.mode == "required" and _asks_acknowledgement(c) and ctx.act_of(c, False, True) == APOLOGY:
        token, hits = hits, apologies_with_substance(ctx, idxs, hits, _extra(c.phrases, c.examples))
    if c.mode == "required":
        if hits and ctx.item.channel != Channel.EMAIL and _asks_own_name(c):
            # "Welcome to Northwind" is no greeting for a card that asks for the agent's name
            # (an email gives it where it is signed).
            hits = [h for h in hits if introduces_someone(ctx.turns[h.turn].text, c.phrases)]
        if hits:
            return Outcome(
                "pass", [ctx.evidence(h.turn, h.sentence) for h in hits[:3]], hits[0].score
            )
        if token:
            note = "an apology that does not acknowledge what happened to the customer"
            return Outcome(
                "fail", [ctx.evidence(h.turn, h.sentence) for h in token[:3]], 0.7, note=note
            )
        note = f"none of {shown} found in the {where}"
        return Outcome("fail", [ctx.window_evidence(start, end, note, c.speaker)], 0.85, note=note)
    hits = [h for h in hits if not explained_term(h.phrase, h.sentence)]
    if hits:
        return Outcome("fail", [ctx.evidence(h.turn, h.sentence) for h in hits[:3]], hits[0].score)
    note = f"no {shown} in the {where}"
    return Outcome("pass", [ctx.window_evidence(start, end, note, c.speaker)], 0.85, note=note)


# What follows an industry term that is explained in the same breath: "the MPAN, that's the
# number on your meter", "SVT (our standard variable tariff)", "EAC - your yearly use".
_EXPLAINED_AFTER = re.compile(
    r"^\s*(?:\(|[-\u2013\u2014:]\s|,?\s*(?:that's|that is|which is|which means|meaning|i\.e\.|"
    r"in other words|or in plain english|short for|stands for)\b)",
    re.IGNORECASE,
)
_NAMED_FOR_SHORT = re.compile(r"\b(?:for short|stands for|short for)\b", re.IGNORECASE)


def explained_term(term: str, sentence: str) -> bool:
    """An industry term (written in capitals, as a forbidden list gives it) said with its
    meaning in the same sentence: right after it, in brackets around it, or "X for short"."""
    if not term.strip() or term != term.upper() or not any(ch.isalpha() for ch in term):
        return False
    for m in re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", sentence, re.IGNORECASE):
        before, after = sentence[: m.start()].rstrip(), sentence[m.end() :]
        if _EXPLAINED_AFTER.match(after) or before.endswith("(") or _NAMED_FOR_SHORT.search(after):
            return True
    return False


APOLOGY = "apologise"
_ACKNOWLEDGE = re.compile(
    r"\backnowledg|\bempath|\bunderstand|\bwhat it(?:'s| has)? meant\b", re.IGNORECASE
)
_SAY_SORRY = re.compile(r"\bsorry\b|\bapolog", re.IGNORECASE)


def _asks_acknowledgement(c: PhraseV1) -> bool:
    """Whether the criterion, by its name or coaching, asks for both an apology and an
    acknowledgement ("Acknowledge and apologise", "say sorry and show you understand what it
    has meant for them"); one that asks for either alone takes an apology as it comes."""
    said = f"{c.name or ''} {c.coaching or ''}"
    return bool(_ACKNOWLEDGE.search(said) and _SAY_SORRY.search(said))


def apologies_with_substance(
    ctx: Context, idxs: list[int], hits: list[Hit], extra: dict[str, list[str]] | None
) -> list[Hit]:
    """Apologies that also acknowledge what happened to the customer. A sentence that says
    sorry (the apology act, or one of the pack's apology words) counts when it, or the
    sentence after it, speaks to what the customer told (their own words again, or the act
    of acknowledging the impact) before it moves on; a token apology ("apologies for the
    inconvenience") with nothing of theirs, or one followed straight by a pitch, does not."""
    words = [normalise(w) for w in ctx.cues("apology_words")]
    out = []
    for i in sorted({h.turn for h in hits} | set(idxs)):
        candidates = [h for h in hits if h.turn == i]
        for s in sentences(ctx.turns[i].text):
            p = ctx.act_probability(s, APOLOGY, extra)
            said = f" {normalise(s)} "
            if p >= ACT_THRESHOLD or any(f" {w} " in said for w in words):
                candidates.append(Hit(i, s, APOLOGY, p))
        good = next((h for h in candidates if _acknowledges(ctx, h, words)), None)
        if good is not None:
            out.append(good)
    return out


def _acknowledges(ctx: Context, hit: Hit, words: list[str]) -> bool:
    """The apology names what the customer told (their words, or the act of acknowledging
    the impact), or the sentence after it does, before any pitch. An apology said in other
    words ("that's not on", "we let you down") speaks to what happened by itself: only the
    formula with a word of apology can be a token."""
    token = any(f" {w} " in f" {normalise(hit.sentence)} " for w in words)
    told = set().union(
        set(), *(stems(ctx.turns[i].text) for i in ctx.of("customer") if i < hit.turn)
    )
    said = list(sentences(ctx.turns[hit.turn].text))
    at = next((k for k, s in enumerate(said) if s == hit.sentence), 0)
    for s in said[at : at + 2]:
        if ctx.act_probability(s, "recommend") >= ACT_THRESHOLD:
            return False  # a token apology, then straight into a pitch
        if not token:
            return True
        if stems(s) & told or ctx.act_probability(s, "acknowledge_impact") >= ACT_THRESHOLD:
            return True
    return False


_OWN_NAME = re.compile(r"\b(?:own|first) name\b|\byour name\b", re.IGNORECASE)


def _asks_own_name(c: PhraseV1) -> bool:
    """Whether the criterion, by its name or coaching, asks the agent to give their name."""
    return bool(_OWN_NAME.search(f"{c.name or ''} {c.coaching or ''}"))


def question_v1(c: QuestionV1, ctx: Context) -> Outcome:
    idxs, start, end = ctx.window(c.speaker, c.window)
    if c.kind == "open":
        found = discovery_questions(ctx, idxs, c.examples)
    else:
        found = [q for q in ctx.questions(c.speaker, idxs) if c.kind in ("any", q.kind)]
    topic = ""
    if c.about:
        found = questions_about(ctx, found, c.about, c.about_threshold)
        topic = " about " + " or ".join(repr(t) for t in c.about)
    ok = len(found) >= c.min and (c.max is None or len(found) <= c.max)
    evidence = [ctx.evidence(q.turn, q.sentence) for q in found[:5]]
    kind = "" if c.kind == "any" else c.kind + " "
    note = f"{len(found)} {kind}question(s){topic}; wanted at least {c.min}"
    if c.max is not None:
        note += f" and at most {c.max}"
    if not evidence:
        evidence = [
            ctx.window_evidence(
                start, end, f"no {c.kind} questions{topic} from the {c.speaker}", c.speaker
            )
        ]
    return Outcome(
        "pass" if ok else "fail", evidence, 0.8, note=note, details={"count": len(found)}
    )


ABOUT_MIN = 0.35  # 0..1: how close in meaning a question must be to "Tell me about <topic>."
ABOUT_WORD_MIN = 0.65  # 0..1: how close in meaning a word of the question must be to the topic's
# Words that say how a topic is asked about, not what it is.
_ABOUT_META = frozenset(
    {
        "ask",
        "asks",
        "asked",
        "asking",
        "question",
        "questions",
        "customer",
        "customers",
        "customer's",
        "caller",
        "caller's",
        "agent",
        "agent's",
        "topic",
        "whether",
    }
)
_THIRD_PERSON = (
    (re.compile(r"\b(?:the )?(?:customer|caller)(?:'s|s')", re.IGNORECASE), "your"),
    (re.compile(r"\b(?:the )?(?:customer|caller)\b", re.IGNORECASE), "you"),
    (re.compile(r"\btheir\b", re.IGNORECASE), "your"),
    (re.compile(r"\b(?:they|them)\b", re.IGNORECASE), "you"),
)
_ASKS_ABOUT = re.compile(r"^\s*(?:(?:asks?|asking|questions?)\s+)?(?:about\s+)?", re.IGNORECASE)


def topic_words(topic: str) -> set[str]:
    """What a topic is about: its content words, less the words that say how it is asked
    ("asks about the customer's usage" -> usage)."""
    return {w for w in content_words(topic) if w not in _ABOUT_META}


def _topic_probe(topic: str) -> str:
    """The topic as a request to the customer: "the customer's usage" -> "Tell me about
    your usage."; a topic in a language without spaces is embedded as it is."""
    text = _ASKS_ABOUT.sub("", topic.strip()).rstrip(".?! ")
    if not re.search(r"[A-Za-z]", text):
        return text
    for pattern, said in _THIRD_PERSON:
        text = pattern.sub(said, text)
    return f"Tell me about {text}."


def questions_about(
    ctx: Context, found: list[Question], about: list[str], threshold: float | None = None
) -> list[Question]:
    """The questions about one of the topics: a word of the topic said in the question (any
    ending), a word of the question close in meaning to one of the topic's ("use" for
    "usage", `ABOUT_WORD_MIN`), or the whole question close in meaning to a request about
    the topic (`ABOUT_MIN`, or the criterion's `about_threshold`)."""
    if not found:
        return []
    limit = ABOUT_MIN if threshold is None else threshold
    topics = [(topic_words(t), _topic_probe(t)) for t in about]
    wanted = {w for words, _ in topics for w in words}
    asked = {q.sentence: topic_words(q.sentence) for q in found}
    said = {w for words in asked.values() for w in words}
    embedder = ctx.matcher.embedder_for(ctx.pack_language or ctx.card_language)
    from qa.models.text import rescale

    words = sorted(wanted | said)
    probes = [p for _, p in topics]
    texts = list(asked) + probes + words
    vectors = embedder.embed(texts)
    at = {t: n for n, t in enumerate(texts)}
    sims = rescale(vectors @ vectors.T, embedder)
    out = []
    for q in found:
        mine = asked[q.sentence]
        by_words = bool(stems(q.sentence) & set().union(*(stems(w) for w in wanted)))
        near = any(sims[at[a], at[b]] >= ABOUT_WORD_MIN for a in mine for b in wanted if a in at)
        meant = any(sims[at[q.sentence], at[p]] >= limit for p in probes)
        if by_words or near or meant:
            out.append(q)
    return out


def order_v1(c: OrderV1, ctx: Context) -> Outcome:
    firsts = _first_steps(c.first, ctx)
    thens = _later_steps(c.then, ctx, c.first)
    # With a standard (needs, min_details) the first step is where the check is complete.
    steps = _standard_met(c.first, ctx, firsts) if c.first.standard else firsts
    if not thens:
        # A check begun and left short fails, unless the details were taken to put an
        # account in the customer's name (a new occupier: nothing to protect).
        if firsts and not steps and _account_opened(ctx) == len(ctx.turns):
            t, q = firsts[0]
            note = f"the check fell short of its standard ({_short_of(c.first, ctx, None)})"
            return Outcome("fail", [ctx.evidence(t, q)], 0.75, note=note)
        return Outcome("na", note="the later step never happened")
    then_turn, then_quote = thens[0]
    before = [(t, q) for t, q in steps if t < then_turn]
    same = [(t, q) for t, q in steps if t == then_turn]
    if not before and same and _comes_first(ctx.turns[then_turn].text, same[0][1], then_quote):
        before = same  # both steps in one turn, the first one said first
    if before:
        t, q = before[0]
        return Outcome("pass", [ctx.evidence(t, q), ctx.evidence(then_turn, then_quote)], 0.85)
    if not firsts:
        if c.missing_first == "na":
            return Outcome("na", note="the first step never happened")
        note = "the first step never happened before this"
        return Outcome("fail", [ctx.evidence(then_turn, then_quote)], 0.8, note=note)
    begun = [(t, q) for t, q in firsts if t <= then_turn]
    if c.first.standard and begun:
        t, q = begun[0]
        parts = sentences(ctx.turns[then_turn].text)
        upto = (then_turn, parts.index(then_quote) if then_quote in parts else len(parts))
        note = f"the check fell short of its standard before this ({_short_of(c.first, ctx, upto)})"
        return Outcome(
            "fail", [ctx.evidence(then_turn, then_quote), ctx.evidence(t, q)], 0.8, note=note
        )
    t, q = (steps or firsts)[0]
    note = "the steps came in the wrong order"
    return Outcome(
        "fail", [ctx.evidence(then_turn, then_quote), ctx.evidence(t, q)], 0.85, note=note
    )


def _said_first(event: Event, ctx: Context, detail: str) -> tuple[int, int, str] | None:
    """Where the event's speaker first says one detail: (turn, sentence number, sentence)."""
    spec = Phrases(
        phrases=[detail],
        match=_literal(event.match),
        threshold=event.threshold,
        speaker=event.speaker,
        act=LITERAL_ACT,
    )
    for hit in ctx.find(spec):
        said = list(sentences(ctx.turns[hit.turn].text))
        return hit.turn, said.index(hit.sentence) if hit.sentence in said else 0, hit.sentence
    return None


def _standard_met(
    event: Event, ctx: Context, firsts: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Where the first step meets its standard: the detail that completes the earliest
    combination of `needs` (or the `min_details`-th different phrase said), or a check
    the platform records as passed. Empty where it never does."""
    where = {d: _said_first(event, ctx, d) for d in _details(event)}
    done: list[tuple[int, int, str]] = []
    if event.needs:
        for combination in event.needs:
            covered = [w for d in combination if (w := where[d]) is not None]
            if len(covered) == len(combination):
                done.append(max(covered))
    else:
        said = sorted(w for w in where.values() if w is not None)
        if len(said) >= event.min_details:
            done.append(said[event.min_details - 1])
    system = [(t, 0, q) for t, q in firsts if ctx.turns[t].role == "system"]
    best = min(done + system, default=None)
    return [(best[0], best[2])] if best else []


def _details(event: Event) -> list[str]:
    if event.needs:
        return list(dict.fromkeys(d for combination in event.needs for d in combination))
    return list(dict.fromkeys(event.phrases or []))


def _short_of(event: Event, ctx: Context, upto: tuple[int, int] | None) -> str:
    """What was checked (up to a turn and sentence) against what the standard asks: "only
    'date of birth'; needs 'date of birth' and 'postcode'"."""
    said = [
        d
        for d in _details(event)
        if (w := _said_first(event, ctx, d)) and (upto is None or w[:2] <= upto)
    ]
    if event.needs:
        wanted = " or ".join(" and ".join(repr(d) for d in c) for c in event.needs)
    else:
        wanted = f"{event.min_details} different details of the list"
    got = ", ".join(repr(d) for d in said) or "nothing listed"
    return f"only {got}; needs {wanted}"


def _comes_first(text: str, first: str, then: str) -> bool:
    parts = sentences(text)
    where = {s: n for n, s in enumerate(parts)}
    return where.get(first, 0) <= where.get(then, len(parts))


def _first_steps(event: Event, ctx: Context) -> list[tuple[int, str]]:
    """Where the first step happens, and where the platform records it as done for the
    agent: a system message "customer authenticated in the app (passcode)" is a passed
    check, one that says it failed is not."""
    found = dict(ctx.event(event))
    if event.phrases and event.speaker == "agent":
        done = ctx.cues("step_done")
        system = ctx.of("system")
        for hit in ctx.matcher.find(ctx.texts(system), event.phrases, _literal(event.match)):
            said = ctx.turns[hit.turn].text
            if _has_any(said, done) and not _has_any(said, ctx.cues("step_failed")):
                found.setdefault(hit.turn, said)
    return sorted(found.items())


def _later_steps(event: Event, ctx: Context, first: Event | None = None) -> list[tuple[int, str]]:
    """Where the later step happens. A listed phrase said only as the subject of the
    contact ("I'm calling about your policy") discloses nothing; a sentence that gives
    the customer a specific (a figure, an amount, a date) about one of the things the
    list names ("your motor policy renews on the twelfth of May") does, in any words,
    where the list is about the account at all (it names an account noun of the pack);
    so does one that says what is on something of theirs ("that's already on your plan").
    Where the list names changes the agent made ("I've applied", "has been sent"), any
    change said as done to something of theirs is one ("I've booked your engineer").
    Nor does a question with no figure in it count, nor anything once the agent has put
    an account in the customer's name (a new occupier: no existing account to protect)."""
    if ctx.language is None and ctx.cues("yours"):
        return ctx.details_told(event)  # Chinese: read by cue words and form (context.py)
    opened = _account_opened(ctx)
    found = {}
    for turn, quote in ctx.event(event):
        if turn >= opened or _only_the_subject(quote, event.phrases or [], ctx):
            continue
        asks = quote.rstrip().endswith("?") and event.question is None
        if asks and not _specific(quote, ctx):
            continue  # "how happy were you with your bill?" asks, it tells nothing
        found[turn] = quote
    topics = _step_topics(event.phrases or [])
    nouns = _stems_of(ctx.cues("account_nouns"))
    changes = _lists_changes(event.phrases or [])
    checks = [*(first.phrases or []), *ctx.cues("step_done")] if first else ctx.cues("step_done")
    if nouns & _stems_of(topics) and event.speaker in ("agent", "any"):
        for i in ctx.of(event.speaker):
            if i in found or i >= opened:
                continue
            for s in sentences(ctx.turns[i].text):
                if _discloses(s, topics, ctx) or (changes and _changed(s, topics, checks, ctx)):
                    found[i] = s
                    break
    return sorted(found.items())


def _account_opened(ctx: Context) -> int:
    """The first agent turn that puts an account in the customer's name ("I'll set up an
    account for you", "let's put it into your name"), else past the last turn: what is
    said of an account after that is the new one's, nothing to protect."""
    for i in ctx.of("agent"):
        for s in sentences(ctx.turns[i].text):
            if _opens_account(s, ctx):
                return i
    return len(ctx.turns)


def _opens_account(sentence: str, ctx: Context) -> bool:
    """An account set up for the customer, or put in their name by a verb of putting."""
    if _has_any(sentence, ctx.cues("new_holder")):
        return True
    verbs = "|".join(re.escape(normalise(v)) for v in ctx.cues("holder_verbs"))
    if not verbs:
        return False
    return bool(
        re.search(rf"\b(?:{verbs})\b(?: [\w'-]+){{0,3}} in(?:to)? your name\b", normalise(sentence))
    )


_DONE = re.compile(
    r"\b(?:i|we)(?:'ve| have)(?: (?:just|now|also|already|gone ahead and))? ([a-z]+)\b"
)
_DONE_PASSIVE = re.compile(r"\b(?:has|have|'s) (?:now |just |already )?been ([a-z]+)\b")


def _lists_changes(phrases: list[str]) -> bool:
    """Whether a list of later steps names changes made on the account, said as done
    ("I've added a credit", "has been transferred")."""
    return any(_DONE.search(normalise(p)) or _DONE_PASSIVE.search(normalise(p)) for p in phrases)


def _changed(sentence: str, topics: set[str], checks: list[str], ctx: Context) -> bool:
    """A change said as done to something of the customer's: "I've moved your payment
    date", "your refund has been sent". Not a check itself ("I've verified you"), a
    question, what the agent only saw or understood (the pack's `not_changes`), nor
    anything done "if" something holds."""
    if sentence.rstrip().endswith("?") or _has_any(sentence, checks):
        return False
    skip = {normalise(w) for w in ctx.cues("not_changes")}
    theirs = _stems_of(topics | set(ctx.cues("account_nouns")))
    said = normalise(sentence)
    of_theirs = " your " in f" {said} " or bool({_stem(w) for w in said.split()} & theirs)
    for clause in _clauses(sentence):
        if _MAYBE.search(clause):
            continue
        for m in (*_DONE.finditer(clause), *_DONE_PASSIVE.finditer(clause)):
            v = m.group(1)
            if v not in skip and (v.endswith(("ed", "en", "t")) or v in _IRREGULAR):
                return of_theirs
    return False


# Past participles that end in neither -ed, -en nor -t.
_IRREGULAR = frozenset({"put", "set", "cut", "paid", "made", "done", "run", "shut", "laid"})


def _only_the_subject(sentence: str, phrases: list[str], ctx: Context) -> bool:
    """'calling about your renewal', with no figure or date after it: what the contact is
    about, not a detail of it."""
    words = normalise(sentence).split()
    subject = {normalise(w) for w in ctx.cues("subject_of")}
    for p in phrases:
        said = normalise(p).split()
        for n in range(len(words) - len(said) + 1):
            if words[n : n + len(said)] != said:
                continue
            framed = subject & set(words[max(0, n - 3) : n])
            after = " ".join(words[n + len(said) :])
            if framed and not _specific(after, ctx):
                return True
    return False


_DIGITS = re.compile(r"[0-9£$€¥]")


def _specific(sentence: str, ctx: Context) -> bool:
    """A figure, an amount or a date: digits, or the pack's number, month and day words."""
    return bool(_DIGITS.search(sentence)) or _has_any(sentence, ctx.cues("specifics"))


def _step_topics(phrases: list[str]) -> set[str]:
    """What a list of account details is about: the words after "your" or "the" in its
    phrases ("your direct debit" -> direct, debit; "I can see on your account" -> account)."""
    out: set[str] = set()
    for p in phrases:
        words = normalise(p).split()
        for n, w in enumerate(words[:-1]):
            if w in ("your", "the"):
                out |= content_words(" ".join(words[n + 1 : n + 3])) - _NOT_TOPICS
    return out


_NOT_TOPICS = frozenset({"shows", "show", "last", "current", "see", "new", "next"})


def _discloses(sentence: str, topics: set[str], ctx: Context) -> bool:
    """The agent tells the customer a specific about something of theirs: "your" (or
    "you've got") with a topic word and a figure, amount or date. A topic word in a name
    ("Harbourstone claims", "Pet Lifetime cover") is a department or a product, not theirs."""
    said = f" {normalise(sentence)} "
    if sentence.rstrip().endswith("?") or _has_any(sentence, ctx.cues("new_holder")):
        return False  # asked of the customer, not told; or a new account being set up
    if " your " not in said and not _has_any(sentence, ctx.cues("yours")):
        return False
    topics = _stems_of(topics | set(ctx.cues("account_nouns")))
    if not _specific(sentence, ctx):
        return _on_theirs(sentence, topics)
    subject = {normalise(w) for w in ctx.cues("subject_of")}
    tokens = re.findall(r"[^\W_][\w'-]*", sentence)
    for n, token in enumerate(tokens):
        stemmed = _stems(token)  # every part of a hyphenated word ("pre-payment")
        if not stemmed:
            continue  # a common word ("after", "under") stands for no topic ("aftercare")
        prev = tokens[n - 1] if n else ""
        # A capital before it names a department or a product, unless it is "I" or a
        # common word that only opens the sentence ("Your bill is ...").
        opens = n == 1 and prev.lower() in STOPWORDS
        if prev[:1].isupper() and prev != "I" and not opens:
            continue
        if not any(w[:5] == t[:5] and min(len(w), len(t)) >= 4 for w in stemmed for t in topics):
            continue
        before = {t.lower() for t in tokens[max(0, n - 3) : n]}
        if before & subject and not _specific(" ".join(tokens[n + 1 :]), ctx):
            continue  # "four questions about your claim": the claim is the subject
        return True
    return False


_ON_THEIRS = re.compile(
    r"\b(?:is|are|it's|that's|there's|they're|already|included|comes?|sits?)"
    r"(?: [\w'-]+){0,2}? (?:on|in|under|with) your ([\w'-]+)"
)


def _on_theirs(sentence: str, topics: set[str]) -> bool:
    """What is on something the customer holds, said as a fact with no figure: "that's
    already on your plan", "there's a note on your account", "it comes with your
    contract". Not said of what may be ("if it's on your bill"), nor a check's framing
    ("before anything on your account")."""
    for said in _clauses(sentence):
        if _MAYBE.search(said):
            continue
        for m in _ON_THEIRS.finditer(said):
            w = _stem(m.group(1))
            if any(w[:5] == t[:5] and min(len(w), len(t)) >= 4 for t in topics):
                return True
    return False


_MAYBE = re.compile(r"\b(?:if|whether|before|once|when|until|unless)\b")
_CLAUSE = re.compile(r"[,;:()\u2013\u2014]|\s-\s")


def _clauses(sentence: str) -> list[str]:
    """A sentence's clauses, normalised: split where punctuation separates them."""
    return [c for c in (normalise(part) for part in _CLAUSE.split(sentence)) if c]


def _stem(word: str) -> str:
    """One word's stem, the word itself where it is no content word. A word of several parts
    ("pre-payment") has a stem for each: the first in order stands for it, on every run."""
    return min(_stems(word), default=word)


def _stems_of(words: Iterable[str]) -> set[str]:
    """The stems of every part of every word or phrase ("direct debit", "pre-payment"), each
    word that is no content word as it is."""
    out: set[str] = set()
    for w in words:
        out |= _stems(w) or {w}
    return out


def metric_v1(c: MetricV1, ctx: Context) -> Outcome:
    value = ctx.metrics.get(c.metric)
    if value is None:
        return Outcome("na", note=f"{c.metric} is not measured for {ctx.item.channel}")
    ok = (c.min is None or value >= c.min) and (c.max is None or value <= c.max)
    bounds = " and ".join(
        b
        for b in (
            f"≥ {c.min:g}" if c.min is not None else "",
            f"≤ {c.max:g}" if c.max is not None else "",
        )
        if b
    )
    note = f"{c.metric} = {value:g} (wanted {bounds})"
    return Outcome(
        "pass" if ok else "fail", [_metric_pointer(c.metric, ctx, note)], 0.95, note=note
    )


def _metric_pointer(metric: str, ctx: Context, note: str) -> Any:
    """Point at the moment behind a metric where there is one."""
    agent = ctx.of("agent")
    if metric == "monologue_longest" and agent:
        longest = max(agent, key=lambda i: ctx.turns[i].end - ctx.turns[i].start)
        return ctx.evidence(longest)
    if metric in {"first_response", "response_longest"}:
        waiting = None
        best: tuple[float, int] | None = None
        for i, t in enumerate(ctx.turns):
            if t.role == "customer" and waiting is None:
                waiting = t.start
            elif t.role == "agent" and waiting is not None:
                gap = t.start - waiting
                if best is None or (metric == "response_longest" and gap > best[0]):
                    best = (gap, i)
                waiting = None
                if metric == "first_response":
                    break
        if best is not None:
            return ctx.evidence(best[1])
    return ctx.window_evidence(0.0, ctx.end_time, note)


def script_reading_v1(c: ScriptReadingV1, ctx: Context) -> Outcome:
    """Reading against covering the script, sentence by sentence: how much of what the agent
    said is script lines near word for word, how often a customer's question or objection was
    brushed aside (the script, a pitch or the next question came straight after it, with none
    of the customer's words and no acknowledgement), fast long monologues on calls, and how
    little of the customer's own words the agent takes up."""
    agent = ctx.of("agent")
    if not agent:
        return Outcome("na", note="the agent said nothing")
    script = [normalise(s) for line in c.script for s in sentences(line)]
    # Words the script itself uses do not show that the agent listened.
    script_words = set().union(*(content_words(line) for line in c.script))
    read: list[tuple[int, str]] = []
    read_words = 0
    for i in agent:
        for s in sentences(ctx.turns[i].text):
            if _reads(s, script, c.min_run_words, c.verbatim_similarity):
                read.append((i, s))
                read_words += word_count(s)
    total_words = sum(word_count(ctx.turns[i].text) for i in agent) or 1
    signals: dict[str, float] = {"verbatim": read_words / total_words}
    weights = {"verbatim": 0.4, "fast_monologue": 0.2, "ignored_questions": 0.25, "low_reuse": 0.15}

    if ctx.item.channel == Channel.VOICE:
        talk = sum(ctx.turns[i].end - ctx.turns[i].start for i in agent) or 1.0
        fast = 0.0
        for i in agent:
            t = ctx.turns[i]
            dur = t.end - t.start
            if dur >= c.long_monologue_s and word_count(t.text) / (dur / 60) >= c.fast_wpm:
                fast += dur
        signals["fast_monologue"] = min(1.0, fast / talk)

    ignored: list[tuple[int, int]] = []
    asked = 0
    objections = ctx.cues("objection")
    read_turns = {i for i, _ in read}
    for i, t in enumerate(ctx.turns[:-1]):
        if t.role != "customer" or not _raises(ctx, t.text, objections):
            continue
        nxt = next((j for j in range(i + 1, len(ctx.turns)) if ctx.turns[j].role == "agent"), None)
        if nxt is None:
            continue
        asked += 1
        if _brushes_aside(ctx, t.text, nxt, nxt in read_turns, script_words):
            ignored.append((i, nxt))
    if asked:
        signals["ignored_questions"] = len(ignored) / asked

    said = (
        set().union(*(content_words(ctx.turns[i].text) for i in ctx.of("customer")))
        if ctx.of("customer")
        else set()
    )
    said = said - script_words
    if len(said) >= 5:
        reused = said & set().union(*(content_words(ctx.turns[i].text) for i in agent))
        signals["low_reuse"] = 1 - min(1.0, len(reused) / len(said) / 0.3)

    total_weight = sum(weights[k] for k in signals)
    score = round(sum(weights[k] * v for k, v in signals.items()) / total_weight, 3)
    brushed = len(ignored) >= BRUSHED_ASIDE_MAX
    evidence = [ctx.evidence(i, s) for i, s in read[:3]]
    for q, a in ignored[:2]:
        evidence += [ctx.evidence(q), ctx.evidence(a)]
    details = {
        "score": score,
        "signals": {k: round(v, 3) for k, v in signals.items()},
        "brushed_aside": len(ignored),
    }
    note = f"reading score {score:.2f} (fails above {c.max_score:.2f}): " + ", ".join(
        f"{k} {v:.2f}" for k, v in signals.items()
    )
    if ignored:
        note += f"; {len(ignored)} of {asked} customer question(s) or objection(s) brushed aside"
    if not evidence:
        evidence = [
            ctx.window_evidence(0, ctx.end_time, "no near-verbatim script runs found", "agent")
        ]
    failed = score > c.max_score or brushed
    confidence = round(min(0.95, 0.5 + abs(score - c.max_score)), 2)
    return Outcome("fail" if failed else "pass", evidence, confidence, note=note, details=details)


# Customer questions or objections the agent may move past (script, pitch or next question
# straight after, none of their words, no acknowledgement) before script_reading.v1 fails.
BRUSHED_ASIDE_MAX = 2


def _reads(sentence: str, script: list[str], min_words: int, similarity: float) -> bool:
    """An agent sentence of at least `min_words` words that is a script sentence, or a run of
    one, said near word for word."""
    text = normalise(sentence)
    return word_count(text) >= min_words and _best_line(text, script) >= similarity


def _raises(ctx: Context, text: str, objections: list[str]) -> bool:
    """A customer turn that asks something, objects, complains or speaks of leaving."""
    if _asks_or_objects(text, objections):
        return True
    return any(
        ctx.act_probability(s, act) >= ACT_THRESHOLD
        for s in sentences(text)
        for act in ("complaint", "churn_signal", "loss_report")
    )


_ENGAGES = ("acknowledge_impact", "apologise", "answer_objection")


def _brushes_aside(
    ctx: Context, raised: str, reply_turn: int, reads_script: bool, script_words: set[str]
) -> bool:
    """The agent's next turn moves on past what the customer raised: it reads the script, or
    pitches or asks the next question, with none of the customer's words and no
    acknowledgement or answer to an objection."""
    reply = ctx.turns[reply_turn].text
    if ctx.takes_up(raised, reply, script_words):
        return False
    said = sentences(reply)
    if _GOOD_QUESTION.search(normalise(reply)) or any(
        ctx.act_probability(s, act) >= ACT_THRESHOLD for s in said for act in _ENGAGES
    ):
        return False
    if reads_script:
        return True
    for s in said:
        if ctx.act_probability(s, "recommend") >= ACT_THRESHOLD:
            return True
        if question_kind(s) and not _asks_after(ctx, s):
            return True
    return False


_GOOD_QUESTION = re.compile(r"\b(?:good|great|fair|fair enough) (?:question|point)\b")


def _asks_after(ctx: Context, question: str) -> bool:
    """A question that takes up what was raised (about the customer's situation), only
    offers more help, or (where acts come from cue words) checks that what was just said was
    understood, rather than moving on to the next item."""
    return (
        (
            ctx.act_probability(question, "discovery_question") >= DISCOVERY_MIN
            and ctx.act_probability(question, "data_request") < ACT_THRESHOLD
        )
        or ctx.act_probability(question, "offer_more_help") >= ACT_THRESHOLD
        # Where acts come from cue words: "这两点您清楚了吗？" asks about what was just said.
        or (
            ctx.lexical_act("check_understanding")
            and ctx.act_probability(question, "check_understanding") >= ACT_THRESHOLD
        )
    )


def _best_line(text: str, script: list[str]) -> float:
    """How much of the text is one script line said near word for word."""
    best = 0.0
    for line in script:
        if not line:
            continue
        short, long = (line, text) if len(line) <= len(text) else (text, line)
        score = (
            fuzz.partial_ratio(short, long) / 100 * min(1.0, len(short) / max(1, len(long)) * 1.5)
        )
        best = max(best, score if len(line) <= len(text) else fuzz.ratio(line, text) / 100)
    return best


def _asks_or_objects(text: str, objections: list[str]) -> bool:
    lowered = normalise(text)
    return "?" in text or "？" in text or any(normalise(o) in lowered for o in objections)


DISCOVERY_MIN = 0.35  # 0..1: how likely an open question must be to ask about the situation


def discovery_questions(
    ctx: Context, idxs: list[int] | None = None, examples: Examples | None = None
) -> list[Question]:
    """Open questions about the customer's situation: open by form (closed and leading
    questions never count), about the situation by meaning, never a request for data (an
    account number, a postcode, a reading) nor a pitch put as a question. An open offer of
    help counts only when it names what the customer raised ("How can I help with the
    order?"), not as a canned opener."""
    idxs = ctx.of("agent") if idxs is None else idxs
    extra = _extra_examples(examples)
    asked = [q for q in ctx.questions("agent", idxs) if q.kind == "open"]
    asked += _invitations(ctx, idxs)
    out = []
    for q in asked:
        taught = _taught(q.sentence, examples)
        if taught is False:
            continue
        p = ctx.act_probability(q.sentence, "discovery_question", extra)
        data = ctx.act_probability(q.sentence, "data_request")
        pitch = ctx.act_probability(q.sentence, "recommend")
        about = p >= DISCOVERY_MIN or _help_about_topic(ctx, q)
        not_data = data < ACT_THRESHOLD or data < p
        not_pitch = pitch < ACT_THRESHOLD or pitch < p
        if taught or (about and not_data and not_pitch):
            out.append(Question(q.turn, q.sentence, "open"))
    return sorted(out, key=lambda q: q.turn)


_HELP_OFFER = re.compile(r"^(?:how|what) (?:can|could|may|shall) (?:i|we) (?:help|do)\b(.*)$")


def _help_about_topic(ctx: Context, q: Question) -> bool:
    """'How can I help with the order?' after the customer wrote about an order."""
    m = _HELP_OFFER.match(normalise(q.sentence))
    if not m or not m.group(1).strip():
        return False
    raised = set().union(
        set(), *(content_words(ctx.turns[i].text) for i in ctx.of("customer") if i < q.turn)
    )
    return bool(content_words(m.group(1)) & raised)


def _taught(sentence: str, examples: Examples | None) -> bool | None:
    """True or False where a trainer adopted this very sentence as an example, else None."""
    if examples is None:
        return None
    said = normalise(sentence)
    if any(normalise(e) == said for e in examples.negative):
        return False
    if any(normalise(e) == said for e in examples.positive):
        return True
    return None


def _invitations(ctx: Context, idxs: list[int]) -> list[Question]:
    """'Talk me through what happened.': an open invitation without a question mark."""
    out = []
    for i in idxs:
        for s in sentences(ctx.turns[i].text):
            if not s.rstrip().endswith("?") and _INVITE.match(normalise(s)):
                out.append(Question(i, s, "open"))
    return out


_INVITE = re.compile(r"^(?:so |okay |ok |right )?(?:tell me|talk me|walk me|describe|explain)\b")


PITCH_MIN = 0.3  # 0..1: how likely a sentence naming a listed product must be to recommend it


def pitches(ctx: Context, spec: Phrases) -> list[tuple[int, str]]:
    """Sentences that recommend or offer one of the products: named, and said as an offer."""
    if ctx.lexical_act("recommend"):
        return ctx.lexical_pitches(spec)  # Chinese: the product may go unsaid (context.py)
    out = []
    for hit in ctx.find(spec.model_copy(update={"act": LITERAL_ACT})):
        for s in sentences(ctx.turns[hit.turn].text):
            named = ctx.matcher.find({0: s}, spec.phrases, _literal(spec.match), spec.threshold)
            named = [h for h in named if spec.match == "exact" or _names(s, h.phrase)]
            if not named or all(_only_held(s, h.phrase, ctx) for h in named):
                continue
            if ctx.act_probability(s, "recommend") >= PITCH_MIN:
                out.append((hit.turn, s))
                break
    listed = {turn for turn, _ in out}
    for i in ctx.of(spec.speaker):
        said = next((s for s in sentences(ctx.turns[i].text) if unlisted_offer(s, ctx)), None)
        if i not in listed and said is not None:
            out.append((i, said))
    return sorted(out, key=lambda pitch: pitch[0])


OFFER_MIN = 0.5  # 0..1: how likely an offer of a product the card does not list must be


def unlisted_offer(sentence: str, ctx: Context) -> str | None:
    """A product the card does not list, offered all the same: the agent proposes it ("I
    can move you onto ...", "you can get ... off our ...": the pack's `offer_frames`, never
    "I can't"), names it as a product (a name with a number, "Saver 12", or one of ours
    ending in one of `product_nouns`, "our travel insurance"), not as what the customer
    holds ("you're on our ...") nor as the default that comes if they choose nothing
    (`default_offer`), and the offer heads read the sentence as an offer. The product's
    words, or None."""
    words = normalise(sentence).split()
    said = f" {' '.join(words)} "
    if not any(f in said for f in _padded(tuple(ctx.cues("offer_frames")))):
        return None
    if _has_any(sentence, ctx.cues("default_offer")):
        return None
    product = _product_named(sentence, words, ctx)
    if product is None or _only_held(sentence, product, ctx):
        return None
    offer = max(ctx.act_probability(sentence, act) for act in ("present_offer", "recommend"))
    return product if offer >= OFFER_MIN else None


_NAME_WITH_NUMBER = re.compile(r"\b[A-Z][\w-]*(?: [A-Z][\w-]*)*(?: \d[\w-]*)+")


def _product_named(sentence: str, words: list[str], ctx: Context) -> str | None:
    """A product's name with a number in it ("Essentials 20GB", "Fibre 900"), not a date
    ("June 30"); or "our" and up to three words ending in a product noun ("our pet
    insurance", "our Fixed tariff")."""
    calendar = {normalise(w) for w in ctx.cues("specifics")}
    for m in _NAME_WITH_NUMBER.finditer(sentence):
        if normalise(m.group().split()[0]) not in calendar:
            return normalise(m.group())
    nouns = {normalise(n) for n in ctx.cues("product_nouns")}
    for n, w in enumerate(words):
        if w != "our":
            continue
        for k in range(n + 1, min(len(words), n + 5)):
            if words[k] in nouns:
                return " ".join(words[n + 1 : k + 1])
    return None


NAME_MIN = 75  # 0..100: how close each word of a run must be to the product's to name it


def _names(sentence: str, product: str) -> bool:
    """A product's name (a listed phrase with a capital or a digit) is said: a run of the
    sentence's words spells it, give or take a typing slip or a hyphen ("Mesh WiFi");
    words of it scattered over the sentence ("a boiler breakdown ... ours covers") do not
    name "Breakdown Cover"."""
    if not any(w[:1].isupper() or w[:1].isdigit() for w in product.split()):
        return True  # a phrase ("upgrade you"), not a name: the matcher's rule stands
    words = normalise(sentence).split()
    want = normalise(product).split()
    joined = "".join(want)
    for width in {max(1, len(want) - 1), len(want), len(want) + 1}:
        for n in range(len(words) - width + 1):
            run = words[n : n + width]
            if width == len(want) and all(
                fuzz.ratio(a, b) >= NAME_MIN for a, b in zip(run, want, strict=True)
            ):
                return True  # word by word: "Roam Pas", "Fibre 500"
            if fuzz.ratio("".join(run), joined) >= NAME_JOINED_MIN:
                return True  # "WiFi" for "Wi-Fi", "Home-Bundle"
    return False


NAME_JOINED_MIN = 92  # 0..100: the same, for the words run together


def _only_held(sentence: str, product: str, ctx: Context) -> bool:
    """The product is only named as what the customer already has ("you're on our
    Essentials plan", "you've got Home Emergency cover on there", "unless the pass is on"),
    with no offer of it in the sentence: the customer's state, not a pitch."""
    words = normalise(sentence).split()
    said = normalise(product).split()
    offer = {normalise(w) for w in ctx.cues("offer_words")}
    held_before = [normalise(h).split() for h in ctx.cues("held_before")]
    held_after = [normalise(h).split() for h in ctx.cues("held_after")]
    found = False
    for n in range(len(words) - len(said) + 1):
        if words[n : n + len(said)] != said:
            continue
        found = True
        before = words[max(0, n - HELD_SPAN) : n]
        after = words[n + len(said) :]
        framed = (
            "your" in before[-2:]
            or any(_contains(before, h) for h in held_before)
            or any(after[: len(h)] == h for h in held_after)  # a site may list longer ones
        )
        if not framed or offer & set(before):
            return False
    return found and not offer & set(words)


HELD_SPAN = 8  # words before a product in which "you're on", "you've got" frame it as held


@lru_cache(maxsize=256)
def _padded(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Each phrase's words, joined by one space and with one space either side: a run of
    words is in a sentence exactly where the padded phrase is in the padded sentence (the
    words hold no space), without a comparison per position of the sentence."""
    out = []
    for p in phrases:
        words = normalise(p).split()
        if words:
            out.append(f" {' '.join(words)} ")
    return tuple(out)


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[n : n + len(part)] == part for n in range(len(words) - len(part) + 1))


def _literal(match: str) -> str:
    return "fuzzy" if match == "semantic" else match


def _extra_examples(examples: Examples | None) -> dict[str, list[str]] | None:
    if examples is None or not (examples.positive or examples.negative):
        return None
    return {"positive": list(examples.positive), "negative": list(examples.negative)}


def _customer_needs(ctx: Context, before: int | None = None) -> list[tuple[int, str]]:
    needs = ctx.cues("needs")
    if not needs:
        return []
    spec = Phrases(phrases=needs, match="exact", speaker="customer")
    idxs = [i for i in ctx.of("customer") if before is None or i < before]
    found = []
    for hit in ctx.find(spec, idxs):
        found += [(hit.turn, s) for s in sentences(ctx.turns[hit.turn].text) if _has_any(s, needs)]
    return found


def _has_any(text: str, phrases: list[str]) -> bool:
    t = f" {normalise(text)} "
    return any(f" {normalise(p)} " in t for p in phrases)


def _needs_questions(ctx: Context, idxs: list[int], examples: Examples | None) -> list[Question]:
    """The open questions about the customer's situation in the turns, and besides them
    the ones behind a lead-in ("Before I suggest anything, tell me about the house", "So I
    can point you the right way, where are you going?") and those about how much or how
    often the customer does something ("how many days a week are you on the road?"):
    about their use, where the discovery act is likelier than a request for data (the
    number of bedrooms, a date of birth)."""
    found = {(q.turn, q.sentence): q for q in discovery_questions(ctx, idxs, examples)}
    extra = _extra_examples(examples)
    for i in idxs:
        for s in sentences(ctx.turns[i].text):
            if (i, s) in found or _taught(s, examples) is False:
                continue
            asked = _after_lead_in(s)
            kind = question_kind(asked) if asked.rstrip().endswith("?") else None
            invited = bool(_INVITE.match(normalise(asked))) or asked != s and kind == "open"
            if kind is None and not invited:
                continue
            amount = normalise(asked).startswith(tuple(ctx.cues("question_use_amount")))
            if not (invited or kind == "open" or amount):
                continue
            p = max(
                ctx.act_probability(s, "discovery_question", extra),
                ctx.act_probability(asked, "discovery_question", extra),
            )
            data = ctx.act_probability(asked, "data_request")
            pitch = ctx.act_probability(asked, "recommend")
            if p >= DISCOVERY_MIN and p > data and (pitch < ACT_THRESHOLD or pitch < p):
                found[(i, s)] = Question(i, s, "open")
    return sorted(found.values(), key=lambda q: q.turn)


_LEAD_SPLIT = re.compile(r"[,:;]\s+")


def _after_lead_in(sentence: str) -> str:
    """The question after a lead-in clause: "Before I dive in, what happened?" -> "what
    happened?"; the sentence itself where no clause before it leads in."""
    parts = _LEAD_SPLIT.split(sentence, maxsplit=1)
    if len(parts) < 2:
        return sentence
    rest = parts[1]
    first = normalise(rest).split(" ", 1)[0] if rest.strip() else ""
    return rest if first in _ASKING_STARTS else sentence


_ASKING_STARTS = frozenset(
    {"what", "how", "why", "where", "when", "which", "who", "tell", "can", "could", "talk", "walk"}
)


def needs_discovery_v1(c: NeedsDiscoveryV1, ctx: Context) -> Outcome:
    pitched = pitches(ctx, c.pitch)
    if not pitched:
        return Outcome("na", note="nothing was recommended or offered")
    if ctx.language is None:  # Chinese: a price answered on request is not the pitch
        pitched, open_qs = _zh_questions_before_pitch(ctx, pitched, c.examples)
    else:
        before_pitch = [i for i in ctx.of("agent") if i < pitched[0][0]]
        open_qs = _needs_questions(ctx, before_pitch, c.examples)
    pitch_turn = pitched[0][0]
    needs = _customer_needs(ctx, before=pitch_turn + 1)
    ack = None
    before = [i for i in ctx.of("agent") if i <= pitch_turn]
    for hit in ctx.act_hits("restate_need", before):
        if not (hit.turn == pitch_turn and hit.sentence == pitched[0][1]):
            ack = (hit.turn, hit.sentence)
            break
    q_share = min(1.0, len(open_qs) / c.min_open_questions) if c.min_open_questions else 1.0
    parts = [q_share] + ([1.0 if ack else 0.0] if c.require_acknowledgement else [])
    fraction = sum(parts) / len(parts)
    ok = q_share >= 1.0 and (ack is not None or not c.require_acknowledgement)
    evidence = [ctx.evidence(q.turn, q.sentence) for q in open_qs[:3]]
    if ack:
        evidence.append(ctx.evidence(*ack))
    evidence += [ctx.evidence(t, s) for t, s in needs[:3]]
    evidence.append(ctx.evidence(*pitched[0]))  # never empty: something was pitched
    note = (
        f"{len(open_qs)} open question(s) before the pitch (wanted {c.min_open_questions}); "
        f"needs {'acknowledged' if ack else 'not acknowledged'}; {len(needs)} stated need(s)"
    )
    details = {
        "open_questions": len(open_qs),
        "needs": [s for _, s in needs],
        "acknowledged": bool(ack),
    }
    return Outcome("pass" if ok else "fail", evidence, 0.75, fraction, note, details)


def _zh_questions_before_pitch(
    ctx: Context, pitched: list[tuple[int, str]], examples: Examples | None
) -> tuple[list[tuple[int, str]], list[Question]]:
    """Where acts come from cue words: the recommendation is the first offer that does not
    answer what the customer asked ("年费多少？" answered with the price is not yet one), and
    the open questions before it: in earlier turns, in a turn that answered the customer
    (the answer first, then the question), and in the recommendation's own turn before the
    offer (an email asks, then explains). Where every offer answered the customer, a
    question in any turn counts: the product was explained on request, and asked about."""
    real = [p for p in pitched if not ctx.answers_asked(p[0])]
    agent = ctx.of("agent")
    if not real:
        return pitched, _needs_questions(ctx, agent, examples)
    turn, said = real[0]
    parts = list(sentences(ctx.turns[turn].text))
    at = parts.index(said) if said in parts else 0
    asked = _needs_questions(ctx, [i for i in agent if i <= turn], examples)
    return real, [q for q in asked if q.turn < turn or parts.index(q.sentence) < at]


def product_explanation_v1(c: ProductExplanationV1, ctx: Context) -> Outcome:
    agent = ctx.of("agent")
    offers = ctx.act_hits("recommend", agent, threshold=PITCH_MIN)
    if not offers:
        return Outcome("na", note="nothing was recommended or offered")
    covered: dict[str, tuple[int, str]] = {}
    for kp in c.key_points:
        spec = Phrases(phrases=kp.phrases, match=kp.match, threshold=kp.threshold, speaker="agent")
        hits = ctx.find(spec, agent)
        if hits:
            covered[kp.id] = (hits[0].turn, hits[0].sentence)
    if not covered:
        note = "no key point was explained"
        return Outcome(
            "fail", [ctx.window_evidence(0, ctx.end_time, note, "agent")], 0.8, 0.0, note
        )
    coverage = len(covered) / len(c.key_points)
    needs = _customer_needs(ctx)
    need_words = set().union(*(content_words(s) for _, s in needs)) if needs else set()
    link = None
    for turn in sorted(t for t, _ in covered.values()):
        for s in sentences(ctx.turns[turn].text):
            if _has_any(s, ctx.cues("link")) or len(content_words(s) & need_words) >= 2:
                link = (turn, s)
                break
        if link:
            break
    first = min(t for t, _ in covered.values())
    if link is None:
        # Played back in the agent's words: "since you're away a couple of times a year".
        near = [i for i in agent if offers[0].turn - 2 <= i <= max(t for t, _ in covered.values())]
        restated = ctx.act_hits("restate_need", near)
        if restated:
            link = (restated[0].turn, restated[0].sentence)
    later = [i for i in agent if i >= first]
    check = understanding_check(ctx, later, c.examples)
    parts = [min(1.0, coverage / c.min_coverage) if c.min_coverage else 1.0]
    parts += [1.0 if link else 0.0] if c.require_needs_link else []
    parts += [1.0 if check else 0.0] if c.require_check else []
    ok = (
        coverage >= c.min_coverage
        and (link or not c.require_needs_link)
        and (check or not c.require_check)
    )
    key_phrases = [p for kp in c.key_points for p in kp.phrases]
    turns = [t for t, _ in covered.values()]
    wrong = ctx.wrong_figures(turns, key_phrases) if ctx.language is None else None
    ok = ok and wrong is None  # Chinese: a key figure stated wrongly (campaign flags) fails
    evidence = [ctx.evidence(t, s) for t, s in sorted(covered.values())[:3]]
    if link:
        evidence.append(ctx.evidence(*link))
    if check:
        evidence.append(ctx.evidence(*check))
    missing = [kp.id for kp in c.key_points if kp.id not in covered]
    note = (
        f"{len(covered)}/{len(c.key_points)} key points"
        + (f" (missing: {', '.join(missing)})" if missing else "")
        + f"; {'tied' if link else 'not tied'} to the customer's needs"
        + f"; {'checked' if check else 'no check for'} understanding"
        + (f"; a key figure is wrong: {wrong.message}" if wrong else "")
    )
    details = {
        "covered": sorted(covered),
        "missing": missing,
        "linked": bool(link),
        "checked": bool(check),
    }
    return Outcome("pass" if ok else "fail", evidence, 0.75, sum(parts) / len(parts), note, details)


CHECK_SUPPORT = 0.35  # 0..1: how likely a question about "that" must be to check understanding

# "Shall I put that through?", "Do you want me to set it up?": a close, never a check.
_CLOSING = re.compile(
    r"^(?:\w+ )?(?:so |and |ok |okay |right )?(?:shall|should|can|could|may) (?:i|we)\b"
    r"|^(?:would|do) you (?:like|want) (?:it|that|this|one|to)\b"
    r"|\b(?:want|like) (?:me|us) to\b|\b(?:go ahead|put (?:it|that|this) through|sign (?:you )?up)\b"
)
# A question about what was just said: "does that ...", "how does it ...", "is all of this ...".
_REFERS_BACK = re.compile(
    r"^(?:\w+ )?(?:so |and |ok |okay |right |now )?(?:how |what )?"
    r"(?:does|do|did|would|will|is|was|are|has|have)\b.*\b(?:that|this|it|all of)\b"
)


def understanding_check(
    ctx: Context, idxs: list[int], examples: Examples | None = None
) -> tuple[int, str] | None:
    """The first check for understanding in the turns: a sentence that performs the act, or
    a question about what was just explained that is at least CHECK_SUPPORT likely to; a
    closing question ("Shall I put that through?") is never a check."""
    extra = _extra_examples(examples)
    for i, s, p in ctx.act_sentences("check_understanding", idxs, extra):
        said = normalise(s)
        if _taught(s, examples) is False or _CLOSING.search(said):
            continue
        asks_back = s.rstrip().endswith(("?", "？")) and bool(_REFERS_BACK.match(said))
        if _taught(s, examples) or p >= ACT_THRESHOLD or (asks_back and p >= CHECK_SUPPORT):
            return i, s
    return None


def upsell_timing_v1(c: UpsellTimingV1, ctx: Context) -> Outcome:
    offered = _first_offers(ctx, c.pitch)
    on_complaint = (c.applies or ctx.pack_setting("upsell_applies", "pitch")) == "complaint"
    if not offered and not on_complaint:
        return Outcome("na", note="no pitch in this interaction")
    pitched = offered
    complaint_spec = _cues(c.complaint, ctx, "complaint", "customer")
    complaints = {
        h.turn: h.sentence
        for h in ctx.find(complaint_spec.model_copy(update={"act": "complaint"}), situation=True)
    }
    if on_complaint and (not complaints or not offered):
        return _upsell_without_pitch_or_complaint(ctx, complaints)
    resolutions = {
        h.turn: h.sentence for h in ctx.act_hits("resolution_confirmed", ctx.of("customer"))
    }
    resolutions.update(_confirmed_when_asked(ctx))
    if c.resolution is not None:
        resolutions.update({h.turn: h.sentence for h in ctx.find(c.resolution)})
    if ctx.lexical_act("complaint"):  # Chinese: asking for an offer leaves the problem behind
        resolutions.update(ctx.turns_to_offer(complaints))
    open_complaint: int | None = None
    for i in range(len(ctx.turns)):
        if i in complaints and open_complaint is None:
            open_complaint = i
        if i in resolutions:
            open_complaint = None
        if i in pitched and open_complaint is not None:
            if _pitch_fixes(ctx, open_complaint, i, pitched[i]):
                open_complaint = None  # the offer is the fix for the customer's own problem
                continue
            note = "pitched while the customer's problem was still open"
            ev = [
                ctx.evidence(open_complaint, complaints[open_complaint]),
                ctx.evidence(i, pitched[i]),
            ]
            return Outcome("fail", ev, 0.8, note=note)
    first = min(pitched)
    return Outcome(
        "pass", [ctx.evidence(first, pitched[first])], 0.75, note="no pitch over an open problem"
    )


def _upsell_without_pitch_or_complaint(ctx: Context, complaints: dict[int, str]) -> Outcome:
    """Where the criterion applies to complaints: none raised is N/A; one raised with
    nothing pitched is a pass."""
    if not complaints:
        return Outcome("na", note="no complaint or problem raised")
    first = min(complaints)
    ev = [ctx.evidence(first, complaints[first])]
    return Outcome("pass", ev, 0.75, note="nothing pitched while the problem was open")


def _confirmed_when_asked(ctx: Context) -> dict[int, str]:
    """The customer says yes to the agent asking whether the problem is sorted ("Is that
    all fixed for you now?" - "Yep, thanks"): a confirmation however short. A yes with a
    "but" or a "still" in it, or to an offer of more help, confirms nothing."""
    out: dict[int, str] = {}
    checks, more = ctx.cues("resolution_check"), ctx.cues("more_help")
    yes = {normalise(w) for w in ctx.cues("affirmatives")}
    for j in ctx.of("customer"):
        prev = [i for i in range(j - 1, -1, -1) if ctx.turns[i].role != "system"][:1]
        if not prev or ctx.turns[prev[0]].role != "agent":
            continue
        asked = [q for q in sentences(ctx.turns[prev[0]].text) if q.rstrip().endswith("?")]
        if not asked or not _has_any(asked[-1], checks) or _has_any(asked[-1], more):
            continue
        reply = sentences(ctx.turns[j].text)
        words = normalise(reply[0]).split() if reply else []
        if not words or words[0] not in yes:
            continue
        if any(w in _BUT for w in words) or any(w.endswith("n't") for w in words):
            continue
        out[j] = reply[0]
    return out


_BUT = frozenset({"but", "still", "though", "except", "not", "no"})


def _first_offers(ctx: Context, spec: Phrases) -> dict[int, str]:
    """Each product at its first pitch: naming it again once offered (a recap of what the
    customer took, a reminder) is no new offer."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for turn, s in pitches(ctx, spec):
        named = {
            h.phrase
            for h in ctx.matcher.find({0: s}, spec.phrases, _literal(spec.match), spec.threshold)
        } or {p for p in [unlisted_offer(s, ctx)] if p}
        if named and named <= seen:
            continue
        seen |= named
        out[turn] = s
    return out


def _pitch_fixes(ctx: Context, problem_turn: int, pitch_turn: int, pitch: str) -> bool:
    """A pitch tied back to the problem it solves ("so you won't run out") is the fix: the
    offer (from the pitch to the end of the turn, and any playing back of the need before
    it) shares words with what the customer said of the problem, and ties back to it. What
    the turn says before the offer (an apology, a refund raised) is not the offer."""
    problem = ctx.turns[problem_turn].text
    parts = sentences(ctx.turns[pitch_turn].text)
    start = parts.index(pitch) if pitch in parts else 0
    restated = {h.sentence for h in ctx.act_hits("restate_need", [pitch_turn])}
    offer = [p for n, p in enumerate(parts) if n >= start or p in restated]
    text = " ".join(offer)
    shared = _stems(problem) & _stems(text)
    tied = _has_any(text, ctx.cues("link")) or bool(restated & set(offer))
    return len(shared) >= 2 and tied


def _stems(text: str) -> set[str]:
    """Content words without their commonest endings: 'running' and 'run' meet; a final
    'ss' is no plural ('pass'). A doubled last letter goes ('runn', 'cancell', 'stuff'),
    except a doubled l, s or z of four letters ('bill', 'pass', 'buzz'): their own, not
    doubled by an ending, and three letters are too short for a topic word."""
    out = set()
    for w in content_words(text):
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
                w = w[: -len(suffix)]
                break
        if len(w) > 3 and w[-1] == w[-2] and (len(w) > 4 or w[-1] not in "lsz"):
            w = w[:-1]
        out.add(w)
    return out


def retention_v1(c: RetentionV1, ctx: Context) -> Outcome:
    churn_spec = _cues(c.churn, ctx, "churn", "customer")
    act = churn_spec.act or "churn_signal"
    churn = [
        h
        for h in ctx.find(churn_spec.model_copy(update={"act": act}))
        if (h.phrase != act or _says_leaving(h.sentence, churn_spec.phrases, ctx))
        and not _already_left(h.sentence, ctx)
    ]
    if not churn:
        return Outcome("na", note="no churn cue from the customer")
    cue = churn[0]
    later = _save_window(ctx, cue.turn, c.within_turns)
    save_spec = _cues(c.save, ctx, "save", "agent")
    saves = ctx.find(
        save_spec.model_copy(update={"act": save_spec.act or "retention_move"}),
        later,
        examples=c.examples,
    )
    saves = [
        h for h in saves if not _has_any(h.sentence, ctx.cues("refusals") + ctx.cues("leave_to_go"))
    ]
    if ctx.language is None:  # Chinese: the customer's own words said back propose nothing
        saves = [h for h in saves if not ctx.echoes(h.sentence, cue.sentence, save_spec.phrases)]
    if saves:
        ev = [ctx.evidence(cue.turn, cue.sentence), ctx.evidence(saves[0].turn, saves[0].sentence)]
        return Outcome(
            "pass", ev, min(0.9, saves[0].score), note="the churn cue got a retention move"
        )
    ev = [ctx.evidence(cue.turn, cue.sentence)] + [ctx.evidence(i) for i in later[:1]]
    note = f"no retention move within {c.within_turns} agent turn(s) of the churn cue"
    return Outcome("fail", ev, 0.8, note=note)


def _says_leaving(sentence: str, listed: list[str], ctx: Context) -> bool:
    """A cue found by meaning alone must still speak of leaving (cancel, switch, close,
    renew, go elsewhere ...) or say a cue of the criterion's own list: a complaint, a
    refund request, an account number or a declined offer is no wish to leave, however
    close its meaning. Without such a list in the language pack, the meaning alone
    decides."""
    words = ctx.cues("leaving_words")
    return not words or _has_any(sentence, words + listed)


def _already_left(sentence: str, ctx: Context) -> bool:
    """The customer reports leaving as done ("I've already moved to another provider"),
    with no wish still to come in the sentence ("... and I want to cancel"): no live
    decision is left to save."""
    return _has_any(sentence, ctx.cues("left_already")) and not _has_any(
        sentence, ctx.cues("still_deciding")
    )


HOLD_TURNS_MAX = 4  # agent turns that may hold the retention window open (checks, questions)


def _save_window(ctx: Context, cue_turn: int, within: int) -> list[int]:
    """The agent turns after a churn cue in which a retention move counts: `within` turns
    that move the contact on, plus up to HOLD_TURNS_MAX that only identify the customer
    (security, an account number) or ask about their situation, which neither ignore
    the cue nor process it."""
    out: list[int] = []
    counted = held = 0
    for i in ctx.of("agent"):
        if i <= cue_turn:
            continue
        out.append(i)
        if held < HOLD_TURNS_MAX and _holds(ctx, i):
            held += 1
            continue
        counted += 1
        if counted >= within:
            break
    return out


def _holds(ctx: Context, turn: int) -> bool:
    if ctx.act_hits("security_check", [turn]) or ctx.act_hits("data_request", [turn]):
        return True
    return bool(discovery_questions(ctx, [turn]))


def campaign_consistency_v1(c: CampaignConsistencyV1, ctx: Context) -> Outcome:
    if ctx.flags is None:
        return Outcome("na", note="no campaigns were checked (qa score --campaigns DIR)")
    hits = [f for f in ctx.flags if f.kind in c.kinds]
    if hits:
        evidence = [e for f in hits for e in f.evidence][:4]
        note = "; ".join(f"{f.kind}: {f.message}" for f in hits[:3])
        return Outcome("fail", evidence, 0.85, note=note, details={"flags": [f.kind for f in hits]})
    if ctx.campaigns_named is not None and not ctx.campaigns_named:
        return Outcome("na", note="no campaign's product was mentioned")
    note = f"nothing inconsistent with the active campaigns ({', '.join(c.kinds)})"
    return Outcome("pass", [ctx.window_evidence(0, ctx.end_time, note, "agent")], 0.8, note=note)


# Registered here rather than by decorator, so that mutation testing reaches the functions.
EVALUATORS.update(
    {
        "phrase.v1": phrase_v1,
        "question.v1": question_v1,
        "order.v1": order_v1,
        "metric.v1": metric_v1,
        "script_reading.v1": script_reading_v1,
        "needs_discovery.v1": needs_discovery_v1,
        "product_explanation.v1": product_explanation_v1,
        "upsell_timing.v1": upsell_timing_v1,
        "retention.v1": retention_v1,
        "campaign_consistency.v1": campaign_consistency_v1,
    }
)
