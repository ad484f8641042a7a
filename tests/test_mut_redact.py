"""Redaction pinned value by value: the checksum, the card-length bounds, spoken runs in any
case, and the tokens that can belong to a number."""

from __future__ import annotations

import pytest

from qa.redact import (
    CARD_MASK,
    EMAIL_MASK,
    NATIONAL_ID_MASK,
    PHONE_MASK,
    RedactionPolicy,
    is_digit_token,
    luhn_valid,
    redact,
    resident_id_valid,
    spoken_digits,
)

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("79927398713", True),  # the textbook example
        ("79927398710", False),
        ("4012888888881881", True),
        ("4012888888881882", False),
        ("378282246310005", True),  # 15 digits: the doubled positions are odd from the right
        ("378282246310006", False),
        ("0", True),
        ("18", True),  # 1 doubled is 2, plus 8
        ("59", True),  # 5 doubled is 10 -> 1, plus 9
        ("58", False),
    ],
)
def test_luhn_checksum(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


def spoken(number: str) -> str:
    return " ".join(WORDS[int(d)] for d in number)


def test_spoken_run_length_bounds() -> None:
    assert redact(spoken("1" * 12)) == spoken("1" * 12)
    assert redact(spoken("1" * 13)) == CARD_MASK
    assert redact(spoken("1" * 19)) == CARD_MASK
    # A card number read out with its security code in one breath is still a card number.
    assert redact(spoken("4111111111111111" + "1234")) == CARD_MASK
    assert redact(f"ok {spoken('1' * 25)} ok") == f"ok {CARD_MASK} ok"


def test_short_spoken_runs_are_kept() -> None:
    assert redact("extension four five six") == "extension four five six"
    assert redact("one two three four five six seven") == "one two three four five six seven"


def test_spoken_runs_in_capitals_are_masked() -> None:
    shout = spoken("4111111111111111").upper()
    assert redact(f"IT IS {shout} OK") == f"IT IS {CARD_MASK} OK"
    mixed = spoken("4111111111111111").title()
    assert redact(mixed) == CARD_MASK


def test_written_runs_are_left_to_the_written_rule() -> None:
    # All digits, failing Luhn: the spoken rule must not mask it by its length.
    assert redact("ref 1234 5678 9012 3456") == "ref 1234 5678 9012 3456"
    assert redact("4012 8888 8888 1881 then") == f"{CARD_MASK} then"


def test_written_card_lengths() -> None:
    thirteen = "4222222222222"  # a valid 13-digit Visa test number
    assert luhn_valid(thirteen)
    assert redact(f"n {thirteen} n") == f"n {CARD_MASK} n"
    twelve = "123456789007"
    assert luhn_valid(twelve)
    assert redact(f"n {twelve} n") == f"n {twelve} n"


def test_spoken_digits_values() -> None:
    assert spoken_digits(" one two") == "12"
    assert spoken_digits("one,, two") == "12"
    assert spoken_digits("Oh Double Five triple 9 o") == "0559990"
    assert spoken_digits("double") == ""
    assert spoken_digits("12 34") == "1234"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("four", True),
        ("Four,", True),
        ("SIX", True),
        (" oh.", True),
        ("1234", True),
        ("-12-", True),
        ("double", True),
        ("triple", True),
        ("hello", False),
        ("fourth", False),
        ("", False),
        ("12a", False),
    ],
)
def test_is_digit_token(word: str, expected: bool) -> None:
    assert is_digit_token(word) is expected


def test_each_policy_switch_masks_only_its_kind() -> None:
    text = "mail sam@example.com, call 07700 900123, SSN 123-45-6789, NI AB 12 34 56 C"
    # A social security number has a phone number's shape: phones alone mask it as a phone.
    assert redact(text, RedactionPolicy(emails=True)) == (
        f"mail {EMAIL_MASK}, call 07700 900123, SSN 123-45-6789, NI AB 12 34 56 C"
    )
    assert redact(text, RedactionPolicy(phones=True)) == (
        f"mail sam@example.com, call {PHONE_MASK}, SSN {PHONE_MASK}, NI AB 12 34 56 C"
    )
    assert redact(text, RedactionPolicy(national_ids=True)) == (
        f"mail sam@example.com, call 07700 900123, SSN {NATIONAL_ID_MASK}, NI {NATIONAL_ID_MASK}"
    )
    assert redact(text, RedactionPolicy()) == text


def test_empty_text_is_returned_as_is() -> None:
    assert redact("", RedactionPolicy(emails=True)) == ""


def test_a_nineteen_digit_written_card_is_masked() -> None:
    body = "622202020202020202"  # 18 digits; the 19th makes the checksum
    number = next(body + d for d in "0123456789" if luhn_valid(body + d))
    assert redact(f"card {number} ok") == f"card {CARD_MASK} ok"


def _resident_id(first17: str) -> str:
    """A resident ID number with its MOD 11-2 check character (GB 11643), made up here."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


@pytest.mark.parametrize(
    ("born", "valid"),
    [
        ("20001030", True),  # year 2000, month 10, day 30: every digit of the date counts
        ("19991010", True),
        ("19990431", False),  # no 31 April
        ("19990229", False),  # no 29 February in 1999
        ("20000229", True),
    ],
)
def test_resident_id_birth_dates(born: str, valid: bool) -> None:
    assert resident_id_valid(_resident_id(f"110105{born}123")) is valid
