"""The score trend chart's geometry: where its axes, ticks, line and points go.

The pages draw it as inline SVG (reports/macros.html, `trend`): no script, no file from
elsewhere, nothing the page's Content-Security-Policy would refuse. This module only places
things in the SVG's own units (one unit a CSS pixel at its natural size); every word on the
chart (title, description, dates) is written by the template in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT = 360, 150  # the SVG's viewBox and natural size
LEFT, RIGHT, TOP, BOTTOM = 42, 14, 10, 26  # room for the score ticks and the two dates
TICKS = (0, 25, 50, 75, 100)  # scores (%) marked on the y axis
DOT = 3  # radius of a point


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    score: float  # the point's average score, 0..100
    day: str  # ISO date: the day, or the Monday of the week
    week: bool  # a week's average (long spans) rather than a day's


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: float  # the plot area's edges
    right: float
    top: float
    bottom: float
    ticks: list[tuple[int, float]]  # (score, y) for each y-axis tick
    dots: list[Dot]
    line: str  # the polyline's points attribute
    weekly: bool
    low: float  # lowest and highest point, for the description
    high: float

    @property
    def first(self) -> Dot:
        return self.dots[0]

    @property
    def last(self) -> Dot:
        return self.dots[-1]


def y_of(score: float) -> float:
    """The y of a score (0..100 %, clamped): 100 at the top of the plot area."""
    share = min(100.0, max(0.0, float(score))) / 100
    return HEIGHT - BOTTOM - share * (HEIGHT - TOP - BOTTOM)


def x_of(share: float) -> float:
    """The x of a point placed at `share` (0..1) of the way from the first to the last."""
    return LEFT + DOT + min(1.0, max(0.0, float(share))) * (WIDTH - LEFT - RIGHT - 2 * DOT)


def trend_chart(points: list[dict[str, Any]]) -> TrendChart | None:
    """The chart of a trend (qa.report.build._trend's points: x 0..1, y score, day, week);
    None below two points, which make no line."""
    if len(points) < 2:
        return None
    dots = [
        Dot(
            x=round(x_of(p["x"]), 1),
            y=round(y_of(p["y"]), 1),
            score=p["y"],
            day=p["day"],
            week=bool(p.get("week")),
        )
        for p in points
    ]
    scores = [d.score for d in dots]
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        ticks=[(t, round(y_of(t), 1)) for t in TICKS],
        dots=dots,
        line=" ".join(f"{d.x:.1f},{d.y:.1f}" for d in dots),
        weekly=dots[0].week,
        low=min(scores),
        high=max(scores),
    )
