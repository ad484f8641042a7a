"""What a criterion sees of one interaction: turns by speaker, windows, questions, matches."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from qa.language import HAN, base, detect_language, english_in_chinese, has_han, is_chinese_text
from qa.language import normalise as lang_normalise
from qa.matching import Hit, Matcher
from qa.metrics import compute_metrics
from qa.model import Evidence, Flag, Interaction
from qa.packs import has_pack
from qa.packs import lists as pack_lists
from qa.scorecard.schema import LITERAL_ACT, Event, Examples, Phrases, Window
from qa.text import STOPWORDS, content_words, normalise, question_kind, sentences
from qa.vocabulary import FlagKind

if TYPE_CHECKING:
    from qa.campaigns.schema import Campaign

QUOTE_MAX = 240
ACT_THRESHOLD = 0.5  # 0..1: a sentence performs an act when its head says at least this
ACT_SUPPORT = 0.3  # 0..1: a literal phrase hit counts when the inferred act is at least this likely
INFER_SHARE = 0.5  # 0..1: share of a phrase list that must perform one act for it to stand for it
FUZZY_INFER_SHARE = 0.8  # 0..1: share of a fuzzy required list whose likeliest act must agree
SEVERAL_PARTS_CHARS = 90  # 1..: Chinese characters in one agent turn that explain several parts
ZH_FUZZY_MIN_CHARS = 7  # Chinese phrases shorter than this (in characters) match only as written
RESTATE_MIN_CHARS = 8  # characters a tagged restatement needs beyond "对吗" alone
SITUATION_ACTS = ("complaint", "loss_report", "move_home", "billing_query", "churn_signal")
SITUATION_VOTE = 0.35  # 0..1: a listed word votes for the situation its head ranks first, from this
SITUATION_MARGIN = 0.05  # 0..1: ... and by at least this much over the next situation
SITUATION_CLEAR = 0.7  # 0..1: one statement this likely establishes a situation on its own
SITUATION_STATEMENTS = 2  # statements at ACT_THRESHOLD that establish a situation together
SITUATION_MIN_WORDS = 3  # a shorter sentence ("A house.", "Bye.") states no situation by meaning


@dataclass
class Outcome:
    """A criterion's verdict before points are attached."""

    result: str  # pass | fail | na
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.9
    fraction: float | None = None  # share of the points earned; default 1 for pass, 0 for fail
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    turn: int
    sentence: str
    kind: str


