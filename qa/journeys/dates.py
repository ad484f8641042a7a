"""Dates said in contacts, and due times: what promises and two-story checks both read.

`find_dates` reads calendar dates however they are said ("Thursday 19 March", "the 8th of
April", "Friday the twentieth", "Tuesday 7 April 2026", "20/03") relative to the day they were
said; `due_time` reads a commitment's deadline ("within 5 working days", "tomorrow afternoon",
"today before 6pm", "by Friday", "by the end of April") as an aware datetime in the contact's
own time zone. Working days skip weekends and the bank holidays given (England and Wales by
default).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from qa.statements.numbers import digits

END_OF_DAY = time(23, 59, 59)
AFTERNOON_ENDS = time(18, 0)  # "tomorrow afternoon", "today" with an office-hours sense (0-23 h)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
_MONTH_OF = {m: i + 1 for i, m in enumerate(_MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(_MONTHS)
}
_MONTH_OF["sept"] = 9
_ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip
_ORDINAL_OF = {w: i + 1 for i, w in enumerate(_ORDINALS)}
for _i, _w in enumerate(_ORDINALS[:9]):
    _ORDINAL_OF[f"twenty-{_w}"] = _ORDINAL_OF[f"twenty {_w}"] = 21 + _i
_ORDINAL_OF |= {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_OF, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_ORD_WORD = "|".join(sorted((re.escape(w) for w in _ORDINAL_OF), key=len, reverse=True))
_DAY = rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?|(?P<dayword>{_ORD_WORD})"
_YEAR = r"(?:,?\s+(?P<year>20\d\d))?"
_DATE_FORMS = [
    # [weekday] [the] 19[th] [of] March [2026]
    re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?:{_DAY})\s+(?:of\s+)?{_MONTH}{_YEAR}", re.I),
    # [weekday] March 19[th] [2026]
    re.compile(
        rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?:the\s+)?(?:{_DAY})\b(?!\s*(?:[:.]\d|am|pm)){_YEAR}",
        re.I,
    ),
    # Friday the twentieth / Friday the 20th (no month: the next such day)
    re.compile(rf"\b{_WEEKDAY}\s+the\s+(?:{_DAY})\b", re.I),
    # 20/03[/2026]
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>(?:20)?\d\d))?\b"),
]
_BARE_WEEKDAY = re.compile(rf"\b(?:(?P<next>next|this|on|by|until|before)\s+)?{_WEEKDAY}\b", re.I)


@dataclass(frozen=True)
class DateMention:
    day: date
    start: int  # character span in the text searched
    end: int
    text: str
    weekday_only: bool = False  # "by Friday": a day of the week with no date


def _year_for(month: int, day: int, ref: date) -> int:
    """The year that puts day/month nearest after (or shortly before) the reference day."""
    best = ref.year
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            cand = date(y, month, day)
        except ValueError:
            continue
        if -60 <= (cand - ref).days <= 300:
            best = y
            break
    return best


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def next_weekday(ref: date, weekday: int, allow_today: bool = True) -> date:
    ahead = (weekday - ref.weekday()) % 7
    if ahead == 0 and not allow_today:
        ahead = 7
    return ref + timedelta(days=ahead)


def find_dates(text: str, ref: date, weekdays: bool = False) -> list[DateMention]:
    """Every calendar date in text, resolved against the day it was said.

    With `weekdays`, a bare day of the week ("by Friday") counts too, as the next such day.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for form in _DATE_FORMS:
        for m in form.finditer(text):
            if not free(m.start(), m.end()):
                continue
            day = _resolve(m, ref)
            if day is not None:
                found.append(DateMention(day, m.start(), m.end(), m.group(0)))
                taken.append((m.start(), m.end()))
    if weekdays:
        for m in _BARE_WEEKDAY.finditer(text):
            if not free(m.start(), m.end()):
                continue
            wd = WEEKDAYS.index(m.group("weekday").lower())
            word = (m.group("next") or "").lower()
            day = next_weekday(ref, wd, allow_today=word not in {"next"})
            found.append(DateMention(day, m.start(), m.end(), m.group(0), weekday_only=True))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def _resolve(m: re.Match[str], ref: date) -> date | None:
    g = m.groupdict()
    if g.get("d"):
        month, day = int(g["m"]), int(g["d"])
        if not 1 <= month <= 12:
            return None
        year = int(g["y"]) if g.get("y") else _year_for(month, day, ref)
        return _safe_date(year + (2000 if year < 100 else 0), month, day)
    day = int(g["day"]) if g.get("day") else _ORDINAL_OF[g["dayword"].lower()]
    if g.get("month"):
        month = _MONTH_OF[g["month"].lower().rstrip(".")]
        year = int(g["year"]) if g.get("year") else _year_for(month, day, ref)
        return _safe_date(year, month, day)
    # "Friday the twentieth": the next date with that day number (and that weekday, if any).
    wd = WEEKDAYS.index(g["weekday"].lower()) if g.get("weekday") else None
    y, mo = ref.year, ref.month
    for _ in range(13):
        cand = _safe_date(y, mo, day)
        late_enough = cand is not None and cand >= ref - timedelta(days=7)
        if late_enough and cand is not None and (wd is None or cand.weekday() == wd):
            return cand
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return None


