"""Mutation score of the modules that decide results, one module at a time, with mutmut.

Each module is mutated in a copy of the checkout (build/mutation/<module>/) and only the
test files that exercise it are run against each mutant. Surviving mutants listed in
bench/mutation_equivalents.md (mutant name, the mutated line, why it cannot change
behaviour) count as equivalent; the score is killed / (mutants - equivalent).

    .venv/bin/python bench/mutation.py                 # every module (tens of minutes)
    .venv/bin/python bench/mutation.py redact metrics  # some of them
    .venv/bin/python bench/mutation.py --list          # the modules and their tests
    .venv/bin/python bench/mutation.py statements --functions _convert_run _split_groups
    .venv/bin/python bench/mutation.py statements --resume  # re-test the last run's survivors

    .venv/bin/python bench/mutation.py campaign_checks --recheck tests/test_mut_campaign_checks.py

--recheck runs the named test files (only those) against each survivor of the last run, in one
process, and counts a mutant killed when they fail on it and pass on the unmutated code: a quick
way to measure new pins without re-running every test of the module per survivor. With
--unreached it runs them against the mutants a stopped run never reached as well; one they do
not kill counts as surviving, so the score is a lower bound (other tests might kill it):

    .venv/bin/python bench/mutation.py scoring --recheck tests/test_mut_scoring*.py --unreached

A run stopped by --timeout is reported as partial: the mutants tried out of the module's total.
--resume keeps build/mutation/<module>/ and re-tests only the mutants that survived or were not
reached, after new tests; killed mutants stay killed. Where a mutated function's code changed
since, mutmut makes its mutants anew and they are all tested again.

Not part of CI: run it before calling a change to one of these modules done.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "bench" / "mutation_equivalents.md"
WORK = ROOT / "build" / "mutation"
TARGET = 85.0  # per cent of non-equivalent mutants that the tests must kill
SKIP = {"docs", "build", "mutants"}  # top-level entries the tests do not need


@dataclass(frozen=True)
class Module:
    name: str
    sources: tuple[str, ...]  # files mutated
    tests: tuple[str, ...]  # test files run against each mutant
    # Only the mutants of these functions (fnmatch patterns on mutmut's names), when given.
    functions: tuple[str, ...] = ()
    deselect: str = ""  # a pytest -k expression: tests too slow to run per mutant


# Tests that start another Python process: seconds each, per mutant.
SLOW = "not rescore_does_no_audio_work and not readme_rescore_recipe"

MODULES = [
    Module(
        "redact",
        ("qa/redact.py",),
        (
            "tests/test_redact.py",
            "tests/test_pii_everywhere.py",
            "tests/test_zh_redact.py",  # card numbers, IDs and phones in Chinese text
            "tests/test_mut_redact*.py",
        ),
    ),
    Module(
        "metrics",
        ("qa/metrics.py",),
        (
            "tests/test_voice_unit.py",
            "tests/test_hypothesis.py",
            "tests/test_criteria_text.py",  # talk share on text, email response times
            "tests/test_mut_metrics*.py",
        ),
    ),
    Module(
        "ingest_batch",
        ("qa/ingest/batch.py",),
        (
            "tests/test_ingest_batch.py",
            "tests/test_email.py",
            "tests/test_voice_transcripts.py",
            "tests/test_mut_ingest_batch.py",
        ),
        deselect="not killed_run and not two_processes and not each_format_is_scored",
    ),
    Module(
        "roles", ("qa/voice/roles.py",), ("tests/test_voice_unit.py", "tests/test_mut_roles.py")
    ),
    Module(
        "store",
        ("qa/store/writes.py", "qa/store/connection.py"),
        (
            "tests/test_ingest_batch.py",
            "tests/test_email.py",
            "tests/test_redact.py",
            "tests/test_mut_store*.py",
        ),
        # The writes: what reaches the database and how. Reads are pinned by their callers.
        functions=tuple(
            f"qa.store*{name}__mutmut_*"
            for name in (
                "__init__",
                "transaction",
                "start_run",
                "finish_run",
                "_mark_source",
                "record_failure",
                "save_interactions",
                "_write_interaction",
                "_with_identifier_hashes",
                "_redact_obj",
                "_write_turns",
                "_redact_words",
                "save_email_messages",
                "save_thread",
                "_delete_interaction",
                "save_scorecard",
                "save_evaluations",
                "_write_flags",
                "save_routes",
                "save_transcript",
                "set_status",
                "save_vectors",
                "save_engine",
                "save_campaign_set",
                "save_asr_segments",
                "set_metadata",
                "_evidence",
                "_redact_opt",
                "_cards",
                "_split_cards_masked",
                "content_id",
                "content_digest",
            )
        ),
        deselect="not killed_run and not two_processes",
    ),
    Module(
        "scoring",
        ("qa/scoring.py", "qa/scorecard/engine.py"),
        (
            "tests/test_scoring.py",
            "tests/test_criteria.py",
            "tests/test_engine.py",
            "tests/test_pins.py",
            "tests/test_criteria_composite.py",
            "tests/test_mut_scoring*.py",
        ),
        deselect=SLOW,
    ),
    Module(
        "criteria",
        ("qa/scorecard/criteria.py",),
        (
            "tests/test_criteria.py",
            "tests/test_criteria_text*.py",
            "tests/test_criteria_flow*.py",
            "tests/test_criteria_meaning*.py",
            "tests/test_criteria_composite.py",
            "tests/test_criteria_order.py",
            "tests/test_criteria_about.py",
            "tests/test_zh_crit*.py",  # the Chinese paths of the same evaluators
            "tests/test_zh_explain.py",  # Chinese explanations against the campaigns' facts
            "tests/test_mut_criteria*.py",
        ),
        # Every evaluator and its helpers; `evaluator`, the registering decorator, is unused.
        functions=(
            "qa.scorecard.criteria.x_[!e]*__mutmut_*",
            "qa.scorecard.criteria.x_e[!v]*__mutmut_*",
        ),
    ),
    Module(
        "campaign_windows",
        ("qa/campaigns/check.py", "qa/campaigns/schema.py", "qa/timeutil.py"),
        ("tests/test_timezones.py", "tests/test_campaigns.py", "tests/test_mut_campaigns.py"),
        # Which day a contact falls on and which campaigns run then.
        functions=(
            "qa.timeutil.x_local_date__mutmut_*",
            "qa.timeutil.x_site_zone__mutmut_*",
            "qa.campaigns.schema.xǁCampaignǁactive_on__mutmut_*",
            "qa.campaigns.check.x_interaction_day__mutmut_*",
            "qa.campaigns.check.x__window_word__mutmut_*",
        ),
    ),
    Module(
        "campaign_checks",
        ("qa/campaigns/check.py", "qa/statements/claims.py"),
        (
            "tests/test_campaigns.py",
            "tests/test_campaigns_trust.py",
            "tests/test_campaigns_classes.py",
            "tests/test_campaigns_statements.py",
            "tests/test_campaigns_meaning.py",
            "tests/test_mut_campaigns.py",
            "tests/test_mut_campaign_checks.py",
            "tests/test_mut_campaign_exclusions.py",
            "tests/test_mut_campaign_sentence.py",
            "tests/test_zh_camp_checks.py",  # the Chinese paths: holders, denials, disclosures
            "tests/test_adopt_campaign_examples.py",  # examples that silence a flag or a pitch
            "tests/test_mut_campaign_*.py",
        ),
        # The whole scoring command on the examples: a minute, and checked by the rest.
        deselect="not score_with_campaigns_shows_flags",
        # What a sentence is flagged for: every function of check.py that decides a flag or
        # writes it, the explanation printer (explain) and the embedding cache (_phrase_table,
        # _embed) aside, and the day and window of a contact (campaign_windows measures them).
        functions=tuple(
            f"qa.campaigns.check.{name}__mutmut_*"
            for name in (
                "x_check_interaction",
                "x_check_sentence",
                "xǁSentenceǁevidence",
                "x__flag",
                "x__name_spans",
                "x__near_name",
                "x__another_of_family",
                "x__zh_other_product",
                "x_named_campaigns",
                "x__fact_kind",
                "x__count_unit",
                "x__compatible",
                "x__phrase_positions",
                "x__about_score",
                "x__phrase_values",
                "x__in_months",
                "x__close",
                "x__fact_values",
                "x__same",
                "x__zh_bound",
                "x__for_a_group",
                "x__zh_scoped",
                "x__period_fits",
                "x_choose_fact",
                "x__semantic_max",
                "x_clauses",
                "x__lexical_hit",
                "x__clause_hit",
                "x__contrary",
                "x__cue",
                "x__negations",
                "x__zh_same_denial",
                "x__retired_hit",
                "x_read_acts",
                "x_presents_offer",
                "x_resolve_topics",
                "x__day",
                "x_contradiction_message",
                "x__sentences",
                "x_answered",
                "x__zh_held",
                "x__held_named",
                "x__service",
                "x__denied",
                "x__denies",
                "x__deadline",
                "x__affirms",
                "x__denial_in",
                "x__stems",
                "x__false_condition",
                "x__restates_a_fact",
                "x__same_figure_and_word",
                "x__bigrams",
                "x__zh_denied_here",
                "x__zh_overlap",
                "x__common_terms",
                "x__zh_fact_words",
                "x__zh_given",
                "x__given",
                "x__pitch_obligations",
                "x__dedupe",
            )
        )
        # What a sentence's figures are: whose, when, negated (qa.statements.claims).
        + (
            "qa.statements.claims.x_figure_bounds__mutmut_*",
            "qa.statements.claims.x__since_now__mutmut_*",
            "qa.statements.claims.x_extract_claims__mutmut_*",
        ),
    ),
    Module(
        "statements",
        # The quantities a sentence states: spoken and written numbers, money, durations.
        ("qa/statements/quantities.py", "qa/statements/numbers.py"),
        (
            "tests/test_campaigns.py",
            "tests/test_campaigns_statements.py",
            "tests/test_pins.py",
            "tests/test_mut_statements.py",
            "tests/test_mut_numbers*.py",
            "tests/test_mut_quantities*.py",
        ),
        deselect="not score_with_campaigns_shows_flags",  # a minute, as for campaign_checks
    ),
    Module(
        "zh_quantities",
        # The quantities of a Chinese sentence: numerals, money, percentages, periods, dates.
        ("qa/statements/zh_quantities.py",),
        ("tests/test_zh_quant.py", "tests/test_mut_zh_quant*.py", "tests/test_mut_quantities*.py"),
    ),
]

# mutmut's exit codes of a mutant's test run (mutmut/stats.py).
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # a failing test, a timeout, a type error
SURVIVED = {0}
NO_TESTS = {5, 33}  # no selected test reaches the mutated function: counts as surviving


@dataclass
class Result:
    module: str
    mutants: int = 0
    killed: int = 0
    survivors: dict[str, str] = field(default_factory=dict)  # name -> diff
    equivalent: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # listed as equivalent, line changed
    seconds: float = 0.0
    unchecked: int = 0
    no_tests: int = 0  # survivors that no selected test reached (counted as surviving)
    error: str | None = None

    @property
    def total(self) -> int:
        return self.mutants + self.unchecked

    @property
    def partial(self) -> bool:
        return self.unchecked > 0

    @property
    def survived(self) -> int:
        return len(self.survivors) - len(self.equivalent)

    @property
    def score(self) -> float | None:
        live = self.mutants - len(self.equivalent)
        return round(100 * self.killed / live, 1) if live else None


def existing(patterns: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        found += [
            f
            for f in sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern))
            if f not in found
        ]
    return found


def refresh(work: Path) -> None:
    """Bring the tests (and the unmutated package) of a kept work folder up to date."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in ("qa", "tests"):
        shutil.copytree(ROOT / name, work / name, ignore=ignore, dirs_exist_ok=True)