class Context:
    def __init__(
        self,
        item: Interaction,
        matcher: Matcher,
        metrics: dict[str, Any] | None = None,
        flags: list[Flag] | None = None,
        card_language: str = "en",
        campaigns: list[Campaign] | None = None,
        reader: str | None = None,
    ):
        self.item = item
        self.card_language = base(card_language) or "en"
        self.reader = reader  # who reads Chinese semantic phrases (None: qa.matching's default)
        self._readers: dict[tuple[int, str], str] = {}  # (turn, sentence): its reader
        self.flags = flags  # None: no campaigns were checked
        self.campaigns = campaigns  # the campaigns checked against, where known
        self.turns = item.turns
        self.matcher = matcher
        self._metrics = metrics
        self._acts: dict[tuple[str, str], dict[str, float]] = {}
        self._embedded = False

    @cached_property
    def metrics(self) -> dict[str, Any]:
        return self._metrics if self._metrics is not None else compute_metrics(self.item)

    @cached_property
    def end_time(self) -> float:
        ends = [max(t.end, t.start) for t in self.turns]
        return max([self.item.duration or 0.0, *ends]) if ends else 0.0

    def of(self, speaker: str) -> list[int]:
        return [i for i, t in enumerate(self.turns) if speaker == "any" or t.role == speaker]

    def window(self, speaker: str, window: Window | None) -> tuple[list[int], float, float]:
        """The speaker's turns inside the window, and the window's span in seconds."""
        idxs = self.of(speaker)
        start, end = 0.0, self.end_time
        if window is None:
            return idxs, start, end
        if window.first_seconds:
            end = window.first_seconds
            idxs = [i for i in idxs if self.turns[i].start < end]
        elif window.last_seconds:
            start = max(0.0, self.end_time - window.last_seconds)
            idxs = [i for i in idxs if max(self.turns[i].end, self.turns[i].start) >= start]
        elif window.first_turns:
            idxs = idxs[: window.first_turns]
            end = max([self.turns[i].end for i in idxs], default=0.0)
        elif window.last_turns:
            idxs = idxs[-window.last_turns :]
            start = min([self.turns[i].start for i in idxs], default=0.0)
        return idxs, start, end

    def texts(self, idxs: list[int]) -> dict[int, str]:
        return {i: self.turns[i].text for i in idxs}

    def find(
        self,
        spec: Phrases,
        idxs: list[int] | None = None,
        situation: bool = False,
        examples: Examples | None = None,
        infer_fuzzy: bool = False,
    ) -> list[Hit]:
        """Turns that say one of the phrases, or (where the list stands for a dialogue act)
        that perform the act: by meaning, with literal hits kept where the act is plausible."""
        idxs = self.of(spec.speaker) if idxs is None else idxs
        found = self._find(spec, idxs, situation, examples, infer_fuzzy)
        return self._taught(found, idxs, examples)

    def _taught(self, hits: list[Hit], idxs: list[int], examples: Examples | None) -> list[Hit]:
        """A trainer's examples rule word for word: a negative never counts, a positive does."""
        if examples is None or not (examples.positive or examples.negative):
            return hits
        negative = {normalise(e) for e in examples.negative}
        positive = {normalise(e) for e in examples.positive}
        kept = {h.turn: h for h in hits if normalise(h.sentence) not in negative}
        for i in idxs:
            said = next(
                (s for s in sentences(self.turns[i].text) if normalise(s) in positive), None
            )
            if i not in kept and said is not None:
                kept[i] = Hit(i, said, "example", 1.0)
        return [kept[i] for i in sorted(kept)]

    def _find(
        self,
        spec: Phrases,
        idxs: list[int],
        situation: bool,
        examples: Examples | None,
        infer_fuzzy: bool = False,
    ) -> list[Hit]:
        act = self.act_of(spec, situation, infer_fuzzy)
        if act is None:
            lang = self.pack_language or self.card_language
            found = self._literal_find(idxs, spec.phrases, spec.match, spec.threshold, lang)
            listed = self.lexical_list_act(spec) if not situation else None
            if listed is None:
                return found
            # A semantic list whose phrases say one act's cue words stands for that act:
            # sentences that perform it count beside those that resemble a phrase.
            by_turn = {h.turn: h for h in found}
            extra = _extra(list(spec.phrases), examples)
            for h in self.act_hits(listed, idxs, extra):
                by_turn.setdefault(h.turn, h)
            if not self._all_parts_said(listed, idxs):
                return []  # an act of several parts ("thanks, goodbye" and an offer of help)
            return [by_turn[i] for i in sorted(by_turn)]
        if infer_fuzzy and spec.match == "fuzzy" and not spec.act:
            # By meaning, but a name every phrase gives ("Tideline") must still be said.
            # And it speaks of what the list speaks of: asking for a date of birth is not
            # asking for meter readings, though both request data.
            names = list_names(spec.phrases)
            topic = set().union(*(stems(p) for p in spec.phrases))
            hits = self._by_act(spec, act, idxs, examples)
            return [
                h
                for h in hits
                if all(_says(n, h.sentence) for n in names)
                and (h.phrase != act or stems(h.sentence) & topic)
            ]
        return self._by_act(spec, act, idxs, examples)

    def _literal_find(
        self,
        idxs: list[int],
        phrases: list[str],
        mode: str,
        threshold: float | None,
        lang: str | None = None,
    ) -> list[Hit]:
        """The matcher's hits; where acts come from cue words, a short Chinese phrase is
        matched fuzzily only from ZH_FUZZY_MIN_CHARS characters up: below that one character
        is a word, and one changed changes the sense (我的账户 is not 您的账户, 八折 not 八五折,
        到什么时候 not 到底什么时候), so shorter ones must be said as written (in either script,
        numbers in digits or in words: 首年5折 is 首年五折). A longer one may differ, but
        never by a number (犹豫期十天内可以全额退 is not 犹豫期内可以全额退)."""
        texts = self.texts(idxs)
        if mode == "semantic":
            hits = self.matcher.find(texts, phrases, mode, threshold, lang, self.reader)
            self._readers.update({(h.turn, h.sentence): h.reader for h in hits if h.reader})
            return hits
        if self.language is not None or self.pack_language is None:
            return self.matcher.find(texts, phrases, mode, threshold, language=lang)
        # Code-switching: Chinese phrases are matched with the English words inside the
        # Chinese said in Chinese; quotes keep the sentence as it was written.
        switched = {i: self.switched(t) for i, t in texts.items()}
        chinese = [p for p in phrases if has_han(p)]
        short = [p for p in chinese if len(_HAN_CHARS.findall(p)) < ZH_FUZZY_MIN_CHARS]
        if mode != "fuzzy":
            short = []
        found = _said_as_written(switched, short)
        for said, listed in (
            (switched, [p for p in chinese if p not in short]),
            (texts, [p for p in phrases if not has_han(p)]),
        ):
            if listed:
                hits = self.matcher.find(said, listed, mode, threshold, language=lang)
                found += [h for h in hits if mode != "fuzzy" or _same_figures(h)]
        best: dict[int, Hit] = {}
        for h in found:
            if h.turn not in best or h.score > best[h.turn].score:
                best[h.turn] = h
        return [self._as_written(best[i], texts[i]) for i in sorted(best)]

    def switched(self, text: str) -> str:
        """The text with the English words of the pack's `english_terms` in Chinese (a
        line of English in a Chinese conversation as well)."""
        return english_in_chinese(text, self.cues("english_terms"), in_chinese=True)

    def _as_written(self, hit: Hit, text: str) -> Hit:
        """A hit found in a turn's code-switched reading, quoting the sentence as written."""
        parts = sentences(text)
        if hit.sentence in parts:
            return hit
        read = sentences(self.switched(text))
        if len(read) != len(parts) or hit.sentence not in read:
            return hit
        return Hit(hit.turn, parts[read.index(hit.sentence)], hit.phrase, hit.score)

    def _by_act(
        self, spec: Phrases, act: str, idxs: list[int], examples: Examples | None
    ) -> list[Hit]:
        literal_mode = "fuzzy" if spec.match == "semantic" else spec.match
        literal = self._literal_find(idxs, spec.phrases, literal_mode, spec.threshold)
        extra = _extra(spec.phrases if spec.match == "semantic" else [], examples)
        form = ACT_FORMS.get(act)
        found = {
            h.turn: h
            for h in self.act_hits(act, idxs, extra)
            if form is None or form(h.sentence, spec.phrases)
        }
        for h in literal:
            if h.turn in found:
                continue
            p = self.act_probability(h.sentence, act, extra)
            if self.language is None and not self._unless(act, normalise(h.sentence)):
                p = 1.0  # acts read from cue words: the card's own phrases are cue words too
            if p >= ACT_SUPPORT:
                found[h.turn] = Hit(h.turn, h.sentence, h.phrase, round(max(p, 0.5), 3))
        return [found[i] for i in sorted(found)]

    def act_of(
        self, spec: Phrases, situation: bool = False, infer_fuzzy: bool = False
    ) -> str | None:
        """The act a phrase list stands for: named, inferred, or literal matching. Fuzzy
        lists are inferred only where asked (what an agent must say, never what is
        forbidden: a false hit there fails the agent)."""
        if spec.act == LITERAL_ACT:
            return None
        if self.language is None:
            # No act examples in this language: an act is read from the pack's cue words
            # where the pack lists it, else the phrases are matched as they are.
            if spec.act:
                return spec.act if self.lexical_act(spec.act) else None
            # A situation list ("投诉", "住院", "太慢" ...) stands for the situation act most
            # of its phrases are cue words of: other words for it count too.
            return self._voted_act(spec.phrases, SITUATION_ACTS) if situation else None
        if spec.act:
            return spec.act
        if spec.match == "fuzzy" and infer_fuzzy and not situation and _model_at_hand(self.matcher):
            # A fuzzy list read by meaning only when nearly every phrase says the same act:
            # "you're through to Tideline" and "welcome to Tideline" both greet.
            return infer_act(tuple(spec.phrases), self.matcher, None, FUZZY_INFER_SHARE)
        if spec.match != "semantic" and not situation:
            return None
        return infer_act(tuple(spec.phrases), self.matcher, SITUATION_ACTS if situation else None)

    def act_probability(
        self, sentence: str, act: str, extra: dict[str, list[str]] | None = None
    ) -> float:
        key = (act, _key(extra))
        cache = self._acts.setdefault(key, {})
        if sentence in cache:
            return cache[sentence]
        if identifier_only(sentence):
            cache[sentence] = 0.0  # a number, a code, a date: it identifies, it does nothing
        elif self.language is None:
            cache[sentence] = self._lexical_probability(sentence, act, extra)
        if sentence not in cache:
            from qa.acts import classify

            self._embed_all()
            lang = self.language or "en"
            row = classify([sentence], [act], lang, _as_extra(act, extra), self.embedder)
            cache[sentence] = row[0][act]
        return cache[sentence]

    def act_sentences(
        self, act: str, idxs: list[int], extra: dict[str, list[str]] | None = None
    ) -> list[tuple[int, str, float]]:
        """(turn, sentence, probability) for every sentence of the turns, in order."""
        units = [(i, s) for i in idxs for s in sentences(self.turns[i].text)]
        if self.language is None:
            return [(i, s, self.act_probability(s, act, extra)) for i, s in units]
        self._embed_all()
        key = (act, _key(extra))
        cache = self._acts.setdefault(key, {})
        todo = list(dict.fromkeys(s for _, s in units if s not in cache and not identifier_only(s)))
        if todo:
            from qa.acts import classify

            rows = classify(todo, [act], self.language, _as_extra(act, extra), self.embedder)
            for s, row in zip(todo, rows, strict=True):
                cache[s] = row[act]
        # A sentence that only gives a number, a code or a date performs no act: heads
        # trained on sentences read such strings arbitrarily.
        return [(i, s, cache.get(s, 0.0)) for i, s in units]

    def act_hits(
        self,
        act: str,
        idxs: list[int],
        extra: dict[str, list[str]] | None = None,
        threshold: float = ACT_THRESHOLD,
    ) -> list[Hit]:
        """The most likely sentence per turn that performs the act."""
        best: dict[int, Hit] = {}
        for i, s, p in self.act_sentences(act, idxs, extra):
            if p >= threshold and (i not in best or p > best[i].score):
                best[i] = Hit(i, s, act, round(p, 3))
        return [best[i] for i in sorted(best)]

    def situation(self, spec: Phrases) -> list[Hit]:
        """Where the speaker is in the situation a condition's list stands for (a loss
        reported, a billing query, a move, something gone wrong, wanting to leave), or []
        when it never comes about. A listed word said where the situation is plausible
        counts; by meaning alone, the situation must be stated: once clearly, or in
        SITUATION_STATEMENTS sentences, never in a fragment ("A house.") or an identifier."""
        hits = self.find(spec, situation=True)
        act = self.act_of(spec, situation=True)
        if act is None or not hits:
            return hits
        idxs = self.of(spec.speaker)
        extra = _extra(list(spec.phrases) if spec.match == "semantic" else [], None)
        literal_mode = "fuzzy" if spec.match == "semantic" else spec.match
        said = [
            h
            for h in self.matcher.find(self.texts(idxs), spec.phrases, literal_mode, spec.threshold)
            if self.act_probability(h.sentence, act, extra) >= ACT_SUPPORT
        ]
        stated = [
            (i, s, p)
            for i, s, p in self.act_sentences(act, idxs, extra)
            # Heads misread fragments; acts read from cue words (no examples) do not.
            if p >= ACT_THRESHOLD and not (self.language is not None and fragment(s))
        ]
        clear = any(p >= SITUATION_CLEAR for _, _, p in stated)
        if not said and not clear and len(stated) < SITUATION_STATEMENTS:
            return []
        kept = {i for i, _, _ in stated} | {h.turn for h in said}
        return [h for h in hits if h.turn in kept]

    def agent_raises(self, spec: Phrases) -> bool:
        """Whether the agent raises what a list names (an `agent_mentions` condition). Where
        acts come from cue words (Chinese) and the list stands for no situation (products,
        offer terms), it is raised where it is offered: a listed phrase said of what the
        customer holds, or of an offer that is over or not open yet, raises nothing,
        and a product either side named is raised where the agent then states its terms
        without naming it (Chinese leaves it unsaid)."""
        hits = self.situation(spec)
        if self.language is not None or self.pack_language is None:
            return bool(hits)
        if self.act_of(spec, situation=True) is not None:
            return bool(hits)
        if any(self._offers(h.sentence) for h in hits):
            return True
        return any(self._offers(s) for _, s in self.lexical_pitches(spec))

    def _offers(self, sentence: str) -> bool:
        """A sentence that may offer what it names: not said of what the customer holds, of an
        offer that is over or not open yet (the pack's `act_unless` and `not_raised`)."""
        said = normalise(sentence)
        return not (self._unless("recommend", said) or self._pack_says("not_raised", said))

    def _embed_all(self) -> None:
        """Every sentence of the interaction that may perform an act, in one batch: acts
        then read them from the cache."""
        if not self._embedded:
            self._embedded = True
            expected = getattr(self.matcher, "embed_expected", None)
            if expected is not None:
                expected()  # the sentences of the interactions scored next, in one go
            self.embedder.embed(sentences_for_acts(self.item))

    @property
    def embedder(self) -> Any:
        return self.matcher.embedder

    @cached_property
    def text_language(self) -> str:
        """The interaction's language: as stored, else detected from its text (the card's
        language where the text is too short to tell)."""
        if self.item.language:
            return base(self.item.language)
        text = " ".join(t.text for t in self.turns)
        return detect_language(text, default=self.card_language)

    @cached_property
    def pack_language(self) -> str | None:
        """The language pack the cues come from: the interaction's language; None when
        there is no pack for it (criteria that need one are then N/A)."""
        lang = self.text_language
        return lang if has_pack(lang, "criteria") else None

    @cached_property
    def language(self) -> str | None:
        """The language of the dialogue-act examples used, or None where the pack's
        language has none (acts are then read from the pack's act cues)."""
        lang = self.pack_language
        return lang if lang in _languages() else None

    def cues(self, name: str) -> list[str]:
        """A cue list of the interaction's language pack (with the site's additions)."""
        if self.pack_language is None:
            return []
        return list(pack_lists(self.pack_language, "criteria").get(name, []))

    def pack_setting(self, name: str, default: str) -> str:
        """A setting of the interaction's language pack (a scalar entry), else `default`."""
        if self.pack_language is None:
            return default
        value = pack_lists(self.pack_language, "criteria").get(name)
        return value if isinstance(value, str) else default

    def lexical_act(self, act: str) -> bool:
        """Whether an act is read from cue words (a pack without act examples lists it)."""
        return self.language is None and bool(self._act_cues(act))

    def lexical_list_act(self, spec: Phrases) -> str | None:
        """In a language without act examples, the act a semantic phrase list stands for:
        the one whose cue words (or forms) most of its phrases say, if at least INFER_SHARE
        of them do. None for other lists and languages."""
        if self.language is not None or spec.match != "semantic" or spec.act or not spec.phrases:
            return None
        return self._voted_act(spec.phrases)

    def _voted_act(self, phrases: list[str], among: tuple[str, ...] | None = None) -> str | None:
        """The act (of `among`, else any the pack reads) whose cue words or forms most of the
        phrases say, if at least INFER_SHARE of them do."""
        if self.pack_language is None or not phrases:
            return None
        acts = pack_lists(self.pack_language, "criteria").get("act_cues") or {}
        votes = {
            act: sum(self._lexical_probability(p, act, None) >= 1.0 for p in phrases)
            for act in acts
            if among is None or act in among
        }
        best = max(votes, key=lambda a: votes[a], default=None)
        if best is None or votes[best] < max(1.0, INFER_SHARE * len(phrases)):
            return None
        return best

    def act_situation(self, criterion: Any) -> str | None:
        """Where acts come from cue words and a phrase list stands for an act whose situation
        the pack names (`act_situation`), whether it arises: "" when it does, the reason it
        is N/A when not; None for every other criterion and language. A check for
        understanding is wanted only where the agent explained something of several parts:
        an offer, an enumeration (第一……第二, 步骤, 以下几点), or one long explanation
        (SEVERAL_PARTS_CHARS characters in a turn), whatever the count of turns."""
        if getattr(criterion, "type", None) != "phrase.v1" or self.language is not None:
            return None
        act = self.lexical_list_act(criterion)
        if act is None or self.pack_language is None:
            return None
        situation = (pack_lists(self.pack_language, "criteria").get("act_situation") or {}).get(act)
        if situation != "several_parts":
            return None
        return "" if self._explained_several_parts() else "nothing of several parts explained"

    def _explained_several_parts(self) -> bool:
        for i in self.of("agent"):
            text = lang_normalise(self.turns[i].text, "zh")
            if len(_HAN_CHARS.findall(text)) >= SEVERAL_PARTS_CHARS:
                return True
            if self._pack_says("several_parts", normalise(text)) or _ENUMERATED.search(text):
                return True
            offered = any(
                self._lexical_probability(s, "recommend", None) >= 1.0
                for s in sentences(self.turns[i].text)
            )
            if offered and len(self._figures(text)) >= 2:
                return True  # an offer with its terms (a price and a discount, a limit)
        return False

    def _figures(self, simple: str) -> list[str]:
        """The figures of a (Simplified) text: digits, numerals of two characters, a numeral
        before a unit."""
        units = re.escape("".join(self.cues("specific_units")))
        return re.findall(
            rf"[0-9]+(?:[.,][0-9]+)*|[{_NUMERALS}]{{2,}}|[{_NUMERALS}][{units}]", simple
        )

    def _all_parts_said(self, act: str, idxs: list[int]) -> bool:
        """Where the pack makes an act of several parts (`act_all_of`), whether each part's
        cue words are said somewhere in the turns; True for other acts."""
        if self.pack_language is None:
            return True
        parts = (pack_lists(self.pack_language, "criteria").get("act_all_of") or {}).get(act)
        if not parts:
            return True
        said = [normalise(s) for i in idxs for s in sentences(self.turns[i].text)]
        return all(any(self._pack_says(part, s) for s in said) for part in parts)

    def _act_cues(self, act: str) -> list[str]:
        if self.pack_language is None:
            return []
        pack = pack_lists(self.pack_language, "criteria")
        names = (pack.get("act_cues") or {}).get(act, [])
        return [c for name in names for c in pack.get(name, [])]

    def _lexical_probability(
        self, sentence: str, act: str, extra: dict[str, list[str]] | None
    ) -> float:
        """1 where the sentence says one of the act's cue words (or a criterion's own
        positive phrases), 0 otherwise; a criterion's negative examples never count."""
        said = normalise(sentence)
        if extra and any(normalise(e) == said for e in extra.get("negative", [])):
            return 0.0
        read = normalise(self.switched(sentence))  # English words inside it said in Chinese
        if self._unless(act, read):
            return 0.0  # named, but said of something that is not this act
        if act == "recommend" and _open_question_about_them(self, sentence, read):
            return 0.0  # an open question about the customer asks, it offers nothing
        cues = self._act_cues(act) + list((extra or {}).get("positive", []))
        if any(self._says_cue(c, said, read) for c in cues if c.strip()):
            return 1.0
        if act == "restate_need" and self._checked_restatement(sentence):
            return 1.0
        form = _LEXICAL_FORMS.get(act)
        if form is not None and form(self, sentence, read):
            return 1.0
        return 0.0

    @staticmethod
    def _says_cue(cue: str, said: str, read: str) -> bool:
        """Whether a (normalised) sentence says a cue: an English one as written, a Chinese
        one in its code-switched reading, where English words the pack does not translate
        (a product's name, "my") do not stand between its characters ("取消 my Plus 会员"
        says 取消会员)."""
        wanted = f" {normalise(cue)} "
        if not has_han(cue):
            return wanted in f" {said} "
        return wanted in f" {read} " or wanted in f" {_without_english(read)} "

    def _unless(self, act: str, said: str) -> bool:
        """Whether the (normalised) sentence says a cue of the pack's `act_unless` lists for
        the act: named, but said of something that is not this act."""
        if self.pack_language is None:
            return False
        names = (pack_lists(self.pack_language, "criteria").get("act_unless") or {}).get(act, [])
        return any(self._pack_says(n, said) for n in names)

    def echoes(self, sentence: str, earlier: str, phrases: list[str]) -> bool:
        """Whether every cue (of the act's pack cues and the given phrases) that a sentence
        says was already said in `earlier`: "您的保单贷款本金两万元" after the customer spoke of
        their 保单贷款 names what they hold, it proposes nothing new."""
        said, before = normalise(sentence), normalise(earlier)
        cues = [normalise(c) for c in [*self._act_cues("retention_move"), *phrases] if c.strip()]
        used = [c for c in cues if c in said]
        return bool(used) and all(c in before for c in used)

    def takes_up(self, raised: str, reply: str, script_words: set[str]) -> bool:
        """Whether a reply takes up what the customer raised: it uses their words, beyond the
        script's own. Chinese runs words together and the segmenter cuts one word two ways in
        two sentences (血压高 / 血压), so Chinese words are compared by their runs of two
        characters; and a figure the customer asked for (多少, 几, 多久 …: the pack's
        `question_figure`) that the reply states is answered, whatever words carry it."""
        if not is_chinese_text(raised):
            return bool((content_words(raised) & content_words(reply)) - script_words)
        shared = _pairs(content_words(raised)) & _pairs(content_words(reply))
        if shared - _pairs(script_words):
            return True
        asked = [s for s in sentences(raised) if question_kind(s)]
        return any(self._pack_says("question_figure", normalise(s)) for s in asked) and (
            self._has_figure(reply)
        )

    def _has_figure(self, text: str) -> bool:
        """Digits or a currency sign, a numeral of two characters or one before a unit."""
        simple = lang_normalise(text, "zh")
        if _FIGURE.search(simple):
            return True
        units = "".join(self.cues("specific_units"))
        return bool(units) and bool(re.search(f"[{_NUMERALS}][{re.escape(units)}]", simple))

    @cached_property
    def campaigns_named(self) -> set[str] | None:
        """The campaigns whose product either side names (ids); None where the campaigns
        checked against are not known."""
        if self.campaigns is None:
            return None
        from qa.campaigns.check import named_campaigns

        return {c.id for t in self.turns for c in named_campaigns(t.text, self.campaigns)}

    def wrong_figures(self, turns: list[int], key_phrases: list[str] | None = None) -> Flag | None:
        """A campaign flag that says the agent got a fact wrong (a contradiction or a retired
        claim) in one of these turns: an explanation with a wrong key figure is no good one.
        With the campaigns known, a contradiction counts only for a fact the key points speak
        of (a word of its `about` in one of `key_phrases`): a wrong end date of an offer is
        no wrong figure of the product explained."""
        for flag in self.flags or []:
            if flag.kind not in (FlagKind.CONTRADICTION, FlagKind.RETIRED_CLAIM):
                continue
            if not any(e.turn in turns for e in flag.evidence):
                continue
            if flag.kind == FlagKind.RETIRED_CLAIM or self._key_fact(flag, key_phrases):
                return flag
        return None

    def _key_fact(self, flag: Flag, key_phrases: list[str] | None) -> bool:
        """Whether the contradicted fact is one the key points speak of (True where the
        campaigns or key points are not known)."""
        if self.campaigns is None or key_phrases is None:
            return True
        camp = next((c for c in self.campaigns if c.id == flag.campaign), None)
        fact_id = (flag.fact or "").split(":")[0].strip()
        fact = next((f for f in camp.facts if f.id == fact_id), None) if camp else None
        if fact is None:
            return True
        said = [lang_normalise(p, "zh") for p in key_phrases]
        about = [lang_normalise(a, "zh") for a in fact.about if a.strip()]
        return any(a in p for a in about for p in said)

    def _pack_says(self, name: str, said: str) -> bool:
        """Whether the (normalised) sentence says an entry of the pack's list `name`."""
        if self.pack_language is None:
            return False
        entries = pack_lists(self.pack_language, "criteria").get(name, [])
        read = normalise(self.switched(said))
        return any(self._says_cue(e, said, read) for e in entries if e.strip())

    def _checked_restatement(self, sentence: str) -> bool:
        """'您是想……对吗？', '您主要是担心利息太高，对吧？': a statement of the customer's wish, worry
        or reason (not of what the agent will do), ended by a tag that asks them to confirm."""
        if self.pack_language is None:
            return False
        tags = pack_lists(self.pack_language, "criteria").get("restate_tags", [])
        core = normalise(sentence).replace(" ", "")
        said = normalise(sentence)
        return (
            bool(tags)
            and len(core) >= RESTATE_MIN_CHARS
            and any(core.endswith(normalise(t).replace(" ", "")) for t in tags)
            and self._pack_says("restate_about", said)
            and not self._pack_says("restate_not", said)
        )

    def lexical_pitches(self, spec: Phrases) -> list[tuple[int, str]]:
        """Offers where acts come from cue words: once either side has named one of the
        listed products, an agent sentence that states offer terms (a `recommend` cue, not
        said of what the customer holds nor of an offer that is over; an open question about
        the customer asks, it offers nothing). Chinese leaves the
        product unsaid once it is the topic ("可以的，现在首年还打八五折"). The first such
        sentence per turn."""
        named = self.find(spec.model_copy(update={"act": LITERAL_ACT, "speaker": "any"}))
        if not named:
            return []
        first = min(h.turn for h in named)
        out = []
        for i in self.of("agent"):
            if i < first:
                continue
            said = next(
                (
                    s
                    for s in sentences(self.turns[i].text)
                    if self._lexical_probability(s, "recommend", None) >= 1.0
                ),
                None,
            )
            if said is not None:
                out.append((i, said))
        return out

    def turns_to_offer(self, complaints: dict[int, str]) -> dict[int, str]:
        """Where acts come from cue words: customer turns, after the agent has answered a
        complaint, that ask whether or how they can have an offer ("那我可以加入吗？") and
        complain of nothing: the customer has left the problem behind of their own accord."""
        if not complaints:
            return {}
        first = min(complaints)
        replied = [i for i in self.of("agent") if i > first]
        out: dict[int, str] = {}
        for j in self.of("customer"):
            if not replied or j < replied[0] or j in complaints:
                continue
            asked = next(
                (
                    s
                    for s in sentences(self.turns[j].text)
                    if question_kind(s) and self._pack_says("asks_offer", normalise(s))
                ),
                None,
            )
            if asked is not None and not self.act_hits("complaint", [j]):
                out[j] = asked
        return out

    def answers_asked(self, turn: int) -> bool:
        """Whether an agent turn answers what the customer just asked (a question that does
        not ask for advice): "一年要多少？" answered with the price is not yet a recommendation."""
        before = [i for i in range(turn) if self.turns[i].role != "system"]
        if not before or self.turns[before[-1]].role != "customer":
            return False
        asked = self.turns[before[-1]].text
        if not any(question_kind(s) for s in sentences(asked)):
            return False
        return not self._pack_says("asks_advice", normalise(asked))

    def details_told(self, event: Event) -> list[tuple[int, str]]:
        """Where, in a language without act examples, the agent tells the customer a detail of
        something they hold (order.v1's later step): a sentence, never an offer, that speaks
        to the customer, names what they hold (an `account_nouns` entry,
        or the card's own phrase without its 您的) and gives a specific (a figure, an amount,
        a date, or a status such as 在保障期内). A listed phrase said without a specific
        ("续期保费确实不少", echoing the customer) tells nothing."""
        nouns = [*self.cues("account_nouns"), *self._own_nouns(event.phrases or [])]
        spoken = self.of(event.speaker)
        found: dict[int, str] = {}
        for i in spoken:
            for s in sentences(self.turns[i].text):
                said = normalise(s)
                if not self._specific(s, said):
                    continue  # a question with no figure asks, it tells nothing
                if self._lexical_probability(s, "recommend", None) >= 1.0:
                    continue  # an offer's terms, not a detail of what the customer holds
                if self._pack_says("yours", said) and any(normalise(n) in said for n in nouns):
                    found.setdefault(i, s)
                    break
        return sorted(found.items())

    def _own_nouns(self, phrases: list[str]) -> list[str]:
        """A card's detail phrases without the possessive ("您的订单" → "订单")."""
        owners = sorted(self.cues("yours"), key=len, reverse=True)
        out = []
        for p in phrases:
            simple = lang_normalise(p, "zh").strip()
            for o in owners:
                if simple.startswith(o):
                    simple = simple[len(o) :]
                    break
            if len(simple) >= 2:
                out.append(simple)
        return out

    def _specific(self, sentence: str, said: str) -> bool:
        """A figure, an amount, a date or a status: digits or a currency sign, a numeral of
        two characters or one before a unit (二十, 五千八, 三天, 八号), or a `status` entry."""
        return self._has_figure(sentence) or self._pack_says("status", said)

    def questions(self, speaker: str = "agent", idxs: list[int] | None = None) -> list[Question]:
        out = []
        for i in self.of(speaker) if idxs is None else idxs:
            for sent in sentences(self.turns[i].text):
                kind = question_kind(sent)
                if kind:
                    out.append(Question(i, sent, kind))
        return out

    def event(self, event: Event) -> list[tuple[int, str]]:
        """Where an event happens: (turn, quote), in turn order."""
        found: dict[int, str] = {}
        if event.phrases:
            spec = Phrases(
                phrases=event.phrases,
                match=event.match,
                threshold=event.threshold,
                speaker=event.speaker,
            )
            found.update({h.turn: h.sentence for h in self.find(spec)})
        if event.question:
            for q in self.questions(event.speaker):
                if event.question in ("any", q.kind) and q.turn not in found:
                    found[q.turn] = q.sentence
        return sorted(found.items())

    def evidence(self, turn: int, quote: str | None = None) -> Evidence:
        t = self.turns[turn]
        text = quote if quote is not None else t.text
        return Evidence(
            turn=turn,
            role=t.role,
            start=t.start,
            end=t.end,
            quote=_clip(text),
            reader=self._readers.get((turn, text)),
        )

    def window_evidence(
        self, start: float, end: float, note: str, role: str | None = None
    ) -> Evidence:
        """Evidence for something not found: the span that was searched."""
        return Evidence(turn=None, role=role, start=round(start, 2), end=round(end, 2), quote=note)


