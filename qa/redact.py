"""Masking of card numbers (always) and other personal data (by configuration).

Card numbers are found written ("4111 1111 1111 1111", "4111-1111-…") and
spoken ("four one one one …", as a transcript spells them). Written runs are
Luhn-checked so that order numbers survive; spoken runs of 13 or more digits
are masked whatever their checksum, because recognition errors break it.

Chinese: digits written or spoken as characters (四一一一…, 幺 or 么 for one, mixed with
Arabic digits and separators) are read as digits. A run of 13 to 19 of them with at least one
character digit is a card number spoken (masked always, like an English spoken card); a
mainland resident ID number (18 characters, birth date and check digit valid) is masked with
`national_ids`; mainland, Hong Kong and Taiwan mobile numbers with `phones`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qa.language import ZH_READ_OUT_DIGITS

CARD_MASK = "[CARD]"
EMAIL_MASK = "[EMAIL]"
PHONE_MASK = "[PHONE]"
NATIONAL_ID_MASK = "[ID]"

# Digits with any separators an export or a typist uses between them: spaces (double ones
# too), hyphens, dots, slashes, underscores (file names), up to three in a row.
_SEPARATORS = r"[\s\-./_]{0,3}"
_WRITTEN_CARD = re.compile(rf"(?<![\d])\d(?:{_SEPARATORS}\d){{12,18}}(?![\d])")
_LEADING_DIGITS = re.compile(rf"^\s*\d(?:{_SEPARATORS}\d)*")
_TRAILING_DIGITS = re.compile(rf"\d(?:{_SEPARATORS}\d)*\s*$")
_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_MULTIPLIERS = {"double": 2, "triple": 3}
_TOKEN = r"(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double|triple|\d{1,4})"
_SPOKEN_RUN = re.compile(
    rf"\b{_TOKEN}(?:[\s,.\-]+{_TOKEN})+\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    # Not an ISO date (2026-02-28), which has the shape of a phone number.
    r"(?<![\w-])(?!\d{4}-\d{2}-\d{2}\b)(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d(?:[\s.-]?\d){6,12}(?![\w])"
)
_NATIONAL_ID = re.compile(
    r"\b(?:\d{3}-\d{2}-\d{4}|[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D])\b",
    re.IGNORECASE,
)


# Chinese digits read out one by one (幺 and 么 for one): qa.language's one table, as text.
_ZH_DIGITS = {ch: str(value) for ch, value in ZH_READ_OUT_DIGITS.items()}
_ZH_DIGIT = "[0-9０-９" + "".join(_ZH_DIGITS) + "]"
_ZH_SEP = r"[ \t\u3000\-‐–—·、]{0,2}"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ZH_RUN = re.compile(
    rf"(?<![0-9０-９])(\+{_ZH_SEP})?{_ZH_DIGIT}(?:{_ZH_SEP}{_ZH_DIGIT}){{6,}}(?:{_ZH_SEP}[XxＸｘ])?"
    r"(?![0-9０-９])"
)
_RESIDENT_ID = re.compile(
    r"(?<![0-9])\d{6}(?:18|19|20)\d{2}[01]\d[0-3]\d\d{3}[\dXx](?![0-9A-Za-z])"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_PHONE_SHAPES = re.compile(
    r"^(?:(?:00|\+)?86)?1[3-9]\d{9}$"  # mainland mobile
    r"|^(?:(?:00|\+)?852)?[4-9]\d{7}$|^(?:00|\+)?852[2-9]\d{7}$"  # Hong Kong
    r"|^(?:(?:00|\+)?886)?9\d{8}$|^09\d{8}$"  # Taiwan mobile
    r"|^0\d{2,3}\d{7,8}$"  # a landline with its area code
)


def resident_id_valid(number: str) -> bool:
    """A mainland resident ID number: 17 digits, a valid birth date, and the ISO 7064
    MOD 11-2 check character (0-9 or X)."""
    n = number.upper()
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return False
    import datetime as dt

    try:
        dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(n[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == n[17]


def chinese_digits(run: str) -> str:
    """Digits of a run written or spoken in Chinese: '幺八六 二幺五五' -> '18621155'; a final
    X (a resident ID's check character) is kept."""
    out = []
    for ch in unicodedata.normalize("NFKC", run):
        if ch.isdigit():
            out.append(ch)
        elif ch in _ZH_DIGITS:
            out.append(_ZH_DIGITS[ch])
        elif ch in "Xx":
            out.append("X")
        elif ch == "+":
            out.append("+")
    return "".join(out)


def _mask_chinese_numbers(text: str, policy: RedactionPolicy | None) -> str:
    """Card numbers, resident IDs and phone numbers in Chinese text, in character or Arabic
    digits: each run is read whole and masked by what it is."""
    if not _HAN.search(text):
        return text

    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        digits = chinese_digits(run)
        bare = digits.lstrip("+")
        spoken = any(ch in _ZH_DIGITS for ch in run)
        if resident_id_valid(bare):
            if policy is not None and policy.national_ids:
                return NATIONAL_ID_MASK
            return CARD_MASK if spoken else run  # an ID read out: masked like a spoken card
        number = bare.rstrip("X")
        if 13 <= len(number) <= 19 and (spoken or luhn_valid(number)):
            return CARD_MASK
        if policy is not None and policy.phones and _PHONE_SHAPES.match(digits):
            return PHONE_MASK
        return run

    return _ZH_RUN.sub(repl, text)


def _mask_resident_ids(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        return NATIONAL_ID_MASK if resident_id_valid(m.group(0)) else m.group(0)

    return _RESIDENT_ID.sub(repl, text)


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _mask_written_cards(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return CARD_MASK
        return m.group(0)

    return _WRITTEN_CARD.sub(repl, text)


def spoken_digits(run: str) -> str:
    """Digits spelled by a run such as 'four double one 23' -> '41123'."""
    out: list[str] = []
    repeat = 1
    for token in re.split(r"[\s,.\-]+", run.lower()):
        if not token:
            continue
        if token in _MULTIPLIERS:
            repeat = _MULTIPLIERS[token]
            continue
        digit = _DIGIT_WORDS.get(token, token)
        out.append(digit * repeat)
        repeat = 1
    return "".join(out)


def _mask_spoken_cards(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        if not re.search(r"[a-z]", run, re.IGNORECASE):
            return run  # all digits: the written rule decides
        # No upper bound: a card read out with its expiry or security code is one long run.
        return CARD_MASK if len(spoken_digits(run)) >= 13 else run

    return _SPOKEN_RUN.sub(repl, text)


@dataclass(frozen=True)
class RedactionPolicy:
    """What to mask besides card numbers, which are always masked."""

    emails: bool = False
    phones: bool = False
    national_ids: bool = False


def redact(text: str, policy: RedactionPolicy | None = None) -> str:
    """Mask card numbers, then whatever else the policy asks for."""
    if not text:
        return text
    text = _mask_chinese_numbers(text, policy)
    text = _mask_spoken_cards(_mask_written_cards(text))
    if policy is None:
        return text
    if policy.emails:
        text = _EMAIL.sub(EMAIL_MASK, text)
    if policy.national_ids:
        text = _mask_resident_ids(_NATIONAL_ID.sub(NATIONAL_ID_MASK, text))
    if policy.phones:
        text = _PHONE.sub(PHONE_MASK, text)
    return text


def mask_split_cards(texts: list[str]) -> list[str]:
    """Mask a card number typed across consecutive messages of one speaker.

    "4111 1111" then "1111 1111" are each too short to be a card; together they are one.
    A run that ends one message, the messages that are nothing but digits after it, and the
    run that starts the next are joined; where 13 to 19 digits pass the Luhn check, every
    part is masked. Give the texts of one speaker's consecutive messages, in order.
    """
    out = list(texts)
    for i in range(len(out) - 1):
        tail = _TRAILING_DIGITS.search(out[i])
        if tail is None:
            continue
        digits = re.sub(r"\D", "", tail.group(0))
        parts: list[tuple[int, re.Match[str]]] = [(i, tail)]
        for j in range(i + 1, len(out)):
            head = _LEADING_DIGITS.search(out[j])
            if head is None:
                break
            digits += re.sub(r"\D", "", head.group(0))
            parts.append((j, head))
            if len(digits) > 19:
                break
            if len(digits) >= 13 and luhn_valid(digits):
                for k, m in reversed(parts):
                    out[k] = out[k][: m.start()] + CARD_MASK + out[k][m.end() :]
                break
            if head.end() < len(out[j].rstrip()):
                break  # the message goes on past its digits: the run ends here
    return out


def is_digit_token(word: str) -> bool:
    """True for a token that can be part of a spoken or written number."""
    token = word.strip(" ,.-").lower()
    if token and all(ch in _ZH_DIGITS or ch.isdigit() for ch in token):
        return True  # 幺八六, 四一一一: digits said in Chinese
    return token.isdigit() or token in _DIGIT_WORDS or token in _MULTIPLIERS
