"""The `qa` command tree. Each command parses its arguments, calls the library, prints.

Nothing heavy is imported here: models load inside the commands that need them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from qa import __version__
from qa.errors import ConfigError, QAError
from qa.vocabulary import Channel, Diarization, FlagStatus, Status, choices

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """A configuration or usage error: exit code 2."""

    exit_code = 2


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="QA_DB",
        default="qa.db",
        show_default=True,
        help="SQLite database (or $QA_DB).",
    )(fn)


def config_option(fn: F) -> F:
    return click.option(
        "--config",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        envvar="QA_CONFIG",
        default=None,
        help="Site configuration YAML (or $QA_CONFIG, else ./qa.yaml if present).",
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(fn)


def fail(exc: QAError) -> NoReturn:
    raise UsageProblem(str(exc)) from exc


def _open(db: Path, config_path: Path | None = None, existing: bool = False) -> Any:
    """The store and the site configuration; with `existing`, a database that is there
    already (the commands that only read never make one)."""
    from qa.config import load_config
    from qa.store import Store

    config = load_config(config_path)
    opener = Store.existing if existing else Store
    return opener(db, redaction=config.redact.policy()), config


def fail_fresh(exc: QAError, db: Path, existed: bool) -> NoReturn:
    """A usage error of a command that writes: the database it had just made, still empty,
    is not left behind."""
    if not existed:
        from qa.store import discard_if_empty

        discard_if_empty(db)
    fail(exc)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qa")
def cli() -> None:
    """Offline QA and coaching for contact centres: calls, chats and emails.

    Exit codes: 0 everything processed, 1 some inputs failed (each stored
    with its reason), 2 a usage or configuration error.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV or JSON mapping each file to agent, team, campaign, case, direction, date, "
    "work_type, queue.",
)
@db_option
@config_option
@json_option
def ingest(
    paths: tuple[Path, ...], manifest: Path | None, db: Path, config: Path | None, as_json: bool
) -> None:
    """Register interactions: audio, chat (JSON, CSV, text) and email (.eml, .mbox).

    PATH may be a file or a folder. A manifest.csv or manifest.json inside a
    folder is used as its manifest. Files already ingested are skipped.
    """
    from qa.ingest.batch import ingest as run_ingest
    from qa.progress import BarProgress

    existed = db.exists()
    try:
        store, cfg = _open(db, config)
        report = run_ingest(list(paths), store, cfg, manifest, progress=BarProgress())
        journeys = _rebuild_journeys(store, cfg)
    except QAError as exc:
        fail_fresh(exc, db, existed)
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "journeys": journeys}, indent=2))
    else:
        _echo_journeys(journeys)
        click.echo(
            f"{report.files} files: {len(report.interaction_ids)} interactions written, "
            f"{len(report.skipped)} already ingested, {len(report.failures)} failed."
        )
        for failure in report.failures:
            click.echo(f"  FAILED {failure.source}: {failure.reason}", err=True)
        if report.failures:
            click.echo(
                "Fix the files above and run the same command again: done files are skipped.",
                err=True,
            )
    sys.exit(1 if report.failures else 0)


def _rebuild_journeys(store: Any, cfg: Any, force: bool = False) -> dict[str, Any]:
    """Customer journeys over the whole store, rebuilt after new interactions (unless
    nothing they read has changed since the last build, or `force`)."""
    from qa.journeys.run import rebuild

    return rebuild(store, cfg, force=force).as_dict()


def _echo_journeys(summary: dict[str, Any]) -> None:
    click.echo(
        f"Journeys: {summary['journeys']} ({summary['multi_contact']} with several contacts) of "
        f"{summary['customers']} customers, {summary['unlinked']} unlinked contact(s), "
        f"{summary['repeats']} repeat(s), {summary['conflicts']} identifier conflict(s)"
        + ("." if summary.get("rebuilt", True) else " (unchanged since the last build)."),
        err=True,
    )
    for problem in summary["survey_errors"]:
        click.echo(f"  survey ignored: {problem}", err=True)


