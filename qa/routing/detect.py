"""What kind of contact an interaction is: its work type, direction and contact reason.

Metadata wins: a manifest's ``work_type`` (or a ``queue`` or ``campaign`` the taxonomy maps to
a type) decides the type, and its ``direction`` the direction, each with confidence 1 and source
``metadata``. What metadata leaves open is read from the conversation:

- **direction**: who opened the contact and how. The agent's first words are compared with each
  direction's opening cues and examples ("thank you for calling" / "I'm calling from" /
  "I'm calling you back about"); a customer who writes or speaks first with a request points
  inbound.
- **work type**: among the types of each direction, the customer's turns are compared with what
  the customer says in that type (a return, a complaint, an order, a question) and the agent's
  turns with what the agent says or offers in it (a renewal, a survey, a welcome call).
- **contact reason**: among the reasons the decided type covers.

Each comparison is lexical (the taxonomy's cue phrases) plus semantic (similarity of the
sentences to the taxonomy's example utterances, with the text embedder scoring uses). The
scores of all candidates become a confidence by a softmax; below the taxonomy's
``min_confidence`` the taxonomy's default type is given with source ``default``. The turns
that carried the decision are kept as :class:`Clue`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from qa.model import Interaction
from qa.routing.decision import Clue, Decided, WorkTypeDecision
from qa.routing.taxonomy import Taxonomy, load_taxonomy
from qa.text import normalise, sentences
from qa.vocabulary import Channel, Direction, RoutingSource

# How sharply scores become confidences (a softmax temperature): lower is more decisive.
TEMPERATURE = 0.1
# Turns after this many of one role weigh less: the kind of a contact shows early.
EARLY_TURNS = 6
LATE_WEIGHT = 0.6
# At most this many sentences per role and interaction are compared by meaning.
MAX_SENTENCES = 40
# A similarity this low means nothing; this high, a paraphrase (cosine, unit vectors).
SIM_FLOOR, SIM_CEIL = 0.20, 0.60
# What the lexical and the semantic evidence weigh in a type's score (they sum to 1).
LEXICAL_WEIGHT = 0.65
# How much one matching cue adds before saturation: 1 - exp(-CUE_GAIN * cues).
CUE_GAIN = 0.8
# What the opening weighs against what the rest says, in a type's score.
DIRECTION_WEIGHT = 1.0
# What an opening's likeness to the examples adds to its cues.
OPENING_SEMANTIC = 0.5
# A first customer reply this short, to an agent who spoke first, answers a call we made.
SHORT_REPLY_WORDS = 6
# An agent's first turn this short is a greeting that invites the customer to speak.
GREETING_WORDS = 12
# Less evidence than this for the best type (cues, likeness, opening; no priors) decides
# nothing, however far ahead of the others it is.
MIN_SUPPORT = 0.3
# Most contacts are inbound: the centre calling needs its own evidence.
INBOUND_PRIOR = 0.3
# A first customer turn this short on a call is picking up the phone ("Hello?").
ANSWER_WORDS = 3
# A first customer turn this long, after a greeting that starts nothing, tells their own story.
LONG_REQUEST_WORDS = 10
# The direction an undecided contact is given (source default).
DEFAULT_DIRECTION = Direction.INBOUND
UNSPECIFIED = "unspecified"
# The last scores per interaction id, for bench/bench_routing.py --details.
SCORES: dict[str, dict[str, dict[str, float]]] = {}
MAX_CLUES = 8


@dataclass
class _Line:
    turn: int
    role: str
    text: str
    norm: str
    weight: float
    sentences: tuple[str, ...]


@dataclass
class _Compiled:
    """The taxonomy's cues as patterns and its examples as one list to embed."""

    type_cues: dict[tuple[str, str], list[tuple[str, re.Pattern[str]]]]
    reason_cues: dict[str, list[tuple[str, re.Pattern[str]]]]
    opening_cues: dict[str, list[tuple[str, re.Pattern[str]]]]
    customer_opening_cues: dict[str, list[tuple[str, re.Pattern[str]]]]
    examples: list[str]
    # (kind, key) -> indexes into examples; kind is "type:<role>", "reason", "opening",
    # "customer_opening".
    example_index: dict[tuple[str, str], list[int]]
    vectors: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=8192)
