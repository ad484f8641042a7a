"""`qa serve` on the demo database, with users made by `qa users add`, driven in Debian's
headless Chromium through Selenium and chromium-driver: each role logs in and goes through
its flows (confirm, dismiss, adopt, acknowledge, dispute, resolve, calibrate). Script and
HTML in customer text, comments and dispute reasons stay inert. The screenshots of the
README's walk-through are written to docs/screenshots/ on the way."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, needs
from tests.serve_fixtures import PASSWORD, build_demo_db

pytestmark = [pytest.mark.browser, needs("selenium", "starlette", "uvicorn", "argon2")]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = ROOT / "docs" / "screenshots"
XSS_COMMENT = "<img src=x onerror=\"document.title='pwned'\">"
XSS_REASON = "<script>document.title='pwned'</script> I did ask"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("browser-serve")
    db = build_demo_db(folder)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "qa", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(
        [*args, "--scorecards", str(folder / "cards")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"qa serve stopped: {proc.stdout.read().decode() if proc.stdout else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("qa serve did not start")
    yield {"url": f"http://127.0.0.1:{port}", "db": db, "cards": folder / "cards"}
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail("Debian's chromium and chromium-driver are needed: bash scripts/setup.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"):  # fmt: skip
        options.add_argument(flag)
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    d.implicitly_wait(20)  # a page under load (CI beside other work) can take seconds
    yield d
    d.quit()


def by(css: str) -> tuple[str, str]:
    from selenium.webdriver.common.by import By

    return (By.CSS_SELECTOR, css)


def as_user(d: Any, server: dict[str, Any], username: str) -> None:
    d.delete_all_cookies()
    d.get(server["url"] + "/login")
    d.find_element(*by("#username")).send_keys(username)
    d.find_element(*by("#password")).send_keys(PASSWORD)
    submit(d, d.find_element(*by("#login")))
    assert "/login" not in d.current_url, d.find_element(*by("main")).text


def submit(d: Any, button: Any) -> None:
    """Click a button that sends a form, and wait for the next page to replace this one."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    page = d.find_element(*by("html"))
    button.click()

    def replaced(_: Any) -> bool:
        # Chromium answers a look at a node of the page being replaced either as stale or,
        # in the moment the new document commits, as a node that "does not belong to the
        # document": both mean the old page is gone.
        try:
            page.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(d, 60).until(replaced)