def voice_options(fn: F) -> F:
    options = [
        click.option(
            "--model",
            default=None,
            help="ASR model: auto (the default: detect each call's language, then use "
            "voice.models, tiny.en for English and base for the rest), tiny.en, base, a folder "
            "or a hub name.",
        ),
        click.option(
            "--diarization",
            type=click.Choice(choices(Diarization)),
            default=None,
            help="auto: channels for stereo, embedded for mono.",
        ),
        click.option(
            "--speakers", type=int, default=None, help="Voices on a mono call (default 2)."
        ),
        click.option("--min-speakers", type=int, default=None, help="With --speakers 0: at least."),
        click.option("--max-speakers", type=int, default=None, help="With --speakers 0: at most."),
        click.option("--language", default=None, help="Language code; default: detect."),
        click.option(
            "--pyannote-pipeline", default=None, help="pyannote: local folder or hub name."
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.command()
@voice_options
@click.option(
    "--redo", is_flag=True, help="Transcribe done recordings again (the cache still applies)."
)
@db_option
@config_option
@json_option
def transcribe(db: Path, config: Path | None, as_json: bool, redo: bool, **voice: Any) -> None:
    """Transcribe registered recordings into agent and customer turns."""
    from qa.progress import BarProgress
    from qa.voice.batch import transcribe_pending, voice_settings

    try:
        store, cfg = _open(db, config, existing=True)
        settings = voice_settings(cfg, **voice)
        report = transcribe_pending(store, settings, progress=BarProgress(), redo=redo, relist=True)
    except QAError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(_transcribed_line(report.as_dict()))
        for failure in report.failures:
            click.echo(f"  FAILED {failure.source}: {failure.reason}", err=True)
        for note in report.review:
            click.echo(f"  REVIEW {note.source}: {note.reason}", err=True)
    sys.exit(1 if report.failures else 0)


def _transcribed_line(d: dict[str, Any]) -> str:
    """What a transcription run did, in a sentence; no audio figures when it did nothing."""
    if not (d["transcribed"] or d["failed"] or d["held_for_review"]):
        return (
            "Nothing to transcribe: no registered recording waits"
            " (--redo transcribes the done ones again)."
        )
    speed = f", {d['real_time_factor']}x real time" if d["real_time_factor"] else ""
    audio = f" ({d['audio_minutes']} audio minutes{speed})" if d["transcribed"] else ""
    return (
        f"{d['transcribed']} recordings transcribed{audio}, {d['failed']} failed,"
        f" {d['held_for_review']} held for review."
    )


def _by_card(routing: Any, report: Any) -> str:
    """The cards a routed run scored with, and how many each: 'routing.yaml [Inbound
    service (fda4052f): 9, Chat and email support (1b2c3d4e): 5]'."""
    cards = ", ".join(f"{name}: {n}" for name, n in report.by_card.items() if n)
    return f"{routing.path.name} [{cards}]" if cards else routing.path.name


def routing_option(fn: F) -> F:
    return click.option(
        "--routing",
        "routing_path",
        type=click.Path(path_type=Path),
        help="Routing YAML: each contact's scorecards by its work type, direction, channel…"
        " ('routing' for the shipped one). Instead of --scorecard.",
    )(fn)


def _routing(routing_path: Path, config_path: Path | None) -> Any:
    """A routing file, its work types extended by the site's (qa.yaml's `work_types`)."""
    from qa.config import load_config
    from qa.routing.rules import load_routing

    return load_routing(routing_path, load_config(config_path).work_types)


def _card_or_routing(
    card_path: Path | None, routing_path: Path | None, config_path: Path | None = None
) -> tuple[Any, Any]:
    """The one card, or the routing file: exactly one of them (a usage error otherwise)."""
    from qa.scorecard.load import load_scorecard

    if card_path is None and routing_path is None:
        raise ConfigError(
            "give one of --scorecard FILE (one card for all) or --routing FILE (the cards each"
            " contact's work type gets)"
        )
    if card_path is not None and routing_path is not None:
        raise ConfigError("give --scorecard FILE or --routing FILE, not both")
    if routing_path is not None:
        return None, _routing(routing_path, config_path)
    assert card_path is not None
    return load_scorecard(card_path), None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--scorecard",
    "card_path",
    type=click.Path(path_type=Path),
    help="Scorecard YAML, applied to every interaction.",
)
@routing_option
@click.option("--campaigns", type=click.Path(path_type=Path), help="Folder of campaign YAML files.")
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Metadata CSV or JSON.",
)
@voice_options
@click.option(
    "--executor",
    type=click.Choice(["local", "sequential", "ray"]),
    default="local",
    show_default=True,
    help="Where recordings are recognised: a process pool here, one after another, or Ray.",
)
@click.option(
    "--workers", type=int, default=None, help="Processes of the local pool (default: the cores)."
)
@click.option(
    "--address",
    default=None,
    help="With --executor ray: the cluster (HOST:PORT, ray://HOST:PORT or auto);"
    " default: start Ray on this machine.",
)
@db_option
@config_option
@json_option
def score(
    paths: tuple[Path, ...],
    card_path: Path | None,
    routing_path: Path | None,
    campaigns: Path | None,
    manifest: Path | None,
    executor: str,
    workers: int | None,
    address: str | None,
    db: Path,
    config: Path | None,
    as_json: bool,
    **voice: Any,
) -> None:
    """Ingest, transcribe and score PATHs against a scorecard, or against the cards a
    routing file gives each interaction (the main job).

    Resumable: files already ingested and interactions already scored with
    this version of the scorecard are skipped.
    """
    from qa.campaigns.schema import load_campaigns
    from qa.executors import make_executor
    from qa.executors.job import ScoreJob
    from qa.matching import Matcher
    from qa.progress import BarProgress
    from qa.voice.batch import voice_settings

    existed = db.exists()
    try:
        card, routing = _card_or_routing(card_path, routing_path, config)
        active = load_campaigns(campaigns) if campaigns is not None else None
        store, cfg = _open(db, config)
        job = ScoreJob(list(paths), card, routing, active, manifest, voice_settings(cfg, **voice))
        runner = make_executor(executor, workers, address)
        report = job.run(store, cfg, Matcher(vectors=store), runner, BarProgress())
        journeys = _rebuild_journeys(store, cfg)
    except QAError as exc:
        fail_fresh(exc, db, existed)
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "journeys": journeys}, indent=2))
    else:
        _echo_journeys(journeys)
        what = f"{card.scorecard.name} ({card.hash[:8]})" if card else _by_card(routing, report)
        click.echo(
            f"{what}: {report.scored} scored, "
            f"{report.already} already scored, {len(report.failures)} failed"
            + (f", {report.flags} campaign flags." if active is not None else ".")
        )
        if report.engine_rescored:
            click.echo(
                f"The engine changed ({report.engine}): {len(report.engine_rescored)} evaluation(s)"
                f" re-scored, {len(report.engine_changes)} changed."
            )
            for ident, crits in report.engine_changes.items():
                click.echo(f"  {ident}: {', '.join(crits)}")
        v = report.verification
        if v and (v["flags_kept"] or v["flags_removed"]):
            click.echo(
                f"Verified on a second reading: {v['flags_removed']} call flag(s) removed,"
                f" {v['flags_kept']} kept ({v['audio_seconds_decoded_again']} s of audio)."
            )
        if report.waiting:
            click.echo(f"{len(report.waiting)} recording(s) wait for transcription.", err=True)
        for failure in report.failures:
            click.echo(f"  FAILED {failure.source}: {failure.reason}", err=True)
        for note in report.reviews:  # transcribed and scored, but a person should look
            click.echo(f"  REVIEW {note.source}: {note.reason}", err=True)
        click.echo("See one with `qa show ID`, all with `qa export`.", err=True)
    sys.exit(1 if report.failures else 0)


