"""Agreement between automatic and human evaluations, per criterion and overall.

Human evaluations arrive as CSV (`interaction_id` or `source`, `criterion_id`,
`result`, optional `evaluator` and `comment`), are stored once each, and are
compared with the latest automatic evaluation of each interaction; with a card, with that
card's results, scored in memory where it has not scored the contact (nothing stored).
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import ConfigError, QAError
from qa.store import Store, content_id, now
from qa.store.read import Selection, read_interactions

if TYPE_CHECKING:
    from qa.model import Evaluation

    # An evaluation scored for one comparison and never stored, with its contact's agent.
    InMemory = tuple[str | None, Evaluation]

RESULTS = ("pass", "fail", "na")


# -- statistics (pure) ----------------------------------------------------------------


def agreement(pairs: list[tuple[str, str]]) -> float | None:
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa; None when it is undefined (no pairs, or both raters used one class only)."""
    if not pairs:
        return None
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(left[c] * right[c] for c in set(left) | set(right)) / (n * n)
    if math.isclose(pe, 1.0):
        return None
    return (po - pe) / (1 - pe)


def pearson(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def confusion(pairs: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """rows: the machine's result; columns: the human's."""
    table = {a: dict.fromkeys(RESULTS, 0) for a in RESULTS}
    for machine, human in pairs:
        table.setdefault(machine, dict.fromkeys(RESULTS, 0))
        table[machine][human] = table[machine].get(human, 0) + 1
    return table


# -- import -------------------------------------------------------------------------------


@dataclass
class BadRow:
    line: int
    reason: str


@dataclass
class ImportResult:
    added: int = 0
    already: int = 0
    bad: list[BadRow] = field(default_factory=list)


def import_human_csv(store: Store, path: Path, criterion_ids: set[str]) -> ImportResult:
    """Store each valid row once; list every bad row with its line and reason."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if (
        "criterion_id" not in header
        or "result" not in header
        or not {"interaction_id", "source"} & set(header)
    ):
        raise ConfigError(
            f"{path}: needs the columns interaction_id (or source), criterion_id and result; "
            f"it has {', '.join(header) or 'none'}"
        )
    reader.fieldnames = header
    out = ImportResult()
    seen: set[tuple[str, str, str]] = set()
    rows = []
    for line, row in enumerate(reader, start=2):
        ref = (row.get("interaction_id") or row.get("source") or "").strip()
        crit = (row.get("criterion_id") or "").strip()
        result = (row.get("result") or "").strip().lower()
        evaluator = (row.get("evaluator") or "").strip() or "human"
        try:
            ident = store.resolve_id(ref) if ref else ""
        except QAError:
            ident = ""
        if not ident:
            out.bad.append(BadRow(line, f"unknown interaction {ref!r}"))
            continue
        if crit not in criterion_ids:
            out.bad.append(BadRow(line, f"unknown criterion {crit!r}"))
            continue
        points: float | None = None
        if result not in RESULTS:
            try:
                points = float(result)
            except ValueError:
                out.bad.append(
                    BadRow(line, f"result {result!r} is not pass, fail, na or a number of points")
                )
                continue
        key = (ident, crit, evaluator)
        if key in seen:
            out.bad.append(BadRow(line, f"duplicate: {evaluator} already rated {crit} on {ident}"))
            continue
        seen.add(key)
        rows.append(
            (
                ident,
                crit,
                result if points is None else "",
                points,
                evaluator,
                (row.get("comment") or "").strip(),
            )
        )
    with store.transaction() as conn:
        for ident, crit, result, points, evaluator, comment in rows:
            rid = content_id("human", ident, crit, evaluator, result, points, comment)
            # A corrected file replaces this evaluator's earlier rating of the same thing.
            conn.execute(
                "DELETE FROM human_evaluations WHERE interaction_id = ? AND criterion_id = ?"
                " AND evaluator = ? AND id != ?",
                [ident, crit, evaluator, rid],
            )
            cur = conn.execute(
                "INSERT OR IGNORE INTO human_evaluations (id, interaction_id, criterion_id, result,"
                " points, evaluator, comment, source_file, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [rid, ident, crit, result or None, points, evaluator, comment, str(path), now()],
            )
            if cur.rowcount:
                out.added += 1
            else:
                out.already += 1
    return out


def labelled_interactions(store: Store, path: Path) -> list[str]:
    """The stored interactions that a label file names (the only ones worth scoring)."""
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    found: list[str] = []
    for row in reader:
        row = {(k or "").strip().lower(): v for k, v in row.items()}
        ref = (row.get("interaction_id") or row.get("source") or "").strip()
        try:
            ident = store.resolve_id(ref) if ref else ""
        except QAError:
            ident = ""
        if ident and ident not in found:
            found.append(ident)
    return found


# -- comparison ----------------------------------------------------------------------------


@dataclass
class Disagreement:
    interaction_id: str
    agent: str | None
    criterion: str
    machine: str
    human: str
    evaluator: str
    comment: str
    evidence: list[dict[str, Any]]
    note: str | None

    @property
    def kind(self) -> str:
        return f"{self.criterion}: machine {self.machine}, human {self.human}"


@dataclass
class CriterionAgreement:
    criterion: str
    pairs: int
    agreement: float | None
    kappa: float | None
    confusion: dict[str, dict[str, int]]
    pearson_points: float | None = None
    point_pairs: int = 0
    applicable_pairs: int = 0  # pairs where not both sides said na
    applicable_agreement: float | None = None
    applicable_kappa: float | None = None


@dataclass
class Calibration:
    criteria: list[CriterionAgreement]
    overall: CriterionAgreement
    disagreements: list[Disagreement]
    humans: list[CriterionAgreement]  # human vs human, where several rated the same thing
    imported: ImportResult | None = None
    proposals: list[Any] = field(default_factory=list)  # examples to adopt (qa.scorecard.adopt)
    not_adoptable: list[str] = field(default_factory=list)
    adopted: int | None = None  # examples written into the card by --adopt
    command: str | None = None  # the command that adopts the proposals
    command_choices: list[str] = field(default_factory=list)  # one per evaluator, when split
    # (interaction, criterion) -> each evaluator's result, where people rated it
    ratings: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    held: list[str] = field(default_factory=list)  # not adopted: evaluators disagree
    rated: int = 0  # human ratings of the criteria compared (decisions in the app included)
    unmatched: dict[str, int] = field(default_factory=dict)  # no machine result: why, how many
    replaced: list[str] = field(default_factory=list)  # adopted over an example of the other kind
    # With a card: labelled contacts it scored in memory for this comparison (a what-if,
    # nothing stored), and those it had already scored, whose stored results were compared.
    scored_in_memory: int = 0
    scored_before: int = 0
    card: str | None = None  # the card's file name

    def as_dict(self) -> dict[str, Any]:
        def row(c: CriterionAgreement) -> dict[str, Any]:
            return {
                k: getattr(c, k)
                for k in (
                    "criterion",
                    "pairs",
                    "agreement",
                    "kappa",
                    "confusion",
                    "pearson_points",
                    "point_pairs",
                    "applicable_pairs",
                    "applicable_agreement",
                    "applicable_kappa",
                )
            }

        return {
            "overall": row(self.overall),
            "criteria": [row(c) for c in self.criteria],
            "human_vs_human": [row(c) for c in self.humans],
            "disagreements": [{**d.__dict__, "kind": d.kind} for d in self.disagreements],
            "proposals": [a.__dict__ for a in self.proposals],
            "not_adoptable": self.not_adoptable,
            "held_back": self.held,
            "ratings": self.rated,
            "without_machine_result": self.unmatched,
            "replaced": self.replaced,
            "adopted": self.adopted,
            "adopt_command": self.command,
            "scored_in_memory": self.scored_in_memory,
            "scored_before": self.scored_before,
            "import": None
            if self.imported is None
            else {
                "added": self.imported.added,
                "already": self.imported.already,
                "bad_rows": [b.__dict__ for b in self.imported.bad],
            },
        }


def _machine_results(
    store: Store, scorecard_hash: str | None, in_memory: dict[str, InMemory] | None = None
) -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, list[str]]]:
    """(interaction, criterion) -> the latest automatic result (optionally of one scorecard),
    and per interaction the names of the cards that scored it. `in_memory`: per interaction,
    its agent and an evaluation scored for this comparison only, never stored."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    cards: dict[str, list[str]] = {}
    selection = Selection(scorecard_hash=scorecard_hash, turns=False, human=False)
    for item in read_interactions(store, selection):
        for ev in item.evaluations:  # oldest first: the latest wins
            names = cards.setdefault(item.id, [])
            if (ev.scorecard or ev.scorecard_hash[:8]) not in names:
                names.append(ev.scorecard or ev.scorecard_hash[:8])
            for c in ev.criteria:
                out[(item.id, c.criterion_id)] = {
                    "interaction_id": item.id,
                    "agent_id": item.agent_id,
                    "criterion_id": c.criterion_id,
                    "result": c.result,
                    "points": c.points,
                    "evidence": c.evidence,
                    "note": c.note,
                }
    for ident, (agent, scored) in (in_memory or {}).items():
        cards[ident] = [scored.scorecard_name or scored.scorecard_hash[:8]]
        for r in scored.criteria:
            out[(ident, r.id)] = {
                "interaction_id": ident,
                "agent_id": agent,
                "criterion_id": r.id,
                "result": r.result,
                "points": r.points,
                "evidence": [one.as_dict() for one in r.evidence],
                "note": r.note,
            }
    return out, cards


def _unmatched_reason(h: dict[str, Any], cards: dict[str, list[str]], one_card: bool) -> str:
    """Why a human rating has no machine result to be compared with."""
    scored_by = cards.get(h["interaction_id"])
    if not scored_by:
        return "contact not scored with this card" if one_card else "contact not scored yet"
    return f"{h['criterion_id']}: not a criterion of the card that scored the contact" + (
        f" ({', '.join(scored_by)})"
    )


def calibrate(
    store: Store,
    scorecard_hash: str | None = None,
    criteria: set[str] | None = None,
    in_memory: dict[str, InMemory] | None = None,
) -> Calibration:
    """Compare the stored human ratings with the machine's; with `criteria`, only those
    (the card being calibrated), so another card's criteria are not listed. `in_memory`:
    evaluations scored for this comparison only (see `_machine_results`)."""
    machine, cards = _machine_results(store, scorecard_hash, in_memory)
    humans = [
        h
        for h in store.db.query(
            "SELECT * FROM human_evaluations ORDER BY interaction_id, criterion_id, evaluator"
        )
        if criteria is None or h["criterion_id"] in criteria
    ]
    from qa.review.decisions import human_labels

    # Decisions taken in `qa serve` are human ratings too, by the person who decided.
    humans += [h for h in human_labels(store) if criteria is None or h["criterion_id"] in criteria]
    by_criterion: dict[str, list[tuple[str, str]]] = defaultdict(list)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    disagreements: list[Disagreement] = []
    unmatched: Counter[str] = Counter()
    for h in humans:
        m = machine.get((h["interaction_id"], h["criterion_id"]))
        if m is None:
            unmatched[_unmatched_reason(h, cards, scorecard_hash is not None)] += 1
            continue
        if h["result"]:
            by_criterion[h["criterion_id"]].append((m["result"], h["result"]))
            if m["result"] != h["result"]:
                disagreements.append(
                    Disagreement(
                        h["interaction_id"],
                        m["agent_id"],
                        h["criterion_id"],
                        m["result"],
                        h["result"],
                        h["evaluator"],
                        h["comment"] or "",
                        m["evidence"],
                        m["note"],
                    )
                )
        elif h["points"] is not None:
            points[h["criterion_id"]].append((float(m["points"] or 0), float(h["points"])))
    rated = sorted({h["criterion_id"] for h in humans})
    rows = [_row(c, by_criterion.get(c, []), points.get(c, [])) for c in rated]
    overall = _row(
        "(all)",
        [p for c in rated for p in by_criterion.get(c, [])],
        [p for c in rated for p in points.get(c, [])],
    )
    counts = Counter(d.kind for d in disagreements)
    disagreements.sort(key=lambda d: (-counts[d.kind], d.kind, d.interaction_id))
    cal = Calibration(rows, overall, disagreements, _between_humans(humans))
    cal.rated = len(humans)
    cal.unmatched = dict(unmatched.most_common())
    for h in humans:
        if h["result"]:
            by = cal.ratings.setdefault((h["interaction_id"], h["criterion_id"]), {})
            by[h["evaluator"]] = h["result"]
    return cal


def _row(
    name: str, pairs: list[tuple[str, str]], pts: list[tuple[float, float]]
) -> CriterionAgreement:
    applicable = applicable_pairs(pairs)
    return CriterionAgreement(
        name,
        len(pairs),
        agreement(pairs),
        cohen_kappa(pairs),
        confusion(pairs),
        pearson([a for a, _ in pts], [b for _, b in pts]),
        len(pts),
        len(applicable),
        agreement(applicable),
        cohen_kappa(applicable),
    )


def applicable_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Pairs where the criterion applied for at least one side: agreeing N/As flatter kappa."""
    return [(a, b) for a, b in pairs if not (a == "na" and b == "na")]


def _between_humans(humans: list[dict[str, Any]]) -> list[CriterionAgreement]:
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for h in humans:
        if h["result"]:
            grouped[(h["interaction_id"], h["criterion_id"])].append(h["result"])
    by_criterion: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (_, crit), results in grouped.items():
        by_criterion[crit] += list(combinations(results, 2))
    rows = [_row(c, p, []) for c, p in sorted(by_criterion.items()) if p]
    if rows:
        rows.append(_row("(all)", [p for c in by_criterion.values() for p in c], []))
    return rows


# -- the command ---------------------------------------------------------------------------


def run_calibration(
    store: Store,
    human_csv: Path,
    card_path: Path | None,
    out: Path | None,
    adopt: bool = False,
    evaluator: str | None = None,
) -> Calibration:
    """Import the human CSV, score with the card where needed, compare, and write the page.
    With a card, list the examples the disagreements would teach it; with `adopt`, write
    them into the card (only `evaluator`'s, when given).

    Calibrating a card is a what-if: the labelled contacts the card has not scored are
    scored in memory from their stored transcripts (no audio work) and nothing is stored, so
    trying a draft never becomes the latest evaluation that reports show. Those the card
    (this very content) already scored are compared with their stored results."""
    card_hash = None
    in_memory: dict[str, InMemory] = {}
    before = 0
    if adopt and card_path is None:
        raise ConfigError("--adopt needs --scorecard: the card that takes the examples")
    if card_path is not None:
        from qa.matching import Matcher
        from qa.scorecard.load import load_scorecard
        from qa.scoring import score_in_memory

        card = load_scorecard(card_path)
        card_hash = card.hash
        ids = {c.id for _, c in card.scorecard.criteria()}
        labelled = labelled_interactions(store, human_csv)
        done = store.evaluated_ids(card.hash)
        before = sum(1 for i in labelled if i in done)
        wanted = [i for i in labelled if i not in done]
        todo = [i for i in store.load_interactions(wanted) if i.turns] if wanted else []
        if todo:
            scored = score_in_memory(store, todo, card, Matcher(vectors=store)).evaluations
            in_memory = {
                i.id: (i.agent.id if i.agent else None, scored[i.id])
                for i in todo
                if i.id in scored
            }
    else:
        ids = {
            r[0] for r in store.conn.execute("SELECT DISTINCT criterion_id FROM criterion_results")
        }
    if not ids:
        raise ConfigError("nothing has been scored yet: run `qa score` first, or pass --scorecard")
    imported = import_human_csv(store, human_csv, ids)
    cal = calibrate(store, card_hash, ids if card_path is not None else None, in_memory)
    cal.imported = imported
    cal.scored_in_memory, cal.scored_before = len(in_memory), before
    cal.card = card_path.name if card_path is not None else None
    if card_path is not None:
        _propose(store, cal, card_path, human_csv, adopt, evaluator)
    if out is not None:
        from qa.report.build import build_report, templates_env

        build_report(store, out)
        html = (
            templates_env()
            .get_template("calibration.html")
            .render(
                root="",
                generated={"at": now(), "period": "all evaluations"},
                cal=cal,
                results=RESULTS,
            )
        )
        (out / "calibration.html").write_text(html, encoding="utf-8")
    return cal


def _propose(
    store: Store,
    cal: Calibration,
    card_path: Path,
    human_csv: Path,
    adopt: bool,
    evaluator: str | None,
) -> None:
    from qa.scorecard.adopt import adopt as write_examples
    from qa.scorecard.adopt import propose
    from qa.scorecard.load import load_scorecard

    card = load_scorecard(card_path)
    chosen = [d for d in cal.disagreements if evaluator is None or d.evaluator == evaluator]
    turns: dict[str, list[Any]] = {}

    def turns_of(ident: str) -> list[Any]:
        if ident not in turns:
            found = store.load_interactions([ident])
            turns[ident] = found[0].turns if found else []
        return turns[ident]

    cal.proposals, cal.not_adoptable = propose(chosen, card, turns_of)
    cal.proposals, split = _settle_conflicts(cal, card, evaluator)
    by = f" --evaluator {evaluator}" if evaluator else ""
    cal.command = f"qa calibrate {human_csv} --scorecard {card.path} --adopt{by}"
    if adopt and cal.proposals:
        cal.adopted = write_examples(card.path, cal.proposals)
    elif adopt:
        cal.adopted = 0
    cal.command_choices = [f"{cal.command} --evaluator {e}" for e in split]


def _settle_conflicts(
    cal: Calibration, card: Any, evaluator: str | None
) -> tuple[list[Any], list[str]]:
    """The proposals to adopt. Without --evaluator, one that evaluators disagree on (their
    ratings of the contact differ, or the sentence would flip an example the card already
    holds) is held back, with who said what: adopting it would undo another's ruling, and the
    next calibration would propose the reverse. With --evaluator, that evaluator's ruling is
    adopted, and each example it turns over is named. Returns the proposals to adopt and
    the evaluators whose rulings conflict."""
    examples = {
        c.id: {
            "positive": list(c.examples.positive) if c.examples else [],
            "negative": list(c.examples.negative) if c.examples else [],
        }
        for _, c in card.scorecard.criteria()
    }
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in cal.proposals:
        kinds[(a.criterion, a.sentence)].add(a.kind)
    keep = []
    split: set[str] = set()
    for a in cal.proposals:
        other = "negative" if a.kind == "positive" else "positive"
        flips = a.sentence in examples.get(a.criterion, {}).get(other, [])
        ratings = cal.ratings.get((a.interaction_id, a.criterion), {})
        disputed = len(set(ratings.values())) > 1 or len(kinds[(a.criterion, a.sentence)]) > 1
        if evaluator is None and (flips or disputed):
            who = ", ".join(f"{e} rates {r}" for e, r in sorted(ratings.items()))
            held = f"{a.criterion} on {a.interaction_id}: {a.sentence!r} as a {a.kind} ({who})"
            if flips:
                held += f"; the card holds it as a {other} example"
            names = sorted(ratings) or [a.evaluator]
            split.update(names)
            if len(names) > 1:
                held += f": {' and '.join(names)} disagree on this sentence"
            cal.held.append(held + "; choose with --evaluator")
            continue
        if flips:
            cal.replaced.append(
                f"{a.criterion}: {a.sentence!r} was a {other} example, is now a {a.kind}"
                f" ({a.evaluator or 'human'}'s rating)"
            )
        keep.append(a)
    return keep, sorted(split)


def _fmt(v: float | None, pct: bool = False) -> str:
    if v is None:
        return "undefined" if not pct else "-"
    return f"{v:.0%}" if pct else f"{v:.2f}"


def render_calibration(cal: Calibration) -> str:
    lines = []
    imp = cal.imported
    if imp is not None:
        lines.append(f"Imported {imp.added} human ratings ({imp.already} already stored).")
        if imp.bad:
            lines.append(f"Ignored {len(imp.bad)} bad row(s):")
            lines += [f"  line {b.line}: {b.reason}" for b in imp.bad]
        lines.append("")
    if cal.card is not None:
        lines.append(
            f"{cal.card}: {cal.scored_in_memory} labelled contact(s) scored in memory for this"
            " comparison, a what-if: nothing stored, reports unchanged."
        )
        if cal.scored_before:
            lines.append(f"  {cal.scored_before} already scored with this card: stored results.")
        lines.append("")
    if cal.unmatched:
        lines.append(
            f"{sum(cal.unmatched.values())} of {cal.rated} human ratings have no machine result"
            " to compare with, and are not counted:"
        )
        lines += [f"  {n:>4}  {why}" for why, n in cal.unmatched.items()]
        lines.append("")
    width = max([len(c.criterion) for c in cal.criteria] + [9])
    lines.append(
        f"{'criterion':<{width}}  pairs  agreement  kappa      applicable  kappa      pearson(points)"
    )
    for c in [*cal.criteria, cal.overall]:
        pearson_text = _fmt(c.pearson_points) if c.point_pairs else "-"
        lines.append(
            f"{c.criterion:<{width}}  {c.pairs:>5}  {_fmt(c.agreement, True):>9}  {_fmt(c.kappa):<9}"
            f"  {c.applicable_pairs:>10}  {_fmt(c.applicable_kappa):<9}  {pearson_text}"
        )
    lines += [
        "",
        "confusion, all criteria (rows: machine, columns: human)",
        "       " + "".join(f"{h:>6}" for h in RESULTS),
    ]
    for m in RESULTS:
        lines.append(
            f"{m:>6} "
            + "".join(f"{cal.overall.confusion.get(m, {}).get(h, 0):>6}" for h in RESULTS)
        )
    if cal.humans:
        lines += ["", "human against human (the ceiling):"]
        lines += [
            f"  {c.criterion:<{width}}  {c.pairs:>5}  {_fmt(c.agreement, True):>9}  {_fmt(c.kappa)}"
            for c in cal.humans
        ]
    lines += ["", f"{len(cal.disagreements)} disagreement(s), most frequent kind first:"]
    for d in cal.disagreements[:30]:
        quotes = [e for e in d.evidence if e.get("turn") is not None]
        lines.append(f"  {d.kind} | {d.interaction_id} | agent {d.agent or '-'}")
        if quotes:
            lines.append(f'      machine saw: "{quotes[0]["quote"]}"')
        else:  # nothing said to quote: the machine's note of where it looked
            note = d.note or (d.evidence[0]["quote"] if d.evidence else "no evidence")
            lines.append(f"      machine note: {note}")
        if d.comment:
            lines.append(f"      {d.evaluator} said: {d.comment}")
        for a in cal.proposals:
            if (a.interaction_id, a.criterion) == (d.interaction_id, d.criterion):
                lines.append(f"      adopt as a {a.kind} example: {a.sentence}")
    if cal.held:
        lines += ["", f"{len(cal.held)} example(s) held back, evaluators disagree:"]
        lines += [f"  {h}" for h in cal.held]
    if cal.replaced:
        lines += ["", f"{len(cal.replaced)} example(s) turned over:"]
        lines += [f"  {r}" for r in cal.replaced]
    if cal.adopted is not None:
        lines += ["", f"Adopted {cal.adopted} new example(s) into the card: rescore to apply."]
    elif cal.proposals:
        lines += ["", f"{len(cal.proposals)} example(s) to adopt: {cal.command}"]
    if cal.command_choices:
        lines += ["To adopt one evaluator's rulings:"] + [f"  {c}" for c in cal.command_choices]
    return "\n".join(lines)
