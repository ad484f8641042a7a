"""Journey checks given true journeys: promises, two stories and survey gaming in isolation.

    .venv/bin/python bench/bench_journey_checks.py [--set DIR] [--details] [--campaigns DIR]

The set (default ../shared/data/journey_cases) is laid out as expected.json, interactions/
(chats, calls, email, manifest.csv) and qa.yaml. Its ground-truth journeys are rebuilt from
the contacts' files with qa's own ingest readers (chat JSON, plain-text call transcripts, email
threads as one contact each, as the store keeps them); outcomes come from the labels, so the
figures measure the three checks alone, not journey building or outcome detection. Matching
follows the set's own rules: a flag matches a label when it names the label's files (a flag on
an email thread names the message through its turn); a second flag for a matched label is a
duplicate, not a false positive. `right_named` counts the matched two-stories flags that name
the contact the label says was right (or, like the label, neither); with --campaigns DIR each
contact is judged with the facts of that folder's campaigns in force on its date and channel,
as a rebuild does with the campaign set a contact was scored against.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.ingest.chat import parse_chat_json  # noqa: E402
from qa.ingest.email import build_thread, read_mail_file  # noqa: E402
from qa.ingest.transcripts import RoleHints, build_interaction, parse_call_text  # noqa: E402
from qa.journeys.model import Contact, Journey, JourneyFlag, Turn  # noqa: E402
from qa.journeys.promises import assess_promises  # noqa: E402
from qa.journeys.survey import survey_gaming  # noqa: E402
from qa.model import Interaction  # noqa: E402

DEFAULT_SET = ROOT.parent.parent / "shared" / "data" / "journey_cases"


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class TrueJourneys:
    """The set's labelled journeys as `Journey` objects, and a way back from flags to files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.expected = json.loads((root / "expected.json").read_text())
        inter = root / "interactions"
        with (inter / "manifest.csv").open(newline="") as fh:
            self.manifest = {r["file"]: r for r in csv.DictReader(fh)}
        config = yaml.safe_load((root / "qa.yaml").read_text())
        self.domains = config.get("email", {}).get("agent_domains", [])
        self.addresses = [e for a in config.get("agents", []) for e in a.get("emails", [])]
        self.agent_of_address = {
            e: a["id"] for a in config.get("agents", []) for e in a.get("emails", [])
        }
        names = {n.lower() for a in config.get("agents", []) for n in (a["id"], a.get("name"))}
        self.hints = RoleHints(
            company_names=tuple(config.get("voice", {}).get("company_names", [])),
            agent_names=tuple(sorted(n for n in names if n)),
            agent_channel=0,
        )
        self.file_of: dict[tuple[str, int | None], str] = {}  # (contact id, turn) -> file
        self.contact_of_file: dict[str, str] = {}
        contacts: dict[str, Contact] = {}
        threads = self.expected["email_threads"]
        in_thread = {f for t in threads for f in t}
        for f in self.expected["contacts"]:
            if f.startswith("email/") or f in in_thread:
                continue
            contacts[f] = self._contact(f)
        for t in threads:
            contacts[t[0]] = self._thread(t)
        for f in self.expected["contacts"]:
            if f.startswith("email/") and f not in in_thread:
                contacts[f] = self._thread([f])
        self.contacts = contacts
        self.journeys: list[Journey] = []
        placed: set[str] = set()
        for j in self.expected["journeys"]:
            members = []
            for f in j["files"]:
                cid = self.contact_of_file[f]
                if cid not in placed:
                    placed.add(cid)
                    members.append(contacts[cid])
            members.sort(key=lambda c: c.started_at)
            self.journeys.append(Journey(j["id"], j.get("customer"), members))
        for cid, c in contacts.items():
            if cid not in placed:
                self.journeys.append(Journey(f"alone:{cid}", None, [c]))

    def _meta(self, f: str) -> dict[str, Any]:
        row = self.manifest.get(f, {})
        return {k: v for k, v in row.items() if v not in ("", None)}

    def _contact(self, f: str) -> Contact:
        path = self.root / "interactions" / f
        if f.endswith(".json"):
            item = parse_chat_json(path.read_text(), str(path))[0]
        else:
            item = build_interaction(parse_call_text(path.read_text()), str(path), self.hints)
        return self._from_interaction(f, item, self._meta(f))

    def _from_interaction(self, f: str, item: Interaction, meta: dict[str, Any]) -> Contact:
        label = self.expected["contacts"][f]
        turns = tuple(
            Turn(idx=i, role=t.role, text=t.text, start=t.start, meta=dict(t.meta))
            for i, t in enumerate(item.turns)
        )
        direction = meta.get("direction") or label.get("direction")
        self.contact_of_file[f] = f
        self.file_of[(f, None)] = f
        for t in turns:
            self.file_of[(f, t.idx)] = f
        return Contact(
            interaction_id=f,
            source=f,
            channel=label["channel"],
            started_at=_when(meta.get("started_at") or label["started_at"]),
            agent_id=meta.get("agent_id"),
            team=meta.get("team"),
            direction=direction,
            initiated_by="agent" if direction == "outbound" else "customer",
            turns=turns,
            metadata=meta,
            outcome=label.get("outcome"),
        )

    def _thread(self, files: list[str]) -> Contact:
        mails = []
        for f in files:
            mails += read_mail_file(self.root / "interactions" / f, f)
        mails.sort(key=lambda m: (m.date.timestamp() if m.date else 0.0, m.source))
        item = build_thread(mails, self.domains, self.addresses)
        first = mails[0].source
        label = self.expected["contacts"][first]
        meta = self._meta(first)
        agent = next((t.speaker for t in item.turns if t.role == "agent"), None)
        turns = tuple(
            Turn(idx=i, role=t.role, text=t.text, start=t.start, meta=dict(t.meta))
            for i, t in enumerate(item.turns)
        )
        for i, m in enumerate(mails):
            self.file_of[(first, i)] = m.source
            self.contact_of_file[m.source] = first
        self.file_of[(first, None)] = first
        return Contact(
            interaction_id=first,
            source=first,
            channel="email",
            started_at=_when(label["started_at"]),
            agent_id=meta.get("agent_id") or self.agent_of_address.get(agent or ""),
            team=meta.get("team"),
            direction=meta.get("direction") or label.get("direction"),
            initiated_by="customer" if item.turns[0].role == "customer" else "agent",
            turns=turns,
            metadata=meta,
            outcome=label.get("outcome"),
        )

    def files_of(self, contact_id: str | None, turn: int | None) -> set[str]:
        """The labelled files a flag's side names: the message for a thread with a turn, else
        every file of the contact."""
        if contact_id is None:
            return set()
        if (contact_id, turn) in self.file_of and turn is not None:
            return {self.file_of[(contact_id, turn)]}
        return {f for f, c in self.contact_of_file.items() if c == contact_id}


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"P {p:.2f} ({tp}/{tp + fp})  R {r:.2f} ({tp}/{tp + fn})"


