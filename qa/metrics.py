"""Per-interaction metrics: talk, silence, overtalk and pace for voice; response times for text."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from qa.model import Interaction, Turn
from qa.text import word_count
from qa.vocabulary import Channel

# Consecutive agent turns closer than this form one monologue.
MONOLOGUE_GAP_S = 1.0


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _total(intervals: list[tuple[float, float]]) -> float:
    return sum(e - s for s, e in intervals)


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    total, i, j = 0.0, 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0.0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


MIN_TALK_FOR_WPM_S = 1.0  # a pace over less talk than this means nothing


def _wpm(words: int, seconds: float) -> float | None:
    return round(words / (seconds / 60), 1) if seconds >= MIN_TALK_FOR_WPM_S else None


def voice_metrics(turns: list[Turn], duration: float | None) -> dict[str, Any]:
    agent = _merge([(t.start, t.end) for t in turns if t.role == "agent" and t.end > t.start])
    customer = _merge([(t.start, t.end) for t in turns if t.role == "customer" and t.end > t.start])
    speech = _merge(agent + customer)
    end = max([duration or 0.0] + [e for _, e in speech])
    gaps = [b[0] - a[1] for a, b in zip(speech, speech[1:], strict=False)]
    if speech:
        gaps += [speech[0][0], end - speech[-1][1]]
    else:
        gaps.append(end)
    agent_time, customer_time = _total(agent), _total(customer)
    monologues = _merge([(t.start, t.end + MONOLOGUE_GAP_S) for t in turns if t.role == "agent"])
    agent_words = sum(word_count(t.text) for t in turns if t.role == "agent")
    customer_words = sum(word_count(t.text) for t in turns if t.role == "customer")
    return {
        "talk_agent": round(agent_time, 2),
        "talk_customer": round(customer_time, 2),
        "talk_ratio": round(agent_time / (agent_time + customer_time), 3)
        if agent_time + customer_time
        else None,
        "silence_total": round(sum(g for g in gaps if g > 0), 2),
        "silence_longest": round(max([0.0, *gaps]), 2),
        "overtalk": round(_overlap(agent, customer), 2),
        "monologue_longest": round(
            max([0.0] + [e - s - MONOLOGUE_GAP_S for s, e in monologues]), 2
        ),
        "wpm_agent": _wpm(agent_words, agent_time),
        "wpm_customer": _wpm(customer_words, customer_time),
        "turns": len(turns),
    }


def text_metrics(turns: list[Turn], working_days: bool = False) -> dict[str, Any]:
    """Chat and email: response times in seconds, from customer message to agent reply
    (with `working_days`, the weekend between them is not counted). The talk ratio is the
    agent's share of the messages: how the turns are taken, not how long each one is, so a
    full answer in a two-way chat is no monologue, and a run of agent messages that nobody
    answers is."""
    responses: list[float] = []
    waiting: Turn | None = None
    for t in turns:
        if t.role == "customer" and waiting is None:
            waiting = t
        elif t.role == "agent" and waiting is not None:
            gap = t.start - waiting.start
            responses.append(_working_seconds(waiting, t, gap) if working_days else gap)
            waiting = None
    agent_turns = sum(1 for t in turns if t.role == "agent" and t.text.strip())
    customer_turns = sum(1 for t in turns if t.role == "customer" and t.text.strip())
    starts = [t.start for t in turns]
    return {
        "first_response": responses[0] if responses else None,
        "response_avg": round(sum(responses) / len(responses), 1) if responses else None,
        "response_longest": max(responses) if responses else None,
        "handle_time": (max(starts) - min(starts)) if starts else None,
        "talk_ratio": round(agent_turns / (agent_turns + customer_turns), 3)
        if agent_turns + customer_turns
        else None,
        "turns": len(turns),
    }


def _working_seconds(asked: Turn, answered: Turn, gap: float) -> float:
    """The seconds between two messages less the Saturdays and Sundays between them, in the
    time zone of the customer's message (its Date header); the plain gap without dates."""
    try:
        start = datetime.fromisoformat(str(asked.meta["date"]))
    except (KeyError, TypeError, ValueError):
        return gap
    end = start + timedelta(seconds=gap)
    weekend = 0.0
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    while day < end:
        nxt = day + timedelta(days=1)
        if day.weekday() >= 5:
            weekend += (min(nxt, end) - max(day, start)).total_seconds()
        day = nxt
    return round(max(0.0, gap - weekend), 1)


def word_share(turns: list[Turn]) -> float | None:
    """The agent's share of the words said."""
    agent = sum(word_count(t.text) for t in turns if t.role == "agent")
    customer = sum(word_count(t.text) for t in turns if t.role == "customer")
    return round(agent / (agent + customer), 3) if agent + customer else None


def compute_metrics(item: Interaction) -> dict[str, Any]:
    if item.channel == Channel.VOICE:
        out = voice_metrics(item.turns, item.duration)
        voice = item.metadata.get("voice") or {}
        if voice.get("turn_ends") == "next_start" or voice.get("timed") is False:
            # A transcript that times each turn's start only (a turn "lasts" until the next
            # one starts, pauses included), or nothing: the words say more about who talked.
            out["talk_ratio"] = word_share(item.turns)
        return out
    return text_metrics(item.turns, working_days=item.channel == Channel.EMAIL)