_HAN_CHARS = re.compile(f"[{HAN}]")
# An enumeration: 第一，……第二， / 一、……二、 / 1. … 2. / ① …
_ENUMERATED = re.compile(
    r"第[一二三四五1-5][，,、：:]|(?:^|[\s。：:；;])[一二三四五1-5][、．.)）]|[①②③④]"
)
_NUMERALS = "零〇一二两三四五六七八九十百千万亿半"
_FIGURE = re.compile(rf"[0-9$¥￥£€]|[{_NUMERALS}]{{2,}}")


def _pairs(words: set[str]) -> set[str]:
    """Chinese words as their runs of two characters (a word of other letters stays whole);
    a single character says too little to count."""
    out: set[str] = set()
    for w in words:
        if has_han(w):
            out |= {w[i : i + 2] for i in range(len(w) - 1)}
        else:
            out.add(w)
    return out


def _open_question_about_them(ctx: Context, sentence: str, said: str) -> bool:
    """A discovery question read from its form: an open question put to the customer
    (您/你), neither a request for data nor an offer of help."""
    return (
        question_kind(sentence) == "open"
        and ctx._pack_says("addressee", said)
        and not ctx._pack_says("data_request", said)
        and not ctx._pack_says("help_offer", said)
    )


def _same_figures(hit: Hit) -> bool:
    """Whether a near match of a Chinese phrase leaves its numbers as they are: the
    characters the sentence adds or drops within the matched stretch hold no number."""
    from difflib import SequenceMatcher

    phrase, said = lang_normalise(hit.phrase, "zh"), lang_normalise(hit.sentence, "zh")
    blocks = [
        b
        for b in SequenceMatcher(None, phrase, said, autojunk=False).get_matching_blocks()
        if b.size
    ]
    if not blocks:
        return True
    span = said[blocks[0].b : blocks[-1].b + blocks[-1].size]
    kept = "".join(phrase[b.a : b.a + b.size] for b in blocks)
    added = [c for c in span if c in _NUMERALS or c.isdigit()]
    wanted = [c for c in phrase if c in _NUMERALS or c.isdigit()]
    return sorted(added) == sorted(wanted) and all(c in kept for c in wanted)