def cue_pattern(cue: str) -> re.Pattern[str]:
    """A cue phrase as a pattern on normalised text: whole words, ``*`` any ending or word.
    Kept for the process: each loaded taxonomy compiles its hundreds of cues, more than
    the `re` module's own cache keeps."""
    parts: list[str] = []
    for piece in cue.split():
        if piece == "*":
            parts.append(r"\S+")
            continue
        stem = piece.endswith("*")
        words = normalise(piece.rstrip("*")).split()
        if not words:
            continue
        body = r"\s".join(re.escape(w) for w in words)
        parts.append(body + (r"\S*" if stem else ""))
    return re.compile(r"(?<!\S)" + r"\s".join(parts) + r"(?!\S)")


def _compile(taxonomy: Taxonomy) -> _Compiled:
    cache = taxonomy.__dict__.setdefault("_detect_cache", {})
    if "compiled" in cache:
        found: _Compiled = cache["compiled"]
        return found
    examples: list[str] = []
    index: dict[tuple[str, str], list[int]] = {}

    def add(kind: str, key: str, texts: Sequence[str]) -> None:
        for t in texts:
            index.setdefault((kind, key), []).append(len(examples))
            examples.append(t)

    def pats(cues: Sequence[str]) -> list[tuple[str, re.Pattern[str]]]:
        return [(c, cue_pattern(c)) for c in cues]

    type_cues = {}
    for name, spec in taxonomy.types.items():
        for role in ("customer", "agent"):
            type_cues[(name, role)] = pats(getattr(spec.cues, role))
            add(f"type:{role}", name, getattr(spec.examples, role))
    reason_cues = {}
    for name, cs in taxonomy.reasons.items():
        reason_cues[name] = pats(cs.cues)
        add("reason", name, cs.examples)
    opening, customer_opening = {}, {}
    for d, ds in taxonomy.directions.items():
        opening[d] = pats(ds.opening.cues)
        customer_opening[d] = pats(ds.customer_opening.cues)
        add("opening", d, ds.opening.examples)
        add("customer_opening", d, ds.customer_opening.examples)
    compiled = _Compiled(type_cues, reason_cues, opening, customer_opening, examples, index)
    cache["compiled"] = compiled
    return compiled


def _lines(item: Interaction) -> list[_Line]:
    out: list[_Line] = []
    seen: dict[str, int] = {}
    for i, turn in enumerate(item.turns):
        if turn.role not in ("agent", "customer") or not (turn.text or "").strip():
            continue
        n = seen[turn.role] = seen.get(turn.role, 0) + 1
        out.append(
            _Line(
                turn=i,
                role=turn.role,
                text=turn.text,
                norm=normalise(turn.text),
                weight=1.0 if n <= EARLY_TURNS else LATE_WEIGHT,
                sentences=sentences(turn.text),
            )
        )
    return out


def _opening(lines: list[_Line], channel: str) -> tuple[list[_Line], list[_Line], str | None, bool]:
    """The agent's opening turns, the customer's first turn, who spoke first, and whether the
    customer only answered the phone ("Hello?"): then the agent's next words open the call."""
    answered = (
        channel == Channel.VOICE
        and len(lines) > 1
        and lines[0].role == "customer"
        and len(lines[0].norm.split()) <= ANSWER_WORDS
    )
    if answered:
        lines = lines[1:]
    first = lines[0].role if lines else None
    head = lines[:3]
    agent = [ln for ln in head if ln.role == "agent"][:2]
    customer = [ln for ln in lines[:2] if ln.role == "customer"][:1]
    return agent, customer, first, answered


def _saturate(x: float) -> float:
    return 1.0 - math.exp(-CUE_GAIN * x)


def _sim_scale(s: float) -> float:
    return min(1.0, max(0.0, (s - SIM_FLOOR) / (SIM_CEIL - SIM_FLOOR)))


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    exps = {k: math.exp((v - top) / TEMPERATURE) for k, v in scores.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}


@dataclass
class _Hit:
    line: _Line
    quote: str
    score: float


def _quote(line: _Line, pattern: re.Pattern[str] | None = None) -> str:
    if pattern is not None:
        for s in line.sentences:
            if pattern.search(normalise(s)):
                return s
    return line.sentences[0] if line.sentences else line.text


def _lexical(
    lines: Sequence[_Line], cues: list[tuple[str, re.Pattern[str]]]
) -> tuple[float, list[_Hit]]:
    """Each cue counts once, at its best-weighted turn."""
    best: dict[str, _Hit] = {}
    for cue, pat in cues:
        for ln in lines:
            if pat.search(ln.norm) and (cue not in best or ln.weight > best[cue].score):
                best[cue] = _Hit(ln, _quote(ln, pat), ln.weight)
    hits = list(best.values())
    return _saturate(sum(h.score for h in hits)), hits


