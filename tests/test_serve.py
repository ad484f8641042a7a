"""The review app through Starlette's TestClient: login, sessions, CSRF, headers, and the
flows (decide, conflict, acknowledge, dispute, resolve, adopt, calibrate)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs
from tests.serve_fixtures import build_demo_db, copy_db, login

pytestmark = needs("starlette", "httpx", "argon2", "itsdangerous", "multipart")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_db(tmp_path_factory.mktemp("serve"))


@pytest.fixture
def app_for(demo_db: Path, tmp_path: Path) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from qa.config import Config
    from qa.serve.app import create_app

    db = copy_db(demo_db, tmp_path / "db")
    clients = []

    def make(username: str | None = None) -> Any:
        client = TestClient(create_app(db, Config(), db.parent / "cards"))
        clients.append(client)
        if username:
            r = login(client, username)
            assert r.status_code == 303, r.text
        return client

    make.db = db  # type: ignore[attr-defined]
    yield make
    for c in clients:
        c.close()


def first_id(client: Any, agent: str) -> str:
    import re

    page = client.get(f"/agents/{agent}")
    assert page.status_code == 200
    return re.findall(r'href="/i/([0-9a-f]+)"', page.text)[0]


def test_pages_render_for_each_role(app_for: Any) -> None:
    pages = {
        "root": [
            "/queue",
            "/agents",
            "/agents/l.chen",
            "/disputes",
            "/teach",
            "/calibration",
            "/audit",
        ],
        "ana": ["/queue", "/agents", "/agents/l.chen", "/disputes", "/calibration"],
        "cora": ["/agents", "/agents/l.chen", "/disputes", "/calibration"],
        "tom": ["/agents", "/teach", "/disputes", "/calibration"],
        "lin": ["/agents/l.chen", "/disputes"],
    }
    for user, urls in pages.items():
        client = app_for(user)
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, (user, url, r.text[:500])
        iid = first_id(client, "l.chen")
        r = client.get(f"/i/{iid}")
        assert r.status_code == 200 and "turn-0" in r.text, (user, r.text[:300])