def _without_english(said: str) -> str:
    """A normalised Chinese sentence without its words in Latin letters (digits stay)."""
    return " ".join(w for w in said.split() if not (w.isascii() and w.isalpha()))


# Words that only link a term to its figure: a copula before it (等待期是90天, 犹豫期有15天),
# a 的 after a figure with its unit (15天的犹豫期). Read on Simplified text, numbers in digits.
_FIGURE_LINK = re.compile(
    rf"(?<=[{HAN}])\s*(?:只有|就是|都是|是|为|有)\s*(?=\d)|(?<=\d[天日周月年岁元块万])\s*的\s*(?=[{HAN}])"
)


def _said_as_written(texts: dict[int, str], phrases: list[str]) -> list[Hit]:
    """The first sentence per turn that says one of the Chinese phrases as written: compared
    in Simplified script with Chinese numbers in digits, and without the words that only
    link a term to its figure ("犹豫期是十五天" says 犹豫期十五天, "十五天的犹豫期" 十五天犹豫期)."""
    if not phrases:
        return []
    from qa.statements.zh_quantities import zh_digits

    wanted = [(p, f" {normalise(zh_digits(p))} ") for p in phrases]
    out = []
    for idx, text in texts.items():
        for sent in sentences(text):
            digits = zh_digits(lang_normalise(sent, "zh"))
            said = f" {normalise(digits)} "
            linked = f" {normalise(_FIGURE_LINK.sub('', digits))} "
            phrase = next((p for p, w in wanted if w in said or w in linked), None)
            if phrase is not None:
                out.append(Hit(idx, sent, phrase, 1.0))
                break
    return out