class _Semantic:
    """Similarities of an interaction's sentences to the taxonomy's examples."""

    def __init__(self, sims: Any, owners: list[tuple[_Line, str]], compiled: _Compiled):
        self.sims = sims  # sentences x examples
        self.owners = owners
        self.compiled = compiled

    def best(self, kind: str, key: str, lines: Sequence[_Line]) -> tuple[float, _Hit | None]:
        idx = self.compiled.example_index.get((kind, key))
        if not idx or self.sims is None:
            return 0.0, None
        wanted = {id(ln) for ln in lines}
        rows = [r for r, (ln, _) in enumerate(self.owners) if id(ln) in wanted]
        if not rows:
            return 0.0, None
        block = self.sims[rows][:, idx].max(axis=1)
        weights = [self.owners[r][0].weight for r in rows]
        scored = [_sim_scale(float(s)) * w for s, w in zip(block, weights, strict=True)]
        k = max(range(len(rows)), key=lambda j: scored[j])
        line, sent = self.owners[rows[k]]
        return scored[k], _Hit(line, sent, round(float(block[k]), 3))


def _embedder(embedder: Any) -> Any:
    if embedder is not None:
        return embedder
    from qa.models.text import TextEmbedder

    return TextEmbedder()


def _semantics(per_item: list[list[_Line]], compiled: _Compiled, embedder: Any) -> list[_Semantic]:
    import numpy as np

    owners_all: list[list[tuple[_Line, str]]] = []
    texts: list[str] = []
    for lines in per_item:
        owners: list[tuple[_Line, str]] = []
        counts: dict[str, int] = {}
        for ln in lines:
            for s in ln.sentences:
                if counts.get(ln.role, 0) >= MAX_SENTENCES:
                    break
                counts[ln.role] = counts.get(ln.role, 0) + 1
                owners.append((ln, s))
        owners_all.append(owners)
        texts += [s for _, s in owners]
    model = getattr(embedder, "model_name", type(embedder).__name__)
    examples = compiled.vectors.get(model)
    unique = list(dict.fromkeys(texts))
    vecs = embedder.embed(unique + ([] if examples is not None else compiled.examples))
    vecs = np.asarray(vecs, dtype=np.float32)
    if examples is None:
        examples = vecs[len(unique) :]
        compiled.vectors[model] = examples
    row = {t: i for i, t in enumerate(unique)}
    out = []
    for owners in owners_all:
        if not owners or not len(examples):
            out.append(_Semantic(None, owners, compiled))
            continue
        m = vecs[[row[s] for _, s in owners]]
        out.append(_Semantic(m @ examples.T, owners, compiled))
    return out


def _metadata_type(item: Interaction, taxonomy: Taxonomy) -> tuple[str | None, str]:
    """The work type metadata names, and which field named it."""
    meta = item.metadata or {}
    given = meta.get("work_type")
    if given is not None and str(given).strip():
        where = f"interaction {item.id} ({item.source}): manifest work_type"
        return taxonomy.require(str(given), where), "work_type"
    queue = meta.get("queue")
    if queue is not None and str(queue).strip():
        found = taxonomy.for_queue(str(queue))
        if found:
            return found, "queue"
    if item.campaign:
        found = taxonomy.for_campaign(item.campaign)
        if found:
            return found, "campaign"
    return None, ""


def _metadata_direction(item: Interaction) -> str | None:
    value = (item.direction or "").strip().lower()
    return value if value in set(Direction) else None


def _clue(hit: _Hit, supports: str) -> Clue:
    return Clue(
        turn=hit.line.turn,
        role=hit.line.role,
        quote=hit.quote,
        supports=supports,
        score=round(hit.score, 3),
    )


def started_cues(opening: dict[str, float]) -> float:
    return max(opening[Direction.OUTBOUND], opening[Direction.CALLBACK])


