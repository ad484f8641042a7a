"""The access matrix: every role against every page and action, with guessed ids of other
agents and teams, and forms posted without or with a stale CSRF token. What a role may
not see answers 404 (never the page); what it may not do changes nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from qa.review import feedback, sessions
from qa.review.decisions import criterion_version, decide
from qa.store import Store
from qa.store.read import Selection, read_interactions
from tests.conftest import needs
from tests.serve_fixtures import USERS, build_demo_db, cheap_config, copy_db, csrf_of, login

pytestmark = needs("starlette", "httpx", "argon2", "itsdangerous", "multipart")
ROLES = ["anonymous", *USERS]
MISSING = "ffffffffffffffff"


def _first(store: Store, agent: str) -> Any:
    items = [i for i in read_interactions(store, Selection(agent=agent)) if i.latest]
    return items[0]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo database with a dispute by lin, a decision by ana and a calibration
    session inviting cora, all on lin's (l.chen, team Care) first contact."""
    folder = tmp_path_factory.mktemp("matrix")
    db = build_demo_db(folder)
    store = Store(db)
    lin, aisha = _first(store, "l.chen"), _first(store, "a.khan")
    # A phrase the machine counted, ruled not said: adoptable as a negative example.
    other = next(
        c for c in lin.latest.criteria
        if c.type == "phrase.v1" and c.result == "pass" and any(e.get("turn") is not None for e in c.evidence)
    )  # fmt: skip
    crit = next(c for c in lin.latest.criteria if c.criterion_id != other.criterion_id)
    dispute_id = feedback.dispute(store, lin, "lin", crit.criterion_id, "I said it", 14, 2000)
    decision = decide(
        store, lin, "ana", "criterion", other.criterion_id, "dismiss", "not really said",
        criterion_version(lin.latest, other),
    )  # fmt: skip
    sid = sessions.open_session(store, "ana", "Care week", [lin.id], ["cora"])
    store.close()
    # Each role logs in once here: the copies carry the sessions (and the signing key), so
    # the matrix's cells need no password hashing of their own.
    from starlette.testclient import TestClient

    from qa.serve.app import create_app

    cookies = {}
    with TestClient(create_app(db, cheap_config(), db.parent / "cards")) as client:
        for role in USERS:
            client.cookies.clear()
            assert login(client, role).status_code == 303
            cookies[role] = client.cookies.get("qa_session")
    store = Store(db)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {
        "cookies": cookies,
        "db": db,
        "lin": lin.id,
        "aisha": aisha.id,
        "criterion": crit.criterion_id,
        "free": next(
            c.criterion_id
            for c in lin.latest.criteria
            if c.criterion_id not in (crit.criterion_id, other.criterion_id)
        ),  # fmt: skip
        "dispute": dispute_id,
        "decision": decision.id,
        "session": sid,
    }


def client_for(base: dict[str, Any], role: str, folder: Path) -> Any:
    """A client of a fresh copy of the database, logged in as `role`; use it in a `with`
    block, so that its requests share one event loop thread (the app has no lifespan
    handlers: entering it changes nothing else)."""
    from starlette.testclient import TestClient

    from qa.serve.app import create_app

    db = copy_db(base["db"], folder)
    client = TestClient(create_app(db, cheap_config(), db.parent / "cards"))
    if role != "anonymous":
        client.cookies.set("qa_session", base["cookies"][role])
    return client


ALL = set(USERS)
STAFF = ALL - {"lin", "aisha"}
SEE_LIN = {"root", "ana", "bob", "cora", "tom", "lin"}
SEE_AISHA = {"root", "ana", "bob", "rita", "tom", "aisha"}
ANALYSTS = {"root", "ana", "bob"}


def pages(b: dict[str, Any]) -> dict[str, set[str]]:
    """Each page -> the roles that may see it (everyone else: 404; anonymous: to login)."""
    return {
        "/queue": ANALYSTS,
        "/agents": STAFF,
        "/agents/l.chen": SEE_LIN,
        "/agents/a.khan": SEE_AISHA,
        "/agents/nobody.here": set(),
        "/disputes": ALL,
        "/teach": {"root", "tom"},
        "/calibration": STAFF,
        "/audit": {"root"},
        f"/i/{b['lin']}": SEE_LIN,
        f"/i/{b['aisha']}": SEE_AISHA,
        f"/i/{MISSING}": set(),
        f"/audio/{b['lin']}": set(),  # a chat: no audio for anyone
        f"/calibration/{b['session']}": {"root", "ana", "bob", "cora"},
        f"/calibration/{b['session']}/{b['lin']}": {"cora"},
        f"/calibration/{b['session']}/{b['aisha']}": set(),
        "/calibration/000000000000": set(),
    }


def test_every_role_sees_only_what_it_may(base: dict[str, Any], tmp_path: Path) -> None:
    for role in ROLES:
        with client_for(base, role, tmp_path / role) as client:
            for url, allowed in pages(base).items():
                r = client.get(url, follow_redirects=False)
                if role == "anonymous":
                    assert r.status_code == 303 and r.headers["location"] == "/login", (role, url)
                elif role in allowed:
                    assert r.status_code == 200, (role, url, r.text[:300])
                else:
                    assert r.status_code == 404, (role, url, r.status_code)
                    assert "turn-0" not in r.text and "<table" not in r.text, (role, url)