def _asks_if_understood(ctx: Context, sentence: str, said: str) -> bool:
    """A check for understanding read from its form: a question whose last clause asks about
    being clear (清楚/明白/疑问 …), not a question for anything else ("明白，…对吗？")."""
    last = re.split(r"[,，、;；:：]", sentence.strip())[-1]
    asked = question_kind(sentence.strip().rstrip("。.！!") + "？")  # cards write none
    return bool(asked) and ctx._pack_says("understanding_words", normalise(last))


def _asks_what_lies_behind(ctx: Context, sentence: str, said: str) -> bool:
    """A retention move read from its form: a question to the customer about their
    situation or reasons (open or either-or), not a request for data, an offer of help or a
    confirmation that they mean to leave."""
    return (
        question_kind(sentence) is not None
        and ctx._pack_says("addressee", said)
        and not ctx._pack_says("data_request", said)
        and not ctx._pack_says("help_offer", said)
        and not ctx._pack_says("confirm_leaving", said)
    )


def _holds_to_a_promise(ctx: Context, sentence: str, said: str) -> bool:
    """A complaint read from its form: a question that holds the company to what it said or
    promised ("不是说……吗？"), not a plain "不是说这个" that only corrects a misunderstanding.
    Speech recognised without punctuation runs the question on into what follows ("不是说
    九十九吗这个月怎么扣了更多"): a 吗 after the promise asks all the same."""
    if not ctx._pack_says("promised", said):
        return False
    if question_kind(sentence) is not None:
        return True
    run = said.replace(" ", "")
    for promise in ctx.cues("promised"):
        at = run.find(normalise(promise).replace(" ", ""))
        if at >= 0 and re.search("[吗嘛]", run[at:]):
            return True
    return False


