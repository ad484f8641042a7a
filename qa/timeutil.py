"""Timestamps as chat exports, email headers and manifests write them."""

from __future__ import annotations

import datetime as dt
import math
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qa.errors import InputError

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")

# Epoch numbers as exports write them. A number is seconds since 1970; one too large to be
# seconds before the year 5000 is read as milliseconds, then as microseconds. The result must
# fall between 1970 and 2200, else the stamp is refused.
_SECONDS_UP_TO = 95_617_584_000  # 5000-01-01 in seconds
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def from_epoch(value: float | int) -> datetime:
    """A UTC time from epoch seconds, milliseconds or microseconds (the rule above)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"not a timestamp: {value!r}")
    number = abs(value)
    if number <= _SECONDS_UP_TO:
        seconds = float(value)
    elif number <= _SECONDS_UP_TO * 1000:
        seconds = value / 1000
    elif number <= _SECONDS_UP_TO * 1_000_000:
        seconds = value / 1_000_000
    else:
        raise InputError(
            f"not a timestamp: {_short(value)} is too large for epoch seconds, ms or µs"
        )
    stamp = _EARLIEST + dt.timedelta(seconds=seconds) if seconds >= 0 else None
    if stamp is None or not _EARLIEST <= stamp < _LATEST:
        raise InputError(f"not a timestamp: {_short(value)} falls outside 1970-2200")
    return stamp


def _short(value: float | int) -> str:
    if isinstance(value, int) and value.bit_length() > 80:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    return repr(value)


def parse_timestamp(value: object) -> datetime | float:
    """An absolute time (ISO 8601, epoch seconds) or, for 'HH:MM:SS', seconds from the start."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"not a timestamp: {value!r}")
    if isinstance(value, int | float):
        return from_epoch(value)
    text = str(value).strip()
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = clock.groups()
        return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    if _NUMBER.match(text):
        if len(text) > 30:
            raise InputError(f"not a timestamp: a number of {len(text)} digits")
        return from_epoch(float(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(
            f"not a timestamp: {text!r} (use ISO 8601, e.g. 2026-03-01T09:30:00Z)"
        ) from exc
    return parsed


def relative_seconds(stamps: list[datetime | float]) -> tuple[list[float], datetime | None]:
    """Seconds from the first stamp, and the absolute start when the stamps have one."""
    if not stamps:
        return [], None
    if all(isinstance(s, datetime) for s in stamps):
        if len({s.tzinfo is None for s in stamps if isinstance(s, datetime)}) > 1:
            raise InputError("mixes times with and without a UTC offset in one conversation")
        first = min(s for s in stamps if isinstance(s, datetime))
        return [(s - first).total_seconds() for s in stamps if isinstance(s, datetime)], first
    if all(isinstance(s, float | int) for s in stamps):
        base = min(float(s) for s in stamps if not isinstance(s, datetime))
        return [float(s) - base for s in stamps if not isinstance(s, datetime)], None
    raise InputError("mixes clock times (HH:MM:SS) and dates in one conversation")


def iso(stamp: datetime | None) -> str | None:
    """ISO 8601 that keeps the stamp's own offset ('Z' for UTC, none for a local time)."""
    if stamp is None:
        return None
    if stamp.utcoffset() == dt.timedelta(0):
        stamp = stamp.astimezone(UTC)
    return stamp.isoformat(timespec="seconds").replace("+00:00", "Z")


def site_zone(name: str | None) -> ZoneInfo | None:
    """The IANA time zone a site configured (``timezone: America/New_York``); None when unset."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(f"unknown time zone {name!r} (use an IANA name: Europe/Paris)") from exc


def local_date(ts: str | None, site_tz: str | None = None) -> dt.date | None:
    """The contact's own calendar date: what a campaign's window is judged on.

    A stamp with a non-zero offset carries the contact's local time, and its date is read
    as written. A UTC stamp ('Z' or, as RFC 3339 allows, 'z'; '+00:00'; epoch seconds) is an
    instant only: it is moved into the site's time zone when one is configured. A stamp
    without an offset, or a bare date, is already a local time.
    """
    if not ts:
        return None
    text = ts.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        # Python 3.11 reads a final 'Z' as UTC, but not the lower-case 'z' RFC 3339 allows.
        stamp = datetime.fromisoformat(text.upper())
    except ValueError:
        return None
    zone = site_zone(site_tz)
    if zone is not None and stamp.utcoffset() == dt.timedelta(0):
        stamp = stamp.astimezone(zone)
    return stamp.date()


def normalise_date(value: str) -> str:
    """A manifest or file-name date as ISO 8601 ('20260301' -> '2026-03-01')."""
    text = value.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if re.fullmatch(r"\d{8}[T_-]?\d{6}", text):
        digits = re.sub(r"\D", "", text)
        text = (
            f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{digits[12:]}"
        )
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"not a date: {value!r} (use YYYY-MM-DD or ISO 8601)") from exc
    if len(text) == 10:
        return text
    return iso(parsed) or text
