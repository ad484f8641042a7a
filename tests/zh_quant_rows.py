"""What the quantity reader finds in a Chinese text, as rows to compare whole: the pins of
Chinese quantities share it."""

from __future__ import annotations

from qa.statements.quantities import extract
from qa.statements.zh_quantities import zh_digits

Row = tuple[object, ...]


def whole(text: str) -> tuple[str, list[Row]]:
    """The normalised text and every quantity found, each as (kind, value, unit, period,
    high, bound, start, end, text, extra); the numeral cache is cleared first, so that every
    text is read anew."""
    zh_digits.cache_clear()
    t, found = extract(text)
    return t, [
        (q.kind, q.value, q.unit, q.period, q.high, q.bound, q.start, q.end, q.text, q.extra)
        for q in found
    ]
