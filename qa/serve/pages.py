"""The review app's views: each checks access (qa.serve.access), asks the library one
question, and renders a template. Anything a person may not see answers 404."""

from __future__ import annotations

import json
import secrets
from datetime import date
from pathlib import Path
from typing import Any

from qa.review import assign as assignments
from qa.review import feedback, sessions, teach
from qa.review.audit import read_audit
from qa.review.decisions import (
    ACTIONS,
    RESULTS,
    SOURCE_QUEUE,
    Conflict,
    ReviewError,
    criterion_version,
    decisions_for,
    flag_key,
    flag_version,
)
from qa.review.decisions import (
    decide as record_decision,
)
from qa.serve.access import Owner, may, sees
from qa.serve.access import home as home_of
from qa.serve.app import Ctx, NotFound, render, session_cookie
from qa.serve.security import COOKIE, LOGIN_COOKIE, close_session, open_session, same_token
from qa.serve.users import User, authenticate, list_users
from qa.store.read import InteractionView, Selection, read_interactions
from qa.vocabulary import FlagStatus

QUEUE_ROWS = 100  # rows per section of the review queue


def _html(ctx: Ctx, template: str, status: int = 200, **values: Any) -> Any:
    from starlette.responses import HTMLResponse

    return HTMLResponse(
        render(ctx.app, template, ctx.user, ctx.session, **values), status_code=status
    )


def _go(url: str) -> Any:
    from starlette.responses import RedirectResponse

    return RedirectResponse(url, status_code=303)


def _problem(ctx: Ctx, message: str, status: int = 400) -> Any:
    return _html(ctx, "serve/error.html", status, title="Not saved", message=message)


def _owner(item: InteractionView) -> Owner:
    return Owner(item.agent_id, item.team)


def _item(ctx: Ctx, iid: str, human: bool = True) -> InteractionView:
    """The interaction, when the user may see it; NotFound otherwise (or when absent)."""
    user = ctx.need_user()
    found = read_interactions(ctx.store, Selection(ids=[iid], words=False, human=human))
    if not found or not sees(user, _owner(found[0])):
        raise NotFound()
    return found[0]


def _names(ctx: Ctx) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for digest, definition in ctx.store.conn.execute("SELECT hash, definition FROM scorecards"):
        card = json.loads(definition) if definition else {}
        for s in card.get("sections") or []:
            for c in s.get("criteria") or []:
                if isinstance(c, dict) and "id" in c:
                    out[(digest, c["id"])] = {
                        "name": c.get("name") or c["id"],
                        "coaching": c.get("coaching") or "",
                    }
    return out


# -- logging in ------------------------------------------------------------------------------


def login_form(ctx: Ctx, message: str = "", status: int = 200) -> Any:
    if ctx.user is not None and not message:
        return _go(home_of(ctx.user))
    token = secrets.token_urlsafe(24)
    response = _html(ctx, "serve/login.html", status, login_token=token, message=message)
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