@cli.command()
@click.option(
    "--scorecard",
    "card_path",
    type=click.Path(path_type=Path),
    help="Scorecard YAML: re-scores the interactions it applies to (see below).",
)
@routing_option
@click.option(
    "--compare",
    type=click.Path(path_type=Path),
    help="Older scorecard to compare with: a what-if that prints what changes and stores nothing.",
)
@click.option(
    "--campaigns",
    type=click.Path(path_type=Path),
    help="Folder of campaign YAML files (default: the set each interaction was scored with).",
)
@click.option(
    "--no-campaigns", is_flag=True, help="Do not check campaigns, not even the stored set."
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes that score (default: the cores; 1: all in this process).",
)
@db_option
@json_option
def rescore(
    card_path: Path | None,
    routing_path: Path | None,
    compare: Path | None,
    campaigns: Path | None,
    no_campaigns: bool,
    workers: int | None,
    db: Path,
    as_json: bool,
) -> None:
    """Re-score stored transcripts with no audio work, and store the results.

    With --scorecard FILE, only the interactions that card applies to: those a card of
    its name scored or was routed to before (every one for a card that never scored),
    never one in another language than the card's. Each interaction keeps the campaign set
    it was scored with, unless --campaigns or --no-campaigns says otherwise.

    With --compare OLD.yaml, a what-if: print which interactions and agents change, per
    criterion, and store nothing (the stored results and reports stay as they are).

    With --routing FILE, route every interaction again and score it with each card its
    rule gives.
    """
    from qa.campaigns.schema import load_campaigns
    from qa.matching import Matcher
    from qa.progress import BarProgress
    from qa.scorecard.load import load_scorecard
    from qa.scoring import rescore as run_rescore

    try:
        card, routing = _card_or_routing(card_path, routing_path)
        if compare and routing is not None:
            raise ConfigError("--compare goes with --scorecard, not with --routing")
        old = load_scorecard(compare) if compare else None
        active = load_campaigns(campaigns) if campaigns is not None else None
        store, cfg = _open(db, existing=True)
        matcher = Matcher(vectors=store)
        report, comparison = run_rescore(
            store,
            card,
            matcher,
            old,
            BarProgress(),
            active,
            cfg.timezone,
            not no_campaigns,
            routing=routing,
            workers=workers,
        )
    except QAError as exc:
        fail(exc)
    if as_json:
        out = report.as_dict()
        if comparison is not None:
            out["compare"] = comparison.as_dict()
        click.echo(json.dumps(out, indent=2))
        return
    if card is None:
        click.echo(f"{_by_card(routing, report)}: {report.scored} evaluations re-scored.")
        return
    _echo_scope(card, report.scope, report.scored)
    if comparison is None:
        return
    changed = {c.interaction_id for c in comparison.changes}
    click.echo(
        f"Compared with {compare}: {len(changed)} of {comparison.interactions} interactions change."
    )
    for crit, n in comparison.by_criterion().items():
        click.echo(f"  criterion {crit}: {n} result(s) change")
    for agent, n in comparison.by_agent().items():
        click.echo(f"  agent {agent}: {n} interaction(s) change")
    for c in comparison.changes:
        click.echo(
            f"    {c.interaction_id} {c.agent or '-'} {c.criterion}: {c.before} -> {c.after}"
        )
    click.echo(
        f"Nothing stored (a what-if). To store {card.path.name}'s results:"
        f" qa rescore --scorecard {card.path}"
    )