def _directions(
    item: Interaction, lines: list[_Line], sem: _Semantic, c: _Compiled
) -> tuple[dict[str, float], dict[str, list[_Hit]]]:
    """How much the opening says each direction: who opened the contact, and how."""
    agent_open, customer_open, first, answered = _opening(lines, item.channel)
    hits: dict[str, list[_Hit]] = {d: [] for d in Direction}
    opening: dict[str, float] = {}
    for d in Direction:
        lex, lh = _lexical(agent_open, c.opening_cues.get(d, []))
        s, sh = sem.best("opening", d, agent_open)
        opening[d] = lex + OPENING_SEMANTIC * s
        hits[d] += lh + ([sh] if sh and s > 0.3 else [])
    # The customer's first words: a request is inbound, when the customer opened or the agent
    # only greeted them; a short answer to an agent who asked for them ("Speaking.") is a
    # contact the centre started.
    clex, chits = _lexical(customer_open, c.customer_opening_cues.get(Direction.INBOUND, []))
    cs, _ = sem.best("customer_opening", Direction.INBOUND, customer_open)
    words = len(customer_open[0].norm.split()) if customer_open else 0
    said = len(agent_open[0].norm.split()) if agent_open and first == "agent" else 0
    invited = first == "customer" or said <= GREETING_WORDS or opening[Direction.INBOUND] >= 0.5
    request = max(clex, cs) if invited else 0.0
    if invited:
        hits[Direction.INBOUND] += chits
    asked = bool(agent_open) and (
        agent_open[0].text.rstrip().endswith("?") or started_cues(opening) > 0
    )
    short_reply = first == "agent" and asked and 0 < words <= SHORT_REPLY_WORDS and not clex
    written = item.channel in (Channel.CHAT, Channel.EMAIL)
    inbound = INBOUND_PRIOR + opening[Direction.INBOUND] + 0.5 * request
    started = max(opening[Direction.OUTBOUND], opening[Direction.CALLBACK])
    if first == "customer":
        # The customer opened: the agent's first words answer them, whatever they say.
        inbound += 1.0 if written else 0.6
        started *= 0.3 if written else 0.6
    elif written and not invited:
        started += 0.5  # a message with news for the customer, not a greeting
        if item.channel == Channel.EMAIL:
            started += 0.5  # nobody answers an email that was never sent
    if short_reply or answered:
        started += 0.5
    elif invited and first == "agent" and words >= LONG_REQUEST_WORDS and started < 0.5:
        inbound += 0.5  # a greeting, then the customer's own story: they called us
    scores = {
        Direction.INBOUND: inbound,
        Direction.OUTBOUND: started,
        Direction.CALLBACK: started + 0.5 * opening[Direction.CALLBACK],
    }
    return {str(d): v for d, v in scores.items()}, {str(d): h for d, h in hits.items()}


def _decide_one(
    item: Interaction, lines: list[_Line], sem: _Semantic, taxonomy: Taxonomy, c: _Compiled
) -> WorkTypeDecision:
    bar = taxonomy.min_confidence
    by_role = {r: [ln for ln in lines if ln.role == r] for r in ("agent", "customer")}

    dir_score, dir_hits = _directions(item, lines, sem, c)
    meta_dir = _metadata_direction(item)
    meta_type, meta_field = _metadata_type(item, taxonomy)

    # Work type: the direction's score plus what the turns say.
    type_score: dict[str, float] = {}
    support: dict[str, float] = {}  # the evidence itself, without priors
    type_hits: dict[str, list[_Hit]] = {}
    candidates = (
        taxonomy.of_direction(meta_dir)
        if meta_dir
        else tuple(n for n in taxonomy.names if taxonomy.direction_of(n))
    )
    for name in candidates:
        said, hits = 0.0, []
        for role in ("customer", "agent"):
            lex, lh = _lexical(by_role[role], c.type_cues[(name, role)])
            s, sh = sem.best(f"type:{role}", name, by_role[role])
            said += LEXICAL_WEIGHT * lex + (1 - LEXICAL_WEIGHT) * s
            hits += lh + ([sh] if sh and s > 0.3 else [])
        own = taxonomy.direction_of(name) or ""
        lead = DIRECTION_WEIGHT * dir_score.get(own, 0.0)
        type_score[name] = said + taxonomy.types[name].prior + (0.0 if meta_dir else lead)
        prior = INBOUND_PRIOR if own == Direction.INBOUND else 0.0
        support[name] = said + (0.0 if meta_dir else dir_score.get(own, 0.0) - prior)
        type_hits[name] = hits

    evidence: list[Clue] = []
    probs = _softmax(type_score)
    if meta_type:
        work_type = Decided(meta_type, 1.0, RoutingSource.METADATA)
    elif probs:
        best = max(probs, key=lambda k: probs[k])
        # However far ahead, a type with little evidence of its own is not sure.
        conf = round(probs[best] * min(1.0, max(0.0, support[best]) / MIN_SUPPORT), 3)
        if conf >= bar:
            work_type = Decided(best, conf, RoutingSource.DETECTED)
            hits = sorted(type_hits[best], key=lambda h: -h.score)[:4]
            evidence += [_clue(h, f"work_type={best}") for h in hits]
        else:
            work_type = Decided(taxonomy.default, conf, RoutingSource.DEFAULT)
    else:
        work_type = Decided(taxonomy.default, 0.0, RoutingSource.DEFAULT)

    # Direction: metadata; else the decided type's; else the openings alone.
    type_dir = taxonomy.direction_of(work_type.value)
    dprobs = _softmax(dir_score)
    if meta_dir:
        direction = Decided(meta_dir, 1.0, RoutingSource.METADATA)
    elif type_dir and work_type.source == RoutingSource.METADATA:
        direction = Decided(type_dir, 1.0, RoutingSource.METADATA)
    elif type_dir and work_type.source == RoutingSource.DETECTED:
        conf = sum(p for n, p in probs.items() if taxonomy.direction_of(n) == type_dir)
        direction = Decided(type_dir, round(conf, 3), RoutingSource.DETECTED)
    else:
        dbest = max(dprobs, key=lambda k: dprobs[k])
        own_evidence = dir_score[dbest] - (INBOUND_PRIOR if dbest == Direction.INBOUND else 0.0)
        dconf = round(dprobs[dbest] * min(1.0, max(0.0, own_evidence) / MIN_SUPPORT), 3)
        if dconf >= bar:
            direction = Decided(dbest, dconf, RoutingSource.DETECTED)
        else:
            direction = Decided(DEFAULT_DIRECTION, dconf, RoutingSource.DEFAULT)
    if direction.source == RoutingSource.DETECTED:
        hits = sorted(dir_hits.get(direction.value, []), key=lambda h: -h.score)[:2]
        evidence += [_clue(h, f"direction={direction.value}") for h in hits]

    reason, reason_hits = _reason(item, work_type, by_role, sem, taxonomy, c)
    evidence += [_clue(h, f"contact_reason={reason.value}") for h in reason_hits]
    evidence = _dedupe(evidence)[:MAX_CLUES]
    evidence.sort(key=lambda cl: (cl.turn, cl.supports))
    SCORES[item.id] = {"types": type_score, "directions": dir_score}
    return WorkTypeDecision(work_type, direction, reason, evidence)


