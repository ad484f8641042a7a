"""Human-readable text of one interaction, as `qa show` prints it."""

from __future__ import annotations

from typing import Any

from qa.vocabulary import FlagStatus, Status


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(seconds)
    return (
        f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"
        if s >= 3600
        else f"{s // 60:02d}:{s % 60:02d}"
    )


def _evidence_line(e: dict[str, Any]) -> str:
    """Words said, with their moment and speaker; or, where there was nothing to quote (no
    turn), the machine's note of where it looked, never dressed as a quote."""
    if e.get("turn") is None:
        return f"         (machine: {e['quote']})"
    return f"         [{_clock(e.get('start'))}] {e.get('role') or ''}: {e['quote']}"


def _reason_label(status: str) -> str:
    """A call held for review is no error: its reason says why a person should look."""
    return str(Status.REVIEW) if status == Status.REVIEW else "error"


def render_interaction(item: dict[str, Any]) -> str:
    agent = item["agent"]
    lines = [
        f"{item['id']}  {item['channel']}  {item['source']}",
        f"agent: {agent['id'] or '?'}"
        + (f" ({agent['name']})" if agent.get("name") else "")
        + (f"  team: {agent['team']}" if agent.get("team") else ""),
        f"started: {item['started_at'] or '?'}  duration: {_clock(item['duration'])}"
        f"  status: {item['status']}"
        + (f"  {_reason_label(item['status'])}: {item['error']}" if item["error"] else ""),
    ]
    for key in ("direction", "campaign", "customer_id", "case_id", "language"):
        if item.get(key):
            lines.append(f"{key}: {item[key]}")
    routing = item.get("routing")
    if routing:
        wt, reason = routing["work_type"], routing["contact_reason"]
        lines.append(
            f"work type: {wt['value']} ({wt['source']}, {wt['confidence']:.2f})"
            f"  reason: {reason['value']}  rule: {routing['rule']}"
            + ("  [undecided: default]" if routing["undecided"] else "")
        )
    lines.append("")
    if not item["turns"]:
        lines.append("(no turns yet)")
    for turn in item["turns"]:
        text = turn["text"].replace("\n", "\n" + " " * 18)
        lines.append(f"[{_clock(turn['start'])}] {turn['role']:<8} {text}")
    if item["metrics"]:
        lines += ["", "metrics: " + ", ".join(f"{k}={v}" for k, v in item["metrics"].items())]
    for ev in item["evaluations"]:
        verdict = "AUTO-FAIL" if ev["auto_fail"] else f"{ev['percent']:.0f}%"
        lines += [
            "",
            f"scorecard {ev['scorecard']['name']} ({ev['scorecard']['hash'][:8]}): "
            f"{ev['total']:g}/{ev['max']:g} {verdict}",
        ]
        for c in ev["criteria"]:
            lines.append(f"  {c['result']:<4} {c['points']:g}/{c['max_points']:g}  {c['id']}")
            lines += [_evidence_line(e) for e in c["evidence"][:2]]
    if item["flags"]:
        lines += ["", "flags:"]
        for f in item["flags"]:
            held = f" [{FlagStatus.REVIEW}]" if f.get("status") == FlagStatus.REVIEW else ""
            conf = f" (confidence {f['confidence']:.2f})" if f.get("confidence") is not None else ""
            lines.append(f"  {f['severity']:<7} {f['kind']}{held}{conf}: {f['message']}")
            lines += [_evidence_line(e) for e in f["evidence"][:1]]
    return "\n".join(lines)


def render_failures(failures: list[dict[str, Any]]) -> str:
    """A file that failed before it became an interaction: each failure with its stage,
    when and why."""
    return "\n".join(
        f"{f['source']}  status: failed at {f['stage']} ({f['at']})\n  reason: {f['reason']}"
        for f in failures
    )
