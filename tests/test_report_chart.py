"""The score trend chart: inline SVG with a y axis of scores, the first and last dates on
the x axis, and a title and description a screen reader reads, in the page's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from qa.report import chart
from qa.report.build import _trend, templates_env

SVG = "{http://www.w3.org/2000/svg}"
DAILY = _trend([("2026-03-09", 40.0), ("2026-03-10", 90.0), ("2026-03-12", 70.0)])
WEEKLY = _trend([("2026-03-02", 100.0), ("2026-03-20", 20.0), ("2026-04-30", 55.0)])


def test_trend_points_are_what_the_chart_reads() -> None:
    assert [(p["day"], p["week"]) for p in DAILY] == [
        ("2026-03-09", False),
        ("2026-03-10", False),
        ("2026-03-12", False),
    ]
    assert [(p["day"], p["y"]) for p in WEEKLY] == [
        ("2026-03-02", 100.0),
        ("2026-03-16", 20.0),
        ("2026-04-27", 55.0),
    ]


@pytest.mark.parametrize(
    ("score", "y"),
    [(0, chart.HEIGHT - chart.BOTTOM), (100, chart.TOP), (50, None), (-5, "0"), (140, "100")],
)
def test_scores_sit_between_the_axis_ends(score: float, y: Any) -> None:
    if y == "0" or y == "100":
        assert chart.y_of(score) == chart.y_of(int(y))  # clamped to the axis
    elif y is None:
        assert chart.y_of(score) == pytest.approx((chart.y_of(0) + chart.y_of(100)) / 2)
    else:
        assert chart.y_of(score) == y


@pytest.mark.parametrize("points", [[], DAILY[:1]])
def test_fewer_than_two_points_make_no_chart(points: list[dict[str, Any]]) -> None:
    assert chart.trend_chart(points) is None


def render(points: list[dict[str, Any]], language: str) -> ET.Element:
    source = '{% from "macros.html" import trend %}{{ trend(points) }}'
    html = templates_env(language=language).from_string(source).render(points=points)
    return ET.fromstring(html.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def labels(svg: ET.Element, group: str) -> list[ET.Element]:
    [g] = [g for g in svg.iter(f"{SVG}g") if g.get("class") == group]
    return list(g.iter(f"{SVG}text"))


def texts(svg: ET.Element, group: str) -> list[str]:
    return ["".join(t.itertext()) for t in labels(svg, group)]


@pytest.mark.parametrize(
    ("points", "language", "title", "first", "last", "description"),
    [
        (
            DAILY,
            "en",
            "score trend",
            "2026-03-09",
            "2026-03-12",
            "Average score by day, from 2026-03-09 (40%) to 2026-03-12 (70%); lowest 40%,"
            " highest 90%.",
        ),
        (
            WEEKLY,
            "en",
            "score trend",
            "week of 2026-03-02",
            "week of 2026-04-27",
            "Average score by week, from the week of 2026-03-02 (100%) to the week of"
            " 2026-04-27 (55%); lowest 20%, highest 100%.",
        ),
        (
            DAILY,
            "zh-Hans",
            "得分趋势",
            "2026年3月9日",
            "2026年3月12日",
            "按日平均得分：从2026年3月9日（40%）到2026年3月12日（70%）；最低40%，最高90%。",
        ),
        (
            WEEKLY,
            "zh-Hant",
            "得分趨勢",
            "2026年3月2日當週",
            "2026年4月27日當週",
            "按週平均得分：從2026年3月2日當週（100%）到2026年4月27日當週（55%）；"
            "最低20%，最高100%。",
        ),
    ],
    ids=["en-daily", "en-weekly", "zh-Hans-daily", "zh-Hant-weekly"],
)
def test_the_chart_has_axes_labels_and_a_description(
    points: list[dict[str, Any]],
    language: str,
    title: str,
    first: str,
    last: str,
    description: str,
) -> None:
    svg = render(points, language)
    assert svg.get("role") == "img"
    [t] = [e for e in svg if e.tag == f"{SVG}title"]
    [d] = [e for e in svg if e.tag == f"{SVG}desc"]
    assert svg.get("aria-labelledby") == t.get("id") and t.text == title
    assert svg.get("aria-describedby") == d.get("id") and d.text == description
    assert texts(svg, "axis y") == ["0%", "25%", "50%", "75%", "100%"]
    assert texts(svg, "axis x") == [first, last]
    dots = list(svg.iter(f"{SVG}circle"))
    assert len(dots) == len(points)
    # every point inside the plot area, left to right, higher scores higher up
    xs = [float(c.get("cx", "nan")) for c in dots]
    ys = [float(c.get("cy", "nan")) for c in dots]
    assert xs[0] > chart.LEFT and xs == sorted(xs) and xs[-1] < chart.WIDTH - chart.RIGHT
    assert all(chart.TOP <= y <= chart.HEIGHT - chart.BOTTOM for y in ys)
    by_score = [y for _, y in sorted(zip([p["y"] for p in points], ys, strict=True))]
    assert by_score == sorted(by_score, reverse=True)
    # each score tick is level with where that score is drawn
    ticks = [float(t.get("y", "nan")) for t in labels(svg, "axis y")]
    assert ticks == pytest.approx([chart.y_of(s) for s in chart.TICKS])
    # offline and inert: nothing fetched, no script, no inline style the CSP would refuse
    tags = {e.tag.removeprefix(SVG) for e in svg.iter()}
    assert not tags & {"script", "style", "image", "use", "a", "foreignObject"}
    assert not any(k.endswith("href") or k == "style" for e in svg.iter() for k in e.attrib)
