"""Per-interaction metrics: talk, silence, overtalk and pace for voice; response times for text."""

from __future__ import annotations

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


def text_metrics(turns: list[Turn]) -> dict[str, Any]:
    """Chat and email: response times in seconds, from customer message to agent reply."""
    responses: list[float] = []
    waiting_since: float | None = None
    for t in turns:
        if t.role == "customer" and waiting_since is None:
            waiting_since = t.start
        elif t.role == "agent" and waiting_since is not None:
            responses.append(t.start - waiting_since)
            waiting_since = None
    agent_words = sum(word_count(t.text) for t in turns if t.role == "agent")
    customer_words = sum(word_count(t.text) for t in turns if t.role == "customer")
    starts = [t.start for t in turns]
    return {
        "first_response": responses[0] if responses else None,
        "response_avg": round(sum(responses) / len(responses), 1) if responses else None,
        "response_longest": max(responses) if responses else None,
        "handle_time": (max(starts) - min(starts)) if starts else None,
        # Share of the words written by the agent: the text channels' talk ratio.
        "talk_ratio": round(agent_words / (agent_words + customer_words), 3)
        if agent_words + customer_words
        else None,
        "turns": len(turns),
    }


def compute_metrics(item: Interaction) -> dict[str, Any]:
    if item.channel == Channel.VOICE:
        return voice_metrics(item.turns, item.duration)
    return text_metrics(item.turns)