# --- bank holidays and working days -------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _substitute(day: date, taken: set[date]) -> date:
    while day.weekday() >= 5 or day in taken:
        day += timedelta(days=1)
    return day


@cache
def england_and_wales(year: int) -> frozenset[date]:
    """The regular bank holidays of England and Wales (one-off royal ones are configured)."""
    easter = easter_sunday(year)
    days: set[date] = set()
    days.add(_substitute(date(year, 1, 1), days))
    days |= {easter - timedelta(days=2), easter + timedelta(days=1)}
    days.add(next_weekday(date(year, 5, 1), 0))
    days.add(next_weekday(date(year, 5, 25), 0))
    days.add(next_weekday(date(year, 8, 25), 0))
    christmas = _substitute(date(year, 12, 25), days)
    days.add(christmas)
    days.add(_substitute(date(year, 12, 26), days))
    return frozenset(days)


HolidayRule = Callable[[int], Iterable[date]]


def is_working_day(day: date, holidays: HolidayRule = england_and_wales) -> bool:
    return day.weekday() < 5 and day not in set(holidays(day.year))


def add_working_days(start: date, n: int, holidays: HolidayRule = england_and_wales) -> date:
    """The n-th working day after start (start itself not counted)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            n -= 1
    return day


# --- due times ----------------------------------------------------------------------------

_WITHIN = re.compile(
    r"\b(?:within|in the next|in|inside|no later than|takes?|allow)\s+(?:the\s+next\s+)?"
    r"(?:(?:\d+(?:\.\d+)?)\s*(?:-|–|to|or)\s*)?(?P<n>\d+|an?|the|a couple of|a few)\s*"
    r"(?P<working>working\s+|business\s+|calendar\s+)?"
    r"(?P<unit>minutes?|mins?|hours?|days?|weeks?|fortnight)\b",
    re.I,
)
_OFFICE_CLOSE = {"end of day", "end of the day", "close of business", "end of play"}
_COUNT_WORDS = {"a": 1, "an": 1, "the": 1, "a couple of": 2, "a few": 3}
_CLOCK = re.compile(
    r"\b(?:before|by|until|till)\s+(?:(?P<h>\d{1,2})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>am|pm)|"
    r"(?P<noon>midday|noon|lunchtime))\b",
    re.I,
)
_TODAY = re.compile(
    r"\b(?P<what>today|later today|tonight|this (?:afternoon|evening|morning)|end of (?:the )?day|"
    r"close of business|end of play|first thing tomorrow|"
    r"tomorrow(?: (?:morning|afternoon|evening|night))?)\b",
    re.I,
)
_END_OF_MONTH = re.compile(
    rf"\b(?:by|before)\s+(?:the\s+)?end\s+of\s+(?:{_MONTH}|(?P<this>this|the|next) month\b)",
    re.I,
)
_END_OF_WEEK = re.compile(
    r"\b(?:by|before)\s+(?:the\s+)?end\s+of\s+(?P<which>the|this|next)\s+week\b|"
    r"\b(?P<this>this|next) week\b",
    re.I,
)
# "from 13 March", "starting Monday": when something takes effect, not a deadline.
_EFFECTIVE = re.compile(r"\b(?:from|starting|as of|effective|since|after)\s+(?:the\s+)?$", re.I)
_BY_DATE = re.compile(r"\b(?:by|before|until|no later than|on|expected|delivery)\b", re.I)


@dataclass(frozen=True)
class Due:
    at: datetime
    text: str  # the words the due time was read from
    start: int = 0  # their span in the (digit-normalised) text
    end: int = 0


def _at(day: date, t: time, said_at: datetime) -> datetime:
    return datetime.combine(day, t, tzinfo=said_at.tzinfo)


def due_time(
    text: str,
    said_at: datetime,
    holidays: HolidayRule = england_and_wales,
    day_ends: time = END_OF_DAY,
    afternoon_ends: time = AFTERNOON_ENDS,
) -> Due | None:
    """The deadline a commitment names, or None when it names none ("they'll be in touch").

    When a sentence names several ("a reset tonight, the readings by tomorrow"), the latest
    is the one the customer can hold the company to.
    """
    found = _due_candidates(
        digits(text), said_at, holidays, day_ends=day_ends, afternoon_ends=afternoon_ends
    )
    return max(found, key=lambda d: d.at) if found else None


def _due_candidates(
    norm: str, local: datetime, holidays: HolidayRule, day_ends: time, afternoon_ends: time
) -> list[Due]:
    today = local.date()
    found: list[Due] = []
    for m in _WITHIN.finditer(norm):
        word = m["n"].lower()
        n = _COUNT_WORDS[word] if word in _COUNT_WORDS else int(m["n"])
        unit = m["unit"].lower().rstrip("s")
        if unit == "fortnight":
            n, unit = n * 14, "day"
        working = (m["working"] or "").strip().lower() in {"working", "business"}
        if unit in {"minute", "min"}:
            found.append(Due(local + timedelta(minutes=n), m.group(0), m.start(), m.end()))
            continue
        if unit == "hour":
            found.append(Due(local + timedelta(hours=n), m.group(0), m.start(), m.end()))
            continue
        if unit == "week":
            n = n * 7
        day = add_working_days(today, n, holidays) if working else today + timedelta(days=n)
        found.append(Due(_at(day, day_ends, local), m.group(0), m.start(), m.end()))
    for m in _END_OF_MONTH.finditer(norm):
        if m["month"]:
            month = _MONTH_OF[m["month"].lower().rstrip(".")]
        else:
            month = today.month % 12 + 1 if m["this"].lower() == "next" else today.month
        year = today.year + (1 if month < today.month - 1 else 0)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        at = _at(nxt - timedelta(days=1), day_ends, local)
        found.append(Due(at, m.group(0), m.start(), m.end()))
    for m in _END_OF_WEEK.finditer(norm):
        friday = next_weekday(today, 4)
        if (m["which"] or m["this"] or "").lower() == "next":
            friday = next_weekday(friday, 4, allow_today=False)
        found.append(Due(_at(friday, day_ends, local), m.group(0), m.start(), m.end()))
    for d in find_dates(norm, today, weekdays=True):
        if d.day < today or _EFFECTIVE.search(norm[max(0, d.start - 30) : d.start]):
            continue
        before = norm[max(0, d.start - 25) : d.start] + " " + d.text
        if d.weekday_only and not _BY_DATE.search(before):
            continue
        clock = _CLOCK.search(norm, d.end, d.end + 20)
        t = _clock_time(clock) if clock else day_ends
        found.append(Due(_at(d.day, t, local), d.text, d.start, d.end))
    for m in _TODAY.finditer(norm):
        what = m["what"].lower()
        day = today + timedelta(days=1) if what.startswith("tomorrow") else today
        clock = _CLOCK.search(norm)
        if clock:
            t = _clock_time(clock)
        elif what.endswith(("afternoon", "morning")) or what in _OFFICE_CLOSE:
            t = afternoon_ends
        else:
            t = day_ends
        found.append(Due(_at(day, t, local), m.group(0), m.start(), m.end()))
    return found


def _clock_time(m: re.Match[str]) -> time:
    if m["noon"]:
        return time(12, 0)
    hour = int(m["h"]) % 12 + (12 if m["ap"].lower() == "pm" else 0)
    return time(hour, int(m["mi"] or 0))