def _reason(
    item: Interaction,
    decided: Decided,
    by_role: dict[str, list[_Line]],
    sem: _Semantic,
    taxonomy: Taxonomy,
    c: _Compiled,
) -> tuple[Decided, list[_Hit]]:
    given = (item.metadata or {}).get("contact_reason")
    if given is not None and str(given).strip():
        return Decided(str(given).strip(), 1.0, RoutingSource.METADATA), []
    work_type = decided.value
    names = taxonomy.types[work_type].reasons if work_type in taxonomy.types else []
    if not names or decided.source == RoutingSource.DEFAULT:
        return Decided(UNSPECIFIED, 0.0, RoutingSource.DEFAULT), []
    lines = by_role["customer"] + by_role["agent"]
    scores: dict[str, float] = {}
    found: dict[str, list[_Hit]] = {}
    for name in names:
        lex, hits = _lexical(lines, c.reason_cues.get(name, []))
        s, sh = sem.best("reason", name, lines)
        scores[name] = LEXICAL_WEIGHT * lex + (1 - LEXICAL_WEIGHT) * s
        found[name] = sorted(hits, key=lambda h: -h.score)[:1] + ([sh] if sh and s > 0.3 else [])
    if len(names) == 1:
        only = names[0]
        # The type's only reason comes with it, as sure as the type.
        return Decided(only, decided.confidence, RoutingSource(decided.source)), found[only][:1]
    probs = _softmax(scores)
    best = max(probs, key=lambda k: probs[k])
    if probs[best] >= taxonomy.min_confidence and scores[best] > 0:
        return Decided(best, round(probs[best], 3), RoutingSource.DETECTED), found[best][:1]
    return Decided(UNSPECIFIED, round(probs[best], 3), RoutingSource.DEFAULT), []


def _dedupe(clues: list[Clue]) -> list[Clue]:
    seen: set[tuple[int, str, str]] = set()
    out = []
    for cl in clues:
        key = (cl.turn, cl.quote, cl.supports)
        if key not in seen:
            seen.add(key)
            out.append(cl)
    return out


def decide(
    interactions: list[Interaction],
    taxonomy: Taxonomy | None = None,
    embedder: Any = None,
) -> list[WorkTypeDecision]:
    """The work type, direction and contact reason of each interaction, in one batch.

    Every sentence compared by meaning is embedded in one call. Raises ConfigError when a
    manifest names a work type the taxonomy does not know.
    """
    taxonomy = taxonomy or load_taxonomy()
    SCORES.clear()
    compiled = _compile(taxonomy)
    per_item = [_lines(item) for item in interactions]
    sems = _semantics(per_item, compiled, _embedder(embedder)) if interactions else []
    return [
        _decide_one(item, lines, sem, taxonomy, compiled)
        for item, lines, sem in zip(interactions, per_item, sems, strict=True)
    ]