def _echo_scope(card: Any, scope: Any, scored: int) -> None:
    """What a rescore with one card took, stored, and left alone, and why."""
    name = f"{card.scorecard.name} ({card.hash[:8]})"
    if scope.stored:
        click.echo(f"{name}: {scored} interactions re-scored and stored.")
    else:
        click.echo(f"{name}: {scored} interactions scored as a what-if; nothing stored.")
    which = (
        f"those scored by a card named {card.scorecard.name!r} or routed to it before"
        if scope.basis == "card"
        else "every stored one (no card of this name has scored any)"
    )
    left = []
    if scope.not_its_card:
        left.append(f"{scope.not_its_card} scored by other cards only")
    if scope.other_language:
        left.append(
            f"{scope.other_language} in another language than the card's ({scope.language})"
        )
    click.echo(f"  Taken: {which}." + (f" Left alone: {', '.join(left)}." if left else ""))


@cli.command()
@click.argument("refs", nargs=-1, metavar="PATH|ID...")
@routing_option
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Metadata CSV or JSON for the PATHs.",
)
@click.option("--schema", is_flag=True, help="Print the JSON Schema of routing files and exit.")
@db_option
@config_option
@json_option
def route(
    refs: tuple[str, ...],
    routing_path: Path | None,
    manifest: Path | None,
    schema: bool,
    db: Path,
    config: Path | None,
    as_json: bool,
) -> None:
    """Which work type, direction and contact reason each interaction has, and which
    scorecards its routing rule gives: with the confidence, the source (metadata, detected
    or default), the turns that say so and the rule that matched.

    A PATH (file or folder) is ingested first; an ID (or unique prefix, or source name) is
    read from the database. Without --routing, the shipped routing file decides.
    """
    if schema:
        from qa.routing.rules import json_schema

        click.echo(json.dumps(json_schema(), indent=2))
        return
    if not refs:
        fail(ConfigError("give at least one PATH or ID (or --schema)"))
    from qa.routing.rules import shipped_routing
    from qa.routing.run import decide_routes, interactions_under

    try:
        routing = _routing(routing_path or shipped_routing(), config)
        # Only ids: nothing is read from files, so the database must be there.
        store, cfg = _open(db, config, existing=not any(Path(r).exists() for r in refs))
        paths = [Path(r) for r in refs if Path(r).exists()]
        ids = interactions_under(store, cfg, paths, manifest) if paths else []
        ids += [store.resolve_id(r) for r in refs if not Path(r).exists()]
        items = store.load_interactions(list(dict.fromkeys(ids)))
        routed = decide_routes(store, items, routing, save=False)
    except QAError as exc:
        fail(exc)
    if as_json:
        out = {
            "routing": {"file": str(routing.path), "hash": routing.hash},
            "interactions": [r.as_dict() for r in routed],
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from qa.routing.explain import render_route

    for r in routed:
        click.echo(render_route(r.as_dict(), routing.path.name))


@cli.command()
@click.argument("ident", metavar="ID")
@db_option
@json_option
def show(ident: str, db: Path, as_json: bool) -> None:
    """One interaction: transcript, scores, flags and evidence.

    ID may be a unique prefix of the id, or the source file name. A file that failed
    before it became an interaction shows its failure (exit 1).
    """
    from qa.export import interaction_dict
    from qa.show import render_failures, render_interaction
    from qa.store import Store

    try:
        store = Store.existing(db)
        try:
            item = interaction_dict(store, store.resolve_id(ident))
        except ConfigError:
            failed = store.open_failures(ident)  # a file that never became an interaction
            if not failed:
                raise
            out = {"source": failed[0]["source"], "status": Status.FAILED, "failures": failed}
            click.echo(json.dumps(out, indent=2) if as_json else render_failures(failed))
            sys.exit(1)
    except QAError as exc:
        fail(exc)
    click.echo(
        json.dumps(item, indent=2, ensure_ascii=False) if as_json else render_interaction(item)
    )


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout."
)
@db_option
def export(fmt: str, out: Path | None, db: Path) -> None:
    """Everything, machine-readable: JSON ({"interactions": [...]}) or CSV."""
    from qa.export import export_csv, export_json
    from qa.store import Store

    try:
        store = Store.existing(db)
    except QAError as exc:
        fail(exc)
    text = export_json(store) if fmt == "json" else export_csv(store)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(text)