# Acts read from a sentence's form where a pack has no act examples (beside cue words).
_LEXICAL_FORMS: dict[str, Callable[[Context, str, str], bool]] = {
    "complaint": _holds_to_a_promise,
    "discovery_question": _open_question_about_them,
    "check_understanding": _asks_if_understood,
    "retention_move": _asks_what_lies_behind,
}


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"


def _extra(phrases: list[str], examples: Examples | None) -> dict[str, list[str]] | None:
    positive = list(phrases) + (list(examples.positive) if examples else [])
    negative = list(examples.negative) if examples else []
    return {"positive": positive, "negative": negative} if positive or negative else None


def _as_extra(act: str, extra: dict[str, list[str]] | None) -> dict[str, dict[str, list[str]]]:
    return {act: extra} if extra else {}


def _key(extra: dict[str, list[str]] | None) -> str:
    if not extra:
        return ""
    return "\x1f".join(extra.get("positive", [])) + "\x1e" + "\x1f".join(extra.get("negative", []))


def _languages() -> tuple[str, ...]:
    from qa.acts.data import languages

    return languages()


_inferred: dict[tuple[tuple[str, ...], tuple[str, ...] | None], str | None] = {}


def infer_act(
    phrases: tuple[str, ...],
    matcher: Matcher,
    among: tuple[str, ...] | None = None,
    agree: float | None = None,
) -> str | None:
    """The act that most of the phrases perform, if one does (cached per process). With
    `agree`, the act must be the likeliest one for that share of the phrases and, on
    average over them, reach ACT_THRESHOLD."""
    if agree is not None:
        return _agreed_act(phrases, matcher, agree)
    key = (phrases, among)
    if key not in _inferred:
        from qa.acts import classify, known_acts

        acts = list(among) if among else known_acts()
        rows = classify(list(phrases), acts, embedder=matcher.embedder)
        votes: dict[str, int] = {}
        for row in rows:
            ranked = sorted(row, key=lambda a: row[a], reverse=True)
            top = ranked[0]
            if among and len(ranked) > 1:
                # A situation list is mostly single words ("complaint", "faulty", "fed up"),
                # which no head reads as sure as a sentence: each word votes for the
                # situation its heads rank first, when clearly first.
                second = row[ranked[1]]
                if row[top] >= SITUATION_VOTE and row[top] - second >= SITUATION_MARGIN:
                    votes[top] = votes.get(top, 0) + 1
            elif row[top] >= ACT_THRESHOLD:
                votes[top] = votes.get(top, 0) + 1
        best = max(votes, key=lambda a: votes[a], default=None)
        _inferred[key] = (
            best if best is not None and votes[best] >= INFER_SHARE * len(phrases) else None
        )
    return _inferred[key]


