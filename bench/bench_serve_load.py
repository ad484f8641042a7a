"""The review app under load: 20 people browsing and deciding while `qa score` writes.

    .venv/bin/python bench/bench_serve_load.py [--n 10000] [--users 20] [--seconds 60]

One database of N synthetic scored chats (bench_read_path's generator; some results made
unsure and some flags held for review, so the queue has work) gets USERS users: analysts
who open the queue and contacts and decide, agents who read their own page and contacts,
coaches and trainers who browse. `qa serve` runs on 127.0.0.1 only; meanwhile `qa score`
scores fresh chats into the same database, batch after batch. Prints p50 and p95 page
times per page and overall, the number of requests, decisions and conflicts, and checks
that there was no error, no lost decision and no "database is locked" (in answers or in
the server's log).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_read_path import fill  # noqa: E402

PASSWORD = "bench password 1"
CARD = ROOT / "scorecards" / "inbound_service.yaml"


def prepare(db: Path, n: int, users: int) -> dict[str, list[str]]:
    from qa.serve.users import add_user
    from qa.store import Store

    fill(db, n)
    store = Store(db)
    # Some unsure results and flags held for review: the queue has work in it.
    store.conn.execute("UPDATE criterion_results SET confidence = 0.4 WHERE rowid % 7 = 0")
    store.conn.execute("UPDATE flags SET status = 'review', confidence = 0.5 WHERE rowid % 5 = 0")
    roles: dict[str, list[str]] = defaultdict(list)
    plan = ["qa"] * (users * 6 // 10) + ["agent"] * (users * 2 // 10) + ["coach", "trainer"]
    plan += ["qa"] * (users - len(plan))
    for k, role in enumerate(plan[:users]):
        name = f"{role}{k}"
        extra: dict[str, Any] = {}
        if role == "agent":
            extra["agent_id"] = f"a{k % 40}"
        if role == "coach":
            extra["teams"] = ["team0", "team1"]
        add_user(store, name, role, PASSWORD, **extra)
        roles[role].append(name)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return dict(roles)


def writer(db: Path, folder: Path, stop: threading.Event, log: list[str]) -> None:
    """`qa score` on fresh chats, batch after batch, until told to stop."""
    round_ = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while not stop.is_set():
        batch = folder / f"batch{round_}"
        batch.mkdir(parents=True)
        for k in range(40):
            (batch / f"c{k}.json").write_text(
                json.dumps(
                    {
                        "agent": f"a{k % 40}",
                        "messages": [
                            {"from": "customer", "text": f"Round {round_} question {k}?",
                             "ts": "2026-03-20T10:00:00Z"},
                            {"from": "agent", "text": "Hello, thanks for contacting us. "
                             "Is there anything else I can help with?",
                             "ts": "2026-03-20T10:00:30Z"},
                        ],
                    }
                )
            )  # fmt: skip
        cmd = [sys.executable, "-m", "qa", "score", str(batch), "--scorecard", str(CARD)]
        r = subprocess.run([*cmd, "--db", str(db)], env=env, capture_output=True, text=True)
        log.append(f"round {round_}: exit {r.returncode} {r.stdout.strip()[-200:]}")
        if r.returncode not in (0, 1) or "locked" in r.stdout + r.stderr:
            log.append("WRITER ERROR: " + r.stderr[-2000:])
        round_ += 1


class Person(threading.Thread):
    def __init__(
        self, url: str, name: str, role: str, ids: list[str], until: float, agent: str = ""
    ):
        super().__init__(daemon=True)
        self.url, self.name, self.role, self.ids, self.until = url, name, role, ids, until
        self.agent = agent
        self.ready, self.go = threading.Event(), threading.Event()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.decided: int = 0
        self.conflicts: int = 0
        self.rng = random.Random(name)

    def get(self, client: Any, kind: str, path: str) -> Any:
        t = time.perf_counter()
        r = client.get(self.url + path)
        self.times[kind].append(time.perf_counter() - t)
        self._check(r, path)
        return r

    def _check(self, r: Any, path: str) -> None:
        if r.status_code >= 500 or "database is locked" in r.text:
            self.errors.append(f"{self.name} {path}: {r.status_code} {r.text[:200]}")

    def run(self) -> None:
        import httpx

        with httpx.Client(timeout=120) as client:
            page = client.get(self.url + "/login").text
            token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            r = client.post(self.url + "/login", data={"username": self.name, "password": PASSWORD,
                                                       "csrf": token})  # fmt: skip
            self.ready.set()
            if r.status_code != 303:
                self.errors.append(f"{self.name}: could not log in")
                return
            self.go.wait()  # the clock starts once everyone is logged in
            while time.monotonic() < self.until:
                try:
                    self.step(client)
                except Exception as exc:  # noqa: BLE001  (any failure is an error to report)
                    self.errors.append(f"{self.name}: {type(exc).__name__}: {exc}")

    def step(self, client: Any) -> None:
        iid = self.rng.choice(self.ids)
        if self.role == "qa":
            self.get(client, "queue", "/queue")
            page = self.get(client, "contact", f"/i/{iid}").text
            forms = re.findall(r'<form method="post" action="/i/\w+/decide".*?</form>', page, re.S)
            if not forms:
                return
            fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', self.rng.choice(forms)))
            action = self.rng.choice(["confirm", "dismiss"])
            t = time.perf_counter()
            r = client.post(f"{self.url}/i/{iid}/decide", data={**fields, "action": action,
                                                                  "comment": f"by {self.name}"})  # fmt: skip
            self.times["decide"].append(time.perf_counter() - t)
            self._check(r, "decide")
            if r.status_code == 409:
                self.conflicts += 1
            elif r.status_code == 303:
                self.decided += 1
            elif r.status_code != 400:  # 400: e.g. an n/a result cannot be dismissed
                self.errors.append(f"{self.name} decide: {r.status_code} {r.text[:200]}")
        elif self.role == "agent":  # their own page and contacts only
            self.get(client, "agent page", f"/agents/{self.agent}")
            self.get(client, "contact", f"/i/{iid}")
        else:
            self.get(client, "agents", "/agents")
            self.get(client, "contact", f"/i/{iid}")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="interactions in the database")
    parser.add_argument("--users", type=int, default=20, help="people browsing at once")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they browse")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    args = parser.parse_args()
    from qa.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    db = tmp / "qa.db"
    t0 = time.perf_counter()
    roles = prepare(db, args.n, args.users)
    print(f"database: {args.n} interactions, {args.users} users, ready in "
          f"{time.perf_counter() - t0:.0f} s ({db})", flush=True)  # fmt: skip
    store = Store(db)
    all_ids = [r[0] for r in store.conn.execute("SELECT id FROM interactions")]
    by_agent: dict[str, list[str]] = defaultdict(list)
    for ident, agent in store.conn.execute("SELECT id, agent_id FROM interactions"):
        by_agent[agent].append(ident)
    agent_of = dict(store.conn.execute("SELECT username, agent_id FROM users"))
    store.close()
    port = args.port
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    server_log = tmp / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with server_log.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--db", str(db), "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    stop = threading.Event()
    writes: list[str] = []
    w = threading.Thread(target=writer, args=(db, tmp / "incoming", stop, writes), daemon=True)
    w.start()
    until = time.monotonic() + args.seconds
    people = []
    for role, names in roles.items():
        for name in names:
            agent = agent_of.get(name) or ""
            ids = by_agent[agent] if role == "agent" else all_ids
            people.append(Person(url, name, role, ids, until, agent))
    for p in people:
        p.start()
    for p in people:
        p.ready.wait(timeout=600)
    load = os.getloadavg()[0]
    until = time.monotonic() + args.seconds
    for p in people:
        p.until = until
        p.go.set()
    for p in people:
        p.join()
    stop.set()
    w.join(timeout=600)
    server.terminate()
    server.wait(timeout=30)
    times: dict[str, list[float]] = defaultdict(list)
    for p in people:
        for k, v in p.times.items():
            times[k] += v
    errors = [e for p in people for e in p.errors]
    decided = sum(p.decided for p in people)
    conflicts = sum(p.conflicts for p in people)
    store = Store(db)
    stored = store.conn.execute(
        "SELECT count(*) FROM decisions WHERE comment LIKE 'by %'"
    ).fetchone()[0]
    total = store.conn.execute("SELECT count(*) FROM interactions").fetchone()[0]
    store.close()
    logged = server_log.read_text()
    locked = "database is locked" in logged or any("locked" in x for x in writes)
    every = [t for v in times.values() for t in v]
    print(f"{args.users} users for {args.seconds:.0f} s on 127.0.0.1, load average at start "
          f"{load:.1f}, {os.cpu_count()} cores")  # fmt: skip
    print(f"{'page':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in sorted(times):
        v = times[kind]
        print(f"{kind:<12} {len(v):>8} {1000 * pct(v, 0.5):>8.0f} {1000 * pct(v, 0.95):>8.0f}")
    print(
        f"{'all':<12} {len(every):>8} {1000 * pct(every, 0.5):>8.0f} {1000 * pct(every, 0.95):>8.0f}"
    )
    print(f"decisions: {decided} answered as saved, {stored} in the database, "
          f"{conflicts} conflicts shown (same result decided by two people)")  # fmt: skip
    print(f"qa score meanwhile: {len(writes)} batch(es); interactions now {total}")
    for line in writes[-3:]:
        print("  " + line)
    print(f"errors: {len(errors)}; database is locked: {'yes' if locked else 'no'}; "
          f"server log: {'clean' if 'Traceback' not in logged else 'TRACEBACKS'}")  # fmt: skip
    for e in errors[:10]:
        print("  " + e)
    ok = (
        bool(every) and decided > 0 and not errors and not locked and decided == stored
        and "Traceback" not in logged
    )  # fmt: skip
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
