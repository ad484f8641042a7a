"""A scored demo database with one user per role, shared by the review app's tests."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qa.cli import cli
from qa.config import Config, ReviewConfig
from tests.conftest import EXAMPLES, ROOT
from tests.test_report import planted_batch

PASSWORD = "review app password"
# user name -> `qa users add` arguments
USERS = {
    "root": ["--role", "admin"],
    "ana": ["--role", "qa"],
    "bob": ["--role", "qa"],
    "cora": ["--role", "coach", "--team", "Care"],
    "rita": ["--role", "coach", "--team", "Retention"],
    "tom": ["--role", "trainer"],
    "lin": ["--role", "agent", "--agent", "l.chen"],
    "aisha": ["--role", "agent", "--agent", "a.khan"],
}
CARD = ROOT / "scorecards" / "inbound_service.yaml"
# The least Argon2 cost qa.yaml allows: the tests log in hundreds of times, and what they
# check does not depend on the cost (tests/test_password_cost.py checks the cost itself).
CHEAP_HASHES = "review:\n  password_memory_mib: 1\n  password_passes: 1\n"
# The same cost for the app: a login at another cost than the stored hash's hashes again.
CHEAP_REVIEW = ReviewConfig(password_memory_mib=1, password_passes=1)


def cheap_config() -> Config:
    """The app's configuration: the defaults, with passwords at the least cost."""
    return Config(review=CHEAP_REVIEW)


def cheap_hashes_config(folder: Path) -> Path:
    """A qa.yaml for `qa users add --config`: passwords hashed at the least cost."""
    path = folder / "cheap-hashes.yaml"
    path.write_text(CHEAP_HASHES, encoding="utf-8")
    return path


def build_demo_db(folder: Path) -> Path:
    """The demo chats and emails (with markup attacks planted) scored with the inbound card
    and the shipped campaigns; users created with `qa users add` (at the least hash cost);
    the WAL folded in."""
    batch = planted_batch(folder / "batch")
    db = folder / "qa.db"
    cards = folder / "cards"
    cards.mkdir()
    shutil.copy(CARD, cards / CARD.name)
    runner = CliRunner()
    args = ["score", str(batch), "--scorecard", str(cards / CARD.name)]
    args += ["--campaigns", str(ROOT / "scorecards" / "campaigns")]
    r = runner.invoke(cli, [*args, "--db", str(db), "--config", str(EXAMPLES / "qa.yaml")])
    assert r.exit_code in (0, 1), r.output
    cheap = ["--config", str(cheap_hashes_config(folder))]
    for name, role in USERS.items():
        r = runner.invoke(
            cli, ["users", "add", name, *role, "--password-stdin", "--db", str(db), *cheap],
            input=PASSWORD + "\n",
        )  # fmt: skip
        assert r.exit_code == 0, r.output
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def copy_db(db: Path, to: Path) -> Path:
    to.mkdir(parents=True, exist_ok=True)
    shutil.copy(db, to / "qa.db")
    shutil.copytree(db.parent / "cards", to / "cards", dirs_exist_ok=True)
    return to / "qa.db"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def login(client: Any, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
