"""Quantities with their units, in digits or in words: "$39.99 a month", "twenty percent",
"for six months", "until the end of March", "300 minutes"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "oh": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a": 1,
    "an": 1,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
PERIODS = {
    "month": "month",
    "monthly": "month",
    "mo": "month",
    "year": "year",
    "yearly": "year",
    "annually": "year",
    "annum": "year",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
}
DURATION_UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "euro": "EUR",
    "euros": "EUR",
}
CURRENCY_SIGNS = {"$": "USD", "£": "GBP", "€": "EUR"}


@dataclass(frozen=True)
class Quantity:
    kind: str  # money | percent | duration | date | count
    value: float
    unit: str | None = None  # currency, period unit, count unit, or "MM-DD" for dates
    period: str | None = None  # money per month/year/…
    text: str = ""


_NUMBER_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|and|a|an)"
_WORDS_RUN = re.compile(rf"\b{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*\b", re.I)


def words_to_number(text: str) -> float | None:
    """'thirty-five' -> 35, 'three hundred' -> 300, 'a hundred and twenty' -> 120."""
    total, current, seen = 0, 0, False
    for token in re.split(r"[\s-]+", text.lower()):
        if token == "and" or not token:
            continue
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token in SCALES:
            current = max(current, 1) * SCALES[token]
            if SCALES[token] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _digits_for_words(text: str) -> str:
    """Spell number words as digits so one set of patterns reads both."""

    def repl(m: re.Match[str]) -> str:
        words = m.group(0)
        # "a" and "and" at the edges belong to the text around ("35 a month", "and then").
        core = re.sub(r"^(?:(?:a|an|and)[\s-]+)+|(?:[\s-]+(?:a|an|and))+$", "", words, flags=re.I)
        if core.lower() in {"a", "an", "and", "one", ""} or (
            core.lower().startswith(("a ", "an "))
            and not re.search(r"hundred|thousand", core, re.I)
        ):
            return words  # "a month", "one of": not numbers on their own
        value = words_to_number(core)
        if value is None:
            return words
        return words.replace(core, f"{value:g}", 1)

    text = _WORDS_RUN.sub(repl, text)
    # "35 99" spoken for 35.99 after a currency word: "thirty five ninety nine"
    return text


_NUM = r"(\d+(?:[.,]\d+)?)"
_PERIOD = r"(?:\s*(?:a|an|per|/|each|every)\s*|\s+)(month|monthly|mo|year|yearly|annually|annum|week|weekly|day|daily)\b"
_MONEY_SIGN = re.compile(rf"([$£€])\s?{_NUM}(?:{_PERIOD})?", re.I)
_MONEY_WORD = re.compile(
    rf"\b{_NUM}\s*(dollars?|bucks|pounds?|euros?)(?:\s+(?:and\s+)?{_NUM}\s*cents?)?(?:{_PERIOD})?",
    re.I,
)
_BARE_PER_PERIOD = re.compile(rf"\b{_NUM}(?:\s*(?:a|per|/)\s*)(month|year|week)\b", re.I)
_PERCENT = re.compile(rf"\b{_NUM}\s*(?:%|percent|per cent)", re.I)
_DURATION = re.compile(rf"\b{_NUM}[\s-]*(days?|weeks?|months?|years?)\b", re.I)
_A_DURATION = re.compile(r"\bfor (?:a|one) (day|week|month|year)\b", re.I)
_COUNT = re.compile(rf"\b{_NUM}\s+((?:[a-z]+\s+){{0,2}}[a-z]+)\b", re.I)
_END_OF_MONTH = re.compile(
    r"\b(?:end of|until|through|till|by|before)\s+(?:the\s+end\s+of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b",
    re.I,
)
_MONTH_DAY = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\s+(\d{1,2})(?:st|nd|rd|th)?\b",
    re.I,
)


def _num(s: str) -> float:
    return (
        float(s.replace(",", ""))
        if s.count(",") and len(s.split(",")[-1]) == 3
        else float(s.replace(",", "."))
    )


def extract(text: str, year: int = 2026) -> list[Quantity]:
    """Every quantity in a sentence, with its kind and unit."""
    t = _digits_for_words(text)
    found: list[Quantity] = []
    spans: list[tuple[int, int]] = []

    def take(m: re.Match[str], q: Quantity) -> None:
        found.append(q)
        spans.append(m.span())

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in spans)

    for m in _MONEY_SIGN.finditer(t):
        period = PERIODS.get((m.group(3) or "").lower())
        take(m, Quantity("money", _num(m.group(2)), CURRENCY_SIGNS[m.group(1)], period, m.group(0)))
    for m in _MONEY_WORD.finditer(t):
        if not free(m):
            continue
        value = _num(m.group(1)) + (_num(m.group(3)) / 100 if m.group(3) else 0)
        period = PERIODS.get((m.group(4) or "").lower())
        take(m, Quantity("money", value, CURRENCY_WORDS[m.group(2).lower()], period, m.group(0)))
    for m in _PERCENT.finditer(t):
        take(m, Quantity("percent", _num(m.group(1)), None, None, m.group(0)))
    for m in _BARE_PER_PERIOD.finditer(t):
        if free(m):  # "35 a month": money whose currency went unsaid
            take(
                m,
                Quantity("money", _num(m.group(1)), None, PERIODS[m.group(2).lower()], m.group(0)),
            )
    for m in _DURATION.finditer(t):
        if free(m):
            take(
                m,
                Quantity(
                    "duration",
                    _num(m.group(1)),
                    DURATION_UNITS[m.group(2).lower()],
                    None,
                    m.group(0),
                ),
            )
    for m in _A_DURATION.finditer(t):
        if free(m):
            take(m, Quantity("duration", 1.0, m.group(1).lower(), None, m.group(0)))
    for m in _DAY_MONTH.finditer(t):
        take(m, _date(int(m.group(1)), MONTHS[m.group(2).lower()], m.group(0)))
    for m in _MONTH_DAY.finditer(t):
        if free(m):
            take(m, _date(int(m.group(2)), MONTHS[m.group(1).lower()], m.group(0)))
    for m in _END_OF_MONTH.finditer(t):
        if free(m):
            month = MONTHS[m.group(1).lower()]
            take(m, _date(calendar.monthrange(year, month)[1], month, m.group(0)))
    for m in _COUNT.finditer(t):
        if free(m):
            unit = " ".join(w.rstrip("s") for w in m.group(2).lower().split())
            found.append(Quantity("count", _num(m.group(1)), unit, None, m.group(0)))
    return found


def _date(day: int, month: int, text: str) -> Quantity:
    return Quantity("date", float(month * 100 + day), f"{month:02d}-{day:02d}", None, text)
