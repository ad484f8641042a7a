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


# The checker reads the insured price as the plan's price; the analyst rules it right.
PRICED = "On Spring Unlimited you'd pay $40 a month including the insurance."
# "No contract at all" is a retired claim; after the twelve-month term it is simply true.
AFTER_TERM = "Spring Unlimited has no contract at all after the first twelve months."


def _flags(db: Path) -> list[tuple[str, str]]:
    store = Store(db)
    item = read_interactions(store, Selection(human=False))[0]
    store.close()
    return sorted((f.kind, f.fact or "") for f in item.flags)


def test_a_dismissed_campaign_flag_adopted_as_an_example_is_not_raised_again(
    tmp_path: Path,
) -> None:
    """Acceptance 3 for campaign flags: two dismissed flags (a fact, a retired claim) are
    adopted into the campaign file; `qa rescore --campaigns` no longer raises them, and
    `qa scorecard test --campaigns` and `qa campaigns test` keep the examples quiet."""
    from starlette.testclient import TestClient

    from qa.serve.app import create_app

    camps = tmp_path / "campaigns"
    shutil.copytree(ROOT / "scorecards" / "campaigns", camps, ignore=shutil.ignore_patterns("zh"))
    spring = camps / "spring_unlimited.yaml"
    before = spring.read_text()
    card = ROOT / "scorecards" / "inbound_service.yaml"
    chat = tmp_path / "in" / "c1.json"
    chat.parent.mkdir()
    chat.write_text(json.dumps({"agent": "l.chen", "messages": [
        {"from": "customer", "text": "I saw the Spring Unlimited offer, how much is it with insurance?",
         "ts": "2026-03-02T10:00:00Z"},
        {"from": "agent", "text": PRICED, "ts": "2026-03-02T10:00:30Z"},
        {"from": "customer", "text": "And is there a contract?", "ts": "2026-03-02T10:01:00Z"},
        {"from": "agent", "text": "It is twelve months. " + AFTER_TERM, "ts": "2026-03-02T10:01:30Z"},
    ]}))  # fmt: skip
    db = tmp_path / "qa.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["score", str(chat.parent), "--scorecard", str(card),
                            "--campaigns", str(camps), "--db", str(db)])  # fmt: skip
    assert r.exit_code == 0, r.output
    for name, role in (("ana", "qa"), ("tom", "trainer")):
        r = runner.invoke(cli, ["users", "add", name, "--role", role, "--password-stdin",
                                "--db", str(db)], input=PASSWORD + "\n")  # fmt: skip
        assert r.exit_code == 0, r.output
    raised = _flags(db)
    kinds = {k for k, _ in raised}
    assert {"contradiction", "retired_claim"} <= kinds, raised  # both are raised
    iid = read_interactions(Store(db), Selection())[0].id
    app = create_app(db, Config(), tmp_path / "cards-unused", camps)
    with TestClient(app) as ana:
        assert login(ana, "ana").status_code == 303
        page = ana.get(f"/i/{iid}").text
        for kind in ("contradiction", "retired_claim"):
            at = page.index(f'id="flag-{kind}|')
            form = page[at : page.index("</form>", at)]
            key = re.search(r'name="key" value="([^"]+)"', form).group(1)
            version = re.search(r'name="version" value="([^"]+)"', form).group(1)
            r = ana.post(f"/i/{iid}/decide", data={
                "csrf": csrf_of(page), "target": "flag", "key": key.replace("&#39;", "'"),
                "action": "dismiss", "version": version, "seen_decision": "",
                "comment": "Right for what the customer asked.",
            }, follow_redirects=False)  # fmt: skip
            assert r.status_code == 303, r.text
            page = ana.get(f"/i/{iid}").text
    with TestClient(app) as tom:
        assert login(tom, "tom").status_code == 303
        page = tom.get("/teach").text
        actions = re.findall(r'action="(/decisions/[0-9a-f]+/adopt)"', page)
        assert len(actions) == 2, page
        for action in actions:
            r = tom.post(action, data={"csrf": csrf_of(page)})
            assert "Adopted 1 new example(s)" in r.text, r.text
            assert f"qa rescore --campaigns {camps}" in r.text
            page = r.text
        assert page.count('class="human-mark">adopted<') == 2
    after = spring.read_text()
    assert PRICED in after and AFTER_TERM in after
    assert after.startswith(before.split("\n")[0])  # the marketing comment is kept
    # Still raised by a plain rescore: the stored campaign set is the one scored with.
    r = runner.invoke(cli, ["rescore", "--scorecard", str(card), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert _flags(db) == raised
    r = runner.invoke(cli, ["rescore", "--scorecard", str(card), "--campaigns", str(camps),
                            "--db", str(db)])  # fmt: skip
    assert r.exit_code == 0, r.output
    left = {k for k, _ in _flags(db)}
    assert not {"contradiction", "retired_claim"} & left, _flags(db)
    r = runner.invoke(cli, ["scorecard", "test", str(card), "--campaigns", str(camps)])
    assert r.exit_code == 0, r.output
    assert "2 passed, 0 failed" in r.output
    assert re.search(r"facts\.price\s+quiet\s+quiet\s+ok", r.output), r.output
    r = runner.invoke(cli, ["campaigns", "test", str(camps)])
    assert r.exit_code == 0, r.output
    assert re.search(r"retired_claims\.no_contract\s+quiet\s+quiet\s+ok", r.output), r.output
