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
from qa.store import Store
from qa.store.read import Selection, read_interactions
from tests.conftest import ROOT, needs
from tests.serve_fixtures import PASSWORD, cheap_config, cheap_hashes_config, csrf_of, login

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
    cheap = ["--config", str(cheap_hashes_config(tmp_path))]  # the least hash cost
    for name, role in (("ana", "qa"), ("tom", "trainer")):
        r = runner.invoke(cli, ["users", "add", name, "--role", role, "--password-stdin",
                                "--db", str(db), *cheap], input=PASSWORD + "\n")  # fmt: skip
        assert r.exit_code == 0, r.output

    def machine() -> str:
        store = Store(db)
        item = read_interactions(store, Selection(human=False))[0]
        store.close()
        return next(c.result for c in item.latest.criteria if c.criterion_id == "forbidden_blame")

    assert machine() == "fail"  # the finding is raised
    iid = read_interactions(Store(db), Selection())[0].id
    app = create_app(db, cheap_config(), cards)
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


def _card_alone(card: Path, folder: Path) -> Path:
    """The card copied where no folder of labelled examples lies beside it, so that `qa
    scorecard test --campaigns` checks the campaign examples (and the criteria's own
    `examples:`) only. The shipped examples/NAME/ contacts are judged by meaning: they are
    kept with the real text model (tests/test_scorecard_schema.py, marked `models`), which
    the fast tests stand in for with a word-hashing embedder (tests/text_model.py)."""
    alone = folder / "card-alone" / card.name
    alone.parent.mkdir(exist_ok=True)
    shutil.copy(card, alone)
    return alone


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
    cheap = ["--config", str(cheap_hashes_config(tmp_path))]  # the least hash cost
    for name, role in (("ana", "qa"), ("tom", "trainer")):
        r = runner.invoke(cli, ["users", "add", name, "--role", role, "--password-stdin",
                                "--db", str(db), *cheap], input=PASSWORD + "\n")  # fmt: skip
        assert r.exit_code == 0, r.output
    raised = _flags(db)
    kinds = {k for k, _ in raised}
    assert {"contradiction", "retired_claim"} <= kinds, raised  # both are raised
    iid = read_interactions(Store(db), Selection())[0].id
    app = create_app(db, cheap_config(), tmp_path / "cards-unused", camps)
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
    r = runner.invoke(cli, ["scorecard", "test", str(_card_alone(card, tmp_path)),
                            "--campaigns", str(camps)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "2 passed, 0 failed" in r.output  # the two campaign examples, nothing else
    assert re.search(r"facts\.price\s+quiet\s+quiet\s+ok", r.output), r.output
    r = runner.invoke(cli, ["campaigns", "test", str(camps)])
    assert r.exit_code == 0, r.output
    assert re.search(r"retired_claims\.no_contract\s+quiet\s+quiet\s+ok", r.output), r.output


PITCH = "Spring Unlimited is $35 a month and I can sign you up today."
# "Unlimited data" in other words: the checker does not read it as the key point.
OTHER_WORDS = "You get as much data as you like, with nothing capped."
# Paying a relative's bill for the plan she already has: no pitch, so nothing is owed.
NOT_PITCH = "Yes, Spring Unlimited is $35 a month and you can pay it for her today."


def _obligations(db: Path) -> dict[str, list[str]]:
    store = Store(db)
    items = read_interactions(store, Selection(human=False))
    store.close()
    return {
        Path(i.source).stem: sorted(
            (f.fact or "").split(":")[0]
            for f in i.flags
            if f.kind in ("missing_disclosure", "missed_key_point")
        )
        for i in items
    }


def test_a_dismissed_missed_obligation_adopted_as_an_example_is_not_raised_again(
    tmp_path: Path,
) -> None:
    """Acceptance 3 for missed disclosures and key points: the analyst dismisses two; the
    trainer adopts one as said in other words (picking the agent's sentence: a positive
    example of the key point) and the other as not owed (the flagged sentence is no pitch:
    a not_pitch example of the campaign); `qa rescore --campaigns` raises neither again,
    and `qa campaigns test` and `qa scorecard test --campaigns` keep both examples working."""
    from starlette.testclient import TestClient

    from qa.serve.app import create_app

    camps = tmp_path / "campaigns"
    shutil.copytree(ROOT / "scorecards" / "campaigns", camps, ignore=shutil.ignore_patterns("zh"))
    spring = camps / "spring_unlimited.yaml"
    card = ROOT / "scorecards" / "inbound_service.yaml"
    folder = tmp_path / "in"
    folder.mkdir()
    for name, turns in (
        ("sold", [("customer", "I saw the Spring Unlimited offer, what do I get?"),
                  ("agent", PITCH), ("agent", OTHER_WORDS)]),
        ("asked", [("customer", "Can I pay my daughter's Spring Unlimited bill?"),
                   ("agent", NOT_PITCH)]),
    ):  # fmt: skip
        (folder / f"{name}.json").write_text(json.dumps({"agent": "l.chen", "messages": [
            {"from": r, "text": t, "ts": f"2026-03-02T10:0{i}:00Z"} for i, (r, t) in enumerate(turns)
        ]}))  # fmt: skip
    db = tmp_path / "qa.db"
    runner = CliRunner()
    r = runner.invoke(cli, ["score", str(folder), "--scorecard", str(card),
                            "--campaigns", str(camps), "--db", str(db)])  # fmt: skip
    assert r.exit_code in (0, 2), r.output
    raised = _obligations(db)
    owed = ["disclosure price_after_term", "key point international", "key point unlimited_data"]
    assert raised == {"sold": owed, "asked": owed}, raised
    cheap = ["--config", str(cheap_hashes_config(tmp_path))]  # the least hash cost
    for name, role in (("ana", "qa"), ("tom", "trainer")):
        r = runner.invoke(cli, ["users", "add", name, "--role", role, "--password-stdin",
                                "--db", str(db), *cheap], input=PASSWORD + "\n")  # fmt: skip
        assert r.exit_code == 0, r.output
    ids = {Path(i.source).stem: i.id for i in read_interactions(Store(db), Selection())}
    app = create_app(db, cheap_config(), tmp_path / "cards-unused", camps)
    with TestClient(app) as ana:
        assert login(ana, "ana").status_code == 303
        for name, flag in (
            ("sold", "missed_key_point|SPRING-UNLIMITED|key point unlimited_data"),
            ("asked", "missing_disclosure|SPRING-UNLIMITED|disclosure price_after_term"),
        ):
            page = ana.get(f"/i/{ids[name]}").text
            at = page.index(f'id="flag-{flag}')
            form = page[at : page.index("</form>", at)]
            key = re.search(r'name="key" value="([^"]+)"', form).group(1)
            version = re.search(r'name="version" value="([^"]+)"', form).group(1)
            r = ana.post(f"/i/{ids[name]}/decide", data={
                "csrf": csrf_of(page), "target": "flag", "key": key.replace("&#39;", "'"),
                "action": "dismiss", "version": version, "seen_decision": "",
                "comment": "Said in other words." if name == "sold" else "Not a sale.",
            }, follow_redirects=False)  # fmt: skip
            assert r.status_code == 303, r.text
    with TestClient(app) as tom:
        assert login(tom, "tom").status_code == 303
        page = tom.get("/teach").text
        blocks = re.findall(r'<div class="obligation" id="obligation-([0-9a-f]+)">(.*?)</div>',
                            page, re.S)  # fmt: skip
        assert len(blocks) == 2, page
        by_kind = {("sold" if "key_points.unlimited_data" in b else "asked"): d for d, b in blocks}
        sold = dict(blocks)[by_kind["sold"]]
        picks = re.findall(r'name="(s:\d+)" value="1"> <q>([^<]*)</q>', sold)
        assert [q.replace("&#39;", "'") for _, q in picks] == [PITCH, OTHER_WORDS]
        action = f"/decisions/{by_kind['sold']}/adopt"
        # Nothing picked, or a sentence not in the contact: refused, nothing written.
        before = spring.read_text()
        for data in ({"as": "given"}, {"as": "given", "s:9": "1"}, {}):
            r = tom.post(action, data={"csrf": csrf_of(page), **data})
            assert r.status_code == 400 and "cannot adopt" in r.text, r.text
        assert spring.read_text() == before
        r = tom.post(action, data={"csrf": csrf_of(page), "as": "given", picks[1][0]: "1"})
        assert "Adopted 1 new example(s)" in r.text, r.text
        r = tom.post(f"/decisions/{by_kind['asked']}/adopt",
                     data={"csrf": csrf_of(r.text), "as": "not_owed"})  # fmt: skip
        assert "Adopted 1 new example(s)" in r.text, r.text
        assert r.text.count('class="human-mark">adopted<') == 2
    after = spring.read_text()
    assert after.startswith("# Owned by marketing.")  # the comment is kept
    assert f"examples:\n      positive:\n        - {json.dumps(OTHER_WORDS)}" in after
    assert f"not_pitch:\n    - {json.dumps(NOT_PITCH)}" in after
    r = runner.invoke(cli, ["rescore", "--scorecard", str(card), "--campaigns", str(camps),
                            "--db", str(db)])  # fmt: skip
    assert r.exit_code in (0, 2), r.output
    assert _obligations(db) == {"sold": owed[:2], "asked": []}, _obligations(db)
    r = runner.invoke(cli, ["campaigns", "test", str(camps)])
    assert r.exit_code == 0, r.output
    assert re.search(r"key_points\.unlimited_data\s+given\s+given\s+ok", r.output), r.output
    assert re.search(r"SPRING-UNLIMITED\s+quiet\s+quiet\s+ok", r.output), r.output
    r = runner.invoke(cli, ["scorecard", "test", str(_card_alone(card, tmp_path)),
                            "--campaigns", str(camps)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "2 passed, 0 failed" in r.output  # the two campaign examples, nothing else