_agreed: dict[tuple[tuple[str, ...], float, str], str | None] = {}


def _model_at_hand(matcher: Matcher) -> bool:
    """Whether the text model is installed: without it (the core install) a fuzzy list is
    matched fuzzily, as it always was, and never asks for the models extra."""
    import os

    from qa.models.registry import REGISTRY, available
    from qa.models.text import DEFAULT_TEXT_MODEL, TEXT_MODEL_ENV

    if getattr(matcher, "_embedder", None) is not None:  # one is there already
        return True
    spec = REGISTRY.get(os.environ.get(TEXT_MODEL_ENV) or DEFAULT_TEXT_MODEL)
    return spec is None or available(spec)


def _agreed_act(phrases: tuple[str, ...], matcher: Matcher, agree: float) -> str | None:
    key = (phrases, agree, str(getattr(matcher.embedder, "model_name", "")))
    if key not in _agreed:
        from qa.acts import classify, known_acts

        rows = classify(list(phrases), known_acts(), embedder=matcher.embedder)
        tops = [max(row, key=lambda a: row[a]) for row in rows]
        best = max(set(tops), key=tops.count, default=None)
        ok = (
            best is not None
            and tops.count(best) >= agree * len(phrases)
            and sum(row[best] for row in rows) / len(rows) >= ACT_THRESHOLD
        )
        _agreed[key] = best if ok else None
    return _agreed[key]


