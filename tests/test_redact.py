from __future__ import annotations

from qa.redact import CARD_MASK, RedactionPolicy, luhn_valid, redact, spoken_digits

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def with_check_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_valid(body + d):
            return body + d
    raise AssertionError("unreachable")


def test_luhn_known_numbers() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid("5555555555554444")
    assert not luhn_valid("4111111111111112")


def test_written_card_numbers_are_masked() -> None:
    assert redact("card 4111 1111 1111 1111 ok") == f"card {CARD_MASK} ok"
    assert redact("4111-1111-1111-1111") == CARD_MASK
    assert redact("4111111111111111.") == f"{CARD_MASK}."


def test_numbers_that_fail_luhn_are_kept() -> None:
    assert redact("order 4111 1111 1111 1112") == "order 4111 1111 1111 1112"
    assert redact("account 448812") == "account 448812"


def test_spoken_card_numbers_are_masked() -> None:
    spoken = "it's four one one one one one one one one one one one one one one one"
    assert redact(spoken) == f"it's {CARD_MASK}"
    assert redact("four double one, one one one one, 1111 one one one one") == CARD_MASK
    assert spoken_digits("four double one 23") == "41123"


def test_short_spoken_numbers_are_kept() -> None:
    assert redact("I have two or three questions") == "I have two or three questions"
    assert redact("press one then two") == "press one then two"


def test_optional_pii_only_when_configured() -> None:
    text = "mail me at sam@example.com or call 07700 900123, SSN 123-45-6789"
    assert redact(text) == text
    masked = redact(text, RedactionPolicy(emails=True, phones=True, national_ids=True))
    assert "sam@example.com" not in masked
    assert "07700 900123" not in masked
    assert "123-45-6789" not in masked