@cli.command()
@click.option("--customer", help="Only this customer's journeys (id, email:ADDR or case:ID).")
@click.option(
    "--rebuild", is_flag=True, help="Build the journeys again from the stored interactions first."
)
@db_option
@config_option
@json_option
def journeys(
    customer: str | None, rebuild: bool, db: Path, config: Path | None, as_json: bool
) -> None:
    """Customer journeys across channels: contacts in order, repeats, first-contact
    resolution and the flags between contacts.

    Journeys are built at the end of `qa ingest` and `qa score`; --rebuild builds
    them again (after a change to the customer roster in qa.yaml).
    """
    from qa.journeys import read

    try:
        store, cfg = _open(db, config, existing=True)
        if rebuild or not read.built(store):
            _rebuild_journeys(store, cfg, force=rebuild)
    except QAError as exc:
        fail(exc)
    found = read.journeys(store, customer)
    if customer and not found:
        known = store.conn.execute("SELECT count(*) FROM customers").fetchone()[0]
        raise UsageProblem(
            f"no journeys for customer {customer!r} ({known} customers known; "
            "`qa journeys` lists them)"
        )
    if as_json:
        payload = {
            "journeys": found,
            "identifier_conflicts": read.conflicts(store),
            "survey_gaming": read.summary(store).get("survey_gaming") or {},
            "effort_agreement": read.summary(store).get("effort_agreement") or {},
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for j in found:
        fcr = {True: "resolved at first contact", False: "not resolved at first contact"}.get(
            j["fcr"], "no first-contact verdict"
        )
        who = j["customer"] or "unlinked"
        click.echo(
            f"{j['id']}  {who}  {len(j['contacts'])} contact(s) over {', '.join(j['channels'])}"
            f", {j['hours']:.0f} h, effort {j['effort']:g}, {fcr}"
        )
        for c in j["contacts"]:
            mark = f"  repeat of {c['repeat_of']}" if c["repeat_of"] else ""
            click.echo(
                f"    {c['started_at']}  {c['channel']:<5} {c['initiated_by']:<8} "
                f"{c['agent'] or '-':<12} {c['outcome'] or '-':<10} {c['interaction_id']}{mark}"
            )
        for f in j["flags"]:
            click.echo(f"    ! {f['kind']}: {f['message']}")
    if not customer:
        gaming = read.summary(store).get("survey_gaming") or {}
        for agent_id, verdict in sorted(gaming.items()):
            if verdict.get("tested"):
                mark = "FLAGGED" if verdict.get("flag") else "tested"
                click.echo(f"survey {mark} {agent_id}: {verdict.get('reason')}")
    for x in read.conflicts(store):
        click.echo(f"conflict: {x['note']}", err=True)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A YYYY-MM-DD date that exists, or a usage error (exit 2) that says so."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2026-03-01"
        ) from None


def _check_known(store: Any, agent: str | None, team: str | None) -> None:
    """An agent or team that the database has never seen is a usage error, not an empty report."""
    from qa.store.read import Selection, unknown_filters

    for field, value, known in unknown_filters(store, Selection(agent=agent, team=team)):
        listed = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
        raise ConfigError(
            f"--{field} {value!r}: no interaction in the database has it"
            + (f"; known: {listed}" if known else "; the database holds no interactions yet")
        )


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write.",
)
@click.option("--agent", help="Only this agent.")
@click.option("--team", help="Only this team.")
@click.option("--since", callback=_iso_date, help="From this date (YYYY-MM-DD).")
@click.option("--until", callback=_iso_date, help="Up to this date (YYYY-MM-DD).")
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Your templates; they override the defaults (reach those as default:NAME).",
)
@click.option("--no-audio", is_flag=True, help="Do not copy recordings into the report folder.")
@click.option(
    "--language",
    type=click.Choice(["en", "zh-Hans", "zh-Hant"]),
    help="Interface language; default: report.language in the site configuration, else en.",
)
@db_option
@config_option
@json_option
def report(
    out: Path,
    agent: str | None,
    team: str | None,
    since: str | None,
    until: str | None,
    templates: Path | None,
    no_audio: bool,
    language: str | None,
    db: Path,
    config: Path | None,
    as_json: bool,
) -> None:
    """HTML coaching reports: team index, one page per agent, transcripts. Works offline."""
    from qa.progress import BarProgress
    from qa.report.build import build_report
    from qa.report.data import Filters

    try:
        store, site = _open(db, config, existing=True)
        _check_known(store, agent, team)
        if since and until and since > until:
            raise ConfigError(f"--since {since} is after --until {until}")
        summary = build_report(
            store,
            out,
            Filters(agent, team, since, until),
            templates,
            BarProgress(),
            not no_audio,
            language or site.report.language,
        )
    except QAError as exc:
        fail(exc)
    result = {
        "out": str(summary.out),
        "index": str(summary.out / "index.html"),
        "agents": summary.agents,
        "transcripts": summary.transcripts,
        "evaluations": summary.evaluations,
    }
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(
            f"Wrote {summary.agents} agent pages and {summary.transcripts} transcripts "
            f"({summary.evaluations} evaluations). Open {result['index']} in a browser."
        )