def _pair_match(
    labels: list[tuple[str, str]], found: list[tuple[set[str], set[str], Any]]
) -> tuple[int, list[Any], list[tuple[str, str]]]:
    """Labels (a, b) against flags (files of one side, files of the other side)."""
    matched: set[int] = set()
    extras: list[Any] = []
    for side_a, side_b, what in found:
        hit = None
        for i, (a, b) in enumerate(labels):
            if (a in side_a and (not side_b or b in side_b)) or (
                b in side_a and (not side_b or a in side_b)
            ):
                hit = i
                break
        if hit is None:
            extras.append(what)
        else:
            matched.add(hit)  # a second flag for a matched label is a duplicate
    missed = [lab for i, lab in enumerate(labels) if i not in matched]
    return len(matched), extras, missed


def promises_figures(tj: TrueJourneys, details: bool) -> dict[str, str]:
    e = tj.expected
    data_end = _when(e["data_end"])
    found: dict[str, list[tuple[set[str], set[str], Any]]] = {"broken": [], "open": [], "kept": []}
    for j in tj.journeys:
        for p in assess_promises(j, data_end):
            s = p.sentence
            side_a = tj.files_of(s.contact.interaction_id, s.turn.idx)
            other = p.chase if p.status == "broken" else p.kept_by
            side_b = (
                tj.files_of(other.contact.interaction_id, other.turn)
                if other is not None
                else set()
            )
            found[p.status].append((side_a, side_b, (p.status, sorted(side_a), s.text, p.why)))
    labels = {
        "broken": [(x["promise_file"], x["chase_file"]) for x in e["broken_promise"]],
        "open": [(x["promise_file"], x["promise_file"]) for x in e["open_promises"]],
        "kept": [(x["promise_file"], x["kept_by"]) for x in e["kept_promises"]],
    }
    out = {}
    for kind in ("broken", "open", "kept"):
        tp, extras, missed = _pair_match(labels[kind], found[kind])
        if kind == "open":  # an open promise names no other contact
            tp, extras, missed = _pair_match(
                labels[kind], [(a, set(), w) for a, _, w in found[kind]]
            )
        out[f"{kind}_promise"] = prf(tp, len(extras), len(missed))
        if details:
            for x in extras:
                print(f"  extra {kind}: {x}")
            for m in missed:
                print(f"  missed {kind}: {m}")
    return out


