"""Redaction pinned at its edges: digits read in Chinese (the '+' and the check 'X' around a
run, the card-length bounds of a run), resident IDs in text without Chinese, and a card typed
across one speaker's messages (which messages, and 13 to 19 digits)."""

from __future__ import annotations

import pytest

from qa.redact import RedactionPolicy, chinese_digits, mask_split_cards, redact

IDS = RedactionPolicy(national_ids=True)
# A valid resident ID (birth date, MOD 11-2 check digit) that fails the Luhn check, so that
# no card rule masks it.
RESIDENT_ID = "110105199003071239"
SPOKEN = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def said(digits: str) -> str:
    return "".join(SPOKEN.get(d, d) for d in digits)


@pytest.mark.parametrize(
    ("run", "digits"),
    [
        ("一二三x", "123X"),  # a lower-case check character is an X
        ("一二三ｘ", "123X"),  # full width too
        ("一二三X", "123X"),
        ("+八六 幺三八", "+86138"),  # the '+' of a country code is kept
        ("８６-么三", "8613"),
    ],
)
def test_chinese_digits(run: str, digits: str) -> None:
    assert chinese_digits(run) == digits


@pytest.mark.parametrize(
    ("text", "policy", "masked"),
    [
        # A card after a '+': the '+' goes with the run.
        ("卡号+4111111111111111。", None, "卡号[CARD]。"),
        # A resident ID after a '+': read without the '+', masked whole.
        (f"身份证+{RESIDENT_ID}。", IDS, "身份证[ID]。"),
        # An ID written in digits is kept when IDs are not masked; read out, like a card.
        (f"身份证{RESIDENT_ID}。", None, f"身份证{RESIDENT_ID}。"),
        (f"身份证{said(RESIDENT_ID)}。", None, "身份证[CARD]。"),
        # A check 'X' after twelve digits read out is no thirteenth digit.
        (f"号码{said('123456789012')}X。", None, f"号码{said('123456789012')}X。"),
        (f"号码{said('123456789012')}x。", None, f"号码{said('123456789012')}x。"),
        # Thirteen to nineteen digits read out are a card; twelve or twenty are not.
        (f"卡号{said('1234567890123')}。", None, "卡号[CARD]。"),
        (f"卡号{said('1234567890123456789')}。", None, "卡号[CARD]。"),
        (f"卡号{said('1234567890123456789')}X。", None, "卡号[CARD]。"),
        (f"号码{said('123456789012')}。", None, f"号码{said('123456789012')}。"),
        (f"号码{said('12345678901234567890')}。", None, f"号码{said('12345678901234567890')}。"),
    ],
)
def test_runs_in_chinese_text(text: str, policy: RedactionPolicy | None, masked: str) -> None:
    assert redact(text, policy) == masked


@pytest.mark.parametrize(
    ("text", "policy", "masked"),
    [
        (f"ID {RESIDENT_ID} on file", IDS, "ID [ID] on file"),
        (f"ID {RESIDENT_ID[:-1]}X on file", IDS, f"ID {RESIDENT_ID[:-1]}X on file"),  # bad check
        (f"ID {RESIDENT_ID} on file", None, f"ID {RESIDENT_ID} on file"),
    ],
)
def test_resident_ids_without_chinese(
    text: str, policy: RedactionPolicy | None, masked: str
) -> None:
    assert redact(text, policy) == masked


@pytest.mark.parametrize(
    ("texts", "masked"),
    [
        # A message with no digits first, and the card in the last two of three.
        (["hello", "card 4111 1111", "1111 1111"], ["hello", "card [CARD]", "[CARD]"]),
        # Thirteen digits (a 13-digit Visa) and nineteen are a card.
        (["4222 2222", "22222"], ["[CARD]", "[CARD]"]),
        (["my card 4111 1111 1111", "1111 110"], ["my card [CARD]", "[CARD]"]),
        # Twenty digits are none, even when they pass the Luhn check.
        (["ref 1234567890", "1234567894"], ["ref 1234567890", "1234567894"]),
        # A run that grows past nineteen digits ends; the scan goes on after it.
        (
            ["1234567890", "1234567890123", "x", "4111 1111", "1111 1111"],
            ["1234567890", "1234567890123", "x", "[CARD]", "[CARD]"],
        ),
    ],
)
def test_split_cards(texts: list[str], masked: list[str]) -> None:
    assert mask_split_cards(texts) == masked
