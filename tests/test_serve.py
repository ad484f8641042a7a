"""The review app through Starlette's TestClient: login, sessions, CSRF, headers, and the
flows (decide, conflict, acknowledge, dispute, resolve, adopt, calibrate)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs
from tests.serve_fixtures import build_demo_db, cheap_config, copy_db, csrf_of, login

pytestmark = needs("starlette", "httpx", "argon2", "itsdangerous", "multipart")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_db(tmp_path_factory.mktemp("serve"))


@pytest.fixture
def app_for(demo_db: Path, tmp_path: Path) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from qa.serve.app import create_app

    db = copy_db(demo_db, tmp_path / "db")

    def make(username: str | None = None) -> Any:
        # Entered, so that its requests share one event loop thread instead of starting
        # one each (the app has no lifespan handlers: nothing else changes).
        client = clients.enter_context(
            TestClient(create_app(db, cheap_config(), db.parent / "cards"))
        )
        if username:
            r = login(client, username)
            assert r.status_code == 303, r.text
        return client

    make.db = db  # type: ignore[attr-defined]
    with contextlib.ExitStack() as clients:
        yield make


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


def test_wrong_password_answers_as_an_unknown_user_and_the_tenth_try_is_refused(
    app_for: Any,
) -> None:
    client = app_for()
    wrong = login(client, "ana", "not the password")
    unknown = login(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda t: re.sub(r'value="[^"]+"', "", t)  # noqa: E731  (the form's fresh token)
    assert strip(wrong.text) == strip(unknown.text)
    assert "Wrong user name or password." in wrong.text
    for _ in range(8):  # ana's attempts 2..9 within the minute
        assert login(client, "ana", "still wrong").status_code == 200
    tenth = login(client, "ana", "review app password")  # right, but the tenth attempt
    assert tenth.status_code == 429 and "Too many attempts" in tenth.text
    assert login(client, "ana").status_code == 429  # and for a while after


def test_session_cookie_headers_and_expiry(app_for: Any) -> None:
    client = app_for()
    r = login(client, "ana")
    cookie = r.headers["set-cookie"]
    assert "qa_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Max-Age=28800" in cookie
    page = client.get("/queue")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "http" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert "http://" not in page.text and "https://" not in page.text  # no CDN, nothing remote
    from qa.store import Store

    store = Store(app_for.db)
    store.conn.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    store.close()
    r = client.get("/queue", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_a_disabled_user_is_out_at_once(app_for: Any) -> None:
    from qa.serve.users import set_disabled
    from qa.store import Store

    client = app_for("ana")
    assert client.get("/queue").status_code == 200
    set_disabled(Store(app_for.db), "ana")
    assert client.get("/queue", follow_redirects=False).status_code == 303


def _decide_form(client: Any, iid: str) -> tuple[str, dict[str, str]]:
    page = client.get(f"/i/{iid}").text
    block = page[page.index('class="criterion') :]
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', block.split("</form>")[0]))
    return page, fields


def test_conflict_shows_both_versions_and_saves_nothing(app_for: Any) -> None:
    from qa.store import Store

    ana = app_for("ana")
    iid = first_id(ana, "l.chen")
    _, fields = _decide_form(ana, iid)
    store = Store(app_for.db)
    store.conn.execute(
        "UPDATE evaluations SET created_at = '2099-01-01T00:00:00+00:00' WHERE interaction_id = ?",
        [iid],
    )  # re-scored meanwhile
    r = ana.post(f"/i/{iid}/decide", data={**fields, "action": "confirm", "comment": "mine"})
    assert r.status_code == 409
    assert 'id="seen"' in r.text and 'id="current"' in r.text and "Nothing was saved" in r.text
    assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    store.close()


def test_a_comment_over_the_limit_is_refused_and_nothing_stored(app_for: Any) -> None:
    from qa.store import Store

    ana = app_for("ana")
    iid = first_id(ana, "l.chen")
    _, fields = _decide_form(ana, iid)
    r = ana.post(f"/i/{iid}/decide", data={**fields, "action": "confirm", "comment": "x" * 2001})
    assert r.status_code == 400 and "at most 2000 are kept" in r.text
    lin = app_for("lin")
    page = lin.get(f"/i/{iid}").text
    r = lin.post(
        f"/i/{iid}/dispute",
        data={"csrf": csrf_of(page), "criterion": fields["key"], "reason": "y" * 2001},
    )
    assert r.status_code == 400 and "reason has 2001 characters" in r.text
    store = Store(app_for.db)
    for table in ("decisions", "disputes"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    store.close()


def test_payloads_are_escaped_in_every_page(app_for: Any) -> None:
    payload = "<script>alert(9)</script><img src=x onerror=alert(9)>"
    ana = app_for("ana")
    iid = first_id(ana, "l.chen")
    _, fields = _decide_form(ana, iid)
    ana.post(f"/i/{iid}/decide", data={**fields, "action": "confirm", "comment": payload})
    lin = app_for("lin")
    page = lin.get(f"/i/{iid}").text
    crit = fields["key"]
    lin.post(
        f"/i/{iid}/dispute", data={"csrf": csrf_of(page), "criterion": crit, "reason": payload}
    )
    for client, urls in ((ana, [f"/i/{iid}", "/queue", "/disputes"]), (lin, ["/disputes"])):
        for url in urls:
            text = client.get(url).text
            assert "<script>alert" not in text and "<img src=x" not in text, url
            assert "&lt;script&gt;alert(9)&lt;/script&gt;" in text, url


def test_serve_refuses_a_non_local_host_and_says_why(runner: Any, tmp_path: Path) -> None:
    from qa.cli import cli

    r = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "qa.db")])
    assert r.exit_code == 2 and "not a loopback address" in r.output
    assert "--allow-remote" in r.output
    from qa.serve.app import check_host

    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        check_host(host, False)
    check_host("192.168.1.10", True)


def test_people_behind_one_address_do_not_lock_each_other_out(app_for: Any) -> None:
    client = app_for()
    for name in ("root", "ana", "bob", "cora", "rita", "tom", "lin", "aisha") * 2:
        client.cookies.clear()
        assert login(client, name).status_code == 303, name
