"""Quantities in a sentence, after spoken numbers are written as digits: money with its
currency and period, percentages, durations, counts with their unit, rates per unit
("26.4 cent per kWh"), with a range ("3 to 5 working days") or a bound ("up to 10%").

Reference numbers (orders, accounts, policies, phones, postcodes, years, clock times) are
recognised and left out: they are not claims about an offer.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from qa.statements.numbers import digits

PERIODS = {
    "month": "month",
    "months": "month",
    "monthly": "month",
    "mo": "month",
    "year": "year",
    "years": "year",
    "yearly": "year",
    "annually": "year",
    "annum": "year",
    "annual": "year",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
}
DURATION_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}
# ¥ (and the full-width ￥) is the yuan, as the Chinese reader (zh_quantities) has it.
CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "CNY", "￥": "CNY"}
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "quid": "GBP",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
}
# What a count is of, in the words people use, to one canonical unit.
COUNT_UNITS = {
    "gb": "gb",
    "gig": "gb",
    "gigs": "gb",
    "gigabyte": "gb",
    "gigabytes": "gb",
    "mbps": "mbps",
    "meg": "mbps",
    "megs": "mbps",
    "megabit": "mbps",
    "megabits": "mbps",
    "mb": "mbps",
    "minute": "minute",
    "minutes": "minute",
    "text": "text",
    "texts": "text",
    "line": "line",
    "lines": "line",
    "trip": "trip",
    "trips": "trip",
    "claim": "claim",
    "claims": "claim",
    "kwh": "kwh",
    "unit": "unit",
    "units": "unit",
}
RATE_UNITS = {"kwh": "kwh", "unit": "kwh", "kilowatt hour": "kwh", "kilowatt-hour": "kwh"}
# "up to 10%" states a maximum (the figure itself is the claim); "under a fiver" compares.
BOUNDS = (
    ("max", ("up to", "no more than", "at most", "maximum of", "max", "within", "maximum")),
    ("min", ("at least", "minimum of", "starting at", "minimum", "from")),
    ("below", ("under", "less than", "below", "cheaper than")),
    ("above", ("over", "more than", "above")),
)
REFERENCE_WORDS = re.compile(
    r"(?:(?<![\w])(?:order|account|acct|policy|reference|ref|ticket|case|invoice|zip|postcode|post code|"
    r"phone|number|no\.|#|id|house|flat|unit no|apartment|apt|suite|street|st|road|rd|avenue|"
    r"ave|row|lane|meter)|#)\s*(?:number|no\.?|is|:)?\s*$",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    kind: str  # money | percent | duration | count | rate | date
    value: float
    unit: str | None = None  # currency; duration unit; count unit; rate "cent/kwh"
    period: str | None = None  # money or count per month/year/week/day, or "once"
    high: float | None = None  # the top of a range
    bound: str | None = None  # max ("up to"), min ("at least"), below ("under"), above ("over")
    start: int = 0  # character span in the digit-normalised text
    end: int = 0
    text: str = ""
    working: bool = False  # "working days"
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def describe(self) -> str:
        v = f"{self.value:g}" + (f"-{self.high:g}" if self.high is not None else "")
        bound = {"max": "up to ", "min": "at least ", "below": "under ", "above": "over "}.get(
            self.bound or "", ""
        )
        if self.kind == "money":
            per = f" a {self.period}" if self.period and self.period != "once" else ""
            once = " once" if self.period == "once" else ""
            return f"{bound}{self.unit or ''} {v}{per}{once}".replace("  ", " ").strip()
        if self.kind == "percent":
            return f"{bound}{v}%"
        if self.kind == "rate":
            return f"{bound}{v} cent per kWh"
        per = f" a {self.period}" if self.period else ""
        return f"{bound}{v} {self.unit or ''}{per}".strip()


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # text read by zh_quantities
_N = r"\d+(?:\.\d+)?"
_PER = (
    r"(?:\s*(?:a|an|per|/|each|every|for\s+the(?:\s+whole)?|for\s+a|in\s+a|the|over\s+a|"
    r"over\s+the(?:\s+whole)?)\s*|\s+)"
)
_PERIOD_WORD = r"(month|monthly|mo|year|yearly|annually|annum|annual|week|weekly|day|daily)\b"
_ONCE = (
    r"(?:\s*(?:,\s*)?(?:as\s+a\s+)?(?:(?:(?:one|1)[- ](?:off|time))\b|once\b|upfront\b|"
    r"up[- ]front\b|(?:in\s+)?(?:a\s+)?single\s+payment\b))"
)
_RANGE = rf"(?:(?:\s*(?:to|–|or)\s*|-)(?:[$£€¥￥])?({_N}))?"

_GRAND = re.compile(r"\bgrand\b(?!\s*¤)", re.I)
_ANY_CURRENCY = re.compile(rf"(?<![\w.])({_N})\s*(?:grand\s*)?¤")
_BETWEEN = re.compile(rf"\bbetween\s+([$£€¥￥]?{_N})\s+and\s+(?=[$£€¥￥]?\d)", re.I)
_MONEY_SIGN = re.compile(rf"([$£€¥￥])\s?({_N}){_RANGE}(?!\s*%)", re.I)
_MONEY_WORD = re.compile(
    rf"(?<![\w.])({_N}){_RANGE}\s*(dollars?|usd|pounds?|gbp|quid|euros?|eur)\b"
    rf"(?:\s+(?:and\s+)?({_N})\s*(?:cents?|pence|p)\b)?",
    re.I,
)
_CENTS = re.compile(
    rf"(?<![\w.])({_N})\s*(?:cents?|c|pence|p)\b(?:{_PER}(kwh|unit|kilowatt[- ]hour))?", re.I
)
_PERCENT = re.compile(rf"(?<![\w.])({_N}){_RANGE}\s*(?:%|percent\b|per\s*cent\b)", re.I)
_DURATION = re.compile(
    rf"(?<![\w.])({_N}){_RANGE}[\s-]*(working\s+|business\s+|calendar\s+)?(days?|weeks?|months?|years?)\b",
    re.I,
)
_COUNT = re.compile(
    rf"(?<![\w.])({_N}){_RANGE}\s*(gb|gigs?|gigabytes?|mbps|megs?|megabits?|mb|minutes?|texts?|"
    r"lines?|trips?|claims?|kwh)\b",
    re.I,
)
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
MONTHS = {m: i for i, m in enumerate(
    ["", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
) if m}  # fmt: skip
MONTHS["sept"[:3]] = 9
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:[:.]\d|am|pm))", re.I)
_END_OF_MONTH = re.compile(
    rf"\b(?:end of|until|through|till|to|by|before)\s+(?:the\s+end\s+of\s+)?{_MONTH}\b(?!\s+\d)",
    re.I,
)
_BARE = re.compile(rf"(?<![\w.$£€¥￥])({_N})(?![\w.%])", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b", re.I)
_CODE = re.compile(r"\b[A-Za-z]+[-/]?\d[\w-]*|\b\d+[A-Za-z]+\d[\w-]*|\+?\d[\d ]{7,}\d")


def _after_period(text: str, end: int) -> tuple[str | None, int]:
    m = re.match(_PER + _PERIOD_WORD, text[end:], re.I)
    if m:
        return PERIODS[m.group(1).lower()], end + m.end()
    m = re.match(r"\s*(monthly|yearly|annually|daily|weekly)\b", text[end:], re.I)
    if m:
        return PERIODS[m.group(1).lower()], end + m.end()
    m = re.match(_ONCE, text[end:], re.I)
    if m:
        return "once", end + m.end()
    return None, end


def _bound_before(text: str, start: int) -> str | None:
    # Any white space, a tab or a line break too, between the bound word and the figure.
    before = re.sub(r"\s+", " ", text[max(0, start - 20) : start].lower()).rstrip(" $£€¥￥")
    for kind, words in BOUNDS:
        for w in words:
            if re.search(rf"\b{re.escape(w)}$", before):
                return kind
    return None


def _is_reference(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 25) : start]
    return bool(REFERENCE_WORDS.search(before))


def _f(s: str | None) -> float | None:
    return float(s) if s else None


MONTH_END = "month_end"


def month_end(month: int, year: int | None, start: int, end: int, text: str) -> Quantity:
    """The end of a month ("end of February", "2月底") as a date: the last day of the month
    in the year said, else in a common year. February's without a year is marked
    `month_end`, so that a campaign's date is compared with the end of February of its own
    year (the 29th in a leap year)."""
    day = calendar.monthrange(year or 2026, month)[1]
    leap = {MONTH_END: "yes"} if month == 2 and year is None else {}
    return Quantity("date", month * 100 + day, f"{month:02d}-{day:02d}", None, None, None,
                    start, end, text, extra=leap)  # fmt: skip


def extract(text: str) -> tuple[str, list[Quantity]]:
    """The digit-normalised text and every quantity in it, in order of position."""
    if HAN.search(text):  # Chinese: its own reader (Simplified script, Chinese numerals)
        from qa.statements.zh_quantities import extract_zh

        return extract_zh(text)
    # "two grand" is money whose currency went unsaid: "¤", the sign of any currency.
    t = _BETWEEN.sub(r"between \1 to ", digits(_GRAND.sub("grand ¤", text)))
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in [*_CLOCK.finditer(t), *_CODE.finditer(t)]:
        taken.append(m.span())

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(q: Quantity) -> None:
        found.append(q)
        taken.append((q.start, q.end))

    for rx, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        for m in rx.finditer(t):
            if free(*m.span()):
                month = MONTHS[m.group(month_group).lower()[:3]]
                day = int(m.group(day_group))
                add(Quantity("date", month * 100 + day, f"{month:02d}-{day:02d}", None, None,
                             None, m.start(), m.end(), m.group(0)))  # fmt: skip
    for m in _END_OF_MONTH.finditer(t):
        if free(*m.span()):
            add(month_end(MONTHS[m.group(1).lower()[:3]], None, m.start(), m.end(), m.group(0)))
    for m in _MONEY_SIGN.finditer(t):
        if not free(*m.span()):
            continue
        period, end = _after_period(t, m.end())
        unit_m = re.match(rf"{_PER}(kwh|unit|kilowatt[- ]hour)\b", t[m.end() :], re.I)
        if unit_m:
            continue
        add(
            Quantity(
                "money",
                float(m.group(2)),
                CURRENCY_SIGNS[m.group(1)],
                period,
                _f(m.group(3)),
                _bound_before(t, m.start()),
                m.start(),
                end,
                t[m.start() : end],
            )
        )
    for m in _MONEY_WORD.finditer(t):
        if not free(*m.span()):
            continue
        value = float(m.group(1)) + (float(m.group(4)) / 100 if m.group(4) else 0)
        period, end = _after_period(t, m.end())
        add(
            Quantity(
                "money",
                value,
                CURRENCY_WORDS[m.group(3).lower()],
                period,
                _f(m.group(2)),
                _bound_before(t, m.start()),
                m.start(),
                end,
                t[m.start() : end],
            )
        )
    for m in _ANY_CURRENCY.finditer(t):
        if free(*m.span()):
            period, end = _after_period(t, m.end())
            add(Quantity("money", float(m.group(1)), None, period, None,
                         _bound_before(t, m.start()), m.start(), end, t[m.start() : end]))  # fmt: skip
    for m in _CENTS.finditer(t):
        if not free(*m.span()):
            continue
        if m.group(2):
            add(Quantity("rate", float(m.group(1)), "cent/kwh", None, None,
                         _bound_before(t, m.start()), m.start(), m.end(), m.group(0)))  # fmt: skip
            continue
        period, end = _after_period(t, m.end())
        add(Quantity("money", float(m.group(1)) / 100, None, period, None,
                     _bound_before(t, m.start()), m.start(), end, t[m.start() : end]))  # fmt: skip
    for m in _PERCENT.finditer(t):
        if free(*m.span()):
            add(Quantity("percent", float(m.group(1)), None, None, _f(m.group(2)),
                         _bound_before(t, m.start()), m.start(), m.end(), m.group(0)))  # fmt: skip
    for m in _COUNT.finditer(t):
        if not free(*m.span()):
            continue
        unit = COUNT_UNITS[m.group(3).lower()]
        period, end = _after_period(t, m.end())
        add(Quantity("count", float(m.group(1)), unit, period, _f(m.group(2)),
                     _bound_before(t, m.start()), m.start(), end, t[m.start() : end]))  # fmt: skip
    for m in _DURATION.finditer(t):
        if not free(*m.span()):
            continue
        unit = DURATION_UNITS[m.group(4).lower().rstrip("s")]
        period, end = _after_period(t, m.end())
        q = Quantity(
            "duration",
            float(m.group(1)),
            unit,
            period if period != "once" else None,
            _f(m.group(2)),
            _bound_before(t, m.start()),
            m.start(),
            end,
            t[m.start() : end],
            working=bool(m.group(3) and m.group(3).strip().lower() in ("working", "business")),
        )
        add(q)
    for m in _BARE.finditer(t):
        if not free(*m.span()) or _is_reference(t, m.start(), m.end()):
            continue
        value = float(m.group(1))
        period, end = _after_period(t, m.end())
        if 1900 <= value <= 2100 and "." not in m.group(1) and period is None:
            continue  # a year
        if period is not None or ("." in m.group(1) and len(m.group(1).split(".")[1]) == 2):
            # "55 a month", "it's 39.99": money whose currency went unsaid.
            add(Quantity("money", value, None, period, None, _bound_before(t, m.start()),
                         m.start(), end, t[m.start() : end]))  # fmt: skip
    found.sort(key=lambda q: q.start)
    return t, found
