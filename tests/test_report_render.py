"""The report's fast rendering writes the same pages as jinja's plain rendering."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, StrictUndefined

import qa.report.build as build
from qa.model import Agent, CriterionResult, Evaluation, Evidence, Flag, Interaction, Turn
from qa.report import i18n
from qa.report.build import build_report, clock_text, templates_env
from qa.store import Store
from qa.vocabulary import FlagStatus, Status

# The clock macro as the pages had it, before it moved to Python.
CLOCK_MACRO = (
    "{% macro clock(seconds) -%}\n{%- if seconds is none -%}–{%- elif seconds >= 3600 -%}"
    "{{ '%d:%02d:%02d' % ((seconds // 3600) | int, ((seconds % 3600) // 60) | int,"
    " (seconds % 60) | int) }}{%- else -%}{{ '%d:%02d' % ((seconds // 60) | int,"
    " (seconds % 60) | int) }}{%- endif -%}\n{%- endmacro %}"
)


@pytest.mark.parametrize(
    "seconds",
    [None, 0, 0.0, 0.4, 5, 59.99, 60, 61.5, 599.5, 3599.9, 3600, 3661.2, 86399.9, 360000.5]
    + [-1.5, -61, -3600.5, 7, math.nan, 1e9],
)
def test_clock_text_writes_what_the_macro_wrote(seconds: Any) -> None:
    macro = Environment(autoescape=True).from_string(CLOCK_MACRO).module.clock  # type: ignore[attr-defined]
    assert clock_text(seconds) == str(macro(seconds))


def test_dict_keys_read_as_attributes_as_jinja_reads_them() -> None:
    source = (
        "{{ d.name }}|{{ d.items is callable }}|{{ d.get('name') }}|{{ d.missing is defined }}"
        "|{{ d.nested.k }}|{{ (d.nested.items() | list)[0][0] }}|{{ o.real }}"
    )

    class Obj:
        real = "attribute"

    context = {"d": {"name": "<b>", "items": "a key", "nested": {"k": 1}}, "o": Obj()}
    plain = Environment(autoescape=True, undefined=StrictUndefined).from_string(source)
    fast = templates_env().from_string(source)
    assert fast.render(**context) == plain.render(**context)
    with pytest.raises(Exception, match="missing"):
        templates_env().from_string("{{ d.missing }}").render(d={})


def rich_store(path: Path) -> Store:
    """Calls, chats and emails with what the pages show: long calls, review flags with both
    readings, flags a second reading removed, results without a moment, unknown agents."""
    store = Store(path)
    lines = ["Hello, this is Sam <b>&", "My bill is wrong.", "Let me check.", "Thanks, bye."]
    items = []
    for k in range(12):
        channel = ("voice", "chat", "email")[k % 3]
        starts = [0.0, 59.5, 3599.9, 3725.25] if k % 2 else [0.0, 12.0, 61.0, 125.5]
        items.append(
            Interaction(
                id=f"x{k:03d}",
                channel=channel,
                source=f"/nowhere/file{k}.{'txt' if channel == 'voice' else 'json'}",
                agent=Agent(f"a{k % 3}", f"Agent {k % 3}", f"team{k % 2}") if k != 11 else None,
                started_at=None if k == 10 else f"2026-0{1 + k % 3}-{1 + k:02d}T10:00:00",
                duration=(3725.25 if k % 2 else 130.0) if k != 9 else None,
                turns=[
                    Turn("agent" if i % 2 == 0 else "customer", t, s, s + 4)
                    for i, (t, s) in enumerate(zip(lines, starts, strict=True))
                ],
                metadata={
                    "metrics": {"first_response": 30.0 + k, "talk_ratio": 0.5},
                    "verification": [
                        {
                            "kind": "expired_offer",
                            "fact": "Spring <offer>",
                            "readings": [
                                {"reading": "first", "text": "said $30", "start": 61.0, "turn": 2},
                                {"reading": "second", "text": "said 13", "model": "base"}
                                | {"beam_size": 5, "supports": False},
                            ],
                        }
                    ]
                    if k % 4 == 0
                    else [],
                },
            )
        )
    store.save_interactions(items)
    store.save_scorecard("card", "h1", "name: card\nsections: []\n")
    quote = Evidence(2, "agent", 3599.9, 3604.0, "Let me check.", asr_confidence=0.41)
    kinds = ["contradiction", "retired_claim", "expired_offer", "denied_offer"]
    kinds += ["missing_disclosure", "missed_key_point", "something_else"]
    pairs = []
    for k, item in enumerate(items):
        crit = [
            CriterionResult(
                f"c{j}",
                "s",
                "phrase.v1",
                ["pass", "fail", "na", Status.REVIEW][(j + k) % 4],  # type: ignore[list-item]
                2.0 * (j % 2),
                2.0,
                0.9,
                [quote] if (j + k) % 3 else [],
                note=f"note {j} <i>" if j % 2 else None,
                details={"was": "fail"} if (j + k) % 4 == 3 else {},
            )
            for j in range(5)
        ]
        ev = Evaluation("card", "h1", 4.0, 10.0, [40.0, 72.5, 91.0][k % 3], k % 5 == 0, False, crit)
        flags = [
            Flag(
                kinds[(k + m) % len(kinds)],
                ["high", "medium"][m],
                "Spring" if m else None,
                "from 1 March" if k % 2 else None,
                f"said <$30> ({m})",
                [quote],
                confidence=0.55,
                status=FlagStatus.REVIEW if m else FlagStatus.OPEN,
                readings=[{"reading": "first", "text": "said 30", "start": 3599.9, "turn": 2}],
            )
            for m in range(2)
        ]
        if k != 7:  # one interaction never scored
            pairs.append((item.id, ev, {}, flags, "c1" if k % 2 else None))
    store.save_evaluations(pairs, engine="qa 0.1.0")
    return store


def tree(out: Path) -> dict[str, str]:
    stamp = re.compile(r"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")
    return {
        str(p.relative_to(out)): stamp.sub("generated -", p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_fast_pages_equal_plain_jinja_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = rich_store(tmp_path / "qa.db")
    build_report(store, tmp_path / "fast", copy_audio=False)

    def plain_env(user_dir: Path | None = None, language: str = "en") -> Environment:
        """Jinja's own environment, reading every template again as it goes."""
        fast = templates_env(user_dir)
        env = Environment(
            loader=fast.loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True
        )
        env.globals.update(build.PAGE_HELPERS)
        i18n.install(env, language)
        return env

    monkeypatch.setattr(build, "templates_env", plain_env)
    build_report(store, tmp_path / "plain", copy_audio=False)
    fast, plain = tree(tmp_path / "fast"), tree(tmp_path / "plain")
    assert len(fast) > 15 and fast.keys() == plain.keys()
    for name in fast:
        assert fast[name] == plain[name], name
    page = fast["t/x003.html"]
    assert "1:02:05" in page and "59:59" in page and "for review" in page and "&lt;b&gt;" in page
