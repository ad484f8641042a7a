"""`qa users`: roles, Argon2 hashes, disabling, passwords; the m012 tables."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli
from qa.serve.users import authenticate
from qa.store import Store
from tests.serve_fixtures import CHEAP_REVIEW, cheap_hashes_config

PASSWORD = "correct horse battery"


def add(db: Path, *args: str, password: str = PASSWORD) -> object:
    """`qa users add` at the least hash cost (tests/test_password_cost.py checks the cost)."""
    cheap = ["--config", str(cheap_hashes_config(db.parent))]
    return CliRunner().invoke(
        cli,
        ["users", "add", *args, "--password-stdin", "--db", str(db), *cheap],
        input=password + "\n",
    )


def test_users_add_list_disable_passwd(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    assert add(db, "ana", "--role", "qa").exit_code == 0
    assert add(db, "lin", "--role", "agent", "--agent", "l.chen").exit_code == 0
    assert (
        add(db, "cora", "--role", "coach", "--team", "Care", "--team", "Retention").exit_code == 0
    )
    out = CliRunner().invoke(cli, ["users", "list", "--json", "--db", str(db)])
    rows = {r["username"]: r for r in json.loads(out.output)}
    assert rows["lin"]["agent_id"] == "l.chen" and rows["cora"]["teams"] == ["Care", "Retention"]
    store = Store(db)
    stored = store.db.execute("SELECT password_hash FROM users WHERE username='ana'").fetchone()[0]
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert authenticate(store, "ana", PASSWORD, CHEAP_REVIEW) is not None
    assert authenticate(store, "ana", PASSWORD + "x") is None
    assert authenticate(store, "nobody", PASSWORD) is None
    r = CliRunner().invoke(cli, ["users", "disable", "ana", "--db", str(db)])
    assert r.exit_code == 0
    assert authenticate(store, "ana", PASSWORD, CHEAP_REVIEW) is None
    CliRunner().invoke(cli, ["users", "disable", "ana", "--enable", "--db", str(db)])
    r = CliRunner().invoke(
        cli,
        ["users", "passwd", "ana", "--password-stdin", "--db", str(db)],
        input="another one 123\n",
    )
    assert r.exit_code == 0, r.output
    assert authenticate(store, "ana", PASSWORD, CHEAP_REVIEW) is None
    assert authenticate(store, "ana", "another one 123", CHEAP_REVIEW) is not None
    actions = [r[0] for r in store.db.execute("SELECT action FROM audit ORDER BY id")]
    assert (
        actions[:3] == ["user.add"] * 3 and "user.disable" in actions and "user.passwd" in actions
    )


def test_users_add_refuses_bad_input_with_a_reason(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    cases = [
        (["x y", "--role", "qa"], "user name"),
        (["lin", "--role", "agent"], "needs --agent"),
        (["cora", "--role", "coach"], "at least one --team"),
        (["ana", "--role", "qa", "--agent", "l.chen"], "--agent goes with"),
    ]
    for args, why in cases:
        r = add(db, *args)
        assert r.exit_code == 2 and why in r.output, r.output
    r = add(db, "ana", "--role", "qa", password="short")
    assert r.exit_code == 2 and "at least 10 characters" in r.output
    assert add(db, "ana", "--role", "qa").exit_code == 0
    r = add(db, "ana", "--role", "qa")
    assert r.exit_code == 2 and "already exists" in r.output
    r = CliRunner().invoke(cli, ["users", "disable", "ghost", "--db", str(db)])
    assert r.exit_code == 2 and "no user 'ghost'" in r.output