def survey_figures(tj: TrueJourneys, details: bool) -> dict[str, str]:
    result = survey_gaming(tj.contacts.values())
    truth = {a: v["flag"] for a, v in tj.expected["survey_gaming"].items()}
    flagged = {a for a, v in result.items() if v["flag"]}
    want = {a for a, f in truth.items() if f}
    tp = len(flagged & want)
    agree = sum(bool(result.get(a, {}).get("flag")) == f for a, f in truth.items())
    if details:
        for a, v in sorted(result.items()):
            if v["tested"]:
                print(f"  {a}: p={v['p_one_sided']} gap={v['gap']} flag={v['flag']}")
    return {
        "survey_gaming": prf(tp, len(flagged - want), len(want - flagged)),
        "survey_verdicts_agree": f"{agree}/{len(truth)}",
    }


def _known_at(tj: TrueJourneys, campaigns: Path | None) -> dict[str, Any]:
    """Each contact's campaign facts in force on its date and channel (none without a folder)."""
    if campaigns is None:
        return {}
    from qa.campaigns.schema import load_campaigns
    from qa.journeys.known import facts_of

    loaded = [(c, facts_of(c)) for c in load_campaigns(campaigns)]
    return {
        cid: tuple(
            k
            for camp, facts in loaded
            if camp.active_on(c.started_at.date(), c.channel)
            for k in facts
        )
        for cid, c in tj.contacts.items()
    }


def _right_named(
    tj: TrueJourneys, labels: list[dict[str, Any]], flags: list[JourneyFlag]
) -> tuple[int, int]:
    """Matched flags that name the labelled right contact (or neither, as the label does)."""
    agree = judged = 0
    for x in labels:
        a, b = x["files"][0], x["files"][1]
        for f in flags:
            side_a, side_b, _ = _flag_sides(tj, f)
            if not ((a in side_a and b in side_b) or (b in side_a and a in side_b)):
                continue
            right = f.details.get("right")
            named = side_a if right == "a" else side_b if right == "b" else set()
            want = {"a": a, "b": b}.get(x.get("right") or "")
            judged += 1
            agree += (want in named) if want else not named
            break
    return agree, judged


def stories_figures(
    tj: TrueJourneys, details: bool, campaigns: Path | None = None
) -> dict[str, str]:
    try:
        from qa.journeys.stories import find_inconsistencies
    except ImportError:
        return {}
    e = tj.expected
    known_at = _known_at(tj, campaigns)
    found = []
    flags: list[JourneyFlag] = []
    for j in tj.journeys:
        for f in find_inconsistencies(j, known_at=known_at):
            flags.append(f)
            found.append(_flag_sides(tj, f))
            if details and f.details.get("known_fact"):
                print(f"  {f.journey_id}: {f.details['why_right']}")
    labels = [(x["files"][0], x["files"][1]) for x in e["journey_inconsistency"]]
    tp, extras, missed = _pair_match(labels, found)
    agree, judged = _right_named(tj, e["journey_inconsistency"], flags)
    near = [(x["files"][0], x["files"][1]) for x in e["consistent_facts"]]
    raised_near, _, _ = _pair_match(near, [f for f in found if f[2] in extras])
    if details:
        for x in extras:
            print(f"  extra inconsistency: {x}")
        for m in missed:
            print(f"  missed inconsistency: {m}")
    return {
        "journey_inconsistency": prf(tp, len(extras), len(missed)),
        "right_named": f"{agree}/{judged}" + (" (with campaigns)" if campaigns else ""),
        "near_misses_raised": f"{raised_near}/{len(near)}",
    }


def _flag_sides(tj: TrueJourneys, f: JourneyFlag) -> tuple[set[str], set[str], Any]:
    return (
        tj.files_of(f.interaction_id, f.turn),
        tj.files_of(f.other_interaction_id, f.other_turn),
        (f.journey_id, f.interaction_id, f.quote, f.other_quote, f.details.get("fact")),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--details", action="store_true")
    ap.add_argument(
        "--campaigns", type=Path, help="a campaign folder whose facts say which story was right"
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    tj = TrueJourneys(args.set)
    t1 = time.perf_counter()
    figures = {}
    figures |= promises_figures(tj, args.details)
    figures |= stories_figures(tj, args.details, args.campaigns)
    figures |= survey_figures(tj, args.details)
    t2 = time.perf_counter()
    print(
        f"journey checks given true journeys: {args.set.name}, {len(tj.contacts)} contacts in "
        f"{len(tj.journeys)} journeys; {platform.machine()}, {platform.python_version()}"
    )
    for k, v in figures.items():
        print(f"  {k:24} {v}")
    print(f"  read {t1 - t0:.2f} s, checks {t2 - t1:.2f} s")


if __name__ == "__main__":
    main()
