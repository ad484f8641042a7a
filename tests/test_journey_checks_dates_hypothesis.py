"""Working-day arithmetic of promise due times, as a property."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytest.importorskip("hypothesis")  # the dev extra: skip, naming it, where it is missing

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from qa.journeys.dates import add_working_days, england_and_wales  # noqa: E402


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=1, max_value=30),
)
def test_working_days_land_on_a_working_day_n_working_days_later(start, n):
    end = add_working_days(start, n)
    assert end > start and end.weekday() < 5 and end not in england_and_wales(end.year)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    working = [d for d in between if d.weekday() < 5 and d not in england_and_wales(d.year)]
    assert len(working) == n
