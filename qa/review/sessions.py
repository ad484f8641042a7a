"""Calibration sessions: an analyst picks contacts and invites evaluators; each scores
them blind (no machine result, no one else's score); the session shows Cohen's kappa per
criterion between the evaluators and against `qa` (qa.calibrate's statistics)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from itertools import combinations
from typing import Any

from qa.calibrate import RESULTS, agreement, applicable_pairs, cohen_kappa
from qa.review.audit import record
from qa.review.decisions import ReviewError
from qa.store import Store, now
from qa.store.read import Selection, read_interactions

MACHINE = "qa"  # the machine's column in a session's table


def open_session(
    store: Store, username: str, title: str, ids: list[str], evaluators: list[str]
) -> str:
    title = title.strip()[:200] or "Calibration"
    ids = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    evaluators = list(dict.fromkeys(e.strip() for e in evaluators if e.strip()))
    if not ids:
        raise ReviewError("choose at least one contact")
    if not evaluators:
        raise ReviewError("invite at least one evaluator")
    known = {r[0] for r in store.conn.execute("SELECT username FROM users WHERE disabled = 0")}
    missing = [e for e in evaluators if e not in known]
    if missing:
        raise ReviewError(f"no such user(s): {', '.join(missing)}")
    marks = ",".join("?" * len(ids))
    found = {
        r[0]
        for r in store.conn.execute(
            f"SELECT DISTINCT interaction_id FROM evaluations WHERE interaction_id IN ({marks})",
            ids,
        )
    }
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ReviewError(f"no evaluated contact(s) {', '.join(unknown)}")
    sid = uuid.uuid4().hex[:12]
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO calibration_sessions (id, title, created_by, interaction_ids, evaluators,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [sid, title, username, json.dumps(ids), json.dumps(evaluators), now()],
        )
        record(conn, username, "calibration.open", f"session {sid}", None, title,
               f"{len(ids)} contact(s), evaluators {', '.join(evaluators)}")  # fmt: skip
    return sid


def get_session(store: Store, sid: str) -> dict[str, Any] | None:
    rows = list(store.db.query("SELECT * FROM calibration_sessions WHERE id = ?", [sid]))
    if not rows:
        return None
    row = rows[0]
    row["interaction_ids"] = json.loads(row["interaction_ids"])
    row["evaluators"] = json.loads(row["evaluators"])
    return row


def sessions_for(store: Store, username: str, everyone: bool) -> list[dict[str, Any]]:
    out = []
    for r in store.db.query("SELECT * FROM calibration_sessions ORDER BY created_at DESC"):
        r["interaction_ids"] = json.loads(r["interaction_ids"])
        r["evaluators"] = json.loads(r["evaluators"])
        if everyone or username in r["evaluators"]:
            out.append(r)
    return out


def save_scores(
    store: Store, session: dict[str, Any], username: str, ident: str, results: dict[str, str]
) -> int:
    if username not in session["evaluators"]:
        raise ReviewError("you are not invited to this session")
    if ident not in session["interaction_ids"]:
        raise ReviewError("this contact is not in the session")
    bad = {k: v for k, v in results.items() if v not in RESULTS}
    if bad:
        raise ReviewError(f"results must be one of {', '.join(RESULTS)}: {bad}")
    with store.transaction() as conn:
        for crit, result in results.items():
            conn.execute(
                "INSERT OR REPLACE INTO calibration_scores (session_id, username, interaction_id,"
                " criterion_id, result, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [session["id"], username, ident, crit, result, now()],
            )
        record(conn, username, "calibration.score", f"session {session['id']} {ident}", None,
               json.dumps(results, sort_keys=True), None)  # fmt: skip
    return len(results)


def my_scores(store: Store, sid: str, username: str) -> dict[tuple[str, str], str]:
    return {
        (r[0], r[1]): r[2]
        for r in store.conn.execute(
            "SELECT interaction_id, criterion_id, result FROM calibration_scores"
            " WHERE session_id = ? AND username = ?",
            [sid, username],
        )
    }


def session_results(store: Store, session: dict[str, Any]) -> dict[str, Any]:
    """Kappa per criterion for each pair of raters (the machine, `qa`, among them)."""
    ratings: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for ident, crit, user, result in store.conn.execute(
        "SELECT interaction_id, criterion_id, username, result FROM calibration_scores"
        " WHERE session_id = ?",
        [session["id"]],
    ):
        ratings[user][(ident, crit)] = result
    for item in read_interactions(
        store, Selection(ids=session["interaction_ids"], turns=False, human=False)
    ):
        if item.latest is not None:
            for c in item.latest.criteria:
                ratings[MACHINE][(item.id, c.criterion_id)] = c.result
    raters = [e for e in session["evaluators"] if e in ratings] + [MACHINE]
    criteria = sorted(
        {crit for r in ratings.values() for (_, crit) in r if r is not ratings[MACHINE]}
    )
    rows = []
    for a, b in combinations(raters, 2):
        for crit in [*criteria, "(all)"]:
            pairs = [
                (ratings[a][k], ratings[b][k])
                for k in ratings[a]
                if k in ratings[b] and (crit == "(all)" or k[1] == crit)
            ]
            if not pairs:
                continue
            useful = applicable_pairs(pairs)
            rows.append(
                {
                    "a": a,
                    "b": b,
                    "criterion": crit,
                    "pairs": len(pairs),
                    "agreement": agreement(pairs),
                    "kappa": cohen_kappa(useful),
                }
            )
    done = {u: len(r) for u, r in ratings.items() if u != MACHINE}
    return {"raters": raters, "rows": rows, "scored": done}