@cli.command()
@click.argument("human_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--scorecard",
    "card_path",
    type=click.Path(path_type=Path),
    help="Compare with this scorecard: a what-if that scores in memory and stores nothing.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write calibration.html (and the report) here.",
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Write the examples the disagreements teach into the --scorecard file.",
)
@click.option("--evaluator", help="With --adopt: only this evaluator's ratings teach.")
@db_option
@json_option
def calibrate(
    human_csv: Path,
    card_path: Path | None,
    out: Path | None,
    adopt: bool,
    evaluator: str | None,
    db: Path,
    as_json: bool,
) -> None:
    """Agreement of automatic and human evaluations, per criterion and overall.

    HUMAN.csv has interaction_id (or source), criterion_id, result (pass/fail/na
    or points), and optionally evaluator and comment. Importing a file twice adds nothing.

    With --scorecard FILE, a what-if: the labelled contacts that card has not scored are
    scored in memory from their stored transcripts and nothing is stored, so the stored
    results and reports stay as they are (use qa rescore to store a card's results).
    Contacts the card (the same content) already scored are compared as stored.
    """
    from qa.calibrate import render_calibration, run_calibration

    try:
        store, _ = _open(db, existing=True)
        cal = run_calibration(store, human_csv, card_path, out, adopt, evaluator)
    except QAError as exc:
        fail(exc)
    assert cal.imported is not None
    if as_json:
        click.echo(json.dumps(cal.as_dict(), indent=2))
    else:
        click.echo(render_calibration(cal))
        if out:
            click.echo(f"Wrote {out / 'calibration.html'}")
    sys.exit(1 if cal.imported.bad else 0)


@cli.group()
def scorecard() -> None:
    """Trainer tools for scorecards."""


@scorecard.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
@json_option
def scorecard_validate(file: Path, as_json: bool) -> None:
    """Check a scorecard and list every problem with its line."""
    from qa.scorecard.load import load_scorecard

    try:
        card = load_scorecard(file)
    except QAError as exc:
        fail(exc)
    criteria = card.scorecard.criteria()
    types = sorted({c.type for _, c in criteria})  # type: ignore[attr-defined]
    summary = {
        "name": card.scorecard.name,
        "hash": card.hash,
        "sections": len(card.scorecard.sections),
        "criteria": len(criteria),
        "types": types,
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(
            f"{card.path}: OK. {summary['name']} ({card.hash[:8]}), {summary['sections']} sections, "
            f"{summary['criteria']} criteria ({', '.join(types)})."
        )


@scorecard.command("test")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--examples",
    type=click.Path(exists=True, path_type=Path),
    help="Folder of labelled examples (JSON with `expected`; default: examples/CARD/ beside"
    " the card, where there is one).",
)
@click.option(
    "--campaigns",
    "campaigns_dir",
    type=click.Path(path_type=Path),
    help="Also keep the `examples:` of the campaign files in this folder (qa campaigns test).",
)
@json_option
def scorecard_test(
    file: Path, examples: Path | None, campaigns_dir: Path | None, as_json: bool
) -> None:
    """Check labelled examples against their expected results, and every criterion's own
    `examples:` (adopted ones too); exit 1 on any mismatch. Without --examples, the card's
    own folder of examples is used where there is one (examples/CARD/ beside the card)."""
    from qa.matching import Matcher
    from qa.scorecard.load import load_scorecard
    from qa.scorecard.trainer import check_criterion_examples, check_examples, examples_folder

    try:
        matcher = Matcher()
        card = load_scorecard(file)
        if examples is None and (examples := examples_folder(file)) is not None and not as_json:
            click.echo(f"Examples: {examples} (the card's own folder; --examples for another)")
        if campaigns_dir is None:
            checks = check_examples(card, examples, matcher)
        else:
            checks = (
                check_examples(card, examples, matcher)
                if examples is not None
                else check_criterion_examples(card, matcher)
            )
            checks += _campaign_checks(campaigns_dir, matcher)
            if not checks:
                raise ConfigError(f"no examples in {file} nor in the campaigns of {campaigns_dir}")
    except QAError as exc:
        fail(exc)
    _print_checks(checks, as_json)


