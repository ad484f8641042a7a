from __future__ import annotations

from pathlib import Path

import pytest

from qa.errors import InputError
from qa.ingest.email import (
    build_thread,
    group_threads,
    html_to_text,
    parse_message,
    read_mail_file,
    strip_reply,
)
from tests.conftest import EXAMPLES


def test_example_thread_is_rebuilt_across_files() -> None:
    mails = []
    for name in ("billing-3.eml", "billing-1.eml", "billing-2.eml"):  # out of order on purpose
        mails += read_mail_file(EXAMPLES / "emails" / name, name)
    [thread] = group_threads(mails)
    item = build_thread(thread, ["northwind.example"], [])
    assert [t.role for t in item.turns] == ["customer", "agent", "customer"]
    assert item.agent is not None and item.agent.id == "j.okafor@northwind.example"
    assert item.turns[1].start == 2 * 3600 + 27 * 60


def test_html_only_mail_becomes_text_and_attachments_are_listed() -> None:
    [mail] = read_mail_file(EXAMPLES / "emails" / "billing-2.eml", "b2")
    assert "<p>" not in mail.body and "refunded one payment today" in mail.body
    assert mail.attachments == [
        {"filename": "refund-448812.pdf", "content_type": "application/pdf", "size": 48}
    ]


def test_quotes_and_signatures_are_stripped_but_original_kept() -> None:
    mails = read_mail_file(EXAMPLES / "emails" / "retention.mbox", "r")
    item = build_thread(group_threads(mails)[0], ["northwind.example"], [])
    reply = item.turns[1]
    assert "how much would it cost" not in reply.text
    assert "Best regards" not in reply.text and "Lin Chen" not in reply.text
    assert reply.original is not None and "> Hi, how much would it cost" in reply.original


def test_strip_reply_keeps_thanks_inside_the_text() -> None:
    body = "Thank you Joy, that was quick.\n\n--\nPriya\n\nOn Mon, Joy wrote:\n> old"
    assert strip_reply(body) == "Thank you Joy, that was quick."
    assert strip_reply("Hello\nThanks,\nSam") == "Hello"


def test_html_to_text_drops_scripts() -> None:
    assert html_to_text("<p>Hi</p><script>alert(1)</script><p>there</p>") == "Hi\n\nthere"


def test_email_without_headers_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no email headers"):
        parse_message(b"Hello, this is just a body.\nNo headers at all.\n", "x.eml")


def test_roles_without_configured_domains_fall_back_to_first_sender() -> None:
    mails = read_mail_file(EXAMPLES / "emails" / "retention.mbox", "r")
    item = build_thread(group_threads(mails)[0], [], [])
    assert [t.role for t in item.turns] == ["customer", "agent"]
    assert "roles" in item.metadata