def shot(d: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    d.save_screenshot(str(SHOTS / f"{name}.png"))


def inert(d: Any) -> None:
    """No payload ran: no dialog open, the title untouched."""
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        d.switch_to.alert  # noqa: B018
    assert d.title != "pwned"


def lin_contact(d: Any, server: dict[str, Any], which: str = "attack") -> str:
    """The id of lin's contact: the planted attack chat, or her first other one."""
    from qa.store import Store
    from qa.store.read import Selection, read_interactions

    store = Store(server["db"])
    items = [i for i in read_interactions(store, Selection(agent="l.chen")) if i.latest]
    store.close()
    attack = [i for i in items if i.source.endswith("attack.json")]
    return (attack if which == "attack" else [i for i in items if i not in attack])[0].id


def test_every_flow_in_chromium(driver: Any, server: dict[str, Any]) -> None:
    d = driver
    attack = lin_contact(d, server)
    # -- an analyst: the queue, then confirm and dismiss beside the transcript --------------
    as_user(d, server, "ana")
    assert d.find_element(*by("h1")).text == "Review queue"
    submit(d, d.find_element(*by("#assign")))
    assert d.find_elements(*by("#assignment-list tbody tr")), "no assignment was made"
    assert "least sure first" in d.find_element(*by(".rule")).text
    shot(d, "analyst-queue")
    d.get(f"{server['url']}/i/{attack}")
    text = d.find_element(*by(".transcript")).text
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    inert(d)
    first = d.find_elements(*by(".criterion form.decide"))[0]
    first.find_element(*by("textarea")).send_keys("Right call.")
    submit(d, first.find_element(*by("button.confirm")))
    counted = [
        el for el in d.find_elements(*by(".criterion.result-pass"))
        if el.find_elements(*by("a.evidence")) and el.find_elements(*by("button.dismiss"))
    ]  # fmt: skip
    target = counted[0]
    cid = target.get_attribute("id")
    target.find_element(*by("textarea")).send_keys(f"Not really said. {XSS_COMMENT}")
    submit(d, target.find_element(*by("button.dismiss")))
    decided = d.find_element(*by(f"#{cid}"))
    assert "human: ana" in decided.text and "machine said pass" in decided.text
    assert XSS_COMMENT in decided.find_element(*by(".comment")).text
    inert(d)
    d.execute_script("document.getElementById(arguments[0]).scrollIntoView()", cid)
    shot(d, "analyst-decision")

    # -- a trainer: adopt the dismissal as a negative example --------------------------------
    as_user(d, server, "tom")
    d.get(server["url"] + "/teach")
    submit(d, d.find_element(*by("button.adopt")))
    assert "Adopted 1 new example(s)" in d.find_element(*by("#message")).text
    assert "negative" in d.find_element(*by("#adoptions")).text
    inert(d)
    shot(d, "trainer-teach")
    card = (server["cards"] / "inbound_service.yaml").read_text()
    assert "negative:" in card

    # -- an agent: her page, acknowledge one contact, dispute another ------------------------
    as_user(d, server, "lin")
    assert "Lin Chen" in d.find_element(*by("h1")).text
    shot(d, "agent-evaluations")
    d.get(f"{server['url']}/i/{attack}")
    d.find_element(*by(".ack-form textarea")).send_keys(f"Seen, thanks {XSS_COMMENT}")
    submit(d, d.find_element(*by("#acknowledge")))
    assert "Acknowledged by lin" in d.find_element(*by(".ack")).text
    d.find_element(*by(".dispute-form textarea")).send_keys(XSS_REASON)
    submit(d, d.find_element(*by("#dispute")))
    assert XSS_REASON in d.find_element(*by(".dispute .quote")).text
    inert(d)
    shot(d, "agent-dispute")
    # Another agent's contact, guessed: not found, never the page.
    from qa.store import Store
    from qa.store.read import Selection, read_interactions

    store = Store(server["db"])
    other = read_interactions(store, Selection(agent="a.khan"))[0].id
    store.close()
    d.get(f"{server['url']}/i/{other}")
    assert "There is no such page" in d.find_element(*by("main")).text

    # -- the analyst resolves the dispute; the agent sees it -------------------------------
    as_user(d, server, "ana")
    d.get(f"{server['url']}/i/{attack}#feedback")
    d.find_element(*by(".resolve textarea")).send_keys("You did ask; corrected.")
    submit(d, d.find_element(*by("button.overturn")))
    assert "overturned by ana" in d.find_element(*by(".dispute .resolution")).text
    d.get(server["url"] + "/disputes")
    assert "1" in d.find_element(*by("#per-analyst")).text
    shot(d, "analyst-disputes")
    as_user(d, server, "lin")
    d.get(server["url"] + "/disputes")
    assert "overturned" in d.find_element(*by("#dispute-list")).text
    inert(d)

    # -- calibration: the analyst opens a session, bob scores blind, kappa shows -------------
    as_user(d, server, "ana")
    d.get(server["url"] + "/calibration")
    d.find_element(*by("#session-title")).send_keys("Care, week 10")
    d.find_element(*by("#session-ids")).send_keys(f"{attack}\n{lin_contact(d, server, 'other')}")
    d.find_element(*by("#session-evaluators")).send_keys("bob")
    submit(d, d.find_element(*by("#open-session")))
    session_url = d.current_url
    as_user(d, server, "bob")
    d.get(session_url)
    links = [a.get_attribute("href") for a in d.find_elements(*by("#to-score a"))]
    assert len(links) == 2
    for link in links:
        d.get(link)
        assert not d.find_elements(*by(".results .result")), "blind scoring shows results"
        for row in d.find_elements(*by("form.blind tbody tr")):
            row.find_elements(*by("input[type=radio]"))[0].click()  # pass, everywhere
        shot(d, "calibration-blind")
        submit(d, d.find_element(*by("#save-scores")))
    assert "kappa" in d.find_element(*by("main")).text.lower()
    as_user(d, server, "ana")
    d.get(session_url)
    kappa = d.find_element(*by("#kappa")).text
    assert "bob · qa" in kappa
    shot(d, "calibration-kappa")