_WORD = re.compile(r"[^\W_]+(?:['’./-][^\W_]+)*")
_CODE = re.compile(r"^[A-Za-z]{0,4}[-/.]?\d[\dA-Za-z/.-]*$")  # TL-2291834, 9HJ, 07/11/1996
_NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
    "ninety hundred thousand double triple first second third fourth fifth sixth seventh "
    "eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth twentieth thirtieth january february march april may june july "
    "august september october november december".split()
)
_LABEL_WORDS = frozenset(
    "my the is it's its it that's and of a an oh number no account policy reference ref "
    "postcode post code zip date birth dob phone mobile card customer id membership "
    "order claim passcode letters letter characters character digits digit yes yeah sure "
    "ok okay on at in".split()
)


@lru_cache(maxsize=65536)  # asked of the same sentence by every criterion that reads acts
def identifier_only(sentence: str) -> bool:
    """A sentence that only gives an identifier: an account, policy or phone number, a
    postcode, a date of birth, passcode characters ("Account number TL-2291834.",
    "Twelfth of May, eighty-one, AB1 2CD.", "Second is R, fourth is 7.")."""
    words = _WORD.findall(sentence)
    if not words:
        return False
    ident = False
    for w in words:
        low = w.lower().replace("’", "'")
        if _CODE.match(w) or all(p in _NUMBER_WORDS for p in low.split("-")):
            ident = True
        elif len(w) == 1 and w.isascii() and w.isalpha():
            continue  # a passcode character
        elif low not in _LABEL_WORDS:
            return False
    return ident


def sentences_for_acts(item: Interaction) -> list[str]:
    """The sentences of an interaction that a dialogue act is read from: every one but
    those that only give an identifier (they perform no act, see identifier_only)."""
    return [s for t in item.turns for s in sentences(t.text) if not identifier_only(s)]


def fragment(sentence: str) -> bool:
    """Too short to state a situation: "A house.", "Bye.", "Sure, go on." """
    if re.search(r"[\u3040-\u9fff]", sentence):  # no spaces between words: count characters
        return len(re.sub(r"\W", "", sentence)) < 2 * SITUATION_MIN_WORDS
    return len(_WORD.findall(sentence)) < SITUATION_MIN_WORDS


def list_names(phrases: list[str]) -> list[str]:
    """Names that every phrase of a list gives: words written with a capital in each one
    ("Tideline" in "thanks for calling Tideline" and "Tideline Mobile, ...")."""
    common: set[str] | None = None
    for phrase in phrases:
        caps = {w for w in re.findall(r"[^\W\d_][\w'-]*", phrase) if w[0].isupper() and w != "I"}
        words = {w.lower() for w in caps} - STOPWORDS
        common = words if common is None else common & words
    return sorted(common or [])


def stems(text: str) -> set[str]:
    """Content words without their commonest endings: 'readings' and 'read' meet."""
    out = set()
    for w in content_words(text):
        for suffix in ("ings", "ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.add(w)
    return out


def _says(name: str, sentence: str) -> bool:
    return f" {name} " in f" {normalise(sentence)} "


_INTRO_BEFORE = re.compile(
    r"\b(?:i'm|i am|my name's|my name is|this is|it's|speaking with|through to|talking to|"
    r"chatting with|talking with)\s+([A-Z][a-z]+)"
)
_INTRO_AFTER = re.compile(r"\b([A-Z][a-z]+)\s+(?:speaking|here|at|from)\b")


def introduces_someone(sentence: str, phrases: list[str]) -> bool:
    """A greeting by meaning gives the agent's own name: "Priya at ...", "I'm Sam",
    "... Dan speaking". A company name from the list is not someone's name."""
    names = set(list_names(phrases))
    text = re.sub(
        r"(?i)\b(i'm|i am|my name's|my name is|this is|it's)\b",
        lambda m: m.group(0).lower(),
        sentence,
    )
    found = [m.group(1) for r in (_INTRO_BEFORE, _INTRO_AFTER) for m in r.finditer(text)]
    return any(n.lower() not in names and n.lower() not in STOPWORDS for n in found)


_introduces_someone = introduces_someone  # the name the tests and earlier callers know

# What an act's sentence must also show when it is found by meaning, not by a listed phrase.
ACT_FORMS: dict[str, Callable[[str, list[str]], bool]] = {"greet": introduces_someone}