def test_listings_hold_only_what_the_role_may_see(base: dict[str, Any], tmp_path: Path) -> None:
    """Lists filter too: an agent's and another team's coach's dispute lists do not name
    lin's dispute; the agents list of a coach holds their team only."""
    for role, sees_it in [("lin", True), ("aisha", False), ("cora", True), ("rita", False),
                          ("ana", True)]:  # fmt: skip
        with client_for(base, role, tmp_path / role) as client:
            text = client.get("/disputes").text
            assert ("I said it" in text) is sees_it, role
            if role in ("cora", "rita"):
                agents = client.get("/agents").text
                assert ("l.chen" in agents) is (role == "cora")
                assert ("a.khan" in agents) is (role == "rita")


def actions(b: dict[str, Any], store: Store) -> dict[str, tuple[str, dict[str, str], set[str]]]:
    """Each action -> (url, form, the roles that may take it)."""
    item = read_interactions(store, Selection(ids=[b["lin"]]))[0]
    ev = item.latest
    c = next(x for x in ev.criteria if x.criterion_id == b["criterion"])
    decide_form = {
        "target": "criterion", "key": c.criterion_id, "action": "confirm",
        "version": criterion_version(ev, c), "seen_decision": "", "comment": "ok",
    }  # fmt: skip
    return {
        "decide": (f"/i/{b['lin']}/decide", decide_form, ANALYSTS),
        "decide-other-agent": (
            f"/i/{b['aisha']}/decide",
            {**decide_form, "key": "nope"},
            set(),
        ),  # nobody: no such criterion there, or not theirs (400 for analysts, see below)
        "acknowledge": (f"/i/{b['lin']}/acknowledge", {"comment": "seen"}, {"lin"}),
        "acknowledge-other": (f"/i/{b['aisha']}/acknowledge", {"comment": "x"}, {"aisha"}),
        "dispute": (
            f"/i/{b['lin']}/dispute",
            {"criterion": b["free"], "reason": "r"},
            {"lin"},
        ),  # fmt: skip
        "resolve": (f"/disputes/{b['dispute']}/resolve", {"outcome": "upheld"}, ANALYSTS),
        "resolve-missing": (f"/disputes/{MISSING}/resolve", {"outcome": "upheld"}, set()),
        "adopt": (f"/decisions/{b['decision']}/adopt", {}, {"root", "tom"}),
        "adopt-missing": (f"/decisions/{MISSING}/adopt", {}, set()),
        "assign": ("/assignments", {"day": "2026-03-06"}, ANALYSTS),
        "calibration-open": (
            "/calibration",
            {"title": "t", "ids": b["lin"], "evaluators": "bob"},
            ANALYSTS,
        ),
        "calibration-score": (
            f"/calibration/{b['session']}/{b['lin']}",
            {f"r:{b['criterion']}": "pass"},
            {"cora"},
        ),
    }


def _audit_rows(db: Path) -> int:
    s = Store(db)
    n = s.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    s.close()
    return int(n)


def test_every_role_changes_only_what_it_may(base: dict[str, Any], tmp_path: Path) -> None:
    store = Store(base["db"])
    table = actions(base, store)
    store.close()
    for role in USERS:
        for name, (url, form, allowed) in table.items():
            folder = tmp_path / f"{role}-{name}"
            with client_for(base, role, folder) as client:
                db = folder / "qa.db"
                page = client.get("/disputes").text
                before = _audit_rows(db)
                r = client.post(url, data={**form, "csrf": csrf_of(page)}, follow_redirects=False)
                after = _audit_rows(db)
                if role in allowed:
                    assert r.status_code == 303, (role, name, r.status_code, r.text[:300])
                    assert after > before, (role, name)
                else:
                    # Not theirs: 404. An analyst's decision on a criterion that is not there: 400.
                    assert r.status_code in (404, 400), (role, name, r.status_code)
                    if r.status_code == 400:
                        assert role in ANALYSTS and name == "decide-other-agent"
                    assert after == before, (role, name)


def test_forms_without_or_with_a_stale_csrf_token_change_nothing(
    base: dict[str, Any], tmp_path: Path
) -> None:
    store = Store(base["db"])
    table = actions(base, store)
    store.close()
    for role in ("root", "ana", "lin", "cora", "tom"):
        with client_for(base, role, tmp_path / role) as client:
            db = tmp_path / role / "qa.db"
            stale = csrf_of(client.get("/disputes").text)
            # Logging in again gives a new token: the older page's is stale.
            client.post("/logout", data={"csrf": stale})
            assert login(client, role).status_code == 303
            before = _audit_rows(db)
            for name, (url, form, _) in table.items():
                for token in (None, "", stale, "forged"):
                    data = dict(form) if token is None else {**form, "csrf": token}
                    r = client.post(url, data=data, follow_redirects=False)
                    assert r.status_code == 403, (role, name, token, r.status_code)
                    assert "security token" in r.text
            assert _audit_rows(db) == before


def test_anonymous_posts_are_refused(base: dict[str, Any], tmp_path: Path) -> None:
    with client_for(base, "anonymous", tmp_path / "anon") as client:
        store = Store(base["db"])
        table = actions(base, store)
        store.close()
        for url, form, _ in table.values():
            r = client.post(url, data={**form, "csrf": "x"}, follow_redirects=False)
            assert r.status_code == 403, url
        assert re.search(r"Log in", client.get("/login").text)