def _campaign_checks(folder: Path, matcher: Any) -> list[Any]:
    from qa.campaigns.examples import check_campaign_examples
    from qa.campaigns.schema import load_campaigns

    return check_campaign_examples(load_campaigns(folder), matcher)


def _print_checks(checks: list[Any], as_json: bool) -> None:
    bad = [c for c in checks if not c.ok]
    if as_json:
        click.echo(json.dumps([{**c.__dict__, "ok": c.ok} for c in checks], indent=2))
    else:
        width = max(len(c.example) for c in checks)
        cwidth = max(len(c.criterion) for c in checks)
        click.echo(f"{'example':<{width}}  {'criterion':<{cwidth}}  expected  actual  ")
        for c in checks:
            mark = "ok" if c.ok else "MISMATCH"
            click.echo(
                f"{c.example:<{width}}  {c.criterion:<{cwidth}}  {c.expected:<8}  {c.actual:<6}  {mark}"
            )
            if not c.ok and c.note:
                click.echo(f"{'':<{width}}  {'':<{cwidth}}  ({c.note})")
        click.echo(f"{len(checks) - len(bad)} passed, {len(bad)} failed")
    sys.exit(1 if bad else 0)


@scorecard.command("schema")
def scorecard_schema() -> None:
    """Print the JSON Schema of scorecards, for editor autocompletion."""
    from qa.scorecard.load import json_schema_text

    click.echo(json_schema_text())


@cli.group()
def campaigns() -> None:
    """Campaign files: check them, explain a match."""


@campaigns.command("validate")
@click.argument("folder", type=click.Path(path_type=Path))
@json_option
def campaigns_validate(folder: Path, as_json: bool) -> None:
    """Check every campaign file in a folder; every problem with its file, line and path."""
    from qa.campaigns.schema import load_campaigns

    try:
        found = load_campaigns(folder)
    except QAError as exc:
        fail(exc)
    from qa.campaigns.schema import overlaps

    warnings = [w for c in found for w in overlaps(c)]
    rows = [
        {
            "id": c.id,
            "name": c.name,
            "version": c.version,
            "from": str(c.valid_from),
            "to": str(c.valid_to),
            "facts": len(c.facts),
            "disclosures": len(c.disclosures),
            "retired_claims": len(c.retired_claims),
        }
        for c in found
    ]
    if as_json:
        click.echo(json.dumps({"campaigns": rows, "warnings": warnings}, indent=2))
        return
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    for r in rows:
        click.echo(
            f"{r['id']:<20} {r['from']} to {r['to']}  {r['facts']} facts, "
            f"{r['disclosures']} disclosures, {r['retired_claims']} retired claims"
        )
    click.echo(f"{folder}: {len(rows)} campaign(s) OK.")


@campaigns.command("check")
@click.argument("sentence")
@click.option("--date", "on_date", required=True, help="The interaction's date (YYYY-MM-DD).")
@click.option(
    "--campaigns",
    "folder",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder of campaigns.",
)
@click.option(
    "--channel", type=click.Choice(choices(Channel)), default=str(Channel.VOICE), show_default=True
)
@click.option("--context", default="", help="The customer's turn before the sentence.")
@click.option(
    "--semantic/--no-semantic",
    default=True,
    help="Load the sentence model (retired claims in other words).",
)
@json_option
def campaigns_check(
    sentence: str,
    on_date: str,
    folder: Path,
    channel: str,
    context: str,
    semantic: bool,
    as_json: bool,
) -> None:
    """Explain an agent's sentence against the campaigns, through the same code as `qa score`:
    each claim with its polarity, tense and attribution, the fact chosen and why, the verdict."""
    import datetime as dt

    from qa.campaigns.check import explain
    from qa.campaigns.schema import load_campaigns

    try:
        day = dt.date.fromisoformat(on_date)
    except ValueError:
        fail(ConfigError(f"--date {on_date!r}: use YYYY-MM-DD"))
    try:
        from qa.matching import Matcher

        matcher = Matcher() if semantic else None
        result = explain(sentence, day, channel, load_campaigns(folder), context, matcher)
    except QAError as exc:
        fail(exc)
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
        return
    click.echo(
        f"Active on {result['date']} ({channel}): {', '.join(result['active_campaigns']) or 'none'}"
    )
    source = f" ({result['topic_source']})" if result["topic_source"] else ""
    click.echo(f"Speaks of: {', '.join(result['topics']) or 'no campaign product'}{source}")
    click.echo(f"Presents an offer: {'yes' if result['presents_offer'] else 'no'}")
    for q in result["claims"]:
        click.echo(
            f"  claim: {q['said']!r} -> {q['kind']} {q['value']:g}"
            + (f"-{q['high']:g}" if q["high"] is not None else "")
            + f" {q['unit'] or ''} {('per ' + q['period']) if q['period'] else ''}"
            + f"{(' bound ' + q['bound']) if q['bound'] else ''}; polarity {q['polarity']},"
            f" tense {q['tense']}, attribution {q['attribution']}"
        )
    for c in result["comparisons"]:
        verdict = "consistent" if c["consistent"] else "CONTRADICTS"
        click.echo(
            f"  {c['campaign']} {c['fact']}: said {c['stated']!r}, fact {c['expected']}: {verdict}"
            f" (chosen because {c['why']}; confidence {c['confidence']:.2f})"
        )
    for f in result["flags"]:
        held = f" [{FlagStatus.REVIEW}]" if f["status"] == FlagStatus.REVIEW else ""
        click.echo(f"  FLAG {f['kind']}{held} (confidence {f['confidence']:.2f}): {f['message']}")
    if not result["flags"]:
        click.echo("  no flag")


