"""Scoring speed on the judgment cases, before and after, side by side, with agreement.

    PYTHONPATH=. python bench/bench_scoring_speed.py [--set DIR] [--work DIR] [--n 10000]
                       [--repeat 5] [--skip-before] [--skip-rescore] [--workers N]
                       [--save FILE] [--compare FILE]

1. First scoring with nothing cached: every company's contacts, a fresh copy of the
   ingested database (no vectors, no evaluations), the set's own cards; wall time, the
   process's CPU time (all threads) and the tokens the sentence model ran (with the
   padding of its batches). Before every pass the process forgets all it learnt of text
   (every cache of the `qa` package: sentences, matches, acts, heads, parsed packs); the
   loaded model alone is kept. "before" fits every dialogue-act head in the process and
   embeds sentences interaction by interaction, as scoring did before the heads shipped
   fitted; "after" is the product as it is, run `--repeat` times: the figure is the
   median pass, with the slowest and the fastest beside it. Every pass's criterion
   results are compared one by one with the first "after" pass (they must not differ).
2. Agreement of the "after" run, by the set's own evaluate.py.
3. `qa rescore` of N stored interactions, each scored once first (so that the store keeps
   their sentence vectors), then rescored with each company's card, in a pool of
   `--workers` processes (default: one per core); wall time, and CPU time of this process
   and its workers together. Twice: the contacts stored again under new ids until there
   are N ("copies": in-process caches hit almost always), and N contacts whose texts
   differ ("distinct": the set's contacts and the English examples shipped with the
   scorecards, then each again with every turn's sentences in another order, sometimes
   one left out). Made at run time in a temporary folder, never kept.

The model load is not counted. Figures are for the machine as it is: on a shared one,
CPU time says more than wall time. The figures of the third round (README, 2026-11-29) are
printed beside today's, with the targets (10 interactions/s on first scoring, 10,000
rescored in 60 s). `--save FILE` keeps the "after" run's criterion results; `--compare FILE`
counts those that differ from a saved run (another version of qa, the same cards).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from bench.bench_judgment import (
    COMPANIES,
    DEFAULT_SET,
    card_path,
    fresh_copy,
    ingested_db,
    summary,
)
from qa.acts import classifier, forget_heads
from qa.executors.local import cores
from qa.export import export_json
from qa.matching import Matcher
from qa.model import Interaction
from qa.models.text import TextEmbedder
from qa.resources import scorecards_dir
from qa.scorecard.load import load_scorecard
from qa.scorecard.trainer import load_example
from qa.scoring import rescore, score_interactions
from qa.store import Store
from qa.text import sentences

TEXT = ("tl", "hs", "ml")  # the written contacts and call transcripts (no recognition)
# The third round's figures (README, 2026-11-29, 2 cores shared, load average 13-23):
# (interactions, wall s, CPU s).
EARLIER_FIRST = (45, 97.0, 23.0)
EARLIER_RESCORE = (1000, 19.7, 9.5)
TARGET_FIRST_PER_S = 10.0
TARGET_RESCORE_S = 60.0  # for 10,000


@contextmanager
def scoring_before() -> Iterator[None]:
    """Scoring as it was: heads fitted in the process, no batch embedding across contacts."""
    saved = classifier.shipped_heads, Matcher.embed_expected
    classifier.shipped_heads = lambda lang, model: None  # type: ignore[assignment]
    Matcher.embed_expected = lambda self: None  # type: ignore[method-assign]
    forget_heads()
    try:
        yield
    finally:
        classifier.shipped_heads, Matcher.embed_expected = saved  # type: ignore[method-assign]
        forget_heads()


class Tokens:
    """Tokens the sentence model ran: of the sentences, and with their batches' padding;
    the CPU seconds of its runs by thread."""

    def __init__(self) -> None:
        self.real = self.padded = self.runs = 0
        self.cpu: dict[str, float] = {}
        self._lock = threading.Lock()

    def counting(self, run: Any) -> Any:
        def counted(encodings: list[Any]) -> Any:
            lengths = [len(e.ids) for e in encodings]
            start = time.thread_time()
            try:
                return run(encodings)
            finally:
                used = time.thread_time() - start
                name = threading.current_thread().name
                with self._lock:
                    self.real += sum(lengths)
                    self.padded += max(lengths) * len(lengths)
                    self.runs += 1
                    self.cpu[name] = self.cpu.get(name, 0.0) + used

        return counted


class Timeline:
    """Which threads of this process were on a CPU or waiting for one, sampled every
    SAMPLE_S seconds of one scoring: each thread's own CPU clock (pthread_getcpuclockid),
    and its state in /proc (R: running or runnable; else blocked: on a batch, a lock, the
    GIL). How many threads are runnable does not depend on the load of the machine: with
    two or more runnable at every moment, a quiet machine's two cores are busy throughout.
    Only with `--timeline` (the sampler costs a little CPU itself)."""

    SAMPLE_S = 0.01

    def __init__(self) -> None:
        self.samples: list[tuple[float, dict[str, float], int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="timeline", daemon=True)

    def __enter__(self) -> Timeline:
        self.start = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.end = time.perf_counter()

    def _read(self) -> tuple[float, dict[str, float], int]:
        clocks, runnable = {}, 0
        for t in threading.enumerate():
            if t.ident is None or t is self._thread:
                continue
            try:
                clocks[t.name] = time.clock_gettime(time.pthread_getcpuclockid(t.ident))
                with open(f"/proc/self/task/{t.native_id}/stat", "rb") as f:
                    state = f.read().rsplit(b")", 1)[1].split()[0]
            except (OSError, AttributeError):
                continue
            runnable += state == b"R"
        return time.perf_counter(), clocks, runnable

    def _sample(self) -> None:
        self.samples.append(self._read())
        while not self._stop.wait(self.SAMPLE_S):
            self.samples.append(self._read())
        self.samples.append(self._read())

    def busy(self) -> dict[str, float]:
        """CPU seconds of each thread over the scoring (a thread started in it from 0)."""
        first, last = self.samples[0][1], self.samples[-1][1]
        return {name: last[name] - first.get(name, 0.0) for name in last}

    def runnable(self, cores: int = 2) -> tuple[float, list[float]]:
        """Threads runnable (at most `cores`), on average over the samples and in each
        tenth of the scoring."""
        t0, t1 = self.samples[0][0], self.samples[-1][0]
        span = (t1 - t0) / 10 or 1.0
        sums, counts = [0.0] * 10, [0] * 10
        for at, _, n in self.samples:
            k = min(9, int((at - t0) / span))
            sums[k] += min(n, cores)
            counts[k] += 1
        tenths = [s / c if c else 0.0 for s, c in zip(sums, counts, strict=True)]
        return sum(sums) / max(1, sum(counts)), tenths


def fresh_matcher(loaded: Matcher, vectors: Any, tokens: Tokens | None = None) -> Matcher:
    """An empty embedding cache around the already loaded model; with `tokens`, the
    tokens it runs are counted there."""
    fresh = Matcher(type(loaded.embedder)(vectors=vectors), vectors=vectors)
    for name in ("_model", "_tokenizer", "_inputs"):
        if hasattr(loaded.embedder, name):
            setattr(fresh.embedder, name, getattr(loaded.embedder, name))
    if tokens is not None and isinstance(fresh.embedder, TextEmbedder):
        fresh.embedder._run_onnx = tokens.counting(fresh.embedder._run_onnx)  # type: ignore[method-assign]
    return fresh


def forget_everything() -> None:
    """Nothing the process learnt of earlier scoring: every functools cache of the `qa`
    package's modules (sentences, words, matches, acts of a sentence, parsed packs and
    YAML) and its caches by hand (best phrases, inferred acts, heads, act examples,
    campaign phrase vectors). The site's pack additions are settings, not a cache: kept."""
    from qa.acts import classifier as acts
    from qa.campaigns import check
    from qa.matching import _best
    from qa.scorecard import context
    from qa.yamlfile import _parsed

    for name, module in list(sys.modules.items()):
        if name == "qa" or name.startswith("qa."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    forget_heads()
    for cache in (_best, context._inferred, context._agreed, check._phrase_vectors, _parsed):
        cache.clear()
    check._ZH_RULES.clear()
    acts._default = None


@dataclass
class Pass:
    """One first scoring of the set's contacts."""

    n: int
    wall: float
    cpu: float
    tokens: Tokens
    verdicts: dict[str, Any]
    exports: list[Path]
    timelines: list[tuple[str, Timeline]] = field(default_factory=list)  # with --timeline
    # What a pass pays once per process, while scoring: memory pages touched for the first
    # time (the model's arena growing to its largest batch) and modules imported on first use.
    faults: int = 0
    imported: int = 0


def first_scoring(args: argparse.Namespace, loaded: Matcher, tmp: Path, tag: str) -> Pass:
    forget_everything()
    n, wall, cpu = 0, 0.0, 0.0
    timelines = []
    faults = imported = 0
    tokens = Tokens()
    verdicts: dict[str, Any] = {}
    exports = []
    for key in TEXT:
        src = ingested_db(args.set, Path(args.work), key)
        assert src is not None
        store = fresh_copy(src, tmp / f"{key}.{tag}.db")
        with store.transaction() as conn:  # no sentence vectors of these interactions
            conn.execute("DELETE FROM embeddings")
        card = load_scorecard(card_path(None, args.set, COMPANIES[key][1]))
        items = [i for i in store.load_interactions() if i.turns]
        matcher = fresh_matcher(loaded, store, tokens)
        timeline = Timeline() if args.timeline else None
        modules, paged = len(sys.modules), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        w, c = time.perf_counter(), time.process_time()
        if timeline is not None:
            with timeline:
                report = score_interactions(store, items, card, matcher)
            timelines.append((key, timeline))
        else:
            report = score_interactions(store, items, card, matcher)
        wall += time.perf_counter() - w
        cpu += time.process_time() - c
        faults += resource.getrusage(resource.RUSAGE_SELF).ru_minflt - paged
        imported += len(sys.modules) - modules
        n += len(items)
        for ident, ev in report.evaluations.items():
            for r in ev.criteria:
                verdicts[f"{ident}/{r.id}"] = (r.result, r.points)
        out = tmp / f"{key}.{tag}.export.json"
        out.write_text(export_json(store), encoding="utf-8")
        exports.append(out)
        store.close()
    return Pass(n, wall, cpu, tokens, verdicts, exports, timelines, faults, imported)


def timeline_lines(p: Pass) -> list[str]:
    """Per company: wall, each thread's CPU seconds, cores busy on average and by tenths."""
    lines = []
    for key, t in p.timelines:
        wall = t.end - t.start
        busy = {k: v for k, v in sorted(t.busy().items()) if v >= 0.005}
        threads = ", ".join(f"{k} {v:.2f}" for k, v in busy.items())
        mean, tenths = t.runnable()
        lines.append(
            f"  {key}: {wall:.2f} s wall, {sum(busy.values()) / wall:.2f} cores busy; "
            f"CPU s by thread: {threads}; runnable threads (of 2 cores) {mean:.2f}, "
            f"by tenths: {' '.join(f'{c:.1f}' for c in tenths)}"
        )
    model = ", ".join(f"{k} {v:.2f}" for k, v in sorted(p.tokens.cpu.items()))
    lines.append(f"  CPU s of the sentence model's runs by thread (all companies): {model}")
    return lines


def median(values: list[float]) -> float:
    return statistics.median(values)


def passes_line(label: str, passes: list[Pass]) -> str:
    """The median pass's figures (each figure's own median), then the spread of rates."""
    n = passes[0].n
    walls = [p.wall for p in passes]
    cpus = [p.cpu for p in passes]
    toks = [p.tokens.padded for p in passes]
    line = (
        f"{label:34} {n:12} {median(walls):8.2f} {n / median(walls):8.1f} "
        f"{median(cpus):8.2f} {n / median(cpus):8.1f} {median(toks):9.0f}"
    )
    if len(passes) > 1:
        line += (
            f"\n{'':34} spread of {len(passes)} passes: {n / max(walls):.1f}-"
            f"{n / min(walls):.1f}/s wall, {n / max(cpus):.1f}-{n / min(cpus):.1f} per CPU-s "
            f"({min(cpus):.2f}-{max(cpus):.2f} CPU s)"
        )
    return line


def differing(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def copies(items: list[Interaction], n: int) -> list[Interaction]:
    out = []
    for k in range(n):
        item = items[k % len(items)]
        out.append(replace(item, id=f"{item.id}-{k}", source=f"{item.source}#{k}"))
    return out


def variants(items: list[Interaction], n: int, seed: int = 13) -> list[Interaction]:
    """N contacts whose texts differ: the given ones first, then each again with the
    sentences of every turn in another order, and sometimes one of them left out (so
    per-turn and per-interaction caches miss; the sentences themselves are the set's)."""
    rng = random.Random(seed)
    seen: set[tuple[str, ...]] = set()
    out = []
    for k in range(n):
        item = items[k % len(items)]
        turns = item.turns
        for _ in range(8 if k >= len(items) else 0):  # a few tries at a text not seen yet
            turns = [replace(t, text=" ".join(_reordered(t.text, rng))) for t in item.turns]
            if tuple(t.text for t in turns) not in seen:
                break
        seen.add(tuple(t.text for t in turns))
        out.append(replace(item, id=f"{item.id}-{k}", source=f"{item.source}#{k}", turns=turns))
    return out


def _reordered(text: str, rng: random.Random) -> list[str]:
    said = list(sentences(text))
    rng.shuffle(said)
    if len(said) >= 3 and rng.random() < 0.4:
        said.pop(rng.randrange(len(said)))
    return said


def shipped_examples() -> list[Interaction]:
    """The English examples that ship with the scorecards (scorecards/examples/CARD)."""
    items = []
    for path in sorted((scorecards_dir() / "examples").glob("*/*.json")):
        if not path.parent.name.endswith("_zh"):
            items.append(load_example(path)[0])
    return items


def cpu_now() -> float:
    """CPU seconds of this process and of the (finished) processes it started."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@dataclass
class Rescored:
    kind: str
    n: int
    wall: float
    cpu: float
    distinct: int  # interactions with a text of their own
    sentences: int  # in all the interactions
    embedded: int  # texts the rescore had to embed (not in the store)


def rescoring(args: argparse.Namespace, loaded: Matcher, tmp: Path, kind: str) -> Rescored:
    """`qa rescore` of N stored interactions, each scored once before (so that the store
    holds their vectors and an evaluation to replace): copies of the set's contacts, or
    distinct texts made from them and from the shipped examples."""
    per = {
        k: args.n // len(TEXT) + (1 if i < args.n % len(TEXT) else 0) for i, k in enumerate(TEXT)
    }
    examples = shipped_examples() if kind == "distinct" else []
    wall = cpu = 0.0
    total = embedded = 0
    texts: set[tuple[str, ...]] = set()
    said = 0
    for key in TEXT:
        src = ingested_db(args.set, Path(args.work), key)
        assert src is not None
        base = Store(src)
        items = [i for i in base.load_interactions() if i.turns] + examples
        base.close()
        made = copies(items, per[key]) if kind == "copies" else variants(items, per[key])
        texts.update(tuple(t.text for t in i.turns) for i in made)
        said += sum(len(sentences(t.text)) for i in made for t in i.turns)
        store = Store(tmp / f"{key}.{kind}.db")
        store.save_interactions(made)
        for other in sorted(tmp.glob("*.db")):  # vectors the earlier runs embedded
            if other != store.path:
                store.conn.execute("ATTACH ? AS other", [str(other)])
                store.conn.execute(
                    "INSERT OR IGNORE INTO embeddings SELECT * FROM other.embeddings"
                )
                store.conn.execute("DETACH other")
        card = load_scorecard(card_path(None, args.set, COMPANIES[key][1]))
        # Setup, not timed: the loaded model embeds what the store lacks, then every
        # interaction is scored once.
        matcher = fresh_matcher(loaded, store)
        score_interactions(store, made[: len(items)], card, matcher)
        matcher.prefetch([s for i in made for t in i.turns for s in sentences(t.text)])
        score_interactions(
            store,
            store.load_interactions(),
            card,
            Matcher(vectors=store),
            workers=args.workers or cores(),
        )
        vectors = store.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        w, c = time.perf_counter(), cpu_now()
        report, _ = rescore(store, card, Matcher(vectors=store), workers=args.workers)
        wall += time.perf_counter() - w
        cpu += cpu_now() - c
        total += report.scored
        embedded += store.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] - vectors
        store.close()
    return Rescored(kind, total, wall, cpu, len(texts), said, embedded)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "qa-judgment"))
    ap.add_argument("--n", type=int, default=10_000, help="stored interactions to rescore")
    ap.add_argument(
        "--repeat", type=int, default=5, help="passes of the after run (the median is shown)"
    )
    ap.add_argument("--skip-before", action="store_true")
    ap.add_argument("--skip-rescore", action="store_true")
    ap.add_argument("--workers", type=int, help="processes that rescore (default: the cores)")
    ap.add_argument("--details", action="store_true")
    ap.add_argument(
        "--timeline",
        action="store_true",
        help="sample each thread's CPU clock during each company's scoring and print it",
    )
    ap.add_argument("--save", type=Path, help="write the criterion results of this run")
    ap.add_argument("--compare", type=Path, help="criterion results of an earlier run")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    Path(args.work).mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    loaded = Matcher()
    loaded.embedder.embed(["warm up"])  # the model load is not scoring

    from bench.bench_judgment import evaluate

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for key in TEXT:  # ingest is not scoring
            ingested_db(args.set, Path(args.work), key)
        before = None
        if not args.skip_before:
            with scoring_before():
                before = first_scoring(args, loaded, tmp, "before")
        passes = [first_scoring(args, loaded, tmp, f"after{k}") for k in range(args.repeat)]
        after = passes[0]
        args.verbose = False
        figures = evaluate(args, after.exports, args.set / "human_labels.csv", tmp)
        rescored = (
            []
            if args.skip_rescore
            else [rescoring(args, loaded, tmp, kind) for kind in ("copies", "distinct")]
        )

    print(
        f"# scoring speed, judgment cases, {date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    print(
        f"{'first scoring, nothing cached':34} {'interactions':>12} {'wall s':>8} {'/s wall':>8} "
        f"{'CPU s':>8} {'/CPU-s':>8} {'tokens':>9}"
    )
    if before is not None:
        print(passes_line("before", [before]))
    label = "after" if len(passes) == 1 else f"after, median of {len(passes)}"
    print(passes_line(label, passes))
    if len(passes) > 1 or args.timeline:
        for k, p in enumerate(passes):
            print(
                f"  pass {k + 1}: {p.wall:.2f} s wall, {p.cpu:.2f} CPU s, {p.tokens.real} tokens "
                f"({p.tokens.padded} with padding, {p.tokens.runs} runs); {p.faults} page "
                f"faults, {p.imported} modules imported"
            )
            if args.timeline:
                print("\n".join(timeline_lines(p)))
    if len(passes) > 1:
        print(
            "  (each pass forgets every cache of qa; what the process keeps: the loaded model "
            "and its memory arena, modules imported on first use (the language detector's "
            "model among them), compiled regular expressions: paid once by the first pass as "
            "by a long batch; the median leaves the first pass out when the rest are steady)"
        )
    unsteady = [k + 1 for k, p in enumerate(passes) if differing(p.verdicts, after.verdicts)]
    print(
        f"after passes whose criterion results differ from the first: {len(unsteady)} of "
        f"{len(passes)}" + (f" (passes {unsteady})" if unsteady else "")
    )
    if before is not None:
        diff = differing(after.verdicts, before.verdicts)
        print(
            f"criterion results that differ, before vs after: {len(diff)} of {len(after.verdicts)}"
        )
        for k in diff[:20]:
            print(f"  {k}: {before.verdicts.get(k)} -> {after.verdicts.get(k)}")
    for r in rescored:
        print(
            f"qa rescore of {r.n} stored interactions, {r.kind} ({r.distinct} distinct texts, "
            f"{r.sentences / r.n:.1f} sentences each; "
            f"{args.workers or cores()} worker(s)): {r.wall:.1f} s wall ({r.n / r.wall:.0f}/s), "
            f"{r.cpu:.1f} s CPU (all processes); {r.embedded} text(s) embedded during it"
        )
    middle = (after.n, median([p.wall for p in passes]), median([p.cpu for p in passes]))
    print(side_by_side(middle, rescored))
    if args.save is not None:
        args.save.write_text(json.dumps(after.verdicts, sort_keys=True, indent=0), encoding="utf-8")
    if args.compare is not None:
        saved = {k: tuple(v) for k, v in json.loads(args.compare.read_text("utf-8")).items()}
        diff = differing(saved, after.verdicts)
        print(f"criterion results that differ from {args.compare}: {len(diff)} of {len(saved)}")
        for k in diff[:20]:
            print(f"  {k}: {saved.get(k)} -> {after.verdicts.get(k)}")
    print(summary(figures))


def side_by_side(first: tuple[int, float, float], rescored: list[Rescored]) -> str:
    """Today's figures beside the third round's, per interaction, with the targets."""
    rows = [f"{'':46} {'third round':>22} {'now':>22} {'target':>14}"]

    def per(n: int, wall: float, cpu: float) -> str:
        return f"{n / wall:6.1f}/s, {n / cpu:5.1f}/CPU-s"

    rows.append(
        f"{'first scoring, nothing cached':46} {per(*EARLIER_FIRST):>22} {per(*first):>22} "
        f"{TARGET_FIRST_PER_S:>9.0f}/s"
    )
    n0, w0, c0 = EARLIER_RESCORE
    for r in rescored:
        rows.append(
            f"{f'qa rescore, {r.kind}, 10,000 at this rate':46} "
            f"{f'{10_000 * w0 / n0:.0f} s, {10_000 * c0 / n0:.0f} s':>22} "
            f"{f'{10_000 * r.wall / r.n:.0f} s, {10_000 * r.cpu / r.n:.0f} s':>22} "
            f"{TARGET_RESCORE_S:>12.0f} s"
        )
    if rescored:
        rows.append("(rescore: wall, then CPU of all processes; the third round's were copies)")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
