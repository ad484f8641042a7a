"""Acceptance 3, end to end through the app: an analyst dismisses a finding, a trainer
adopts the dismissal as an example with one action, the next `qa rescore` no longer raises
it, and `qa scorecard test` keeps the adopted example passing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli
from qa.config import Config
from qa.store import Store
from qa.store.read import Selection, read_interactions
from tests.conftest import ROOT, needs
from tests.serve_fixtures import PASSWORD, csrf_of, login

pytestmark = needs("starlette", "httpx", "argon2", "itsdangerous", "multipart")
# The forbidden phrase "calm down" matches it word for word; the analyst rules it reassurance.
SAID = "Okay, calm down, the refund is already on its way to you."


def test_a_dismissed_finding_adopted_as_an_example_is_not_raised_again(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from qa.serve.app import create_app

    cards = tmp_path / "cards"
    cards.mkdir()
    card = cards / "inbound_service.yaml"
    shutil.copy(ROOT / "scorecards" / "inbound_service.yaml", card)
    chat = tmp_path / "in" / "c1.json"
    chat.parent.mkdir()
    chat.write_text(json.dumps({"agent": "l.chen", "messages": [
        {"from": "customer", "text": "Where is my refund? This is ridiculous!", "ts": "2026-03-02T10:00:00Z"},
        {"from": "agent", "text": SAID, "ts": "2026-03-02T10:00:30Z"},
    ]}))  # fmt: skip
    db = tmp_path / "qa.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["score", str(chat.parent), "--scorecard", str(card), "--db", str(db)])
    assert r.exit_code == 0, r.output
    for name, role in (("ana", "qa"), ("tom", "trainer")):
        r = runner.invoke(cli, ["users", "add", name, "--role", role, "--password-stdin",
                                "--db", str(db)], input=PASSWORD + "\n")  # fmt: skip
        assert r.exit_code == 0, r.output

    def machine() -> str:
        store = Store(db)
        item = read_interactions(store, Selection(human=False))[0]
        store.close()
        return next(c.result for c in item.latest.criteria if c.criterion_id == "forbidden_blame")

    assert machine() == "fail"  # the finding is raised
    iid = read_interactions(Store(db), Selection())[0].id
    app = create_app(db, Config(), cards)
    with TestClient(app) as ana:
        assert login(ana, "ana").status_code == 303
        page = ana.get(f"/i/{iid}").text
        form = page[page.index('id="criterion-forbidden_blame"') :]
        version = re.search(r'name="version" value="([^"]+)"', form).group(1)
        r = ana.post(f"/i/{iid}/decide", data={
            "csrf": csrf_of(page), "target": "criterion", "key": "forbidden_blame",
            "action": "dismiss", "version": version, "seen_decision": "",
            "comment": "Reassurance, not blame.",
        }, follow_redirects=False)  # fmt: skip
        assert r.status_code == 303, r.text
    with TestClient(app) as tom:
        assert login(tom, "tom").status_code == 303
        page = tom.get("/teach").text
        assert "Adopt as a negative example" in page
        action = re.search(r'action="(/decisions/[0-9a-f]+/adopt)"', page).group(1)
        r = tom.post(action, data={"csrf": csrf_of(page)})
        assert "Adopted 1 new example(s)" in r.text
    assert SAID in card.read_text()
    r = runner.invoke(cli, ["rescore", "--scorecard", str(card), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert machine() == "pass"  # not raised again, by the machine itself
    r = runner.invoke(cli, ["scorecard", "test", str(card)])
    assert r.exit_code == 0, r.output
    assert re.search(r"forbidden_blame\s+pass\s+pass\s+ok", r.output) or "0 failed" in r.output
