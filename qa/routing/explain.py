"""A routing decision in words, as `qa route` prints it."""

from __future__ import annotations

from typing import Any

EVIDENCE_SHOWN = 5  # evidence turns printed per interaction (--json has them all)


def _decided(d: dict[str, Any]) -> str:
    return f"{d['value']} ({d['source']}, confidence {d['confidence']:.2f})"


def render_route(r: dict[str, Any], file_name: str) -> str:
    """One interaction's routing: what it is, why, and which cards judge it."""
    where = f"{file_name}:{r['line']}" if r.get("line") else file_name
    cards = ", ".join(f"{c['name']} ({c['hash'][:8]})" for c in r["scorecards"])
    lines = [
        f"{r['id']}  {r['channel']}  {r['source']}",
        f"  work type:      {_decided(r['work_type'])}",
        f"  direction:      {_decided(r['direction'])}",
        f"  contact reason: {_decided(r['contact_reason'])}",
        f"  rule:           {r['rule']} ({where}) -> {cards}",
        f"  why:            {r['reason']}",
    ]
    if r["undecided"]:
        lines.append(
            "  UNDECIDED: the work type was not decided with enough confidence;"
            " the default rule took it."
        )
    if r["evidence"]:
        lines.append("  evidence:")
        for e in r["evidence"][:EVIDENCE_SHOWN]:
            lines.append(
                f"    turn {e['turn']} {e['role']}: {e['quote']!r} -> {e['supports']}"
                f" ({e['score']:.2f})"
            )
        if len(r["evidence"]) > EVIDENCE_SHOWN:
            lines.append(f"    … {len(r['evidence']) - EVIDENCE_SHOWN} more (see --json)")
    else:
        lines.append("  evidence: none in the conversation")
    return "\n".join(lines)
