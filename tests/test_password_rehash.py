"""A stored password hash made at another Argon2 cost than the site's is replaced at the
user's next successful login, in place, at the site's cost (argon2's check_needs_rehash)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.config import ReviewConfig
from qa.store import Store
from tests.conftest import needs

pytestmark = needs("argon2")
PASSWORD = "correct horse battery"
OLD = ReviewConfig(password_memory_mib=1, password_passes=1)
SITE = ReviewConfig(password_memory_mib=2, password_passes=2)


def stored(store: Store, username: str = "ana") -> str:
    row = store.conn.execute("SELECT password_hash FROM users WHERE username = ?", [username])
    return str(row.fetchone()[0])


@pytest.fixture
def store(tmp_path: Path) -> Any:
    from qa.serve.users import add_user

    store = Store(tmp_path / "qa.db")
    add_user(store, "ana", "qa", PASSWORD, review=OLD)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("password", "review", "cost"),
    [
        (PASSWORD, SITE, "m=2048,t=2,p=4"),  # right password, new cost: hashed again
        (PASSWORD + "!", SITE, "m=1024,t=1,p=4"),  # wrong password: nothing to hash
        (PASSWORD, OLD, "m=1024,t=1,p=4"),  # the cost it has: kept as it is
    ],
)
def test_a_login_rehashes_at_the_site_cost(
    store: Store, password: str, review: ReviewConfig, cost: str
) -> None:
    from qa.serve.users import authenticate

    before = stored(store)
    user = authenticate(store, "ana", password, review)
    assert (user is not None) == (password == PASSWORD)
    assert stored(store).startswith(f"$argon2id$v=19${cost}$")
    assert (stored(store) == before) == (cost == "m=1024,t=1,p=4")
    # The password still opens the account at either cost; the old one is not left behind.
    assert authenticate(store, "ana", PASSWORD, review) is not None
    assert authenticate(store, "ana", PASSWORD + "!", review) is None


def test_a_disabled_user_is_not_rehashed(store: Store) -> None:
    from qa.serve.users import authenticate, set_disabled

    set_disabled(store, "ana")
    before = stored(store)
    assert authenticate(store, "ana", PASSWORD, SITE) is None
    assert stored(store) == before


def test_the_rehash_is_audited_with_both_costs(store: Store) -> None:
    from qa.serve.users import authenticate

    authenticate(store, "ana", PASSWORD, SITE)
    authenticate(store, "ana", PASSWORD, SITE)  # already at the site's cost: no second entry
    rows = store.conn.execute(
        "SELECT username, what, before, after FROM audit WHERE action = 'user.rehash'"
    ).fetchall()
    assert rows == [("ana", "user:ana", "m=1024,t=1,p=4", "m=2048,t=2,p=4")]


@needs("starlette", "httpx", "itsdangerous", "multipart")
def test_the_login_page_rehashes_at_the_cost_in_qa_yaml(store: Store, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from qa.config import Config
    from qa.serve.app import create_app
    from tests.serve_fixtures import login

    (tmp_path / "cards").mkdir()
    app = create_app(store.path, Config(review=SITE), tmp_path / "cards")
    with TestClient(app) as client:
        assert login(client, "ana", PASSWORD).status_code == 303
    assert stored(store).startswith("$argon2id$v=19$m=2048,t=2,p=4$")
