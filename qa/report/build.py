"""Turn report data into pages: the team index, one page per agent, one per transcript."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import markupsafe
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    Template,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.filters import do_int
from markupsafe import escape

from qa.ingest.audio import AUDIO_EXTENSIONS
from qa.progress import NoProgress, Progress
from qa.report import i18n
from qa.report.chart import trend_chart
from qa.report.data import Filters, ReportData, load_report_data
from qa.report.i18n import N_
from qa.report.journeys import JourneyReport
from qa.resources import shipped_dir
from qa.store import Store
from qa.vocabulary import CHANNELS, Channel, FlagStatus, Status

TOP_OPPORTUNITIES = 3
EVIDENCE_PER_OPPORTUNITY = 3
STRENGTH_MIN_RATE = 0.9  # met this often, over at least STRENGTH_MIN_APPLICABLE evaluations
STRENGTH_MIN_APPLICABLE = 2
METRICS = {
    Channel.VOICE: [
        ("talk_ratio", N_("Talk ratio (agent share)"), "{:.0%}"),
        ("silence_total", N_("Silence per call (s)"), "{:.0f}"),
        ("silence_longest", N_("Longest silence (s)"), "{:.1f}"),
        ("monologue_longest", N_("Longest monologue (s)"), "{:.0f}"),
        ("wpm_agent", N_("Agent words per minute"), "{:.0f}"),
    ],
    Channel.CHAT: [
        ("first_response", N_("First response (s)"), "{:.0f}"),
        ("response_avg", N_("Average response (s)"), "{:.0f}"),
    ],
    Channel.EMAIL: [
        ("first_response", N_("First response (h)"), "h"),
        ("response_avg", N_("Average response (h)"), "h"),
    ],
}


_DICT_ATTRIBUTES = frozenset(dir(dict))
# markupsafe's C escaping of a plain string (its pure-Python twin where there is no C).
_escape_str = getattr(markupsafe, "_escape_inner", None) or (lambda s: str(escape(s)))


def _escape(value: Any) -> Any:
    """What a page writes for `{{ value }}`: markupsafe's escape, without wrapping each
    plain string in a Markup object that is joined into the page and dropped at once."""
    return _escape_str(value) if type(value) is str else escape(value)


class PageTemplate(Template):
    """A template whose output expressions escape with `_escape`: the same characters."""

    @classmethod
    def from_code(
        cls, environment: Environment, code: Any, globals: Any, uptodate: Any = None
    ) -> Any:
        page = super().from_code(environment, code, globals, uptodate)
        page.root_render_func.__globals__["escape"] = _escape  # the compiled module's name
        return page


class CompiledPages(BytecodeCache):
    """The templates' compiled code, kept for the process: each report and each review-app
    instance makes an environment of its own, and compiling every page again costs about a
    third of a second of CPU. Kept by template file and interface language (jinja folds a
    filter of a literal, such as a translation, into the code); jinja compares the source's
    checksum with the kept one, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = f"{environment.globals.get('lang', '')}|{self.get_cache_key(name, filename)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self.code.get(bucket.key)
        if kept is not None:
            bucket.bytecode_from_string(kept)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED_PAGES = CompiledPages()


class PageEnvironment(Environment):
    """Jinja's environment, reading a dict's keys as attributes without its detour.

    `row.name` in a template makes jinja try the attribute first and the key after; on a
    plain dict the failed attribute costs an exception every time, and pages read many
    thousands of keys. The answer is the same: a dict's own attributes (`items`, `get`…)
    still win, every other name is its key or undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    template_class = PageTemplate


def templates_env(
    user_dir: Path | None = None, language: str = i18n.DEFAULT_LANGUAGE
) -> Environment:
    """The user's folder first, then the packaged defaults (also reachable as `default:NAME`).

    Templates are read once per environment (no look at the file for every page), and the
    environment offers `clock_text`, the clock macro done in Python, and the interface in
    `language` (gettext `_`, the `day` filter; see qa.report.i18n)."""
    default = FileSystemLoader(str(shipped_dir("qa.report_templates", "reports")))
    loaders: list[Any] = []
    if user_dir is not None:
        loaders.append(FileSystemLoader(str(user_dir)))
    loaders += [PrefixLoader({"default": default}, delimiter=":"), default]
    env = PageEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        auto_reload=False,
        bytecode_cache=COMPILED_PAGES,
    )
    env.globals.update(PAGE_HELPERS)
    i18n.install(env, language)
    return env


def clock_text(seconds: Any) -> str:
    """A moment as m:ss or h:mm:ss, "–" when unknown: what the clock macro wrote."""
    if seconds is None:
        return "–"
    if seconds >= 3600:
        return (
            f"{_int(seconds // 3600)}:{_int((seconds % 3600) // 60):02d}:{_int(seconds % 60):02d}"
        )
    return f"{_int(seconds // 60)}:{_int(seconds % 60):02d}"


def _int(value: Any) -> int:
    """Jinja's `int` filter, which the clock macro used (NaN becomes 0)."""
    return value if type(value) is int else int(do_int(value))


