"""Masking of card numbers (always) and other personal data (by configuration).

Card numbers are found written ("4111 1111 1111 1111", "4111-1111-…") and
spoken ("four one one one …", as a transcript spells them). Written runs are
Luhn-checked so that order numbers survive; spoken runs of 13 or more digits
are masked whatever their checksum, because recognition errors break it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    text = _mask_spoken_cards(_mask_written_cards(text))
    if policy is None:
        return text
    if policy.emails:
        text = _EMAIL.sub(EMAIL_MASK, text)
    if policy.national_ids:
        text = _NATIONAL_ID.sub(NATIONAL_ID_MASK, text)
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
    return token.isdigit() or token in _DIGIT_WORDS or token in _MULTIPLIERS
