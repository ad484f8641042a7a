"""Spoken numbers written as digits: the first step of reading a statement.

"four point six percent" -> "4.6 percent", "nineteen ninety-nine a month" -> "19.99 a month",
"a year and a half" -> "18 months", "three to five working days" -> "3 to 5 working days",
"fifty-eight cent" -> "58 cent", "a fiver" -> "5 pounds", "1,440" -> "1440".

Written for English contact-centre speech: prices are said as two groups ("twenty-four
ninety-nine"), decimals with "point", halves with "and a half". Years ("in nineteen
ninety-nine") and spelled-out digits ("oh seven seven") stay as they are. The choice of an own
normaliser over `wetext` / `text2num` is measured in bench/bench_campaigns.py --numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache

UNITS = {
    "zero": 0,
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
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "grand": 1000}
SLANG = {"fiver": "5 pounds", "tenner": "10 pounds", "quid": "pounds", "bucks": "dollars"}
_NOTES = {"fiver": 5, "tenner": 10}
# "two tenners" -> "20 pounds"
_NOTES_COUNT = re.compile(
    rf"\b(\d+|{'|'.join(list(UNITS) + list(TENS))})\s+(fiver|tenner)s\b", re.I
)
# "a quarter of a million" -> 250000, "three quarters of a million" -> 750000
_QUARTER = re.compile(
    r"\b(?:(a|one|three)\s+)?quarters?\s+of\s+an?\s+(million|thousand|grand)\b", re.I
)
_WORD = "|".join([*UNITS, *TENS, *SCALES, "a", "an", "and", "point", "half"])
# Words of one number are joined by spaces, one hyphen ("twenty-four") or a comma; a dash
# between spaces ("ten - twenty", an em dash) separates two numbers.
_RUN = re.compile(rf"\b(?:{_WORD})(?:(?:-|,?\s+)(?:{_WORD}))*\b", re.I)
# Digits said one by one, as in a phone number ("oh seven seven"), stay as they are.
_DIGIT_WORD = rf"(?:oh|{'|'.join(w for w, v in UNITS.items() if v < 10)})"
_SPELLED_BEFORE = re.compile(rf"(?:\b{_DIGIT_WORD}\s+)*$", re.I)
_SPELLED_AFTER = re.compile(rf"(?:\s+{_DIGIT_WORD}\b)*", re.I)
_DURATION_WORD = r"(?:days?|weeks?|months?|years?)"
_DIGIT_DECIMALS = re.compile(r"(?<![\d.])(\d+) point (\d+)\b")
_THOUSANDS = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+)(?![\d])")
_HALF = re.compile(
    rf"\b(?:(a|an|one|\d+(?:\.\d+)?)\s+)?({_DURATION_WORD})\s+and\s+a\s+half\b"
    rf"|\b(\d+(?:\.\d+)?|a|an|one)\s+and\s+a\s+half\s+({_DURATION_WORD}|\w+)\b"
    rf"|(?<!and a )\bhalf\s+(?:a|an)\s+({_DURATION_WORD})\b",
    re.I,
)
_TO_MONTHS = {"day": 1 / 30, "week": 7 / 30, "month": 1.0, "year": 12.0}
_DIGIT_SCALE = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s+(hundred|thousand|million|grand)\b", re.I)
_ONE_OFF = re.compile(r"\b[oO](?=ne[ -](?:off|time)\b)|\bO(?=NE[ -](?:OFF|TIME)\b)")
# A year said in two groups after a preposition of time ("back in twenty twenty-five") is a
# year, not a price, unless money follows it ("from nineteen ninety-nine a month").
_YEAR = re.compile(
    r"\b((?:in|since|until|till|by|during|before|after|throughout|of|early|late|mid)\s+)"
    r"(19|20)\.(\d\d)\b(?!\s*(?:a|an|per|each|every|/|dollars?|pounds?|euros?|cents?|percent|"
    r"%|pence|quid|bucks|for)\b)",
    re.I,
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SUFFIX_MULT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(k|m|bn)\b", re.I)


def _parse_group(words: list[str]) -> float | None:
    """A whole number from words: 'three hundred and twenty' -> 320, 'a million' -> 1e6."""
    total, current, seen = 0.0, 0.0, False
    for w in words:
        if w == "and":
            continue
        if w in ("a", "an"):
            current = 1
        elif w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _split_groups(words: list[str]) -> list[tuple[str, list[str]]]:
    """Split a run of number words where a new number starts, with the separator said before
    it: 'twenty four ninety nine' -> [twenty four] [ninety nine]; 'one hundred and twenty'
    stays whole; 'two and three' -> [two] ' and ' [three]."""
    groups: list[tuple[str, list[str]]] = [("", [])]
    prev: str | None = None
    pending_and = False
    comma = False
    for w in words:
        if w == ",":
            comma = True
            continue
        if w == "and":
            if prev in SCALES:
                groups[-1][1].append(w)
            else:
                pending_and = True
            continue
        new = pending_and or comma
        if (
            prev is not None
            and not new
            and w not in SCALES
            and (
                w in TENS
                and (prev in UNITS or prev in TENS)
                or w in UNITS
                and (prev in UNITS or (prev in TENS and UNITS[w] >= 10))
                or w in ("a", "an")
            )
        ):
            new = True
        if new and groups[-1][1]:
            groups.append((", " if comma else " and " if pending_and else " ", [w]))
        else:
            groups[-1][1].append(w)
        pending_and = comma = False
        prev = w
    return [g for g in groups if g[1]]


def _fmt(value: float) -> str:
    return f"{value:.10g}"


def _convert_run(run: str) -> str:
    raw = run
    words = re.findall(r"[a-z]+|,", run.lower())
    # Leading and trailing "a", "an", "and" belong to the text around ("35 a month").
    lead: list[str] = []
    while words and words[0] in ("a", "an", "and") and (len(words) == 1 or words[1] not in SCALES):
        lead.append(words.pop(0))
    tail: list[str] = []
    while words and words[-1] in ("a", "an", "and", "point", "half", ","):
        tail.insert(0, words.pop())
    if not words or words == ["grand"]:
        return raw  # "the grand total", "that's grand": no number without a count before it
    if "point" in words:
        i = words.index("point")
        whole = _parse_group(words[:i]) if words[:i] else 0.0
        digits = words[i + 1 :]
        frac = ""
        rest: list[str] = []
        for j, w in enumerate(digits):
            if w in UNITS and UNITS[w] < 10:
                frac += str(UNITS[w])
            elif w in TENS and not frac:
                # "point seventy-five" -> .75; "point fifty twenty-four" -> .50, then 24
                pair = j + 1 < len(digits) and UNITS.get(digits[j + 1], 10) < 10
                frac = _fmt(TENS[w] + UNITS[digits[j + 1]] if pair else TENS[w])
                rest = digits[j + 2 :] if pair else digits[j + 1 :]
                break
            else:
                rest = digits[j:]
                break
        if whole is None or not frac:
            return raw
        out = f"{_fmt(whole)}.{frac}"
        if rest and rest[0] in SCALES:  # "two point five million"
            out = _fmt(float(out) * SCALES[rest[0]])
            rest = rest[1:]
        if rest:
            converted = _convert_run(" ".join(rest))
            out = f"{out} {converted}"
        return " ".join([*lead, out]) + _trailing(tail)
    groups = _split_groups(words)
    values = [_parse_group(g) for _, g in groups]
    if any(v is None for v in values):
        return raw
    nums = [v for v in values if v is not None]
    # Two groups, the second 10-99: a price said as "twenty-four ninety-nine" (24.99).
    if (
        len(nums) == 2
        and 1 <= nums[0] < 1000
        and 10 <= nums[1] <= 99
        and nums[0] == int(nums[0])
        and groups[1][0] == " "
        and not any(w in SCALES for w in groups[1][1])
    ):
        text = f"{int(nums[0])}.{int(nums[1]):02d}"
    else:
        text = "".join(sep + _fmt(v) for (sep, _), v in zip(groups, nums, strict=True))
    return " ".join([*lead, text]) + _trailing(tail)


def _trailing(tail: list[str]) -> str:
    """The words a run ends with, given back as said: a comma goes next to the figure
    ("twenty five, a month" is "25, a month", not "25 , a month")."""
    return "".join(w if w == "," else " " + w for w in tail)


@lru_cache(maxsize=16384)
def digits(text: str) -> str:
    """The text with every spoken number written in digits (see the module doc)."""
    if _HAN.search(text):  # Chinese numerals: qa.statements.zh_quantities
        from qa.statements.zh_quantities import zh_digits

        return zh_digits(text)
    t = text.replace("\u2013", " to ").replace("\u2014", " - ")
    t = _NOTES_COUNT.sub(lambda m: _notes(m.group(1), m.group(2)), t)
    for word, repl in SLANG.items():
        t = re.sub(rf"\b(?:a\s+)?{word}\b", repl, t, flags=re.I)

    def half(m: re.Match[str]) -> str:
        if m.group(2):  # "a year and a half", "two years and a half"
            n = m.group(1) or "1"
            n_val = 1.0 if n.lower() in ("a", "an", "one") else float(n)
            unit = m.group(2).lower().rstrip("s")
            return _half_duration(n_val + 0.5, unit)
        if m.group(3):  # "one and a half years", "two and a half percent"
            n = m.group(3)
            n_val = 1.0 if n.lower() in ("a", "an", "one") else float(n)
            unit_word = m.group(4)
            unit = unit_word.lower().rstrip("s")
            if unit in _TO_MONTHS:
                return _half_duration(n_val + 0.5, unit)
            return f"{_fmt(n_val + 0.5)} {unit_word}"
        unit = m.group(5).lower().rstrip("s")
        return _half_duration(0.5, unit)

    t = re.sub(
        r"\bhalf an? (million|thousand|grand)\b",
        lambda m: "500000" if m.group(1).lower() == "million" else "500",
        t,
        flags=re.I,
    )
    t = re.sub(
        rf"\b((?:{_WORD})(?:{_WORD}|[\s-])*?)\s+and\s+a\s+half\s+(million|thousand|grand)\b",
        lambda m: _scaled_half(m.group(1), m.group(2)),
        t,
        flags=re.I,
    )
    t = _QUARTER.sub(
        lambda m: _fmt(
            (0.75 if (m.group(1) or "").lower() == "three" else 0.25) * SCALES[m.group(2).lower()]
        ),
        t,
    )
    t = _DIGIT_SCALE.sub(
        lambda m: _fmt(float(m.group(1)) * SCALES[m.group(2).lower()]), t
    )  # "10 million", "2.5 thousand"
    t = _ONE_OFF.sub(lambda m: "\x01" if m.group(0) == "o" else "\x02", t)  # "one-off": no number
    t = _RUN.sub(lambda m: _run_or_spelled(m, t), t)
    t = t.replace("\x01", "o").replace("\x02", "O")
    t = _YEAR.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}", t)
    t = _HALF.sub(half, t)
    t = _DIGIT_DECIMALS.sub(r"\1.\2", t)
    t = _THOUSANDS.sub(lambda m: m.group(1).replace(",", ""), t)
    t = _SUFFIX_MULT.sub(
        lambda m: _fmt(float(m.group(1)) * {"k": 1e3, "m": 1e6, "bn": 1e9}[m.group(2).lower()]),
        t,
    )
    return t


def _run_or_spelled(m: re.Match[str], text: str) -> str:
    """A run of number words in digits, unless it is digits said one by one with 'oh' among
    them ('oh seven seven', 'seven seven oh one'): three or more digits in all."""
    run = m.group(0)
    words = re.findall(r"[a-z]+", run.lower())
    if all(UNITS.get(w, 10) < 10 for w in words):
        before = _SPELLED_BEFORE.search(text[max(0, m.start() - 80) : m.start()])
        after = _SPELLED_AFTER.match(text[m.end() :])
        assert before is not None and after is not None  # both match the empty string
        around = re.findall(r"[a-z]+", f"{before.group(0)} {after.group(0)}".lower())
        if "oh" in around and len(words) + len(around) >= 3:
            return run
    return _convert_run(run)


def _notes(count: str, note: str) -> str:
    """'two tenners' -> '20 pounds'."""
    n = int(count) if count.isdigit() else UNITS.get(count.lower(), TENS.get(count.lower(), 0))
    return f"{n * _NOTES[note.lower()]} pounds"


def _scaled_half(words: str, scale: str) -> str:
    """'two and a half grand' -> 2500, 'one and a half million' -> 1500000."""
    value = _parse_group(re.findall(r"[a-z]+", words.lower()))
    if value is None:
        return f"{words} and a half {scale}"
    return _fmt((value + 0.5) * SCALES[scale.lower()])


def _half_duration(amount: float, unit: str) -> str:
    if unit == "year":
        return f"{_fmt(amount * 12)} months"
    if unit == "month" and amount != int(amount):
        return f"{_fmt(amount * 30)} days"
    if unit == "week" and amount != int(amount):
        return f"{_fmt(amount * 7)} days"
    return f"{_fmt(amount)} {unit}s"