# What the pages may call besides jinja's own: the clock macro done in Python, and the
# trend chart's geometry (qa.report.chart; the `trend` macro draws it).
PAGE_HELPERS: dict[str, Any] = {"clock_text": clock_text, "trend_chart": trend_chart}


def slug(agent_id: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", agent_id).strip("-.")[:60] or "agent"
    return f"{safe}-{hashlib.sha1(agent_id.encode()).hexdigest()[:6]}"


@dataclass
class ReportSummary:
    out: Path
    agents: int
    transcripts: int
    evaluations: int


def _evidence(e: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    return {
        **e,
        "interaction_id": item["id"],
        "channel": item["channel"],
        "date": (item["started_at"] or "")[:10],
    }


def _trend(points: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """Average score per week (per day over short spans), x scaled to 0..1."""
    dated = sorted((d, p) for d, p in points if d)
    if not dated:
        return []
    first, last = date.fromisoformat(dated[0][0]), date.fromisoformat(dated[-1][0])
    weekly = (last - first).days > 21
    buckets: dict[str, list[float]] = defaultdict(list)
    for d, p in dated:
        day = date.fromisoformat(d)
        key = (day.fromordinal(day.toordinal() - day.weekday())).isoformat() if weekly else d
        buckets[key].append(p)
    keys = sorted(buckets)
    span = max(1, len(keys) - 1)
    return [
        {
            "x": i / span,
            "y": sum(buckets[k]) / len(buckets[k]),
            "label": ("week of " if weekly else "") + k,
            "week": weekly,
            "day": k,
        }
        for i, k in enumerate(keys)
    ]


NO_WORK_TYPE = N_("not routed")
NO_DATES = N_("no dated interactions")
UNKNOWN_AGENT = N_("(unknown agent)")


def _by_work_type(evals: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Count and average score per channel and work type."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for i, e in evals:
        groups[(i["channel"], i.get("work_type") or NO_WORK_TYPE)].append(e["percent"])
    return [
        {
            "channel": ch,
            "work_type": wt,
            "count": len(scores),
            "average": sum(scores) / len(scores),
            "percentile": None,
            "peers": 0,
        }
        for (ch, wt), scores in sorted(groups.items())
    ]


def _percentile(value: float, peers: list[float]) -> float | None:
    """Where a value stands among its peers' (itself included), 0-100; None alone."""
    if len(peers) < 2:
        return None
    below = sum(1 for p in peers if p < value) + 0.5 * (sum(1 for p in peers if p == value) - 1)
    return 100 * (below + 0.5) / len(peers)


def _metric_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for channel, specs in METRICS.items():
        mine = [i["metadata"].get("metrics", {}) for i in items if i["channel"] == channel]
        for key, label, fmt in specs:
            values = [m[key] for m in mine if isinstance(m.get(key), int | float)]
            if not values:
                continue
            avg = sum(values) / len(values)
            text = f"{avg / 3600:.1f}" if fmt == "h" else fmt.format(avg)
            rows.append({"label": label, "channel": channel, "value": text})
    return rows


def _held_rows(held: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[dict[str, Any]]:
    """A held call in the review queue: its file, its card and score, and why it waits."""
    return [
        {
            "name": f"{Path(i['source']).name}: {e['scorecard']} {e['percent']:.0f}%",
            "note": i.get("error") or "",
            "was": None,
            "evidence": [],
        }
        for i, e in held
    ]


class ReportBuilder:
    def __init__(self, data: ReportData, env: Environment, out: Path, copy_audio: bool = True):
        self.data, self.env, self.out, self.copy_audio = data, env, out, copy_audio
        self.templates: dict[str, Template] = {}
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        dates = sorted(
            (i["started_at"] or "")[:10] for i in data.interactions.values() if i["started_at"]
        )
        period = f"{dates[0]} to {dates[-1]}" if dates else NO_DATES
        # Calls held for review (their roles are in doubt) wait for a person: shown as held,
        # not counted in any average and not coached, as a held flag is not counted.
        self.held = {k for k, i in data.interactions.items() if i.get("status") == Status.REVIEW}
        self.counted = {k: e for k, e in data.evaluations.items() if k not in self.held}
        self.generated = {
            "at": stamp,
            "period": period,
            "first": dates[0] if dates else None,
            "last": dates[-1] if dates else None,
        }

    # -- per agent ------------------------------------------------------------------

    def agents(self) -> dict[str, dict[str, Any]]:
        by_agent: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for item in self.data.interactions.values():
            by_agent[item["agent_id"] or UNKNOWN_AGENT].append(item)
        agents = {aid: self._agent(aid, items) for aid, items in by_agent.items()}
        self._percentiles(agents)
        return agents

    def _agent(self, aid: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        evals = [(i, self.counted[i["id"]]) for i in items if i["id"] in self.counted]
        held = [
            (i, self.data.evaluations[i["id"]])
            for i in items
            if i["id"] in self.held and i["id"] in self.data.evaluations
        ]
        by_channel: dict[str, dict[str, Any]] = {}
        for ch in CHANNELS:
            scores = [e["percent"] for i, e in evals if i["channel"] == ch]
            if scores:
                by_channel[ch] = {
                    "count": len(scores),
                    "average": sum(scores) / len(scores),
                    "percentile": None,
                    "peers": 0,
                }
        by_work_type = _by_work_type(evals)
        all_scores = [e["percent"] for _, e in evals]
        first = items[0]
        every_flag = [
            {**f, "evidence": [_evidence(e, i) for e in f["evidence"][:1]]}
            for i in items
            for f in self.data.flags.get(i["id"], [])
        ]
        # Flags the checker is unsure of, and results decided on words heard with low
        # confidence, wait in a review queue: not coaching opportunities, not counted.
        flag_list = [f for f in every_flag if f.get("status") != FlagStatus.REVIEW]
        review_list = [f for f in every_flag if f.get("status") == FlagStatus.REVIEW]
        return {
            "id": aid,
            "name": first.get("agent_name") or aid,
            "team": first.get("agent_team"),
            "slug": slug(aid),
            "evaluations": len(evals),
            "average": sum(all_scores) / len(all_scores) if all_scores else None,
            "auto_fails": sum(1 for _, e in evals if e["auto_fail"]),
            "flags": len(flag_list),
            "flag_list": flag_list,
            "review_list": review_list,
            "review_results": self._review_results(evals) + _held_rows(held),
            "by_channel": by_channel,
            "by_work_type": by_work_type,
            "trend": _trend([((i["started_at"] or "")[:10], e["percent"]) for i, e in evals]),
            "metrics": _metric_rows(items),
            "evaluation_list": sorted(
                (
                    {
                        "date": (i["started_at"] or "")[:10],
                        "channel": i["channel"],
                        "work_type": i.get("work_type"),
                        "scorecard": e["scorecard"],
                        "percent": e["percent"],
                        "auto_fail": e["auto_fail"],
                        "interaction_id": i["id"],
                        "held": i["id"] in self.held,
                    }
                    for i, e in evals + held
                ),
                key=lambda r: r["date"],
                reverse=True,
            ),
            # Every card the route gave counts for coaching (a compliance card too).
            **self._coaching(
                evals
                + [
                    (i, e)
                    for i in items
                    if i["id"] not in self.held
                    for e in self.data.extra.get(i["id"], [])
                ]
            ),
        }

    def _review_results(
        self, evals: list[tuple[dict[str, Any], dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """Criterion results held for review, each with its moment in the recording."""
        rows = []
        for item, ev in evals:
            for r in self.data.results.get(ev["id"], []):
                if r["result"] != Status.REVIEW:
                    continue
                info = self.data.criteria.get((ev["scorecard_hash"], r["criterion_id"]), {})
                rows.append(
                    {
                        "name": info.get("name") or r["criterion_id"],
                        "note": r["note"],
                        "was": (r["details"] or {}).get("was"),
                        "evidence": [_evidence(e, item) for e in r["evidence"][:1]],
                    }
                )
        return rows

    def _coaching(self, evals: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
        stats: dict[tuple[str, str], dict[str, Any]] = {}
        for item, ev in evals:
            for r in self.data.results.get(ev["id"], []):
                if r["result"] in ("na", Status.REVIEW):  # a review is not a coaching point
                    continue
                key = (ev["scorecard_hash"], r["criterion_id"])
                if not self._applies(key, item):
                    continue
                s = stats.setdefault(
                    key,
                    {"applicable": 0, "passed": 0, "failed": 0, "points_lost": 0.0, "evidence": []},
                )
                s["applicable"] += 1
                if r["result"] == "pass":
                    s["passed"] += 1
                else:
                    s["failed"] += 1
                    s["points_lost"] += (r["max_points"] or 0) - (r["points"] or 0)
                    if len(s["evidence"]) < EVIDENCE_PER_OPPORTUNITY and r["evidence"]:
                        # The agent's own words at that moment, where the result has them.
                        own = [e for e in r["evidence"] if e.get("role") == "agent"]
                        s["evidence"].append(_evidence((own or r["evidence"])[0], item))
        opportunities, strengths = [], []
        for key, s in stats.items():
            info = self.data.criteria.get(key, {"name": key[1], "coaching": "", "scorecard": ""})
            row = {
                **s,
                "name": info["name"],
                "coaching": info["coaching"],  # the page says "Work on: …" where empty
                "rate": s["failed"] / s["applicable"],
            }
            if s["failed"]:
                opportunities.append(row)
            if (
                s["applicable"] >= STRENGTH_MIN_APPLICABLE
                and s["passed"] / s["applicable"] >= STRENGTH_MIN_RATE
            ):
                strengths.append(row)
        opportunities.sort(key=lambda r: (-r["points_lost"], -r["rate"], r["name"]))
        strengths.sort(key=lambda r: (-r["passed"], r["name"]))
        return {"opportunities": opportunities[:TOP_OPPORTUNITIES], "strengths": strengths[:3]}

    def _applies(self, key: tuple[str, str], item: dict[str, Any]) -> bool:
        """Whether a criterion applies to the interaction's work type (a result stored
        before the criterion was limited to some work types is not coached)."""
        types = self.data.criteria.get(key, {}).get("work_types")
        return not types or item.get("work_type") is None or item["work_type"] in types

    @staticmethod
    def _percentiles(agents: dict[str, dict[str, Any]]) -> None:
        """Each agent's average against peers in the same team and on the same channel,
        and against every peer on the same channel and work type."""
        segments: dict[tuple[str, str], list[float]] = defaultdict(list)
        for a in agents.values():
            for row in a["by_work_type"]:
                segments[(row["channel"], row["work_type"])].append(row["average"])
        for a in agents.values():
            for row in a["by_work_type"]:
                peers = segments[(row["channel"], row["work_type"])]
                row["peers"] = len(peers)
                row["percentile"] = _percentile(row["average"], peers)
        groups: dict[tuple[Any, str], list[float]] = defaultdict(list)
        for a in agents.values():
            for ch, s in a["by_channel"].items():
                groups[(a["team"], ch)].append(s["average"])
        for a in agents.values():
            for ch, s in a["by_channel"].items():
                peers = groups[(a["team"], ch)]
                below = sum(1 for p in peers if p < s["average"]) + 0.5 * (
                    sum(1 for p in peers if p == s["average"]) - 1
                )
                s["peers"] = len(peers)
                s["percentile"] = 100 * (below + 0.5) / len(peers) if len(peers) > 1 else None

    # -- team -------------------------------------------------------------------------

    def team(self, agents: dict[str, dict[str, Any]]) -> dict[str, Any]:
        scores = [e["percent"] for e in self.counted.values()]
        failed: dict[tuple[str, str], dict[str, Any]] = {}
        for ev in self.counted.values():
            for r in self.data.results.get(ev["id"], []):
                if r["result"] in ("na", Status.REVIEW):
                    continue
                key = (ev["scorecard_hash"], r["criterion_id"])
                info = self.data.criteria.get(key, {"name": r["criterion_id"], "scorecard": ""})
                row = failed.setdefault(
                    key,
                    {
                        "name": info["name"],
                        "scorecard": info["scorecard"],
                        "failed": 0,
                        "applicable": 0,
                    },
                )
                row["applicable"] += 1
                row["failed"] += r["result"] == "fail"
        most = sorted(
            ({**r, "rate": r["failed"] / r["applicable"]} for r in failed.values() if r["failed"]),
            key=lambda r: (-r["failed"], -r["rate"]),
        )[:10]
        items = self.data.interactions
        return {
            "evaluations": len(scores),
            "average": sum(scores) / len(scores) if scores else None,
            "auto_fails": sum(1 for e in self.counted.values() if e["auto_fail"]),
            "flags": sum(
                1
                for fs in self.data.flags.values()
                for f in fs
                if f.get("status") != FlagStatus.REVIEW
            ),
            "flags_in_review": sum(
                1
                for fs in self.data.flags.values()
                for f in fs
                if f.get("status") == FlagStatus.REVIEW
            ),
            "results_in_review": sum(
                1
                for ev in self.counted.values()
                for r in self.data.results.get(ev["id"], [])
                if r["result"] == Status.REVIEW
            ),
            "agents": sorted(agents.values(), key=lambda a: a["name"].lower()),
            "by_work_type": _by_work_type([(items[i], e) for i, e in self.counted.items()]),
            "most_failed": most,
            "trend": _trend(
                [
                    ((items[i]["started_at"] or "")[:10], e["percent"])
                    for i, e in self.counted.items()
                ]
            ),
        }

    # -- transcripts ------------------------------------------------------------------

    def transcript(self, item: dict[str, Any]) -> dict[str, Any]:
        # Each turn's clock is written here, once, rather than by a macro in the page.
        turns = [
            dict(t, results=[], flags=[], flagged=False, index=k, when=clock_text(t["start"]))
            for k, t in enumerate(self.data.turns.get(item["id"], []))
        ]
        ev = self.data.evaluations.get(item["id"])
        unplaced = []
        card = ev["scorecard_hash"] if ev else ""
        for r in self.data.results.get(ev["id"], []) if ev else []:
            name = self.data.criteria.get((card, r["criterion_id"]), {}).get(
                "name", r["criterion_id"]
            )
            shown = {"result": r["result"], "name": name, "note": r["note"]}
            placed = {
                e["turn"]
                for e in r["evidence"]
                if e.get("turn") is not None and e["turn"] < len(turns)
            }
            for t in placed:
                turns[t]["results"].append(shown)
            if not placed:
                unplaced.append(shown)
        flags = self.data.flags.get(item["id"], [])
        for f in flags:
            for e in f["evidence"]:
                if e.get("turn") is not None and e["turn"] < len(turns):
                    turns[e["turn"]]["flags"].append(f)
                    turns[e["turn"]]["flagged"] = True
        return {
            "id": item["id"],
            "channel": item["channel"],
            "agent_name": item.get("agent_name") or item["agent_id"] or "unknown agent",
            "date": (item["started_at"] or "")[:10] or None,
            "source_name": Path(item["source"]).name,
            "duration": item["duration"],
            "evaluation": ev,
            "turns": turns,
            "unplaced": unplaced,
            "flags": flags,
            # Flags a second reading of the audio did not support, with both readings.
            "removed": item["metadata"].get("verification") or [],
            "audio": self._audio(item),
        }

    def _audio(self, item: dict[str, Any]) -> str | None:
        if item["channel"] != Channel.VOICE or not self.copy_audio:
            return None
        source = Path(item["source"])
        # Only a recording is copied: a vendor transcript (.vtt, .json…) is text that the
        # store has redacted, and its raw file would carry what redaction removed.
        if source.suffix.lower() not in AUDIO_EXTENSIONS or not source.exists():
            return None
        rel = f"audio/{item['id']}{source.suffix.lower()}"
        target = self.out / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        return rel

    # -- writing ----------------------------------------------------------------------

    def sources(self, ids: list[str] | None = None) -> list[dict[str, str]]:
        """Which scorecard versions, campaign sets and engines a page's figures come from."""
        evals = self.data.evaluations
        wanted = evals.values() if ids is None else [evals[i] for i in ids if i in evals]
        seen = {
            (e["scorecard"], e["scorecard_hash"], e["campaigns_hash"], e["engine"]): None
            for e in wanted
        }
        return [
            {
                "scorecard": name or "?",
                "version": (digest or "")[:8],
                "campaigns": campaigns[:8] if campaigns else "",
                "engine": engine or "",
            }
            for name, digest, campaigns, engine in sorted(seen, key=lambda k: [str(x) for x in k])
        ]

    def render(
        self, template: str, target: Path, root: str, ids: list[str] | None = None, **context: Any
    ) -> None:
        page = self.templates.get(template)
        if page is None:
            page = self.templates[template] = self.env.get_template(template)
        html = page.render(
            root=root,
            generated=self.generated,
            channels=CHANNELS,
            sources=self.sources(ids),
            **context,
        )
        target.write_text(html, encoding="utf-8")


def build_report(
    store: Store,
    out: Path,
    filters: Filters | None = None,
    templates: Path | None = None,
    progress: Progress | None = None,
    copy_audio: bool = True,
    language: str = i18n.DEFAULT_LANGUAGE,
) -> ReportSummary:
    filters = filters or Filters()
    progress = progress or NoProgress()
    data = load_report_data(store, filters)
    env = templates_env(templates, language)
    for sub in ("agents", "t", "assets"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    assets = shipped_dir("qa.report_templates", "reports") / "assets"
    for asset in assets.iterdir():
        shutil.copyfile(asset, out / "assets" / asset.name)
    builder = ReportBuilder(data, env, out, copy_audio)
    agents = builder.agents()
    journeys = JourneyReport(
        store,
        set(data.interactions),
        {i: str(v["work_type"]) for i, v in data.interactions.items() if v.get("work_type")},
    )
    progress.start(
        len(agents) + len(data.interactions) + len(journeys.journeys), "Writing report pages"
    )
    builder.render(
        "index.html",
        out / "index.html",
        "",
        team=builder.team(agents),
        calibration=(out / "calibration.html").exists(),
        journeys=journeys.team(),
    )
    ids_of: dict[str, list[str]] = defaultdict(list)
    for i, v in data.interactions.items():
        ids_of[v["agent_id"] or UNKNOWN_AGENT].append(i)
    for agent in agents.values():
        builder.render(
            "agent.html",
            out / "agents" / f"{agent['slug']}.html",
            "../",
            ids_of[agent["id"]],
            agent=agent,
            journey_view=journeys.agent(agent["id"]),
        )
        progress.advance(agent["name"])
    if journeys.journeys:
        (out / "j").mkdir(exist_ok=True)
    for journey in journeys.journeys:
        members = [c["interaction_id"] for c in journey["contacts"]]
        builder.render(
            "journey.html",
            out / "j" / f"{journey['id']}.html",
            "../",
            [m for m in members if m in data.interactions],
            journey=journeys.page(journey),
        )
        progress.advance(journey["id"])
    for item in data.interactions.values():
        builder.render(
            "transcript.html",
            out / "t" / f"{item['id']}.html",
            "../",
            [item["id"]],
            item=builder.transcript(item),
        )
        progress.advance(item["id"])
    progress.finish()
    return ReportSummary(out, len(agents), len(data.interactions), len(data.evaluations))