def login(ctx: Ctx) -> Any:
    if not same_token(ctx.form.get("csrf"), ctx.request.cookies.get(LOGIN_COOKIE) or ""):
        return login_form(ctx, "The login form was out of date: try again.", 403)
    username = (ctx.form.get("username") or "").strip()[:64]
    client = ctx.request.client.host if ctx.request.client else "?"
    address = f"addr:{client}"
    if ctx.app.failures.locked(address) or not ctx.app.throttle.allow(f"user:{username.lower()}"):
        return login_form(ctx, "Too many attempts: wait a few minutes and try again.", 429)
    password = ctx.form.get("password") or ""
    user = authenticate(ctx.store, username, password, ctx.app.config.review)
    if user is None:
        ctx.app.failures.allow(address)  # counts the failure
        return login_form(ctx, "Wrong user name or password.", 200)
    session = open_session(ctx.store, user.username, ctx.app.config.review.session_hours)
    response = _go(home_of(user))
    response.set_cookie(
        COOKIE,
        session_cookie(ctx.app, session),
        httponly=True,
        samesite="strict",
        max_age=int(ctx.app.config.review.session_hours * 3600),
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


def logout(ctx: Ctx) -> Any:
    if ctx.session is not None:
        close_session(ctx.store, ctx.session.id)
    response = _go("/login")
    response.delete_cookie(COOKIE)
    return response


def home(ctx: Ctx) -> Any:
    return _go(home_of(ctx.need_user()))


# -- the review queue ------------------------------------------------------------------------

_IN_FORCE = (
    "SELECT 1 FROM decisions d WHERE d.interaction_id = i.id AND d.target = ? AND"
    " d.target_key = {key} AND d.superseded_by IS NULL AND d.content IS i.content"
)


def queue(ctx: Ctx) -> Any:
    user = ctx.need_user()
    if not may(user, "queue"):
        raise NotFound()
    cfg = ctx.app.config.review
    conn = ctx.store.conn
    flag_key_sql = "f.kind || '|' || coalesce(f.campaign, '') || '|' || coalesce(f.fact, '')"
    flags = conn.execute(
        "SELECT f.interaction_id, i.agent_id, f.kind, f.fact, f.message, f.confidence"
        " FROM flags f JOIN interactions i ON i.id = f.interaction_id WHERE f.status = ?"
        f" AND NOT EXISTS ({_IN_FORCE.format(key=flag_key_sql)})"
        " ORDER BY f.confidence, f.interaction_id LIMIT ?",
        [FlagStatus.REVIEW, "flag", QUEUE_ROWS],
    ).fetchall()
    unsure = conn.execute(
        "SELECT e.interaction_id, i.agent_id, c.criterion_id, c.result, c.confidence, c.note,"
        " e.scorecard_hash FROM criterion_results c JOIN evaluations e ON e.id = c.evaluation_id"
        " JOIN interactions i ON i.id = e.interaction_id"
        " WHERE c.result != 'na' AND c.confidence < ?"
        f" AND NOT EXISTS ({_IN_FORCE.format(key='c.criterion_id')})"
        " ORDER BY c.confidence, e.interaction_id LIMIT ?",
        [cfg.unsure_below, "criterion", QUEUE_ROWS],
    ).fetchall()
    names = _names(ctx)
    latest = conn.execute("SELECT max(substr(started_at, 1, 10)) FROM interactions").fetchone()[0]
    recent = list(
        ctx.store.db.query("SELECT * FROM decisions ORDER BY created_at DESC, rowid DESC LIMIT 20")
    )
    return _html(
        ctx,
        "serve/queue.html",
        flags=flags,
        unsure=[(*r[:6], names.get((r[6], r[2]), {}).get("name", r[2])) for r in unsure],
        disputes=feedback.list_disputes(ctx.store, status=feedback.PENDING),
        assignments=assignments.assignments_for(ctx.store, user.username),
        rule=assignments.rule_text(cfg),
        day=latest or date.today().isoformat(),
        recent=recent,
        counts=feedback.dispute_counts(ctx.store),
        agreement=teach.machine_agreement(ctx.store),
        adopted=teach.adoptions(ctx.store)[:10],
        bar=cfg.unsure_below,
    )


def assign(ctx: Ctx) -> Any:
    user = ctx.need_user()
    if not may(user, "assign"):
        raise NotFound()
    try:
        day = date.fromisoformat((ctx.form.get("day") or "").strip())
    except ValueError:
        return _problem(ctx, "Give the day as YYYY-MM-DD.")
    assignments.make_assignments(ctx.store, user.username, day, ctx.app.config.review)
    return _go("/queue#assignments")


# -- one contact -----------------------------------------------------------------------------


def _placed(item: InteractionView, names: dict[tuple[str, str], dict[str, Any]]) -> Any:
    """The transcript's turns with the results and flags whose evidence is in each."""
    turns: list[dict[str, Any]] = [
        {"index": i, "role": t.role, "start": t.start, "text": t.text, "results": [], "flags": []}
        for i, t in enumerate(item.turns)
    ]
    ev = item.latest
    rows = []
    if ev is not None:
        for c in ev.criteria:
            row = {
                "c": c,
                "name": names.get((ev.scorecard_hash, c.criterion_id), {}).get(
                    "name", c.criterion_id
                ),
                "version": criterion_version(ev, c),
                "seen_decision": (c.human or {}).get("id", ""),
                "start": next(
                    (e.get("start") for e in c.evidence if e.get("start") is not None), None
                ),
            }
            rows.append(row)
            for e in c.evidence:
                t = e.get("turn")
                if isinstance(t, int) and 0 <= t < len(turns):
                    turns[t]["results"].append(row)
    flags = []
    for f in item.flags:
        row = {
            "f": f,
            "key": flag_key(f),
            "version": flag_version(f),
            "seen_decision": (f.human or {}).get("id", ""),
        }
        flags.append(row)
        for e in f.evidence:
            t = e.get("turn")
            if isinstance(t, int) and 0 <= t < len(turns):
                turns[t]["flags"].append(row)
    return turns, rows, flags


def _audio(item: InteractionView) -> bool:
    from qa.ingest.audio import AUDIO_EXTENSIONS

    path = Path(item.source or "")
    return path.suffix.lower() in AUDIO_EXTENSIONS and path.is_file()


def interaction(ctx: Ctx, status: int = 200, **extra: Any) -> Any:
    user = ctx.need_user()
    item = _item(ctx, ctx.path["iid"])
    owner = _owner(item)
    turns, rows, flags = _placed(item, _names(ctx))
    cfg = ctx.app.config.review
    own = may(user, "acknowledge", owner)
    return _html(
        ctx,
        "serve/interaction.html",
        status,
        item=item,
        ev=item.latest,
        turns=turns,
        rows=rows,
        flags=flags,
        audio=_audio(item),
        can_decide=may(user, "decide", owner),
        can_feedback=own,
        window_closes=feedback.window_closes(item, cfg.window_days),
        acks=feedback.acknowledgements_for(ctx.store, item.id),
        disputes=[d for d in feedback.list_disputes(ctx.store) if d["interaction_id"] == item.id],
        decisions=decisions_for(ctx.store, item.id),
        actions=ACTIONS,
        results=RESULTS,
        limit=cfg.comment_max_chars,
        **extra,
    )


def _acting_on(ctx: Ctx, action: str) -> tuple[User, InteractionView]:
    """The user and the contact of the URL, when the user may take `action` on it."""
    user = ctx.need_user()
    item = _item(ctx, ctx.path["iid"])
    if not may(user, action, _owner(item)):
        raise NotFound()
    return user, item


def decide(ctx: Ctx) -> Any:
    user, item = _acting_on(ctx, "decide")
    f = ctx.form
    try:
        record_decision(
            ctx.store,
            item,
            user.username,
            f.get("target", ""),
            f.get("key", ""),
            f.get("action", ""),
            f.get("comment", ""),
            f.get("version", ""),
            f.get("seen_decision", ""),
            f.get("result") or None,
            ctx.app.config.review.comment_max_chars,
            source=SOURCE_QUEUE,
        )
    except Conflict as exc:
        return _html(
            ctx,
            "serve/conflict.html",
            409,
            item=item,
            target=f.get("target", ""),
            key=f.get("key", ""),
            seen={**exc.seen, "result": f.get("seen_result", ""), "comment": f.get("comment", "")},
            current=exc.current,
        )
    except ReviewError as exc:
        return _problem(ctx, str(exc))
    return _go(f"/i/{item.id}#{f.get('target', '')}-{f.get('key', '')}")


def _feedback(ctx: Ctx, action: str, text_field: str) -> Any:
    """An agent's acknowledgement (with a comment) or dispute (of a criterion, with a
    reason), within the review window; back to the contact's feedback."""
    user, item = _acting_on(ctx, action)
    cfg = ctx.app.config.review
    text = ctx.form.get(text_field, "")
    try:
        if action == "dispute":
            feedback.dispute(
                ctx.store, item, user.username, ctx.form.get("criterion", ""), text,
                cfg.window_days, cfg.comment_max_chars,
            )  # fmt: skip
        else:
            feedback.acknowledge(
                ctx.store, item, user.username, text, cfg.window_days, cfg.comment_max_chars
            )
    except ReviewError as exc:
        return _problem(ctx, str(exc))
    return _go(f"/i/{item.id}#feedback")


def acknowledge(ctx: Ctx) -> Any:
    return _feedback(ctx, "acknowledge", "comment")


def dispute(ctx: Ctx) -> Any:
    return _feedback(ctx, "dispute", "reason")


def audio(ctx: Ctx) -> Any:
    from starlette.responses import FileResponse

    item = _item(ctx, ctx.path["iid"])
    if not _audio(item):
        raise NotFound()
    return FileResponse(item.source)


# -- disputes --------------------------------------------------------------------------------


def _visible_disputes(ctx: Ctx) -> list[dict[str, Any]]:
    user = ctx.need_user()
    if user.role == "agent":
        return feedback.list_disputes(ctx.store, agent_id=user.agent_id or "")
    rows = feedback.list_disputes(ctx.store)
    if user.role != "coach":
        return rows
    teams = dict(
        ctx.store.conn.execute(
            "SELECT i.id, coalesce(i.team, a.team) FROM interactions i"
            " LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id IN"
            " (SELECT interaction_id FROM disputes)"
        ).fetchall()
    )
    return [d for d in rows if sees(user, Owner(d["agent_id"], teams.get(d["interaction_id"])))]


def disputes(ctx: Ctx) -> Any:
    user = ctx.need_user()
    counts = feedback.dispute_counts(ctx.store) if user.role != "agent" else None
    return _html(
        ctx,
        "serve/disputes.html",
        disputes=_visible_disputes(ctx),
        counts=counts,
        can_resolve=may(user, "resolve"),
    )


def resolve(ctx: Ctx) -> Any:
    user = ctx.need_user()
    if not may(user, "resolve"):
        raise NotFound()
    row = feedback.get_dispute(ctx.store, ctx.path["did"])
    if row is None:
        raise NotFound()
    item = _item(ctx, row["interaction_id"])
    try:
        feedback.resolve(
            ctx.store, item, row, user.username, ctx.form.get("outcome", ""),
            ctx.form.get("resolution", ""), ctx.app.config.review.comment_max_chars,
            ctx.form.get("result") or None,
        )  # fmt: skip
    except ReviewError as exc:
        return _problem(ctx, str(exc))
    return _go(ctx.form.get("back") or "/disputes")


# -- agents ----------------------------------------------------------------------------------


def _agent_rows(ctx: Ctx) -> list[dict[str, Any]]:
    user = ctx.need_user()
    rows = ctx.store.db.query(
        "SELECT i.agent_id AS id, max(a.name) AS name, coalesce(max(a.team), max(i.team)) AS team,"
        " count(*) AS contacts, (SELECT count(*) FROM disputes d WHERE d.agent_id = i.agent_id"
        " AND d.status = 'pending') AS open_disputes FROM interactions i"
        " LEFT JOIN agents a ON a.id = i.agent_id WHERE i.agent_id IS NOT NULL"
        " GROUP BY i.agent_id ORDER BY i.agent_id"
    )
    return [r for r in rows if sees(user, Owner(r["id"], r["team"]))]


def agents(ctx: Ctx) -> Any:
    user = ctx.need_user()
    if not may(user, "agents"):
        raise NotFound()
    return _html(ctx, "serve/agents.html", agents=_agent_rows(ctx))


def agent(ctx: Ctx) -> Any:
    user = ctx.need_user()
    aid = ctx.path["aid"]
    row = ctx.store.conn.execute(
        "SELECT a.name, a.team FROM agents a WHERE a.id = ?", [aid]
    ).fetchone()
    team = row[1] if row else None
    if not sees(user, Owner(aid, team)):
        raise NotFound()
    items = read_interactions(ctx.store, Selection(agent=aid, turns=False))
    if not items and row is None:
        raise NotFound()
    names = _names(ctx)
    scored = [i for i in items if i.latest is not None]
    misses: dict[str, dict[str, Any]] = {}
    for i in scored:
        assert i.latest is not None
        for c in i.latest.criteria:
            if c.result == "fail":
                spec = names.get((i.latest.scorecard_hash, c.criterion_id), {})
                m = misses.setdefault(
                    c.criterion_id,
                    {"name": spec.get("name", c.criterion_id), "coaching": spec.get("coaching", ""),
                     "count": 0},
                )  # fmt: skip
                m["count"] += 1
    acked = {r[0] for r in ctx.store.conn.execute("SELECT interaction_id FROM acknowledgements")}
    average = sum(i.latest.percent for i in scored if i.latest) / len(scored) if scored else None
    return _html(
        ctx,
        "serve/agent.html",
        agent={"id": aid, "name": row[0] if row else aid, "team": team},
        items=scored,
        average=average,
        misses=sorted(misses.values(), key=lambda m: -m["count"])[:5],
        acked=acked,
        disputes=feedback.list_disputes(ctx.store, agent_id=aid),
    )


# -- teaching --------------------------------------------------------------------------------


def teach_page(ctx: Ctx, message: str = "", status: int = 200) -> Any:
    user = ctx.need_user()
    if not may(user, "teach"):
        raise NotFound()
    rows = list(
        ctx.store.db.query(
            "SELECT d.* FROM decisions d JOIN interactions i ON i.id = d.interaction_id"
            " WHERE d.superseded_by IS NULL AND d.content IS i.content AND d.machine != d.human"
            " ORDER BY d.created_at DESC LIMIT 50"
        )
    )
    adopted = {a["decision_id"] for a in teach.adoptions(ctx.store)}
    plans = [
        (
            d,
            teach.proposal(ctx.store, d, ctx.app.cards, ctx.app.campaigns)
            if d["id"] not in adopted
            else None,
        )
        for d in rows
    ]
    return _html(
        ctx,
        "serve/teach.html",
        status,
        plans=plans,
        adopted=adopted,
        adoptions=teach.adoptions(ctx.store),
        agreement=teach.machine_agreement(ctx.store),
        cards=ctx.app.cards,
        campaigns=ctx.app.campaigns,
        message=message,
    )


def teach_view(ctx: Ctx) -> Any:
    return teach_page(ctx, ctx.request.query_params.get("message", "")[:200])


def adopt(ctx: Ctx) -> Any:
    user = ctx.need_user()
    if not may(user, "adopt"):
        raise NotFound()
    rows = list(ctx.store.db.query("SELECT * FROM decisions WHERE id = ?", [ctx.path["did"]]))
    if not rows:
        raise NotFound()
    picked: list[int] = []
    for key, value in ctx.form.items():
        if key.startswith("s:") and value:
            try:
                picked.append(int(key[2:]))
            except ValueError:
                return teach_page(
                    ctx, "cannot adopt this decision: a picked sentence is not in the contact", 400
                )
    try:
        added = teach.adopt_decision(
            ctx.store, rows[0], user.username, ctx.app.cards, ctx.app.campaigns,
            choice=ctx.form.get("as") or None, picked=picked,
        )  # fmt: skip
    except ReviewError as exc:
        return teach_page(ctx, str(exc), 400)
    from urllib.parse import quote

    apply = (
        f"qa rescore --campaigns {ctx.app.campaigns}"
        if rows[0]["target"] == "flag"
        else "qa rescore"
    )
    message = quote(f"Adopted {added} new example(s): run {apply} to apply them.")
    return _go(f"/teach?message={message}")


# -- calibration sessions -------------------------------------------------------------------


def calibrations(ctx: Ctx) -> Any:
    user = ctx.need_user()
    everyone = may(user, "calibration.open")
    if user.role == "agent":
        raise NotFound()
    return _html(
        ctx,
        "serve/calibrations.html",
        sessions=sessions.sessions_for(ctx.store, user.username, everyone),
        can_open=everyone,
        people=[u for u in list_users(ctx.store) if u.role != "agent" and not u.disabled],
    )


def open_calibration(ctx: Ctx) -> Any:
    user = ctx.need_user()
    if not may(user, "calibration.open"):
        raise NotFound()
    ids = (ctx.form.get("ids") or "").replace(",", "\n").split()
    evaluators = (ctx.form.get("evaluators") or "").replace(",", " ").split()
    agents_invited = [
        u.username for u in list_users(ctx.store) if u.role == "agent" and u.username in evaluators
    ]
    if agents_invited:
        return _problem(ctx, f"agents do not calibrate: {', '.join(agents_invited)}")
    try:
        sid = sessions.open_session(ctx.store, user.username, ctx.form.get("title", ""), ids,
                                    evaluators)  # fmt: skip
    except ReviewError as exc:
        return _problem(ctx, str(exc))
    return _go(f"/calibration/{sid}")


def _session(ctx: Ctx) -> dict[str, Any]:
    user = ctx.need_user()
    s = sessions.get_session(ctx.store, ctx.path["sid"])
    if s is None or not (user.username in s["evaluators"] or may(user, "calibration.open")):
        raise NotFound()
    return s


def calibration(ctx: Ctx) -> Any:
    user = ctx.need_user()
    s = _session(ctx)
    mine = sessions.my_scores(ctx.store, s["id"], user.username)
    done = {i for i, _ in mine}
    invited = user.username in s["evaluators"]
    # Blind: an evaluator sees the results once they have scored every contact.
    show = may(user, "calibration.results") and (not invited or done >= set(s["interaction_ids"]))
    return _html(
        ctx,
        "serve/calibration.html",
        s=s,
        invited=invited,
        done=done,
        results=sessions.session_results(ctx.store, s) if show else None,
    )


def calibration_contact(ctx: Ctx, message: str = "", status: int = 200) -> Any:
    user = ctx.need_user()
    s = _session(ctx)
    iid = ctx.path["iid"]
    if user.username not in s["evaluators"] or iid not in s["interaction_ids"]:
        raise NotFound()
    found = read_interactions(ctx.store, Selection(ids=[iid], words=False, human=False))
    if not found or found[0].latest is None:
        raise NotFound()
    item = found[0]
    names = _names(ctx)
    assert item.latest is not None
    criteria = [
        (c.criterion_id, names.get((item.latest.scorecard_hash, c.criterion_id), {}).get(
            "name", c.criterion_id))
        for c in item.latest.criteria
    ]  # fmt: skip
    return _html(
        ctx,
        "serve/calibration_contact.html",
        status,
        s=s,
        item=item,
        criteria=criteria,
        mine=sessions.my_scores(ctx.store, s["id"], user.username),
        results=RESULTS,
        message=message,
    )


def calibration_score(ctx: Ctx) -> Any:
    user = ctx.need_user()
    s = _session(ctx)
    iid = ctx.path["iid"]
    if user.username not in s["evaluators"] or iid not in s["interaction_ids"]:
        raise NotFound()
    results = {k[2:]: v for k, v in ctx.form.items() if k.startswith("r:") and v}
    try:
        sessions.save_scores(ctx.store, s, user.username, iid, results)
    except ReviewError as exc:
        return calibration_contact(ctx, str(exc), 400)
    return _go(f"/calibration/{s['id']}")


def audit(ctx: Ctx) -> Any:
    if not may(ctx.need_user(), "audit"):
        raise NotFound()
    return _html(ctx, "serve/audit.html", rows=read_audit(ctx.store))