@campaigns.command("test")
@click.argument("folder", type=click.Path(path_type=Path))
@json_option
def campaigns_test(folder: Path, as_json: bool) -> None:
    """Say each campaign's negative `examples:` (adopted from dismissed flags) after a
    customer who cites the offer: none may raise its flag; exit 1 if one does."""
    from qa.matching import Matcher

    try:
        checks = _campaign_checks(folder, Matcher())
    except QAError as exc:
        fail(exc)
    if not checks:  # nothing to test is no error: a folder's campaigns start with none
        if as_json:
            click.echo("[]")
        else:
            click.echo(
                f"{folder}: no campaign has `examples:` yet, nothing to test (they come from"
                " flags dismissed in qa serve, or are written by hand)."
            )
        return
    _print_checks(checks, as_json)


@campaigns.command("schema")
def campaigns_schema() -> None:
    """Print the JSON Schema of campaign files, for editor autocompletion."""
    from qa.campaigns.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2, default=str))


@cli.group()
def models() -> None:
    """Which models are available, and their checksums."""


@models.command("list")
@json_option
def models_list(as_json: bool) -> None:
    """List the ASR, diarization and text models and where each comes from."""
    from qa.models.registry import DEFAULT_ASR, REGISTRY, available

    rows = [
        {
            "name": spec.name,
            "use": spec.use,
            "package": spec.package,
            "default": spec.name == DEFAULT_ASR,
            "installed": available(spec),
            "install": spec.install_hint,
            "note": spec.note,
        }
        for spec in REGISTRY.values()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    states = ["installed" if r["installed"] else f"NOT INSTALLED ({r['install']})" for r in rows]
    widths = [max(len(str(r[k])) for r in rows) for k in ("name", "use")]
    state_w = max(len(s) for s in states)
    for r, state in zip(rows, states, strict=True):
        mark = "*" if r["default"] else " "
        click.echo(
            f"{mark} {r['name']:<{widths[0]}}  {r['use']:<{widths[1]}}  {state:<{state_w}}"
            f"  from {r['package']}"
        )
        click.echo(f"    {r['note']}")
    click.echo("Any local CTranslate2 folder, or a hub name when online, also works with --model.")


@models.command("verify")
@json_option
def models_verify(as_json: bool) -> None:
    """Verify every model file against its pinned sha256 (joins `base` on first use)."""
    from qa.models.registry import REGISTRY, verify

    results = {name: verify(spec) for name, spec in REGISTRY.items()}
    bad = [
        (name, f, v)
        for name, rows in results.items()
        for f, v in rows
        if v.startswith(("missing", "CHECKSUM"))
    ]
    if as_json:
        click.echo(json.dumps({n: dict(r) for n, r in results.items()}, indent=2))
    else:
        for name, rows in results.items():
            for f, verdict in rows:
                click.echo(f"{name:<18} {f:<18} {verdict}")
        click.echo("All model files verified." if not bad else f"{len(bad)} problem(s).")
    sys.exit(1 if bad else 0)


def _add_review_app_commands() -> None:
    """The review app's commands live beside it (qa/serve/commands.py)."""
    from qa.serve import commands

    cli.add_command(commands.users_group())
    cli.add_command(commands.serve_command())


_add_review_app_commands()


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ConfigError as exc:  # raised outside a command body
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