def prepare(module: Module, sources: list[str], tests: list[str]) -> Path:
    work = WORK / module.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    # The whole checkout but docs: the package finds its shipped folders beside itself.
    top = sorted({p.split("/")[0] for p in tracked} - SKIP)
    for name in top:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, work / name, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, work / name)
    text = (work / "pyproject.toml").read_text(encoding="utf-8")
    base = tomllib.loads(text).get("tool", {}).get("mutmut", {})
    settings = {
        **base,
        "only_mutate": sources,
        "pytest_add_cli_args_test_selection": tests,
        "use_git_change_detection": False,
        "also_copy": [n for n in top if n not in ("qa", "tests", "pyproject.toml")],
    }
    lines = [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    text += "\n[tool.mutmut]\n" + "\n".join(lines) + "\n"
    (work / "pyproject.toml").write_text(text, encoding="utf-8")
    return work


DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
out = {}
for line in sys.stdin:
    path, name = line.split()
    out[name] = get_diff_for_mutant(name, path=path)
print(json.dumps(out))
"""


def verdicts(work: Path, functions: tuple[str, ...]) -> list[tuple[str, str, int | None]]:
    """(source path, mutant name, mutmut's exit code or None) of the selected mutants."""
    found = []
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        path = str(meta.relative_to(work / "mutants"))[: -len(".meta")]
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        for name, code in codes.items():
            if functions and not any(fnmatch.fnmatch(name, f) for f in functions):
                continue
            found.append((path, name, code))
    return found


def collect(work: Path, result: Result, functions: tuple[str, ...]) -> None:
    wanted: list[tuple[str, str]] = []
    for path, name, code in verdicts(work, functions):
        if code is None:  # mutmut stopped before it got there
            result.unchecked += 1
            continue
        result.mutants += 1
        if code in KILLED:
            result.killed += 1
        else:
            result.no_tests += code in NO_TESTS
            wanted.append((path, name))
    if not wanted:
        return
    out = subprocess.run(
        [sys.executable, "-c", DIFFS],
        input="".join(f"{p} {n}\n" for p, n in wanted),
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    result.survivors = json.loads(out.stdout)


def mutated_lines(diff: str) -> str:
    """The mutant's lines, as the equivalents file quotes them."""
    plus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and ln[1:2] != "+"]
    return " / ".join(plus)


SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|VALUES|INTO)\b", re.I)


def draft_reason(diff: str) -> str:
    """A first reason for a survivor, to be read and confirmed by hand: only the case of an
    SQL statement (or of a table name) changed."""
    minus = [ln[1:] for ln in diff.splitlines() if ln.startswith("-") and ln[1:2] != "-"]
    plus = [ln[1:] for ln in diff.splitlines() if ln.startswith("+") and ln[1:2] != "+"]
    same = minus and [m.lower() for m in minus] == [p.lower() for p in plus]
    # Quoted SQL values ('ingest', '$.metrics') are compared with their case.
    quoted = [re.findall(r"'[^']*'", m) for m in minus] == [re.findall(r"'[^']*'", p) for p in plus]
    if same and quoted and any(SQL_WORDS.search(m) for m in minus):
        return "SQL keywords and SQLite names are case-insensitive."
    return "TODO"


def load_equivalents() -> dict[str, tuple[str, str]]:
    """mutant name -> (the mutated line as recorded, the reason it changes nothing)."""
    found: dict[str, tuple[str, str]] = {}
    pattern = re.compile(r"^- `([\w.]+)` `(.*)`: (.+)$")
    for line in EQUIVALENTS.read_text(encoding="utf-8").splitlines():
        m = pattern.match(line)
        if m:
            found[m.group(1)] = (m.group(2), m.group(3))
    return found


def judge(result: Result, equivalents: dict[str, tuple[str, str]]) -> None:
    for name, diff in result.survivors.items():
        if name not in equivalents:
            continue
        if equivalents[name][0] == mutated_lines(diff):
            result.equivalent.append(name)
        else:
            result.stale.append(name)


RECHECK = """
import contextlib, io, json, os, sys
import pytest

names, args = json.loads(sys.argv[1]), json.loads(sys.argv[2])


def run(name):
    os.environ["MUTANT_UNDER_TEST"] = name
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return int(pytest.main(args))


if run("") != 0:
    sys.exit("the tests fail on the unmutated code")
for name in names:
    print(json.dumps([name, run(name)]), flush=True)
if run("") != 0:
    sys.exit("the tests fail on the unmutated code after the mutants")
"""


def recheck(
    module: Module,
    functions: tuple[str, ...],
    files: list[str],
    keep: str,
    timeout: float,
    unreached: bool = False,
) -> Result:
    """The last run's survivors against `files` only (and the tests that `keep`, a pytest -k
    expression, selects); a failing run kills the mutant. With `unreached`, the mutants the
    run never reached too: each one these files do not kill counts as surviving (a lower
    bound: tests outside `files` might kill it)."""
    result = Result(module.name)
    work = WORK / module.name
    if not (work / "mutants").is_dir():
        result.error = f"nothing to re-check in {work}: run without --recheck first"
        return result
    shutil.copytree(ROOT / "tests", work / "mutants" / "tests", dirs_exist_ok=True)
    names = [
        n
        for _, n, code in verdicts(work, functions)
        if (code is not None or unreached) and code not in KILLED
    ]
    args = ["-x", "-q", "-n", "0", "-p", "no:cacheprovider", "-m", "not models and not browser"]
    keyword = " and ".join(f"({k})" for k in (module.deselect, keep) if k)
    args += [*files, *(["-k", keyword] if keyword else [])]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QA_DB")}
    start = time.monotonic()
    done: dict[str, int] = {}
    proc = subprocess.Popen(
        [sys.executable, "-c", RECHECK, json.dumps(names), json.dumps(args)],
        cwd=work / "mutants",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        result.error = f"re-check stopped after {timeout:.0f} s: partial"
    for line in out.splitlines():
        name, code = json.loads(line)
        done[name] = code
    if proc.returncode and not result.error:
        result.error = err.strip().splitlines()[-1] if err.strip() else f"exit {proc.returncode}"
        done = {}  # the tests are not sound on the unmutated code: nothing is counted
    killed = {n for n, code in done.items() if code == 1}
    for meta in (work / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        hit = killed & set(codes)
        # An unreached mutant these files ran against and did not kill: survived.
        tried = {n for n in done if n in codes and codes[n] is None} - killed
        if hit or tried:
            codes.update(dict.fromkeys(hit, 1))
            codes.update(dict.fromkeys(tried, 0))
            meta.write_text(json.dumps(data))
    print(
        f"  {module.name}: re-checked {len(done)} of {len(names)} survivors, {len(killed)} killed",
        file=sys.stderr,
    )
    result.seconds = time.monotonic() - start
    collect(work, result, functions)
    return result


def function_patterns(module: Module, names: list[str]) -> tuple[str, ...]:
    """mutmut name patterns for the module's functions, narrowed to `names` when given
    (a function 'f' or a method 'Class.f') and to the module's own selection, if any."""
    if not names:
        return module.functions
    wanted = []
    for source in existing(module.sources):
        dotted = source.removesuffix(".py").replace("/", ".")
        for name in names:
            cls, _, func = name.rpartition(".")
            # A bare name: the function, or a method of that name in any class.
            forms = [f"xǁ{cls}ǁ{func}"] if cls else [f"x_{func}", f"xǁ*ǁ{func}"]
            for form in forms:
                sample = f"{dotted}.{form.replace('*', 'C')}__mutmut_1"
                if not module.functions or any(
                    fnmatch.fnmatch(sample, f) for f in module.functions
                ):
                    wanted.append(f"{dotted}.{form}__mutmut_*")
    return tuple(wanted)


def mutmut(work: Path, names: list[str], children: int, timeout: float, resume: bool) -> str | None:
    """Run mutmut on the named mutants (or patterns); an error message, or None."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QA_DB")}
    log = work / "mutmut.log"
    with log.open("a" if resume else "w") as fh:
        # Its own process group, so that a timeout stops mutmut's workers too.
        proc = subprocess.Popen(
            [sys.executable, "-m", "mutmut", "run", "--max-children", str(children), *names],
            cwd=work,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            if proc.wait(timeout=timeout) != 0:
                return f"mutmut exited {proc.returncode}: see {log}"
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return f"stopped after {timeout:.0f} s: partial"
    return None


def run_module(
    module: Module,
    children: int,
    timeout: float,
    functions: tuple[str, ...],
    resume: bool = False,
) -> Result:
    result = Result(module.name)
    sources = existing(module.sources)
    tests = existing(module.tests)
    if not sources:
        result.error = "no such source file"
        return result
    if not functions and module.functions:
        result.error = "none of the functions asked for is measured in this module"
        return result
    if module.deselect:
        tests += ["-k", module.deselect]
    work = WORK / module.name
    names: list[str] = list(functions)
    if resume:
        if not (work / "mutants").is_dir():
            result.error = f"nothing to resume in {work}: run without --resume first"
            return result
        refresh(work)
        # One killed mutant first: mutmut then makes the mutants of changed functions anew
        # (their verdicts unknown) and learns the new tests.
        killed = [n for _, n, code in verdicts(work, functions) if code in KILLED]
        if killed:
            mutmut(work, [killed[0]], children, timeout, resume=True)
        # Only the survivors and the mutants not reached; killed ones stay killed.
        names = [n for _, n, code in verdicts(work, functions) if code not in KILLED]
        if not names:
            collect(work, result, functions)
            return result
    else:
        work = prepare(module, sources, tests)
    start = time.monotonic()
    result.error = mutmut(work, names, children, timeout, resume)
    result.seconds = time.monotonic() - start
    collect(work, result, functions)
    return result


def by_function(names: Iterable[str]) -> str:
    """'f 12, Class.g 3': how many of the named mutants each function has, most first."""
    counts: dict[str, int] = {}
    for name in names:
        func = name.rpartition(".")[2].split("__mutmut_")[0]
        # mutmut names a function x_f and a method xǁClassǁf.
        func = func.removeprefix("x_") if func.startswith("x_") else func[2:].replace("ǁ", ".")
        counts[func] = counts.get(func, 0) + 1
    return ", ".join(f"{f} {n}" for f, n in sorted(counts.items(), key=lambda c: (-c[1], c[0])))


def print_table(results: list[Result]) -> None:
    head = ("module", "tried / total", "killed", "survived", "equivalent", "score", "time")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        score = f"{r.score:.1f} %" if r.score is not None else "-"
        if r.partial:
            score += " of those tried (partial run)"
        if r.score is not None and r.score < TARGET:
            score += " (below target)"
        tried = f"{r.mutants} / {r.total}"
        survived = f"{r.survived} ({r.no_tests} no tests)" if r.no_tests else r.survived
        row = (r.module, tried, r.killed, survived, len(r.equivalent), score)
        print("| " + " | ".join(str(c) for c in row) + f" | {r.seconds:.0f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="module names (default: all)")
    parser.add_argument("--list", action="store_true", help="show the modules and exit")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per module")
    parser.add_argument(
        "--functions",
        nargs="+",
        default=[],
        metavar="NAME",
        help="only the mutants of these functions ('f', or 'Class.f' for a method)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="keep the last run's verdicts and re-test its survivors and unreached mutants",
    )
    parser.add_argument(
        "--recheck",
        nargs="+",
        default=[],
        metavar="TEST_FILE",
        help="run only these test files against the last run's survivors",
    )
    parser.add_argument(
        "--keep",
        default="",
        metavar="EXPR",
        help="with --recheck: a pytest -k expression (tests of code newer than the run aside)",
    )
    parser.add_argument(
        "--unreached",
        action="store_true",
        help="with --recheck: the mutants the last run never reached too (those the files do "
        "not kill count as surviving)",
    )
    parser.add_argument("--survivors", action="store_true", help="print each live survivor")
    parser.add_argument(
        "--draft", action="store_true", help="print survivors as lines for the equivalents file"
    )
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.modules or m.name in args.modules]
    unknown = set(args.modules) - {m.name for m in MODULES}
    if unknown:
        parser.error(f"unknown module(s): {', '.join(sorted(unknown))}")
    if args.list:
        for m in MODULES:
            print(f"{m.name}: {', '.join(existing(m.sources))} <- {', '.join(existing(m.tests))}")
        return
    equivalents = load_equivalents()
    results = []
    for module in chosen:
        print(f"{module.name} ...", file=sys.stderr, flush=True)
        functions = function_patterns(module, args.functions)
        if args.recheck:
            result = recheck(
                module, functions, args.recheck, args.keep, args.timeout, args.unreached
            )
        else:
            result = run_module(module, args.children, args.timeout, functions, args.resume)
        judge(result, equivalents)
        results.append(result)
        if result.error:
            print(f"  {module.name}: {result.error}", file=sys.stderr)
        if result.unchecked:
            print(
                f"  {module.name}: partial, {result.mutants} of {result.total} mutants tried",
                file=sys.stderr,
            )
        for name in result.stale:
            print(f"  {name}: listed as equivalent, but its line changed", file=sys.stderr)
        live = by_function(n for n in result.survivors if n not in result.equivalent)
        if live:
            print(f"  {module.name}: live survivors by function: {live}", file=sys.stderr)
        if args.survivors:
            for name, diff in sorted(result.survivors.items()):
                if name not in result.equivalent:
                    print(f"\n# {name}\n{diff}")
        if args.draft:
            for name, diff in sorted(result.survivors.items()):
                if name not in result.equivalent:
                    print(f"- `{name}` `{mutated_lines(diff)}`: {draft_reason(diff)}")
    print(f"\nMutation score, {date.today()}, {os.cpu_count()} cores, {platform.python_version()}")
    print_table(results)


if __name__ == "__main__":
    main()
