"""Chinese email bodies in their declared charsets (GBK, GB18030, GB2312 holding GBK
characters, Big5, Big5-HKSCS), headers in RFC 2047 words of those charsets, and a body that
fits neither its declared charset nor UTF-8 recorded as a failure with its reason. The
messages are written here."""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

import pytest

from qa.config import Config
from qa.errors import InputError
from qa.ingest.batch import ingest
from qa.ingest.email import parse_message
from qa.store import Store

SIMPLIFIED = "您好：我的信用卡账单分期想提前还清，请问手续费怎么算？谢谢。"
TRADITIONAL = "您好：許小姐的訂單寄錯了商品，請盡快處理退換貨，謝謝。"  # 許 has a 0x5C byte in Big5
HONG_KONG = "你好，我想取消會員，唔該幫我處理，𨋢口嗰間門市"  # 𨋢 is HKSCS only


def message(
    body: bytes, charset: str, cte: str = "base64", subject: str = "", name: str = ""
) -> bytes:
    encoded = base64.b64encode(body) if cte == "base64" else quopri.encodestring(body)
    subj = subject.encode(charset if charset.lower() != "gb2312" else "gbk")
    head = (
        f"From: =?{charset}?B?{base64.b64encode(name.encode('gb18030' if charset.lower().startswith('gb') else 'big5hkscs')).decode()}?= <kehu@mail.example>\n"
        if name
        else "From: kehu@mail.example\n"
    )
    return (
        head.encode()
        + b"To: care@bank.example\n"
        + b"Subject: =?" + charset.encode() + b"?B?" + base64.b64encode(subj) + b"?=\n"
        + b"Message-ID: <zh@mail.example>\nDate: Tue, 10 Nov 2026 10:00:00 +0800\n"
        + b"MIME-Version: 1.0\nContent-Type: text/plain; charset=" + charset.encode() + b"\n"
        + b"Content-Transfer-Encoding: " + cte.encode() + b"\n\n" + encoded + b"\n"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("charset", "codec", "text", "cte"),
    [
        ("GBK", "gbk", SIMPLIFIED, "base64"),
        ("GB18030", "gb18030", SIMPLIFIED, "quoted-printable"),
        ("gb2312", "gbk", SIMPLIFIED + "镕", "base64"),  # 镕 is GBK, not GB2312
        ("Big5", "big5", TRADITIONAL, "quoted-printable"),
        ("big5", "big5hkscs", HONG_KONG, "base64"),  # declared Big5, written with HKSCS
        ("Big5-HKSCS", "big5hkscs", HONG_KONG, "quoted-printable"),
    ],
)
def test_chinese_bodies_are_read_from_their_declared_charset(
    charset: str, codec: str, text: str, cte: str
) -> None:
    raw = message(
        text.encode(codec), charset, cte, subject="账单分期" if codec.startswith("gb") else "退換貨"
    )
    mail = parse_message(raw, "m.eml")
    assert mail.body.strip() == text
    assert mail.warnings == []
    assert mail.subject == ("账单分期" if codec.startswith("gb") else "退換貨")


def test_gbk_words_in_a_gb2312_subject_and_name() -> None:
    raw = message("正文".encode("gbk"), "gb2312", subject="朱镕基账单", name="王镕")
    mail = parse_message(raw, "m.eml")
    assert mail.subject == "朱镕基账单"
    assert mail.sender_name == "王镕"


def test_a_utf8_body_declared_gbk_is_read_as_utf8_with_a_warning() -> None:
    mail = parse_message(message(SIMPLIFIED.encode("utf-8"), "GBK"), "m.eml")
    assert mail.body.strip() == SIMPLIFIED
    assert mail.warnings == [
        "the declared charset 'gbk' does not fit its bytes: the body was read as utf-8"
    ]


def test_an_undecodable_chinese_body_is_an_input_error_with_its_reason() -> None:
    broken = SIMPLIFIED.encode("gbk")[:10] + b"\x81\x20\xff\xfe" + SIMPLIFIED.encode("gbk")[10:]
    with pytest.raises(InputError, match=r"cannot be decoded as its declared charset 'gbk'.*81 20"):
        parse_message(message(broken, "GBK"), "m.eml")
    big5_broken = TRADITIONAL.encode("big5") + b"\xa1"
    with pytest.raises(InputError, match="declared charset 'big5'"):
        parse_message(message(big5_broken, "Big5"), "m.eml")


def test_the_undecodable_file_is_recorded_as_a_failure(
    tmp_path: Path, config: Config, store: Store
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "good.eml").write_bytes(message(SIMPLIFIED.encode("gbk"), "GBK"))
    broken = TRADITIONAL.encode("big5") + b"\xff\xff"
    (folder / "bad.eml").write_bytes(message(broken, "Big5", "quoted-printable"))
    report = ingest([folder], store, config)
    reasons = {Path(f.source).name: f.reason for f in report.failures}
    assert list(reasons) == ["bad.eml"]
    assert "cannot be decoded as its declared charset 'big5'" in reasons["bad.eml"]
    texts = [r["text"] for r in store.db.query("SELECT text FROM turns")]
    assert any("手续费怎么算" in t for t in texts)


@pytest.mark.parametrize(
    "header",
    [
        "在 2026年11月9日周一 下午3:20，王先生 <w@mail.example> 写道：",
        "於 2026年11月9日 週一 上午9:40，陳小姐 寫道：",
        "------------------ 原始邮件 ------------------",
        "发件人: 客户 <kehu@mail.example>",
        "寄件者：客戶",
    ],
)
def test_chinese_quote_headers_end_the_new_text(header: str) -> None:
    from qa.ingest.email import strip_reply

    body = f"好的，已经帮您登记了。\n\n{header}\n> 我想办理账单分期，截止到12月31日吗？\n"
    assert strip_reply(body) == "好的，已经帮您登记了。"
