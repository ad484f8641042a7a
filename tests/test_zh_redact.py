"""Redaction in Chinese: card numbers written or spoken in Chinese digits (幺 and 么 for one,
mixed with Arabic digits and separators), mainland resident ID numbers (check digit
validated), and mainland / Hong Kong / Taiwan mobile numbers, in text and end to end through
`qa score`, `qa export` and `qa report`. The numbers are made up here (valid checksums)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.redact import (
    CARD_MASK,
    NATIONAL_ID_MASK,
    PHONE_MASK,
    RedactionPolicy,
    chinese_digits,
    is_digit_token,
    luhn_valid,
    redact,
    resident_id_valid,
)
from tests.conftest import ROOT

ALL = RedactionPolicy(emails=True, phones=True, national_ids=True)
CN = "零幺二三四五六七八九"  # as digits are read out on the mainland
TW = "零么二三四五六七八九"  # and in Taiwan


def luhn_card(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def resident_id(body17: str) -> str:
    return next(body17 + c for c in "0123456789X" if resident_id_valid(body17 + c))


def spoken(number: str, digits: str = CN, group: int = 4) -> str:
    said = "".join(digits[int(d)] if d.isdigit() else d for d in number)
    return " ".join(said[i : i + group] for i in range(0, len(said), group))


CARD = luhn_card("621483001928374")  # 16 digits
CARD19 = luhn_card("622588019283746519"[:18])
ID = resident_id("44030519850712503")
ID_X = next(
    resident_id(f"32058219920315{n:03d}")
    for n in range(1000)
    if resident_id(f"32058219920315{n:03d}").endswith("X")
)


def test_numbers_are_made_up_right() -> None:
    assert len(CARD) == 16 and luhn_valid(CARD)
    assert len(CARD19) == 19 and luhn_valid(CARD19)
    assert resident_id_valid(ID) and resident_id_valid(ID_X) and ID_X.endswith("X")
    assert not resident_id_valid(ID[:-1] + str((int(ID[-1]) + 1) % 10))  # a wrong check digit
    assert not resident_id_valid("44030519851312" + ID[14:])  # month 13


@pytest.mark.parametrize(
    "said",
    [
        spoken(CARD),
        spoken(CARD, TW),
        spoken(CARD).replace(" ", ""),
        spoken(CARD).replace(" ", "-"),
        CARD[:4] + " " + spoken(CARD[4:]),  # Arabic and Chinese digits mixed
        spoken(CARD).replace("幺", "一"),
        spoken(CARD19),
        " ".join(CARD[i : i + 4] for i in range(0, 16, 4)),
    ],
)
def test_card_numbers_in_chinese_are_masked_always(said: str) -> None:
    for text in (f"我的卡号是{said}，麻烦帮我查一下", f"卡號是{said}喔", said):
        out = redact(text)
        assert CARD_MASK in out
        assert not re.search(r"\d{4}", out) and not re.search(f"[{CN}{TW}]{{4}}", out)


def test_a_spoken_card_with_a_wrong_checksum_is_still_masked() -> None:
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert redact(f"卡号{spoken(wrong)}") == f"卡号{CARD_MASK}"  # recognition errors break it
    assert redact(f"订单号{wrong}") == f"订单号{wrong}"  # written, it must pass Luhn


@pytest.mark.parametrize(
    "said",
    [
        ID,
        ID_X,
        ID_X.lower(),
        spoken(ID, group=6),
        spoken(ID_X, group=6),
        spoken(ID_X).replace(" ", ""),
    ],
)
def test_resident_ids_are_masked(said: str) -> None:
    assert redact(f"身份证号码{said}，对吗", ALL) == f"身份证号码{NATIONAL_ID_MASK}，对吗"


def test_resident_ids_spoken_are_masked_even_without_the_policy() -> None:
    assert redact(f"身份证{spoken(ID_X, group=6)}") == f"身份证{CARD_MASK}"


def test_an_eighteen_digit_number_with_a_wrong_check_digit_is_no_id() -> None:
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    if luhn_valid(wrong):  # pragma: no cover - depends on the digits
        wrong = ID[:-2] + "99"
    assert redact(f"编号{wrong}", RedactionPolicy(national_ids=True)) == f"编号{wrong}"


@pytest.mark.parametrize(
    "said",
    [
        "139-0271-4826",
        "13902714826",
        "+86 139 0271 4826",
        spoken("18702153390", group=4),  # 幺八七零 …
        "9286 3105",  # Hong Kong
        "+852 9286 3105",
        spoken("62873105"),
        "0928-713-552",  # Taiwan
        spoken("0928713552", TW, 3),
        "+886 928 713 552",
    ],
)
def test_mobile_numbers_are_masked_with_phones(said: str) -> None:
    text = f"手机号码是{said}，谢谢"
    assert redact(text, ALL) == f"手机号码是{PHONE_MASK}，谢谢"
    assert redact(text) == text  # phones only by configuration


@pytest.mark.parametrize(
    "text",
    [
        "卡号尾号0128，后四位2046，末三碼 246",
        "首年保费两千一百八十元，分十二期",
        "保单号20260512",
        "一一确认过了，我们统一处理",
        "订单 A2026-0512-7788 已经寄出",
    ],
)
def test_partial_identifiers_and_amounts_are_kept(text: str) -> None:
    assert redact(text, ALL) == text


def test_chinese_digit_tokens_are_digit_tokens() -> None:
    assert is_digit_token("幺八六") and is_digit_token("四一一一") and is_digit_token("5678")
    assert not is_digit_token("一样") and not is_digit_token("卡号")
    assert chinese_digits("幺八六 二幺五五-X") == "1862155X"


# --- end to end: nothing of them in the database, exports or reports ----------------------

FORMS = {
    "card_spoken": spoken(CARD),
    "card_taiwan": spoken(CARD, TW),
    "card_written": " ".join(CARD[i : i + 4] for i in range(0, 16, 4)),
    "card_mixed": CARD[:8] + " " + spoken(CARD[8:]),
    "id": ID,
    "id_spoken": spoken(ID_X, group=6),
}


def leak_patterns() -> list[re.Pattern[str]]:
    """Each secret as digits with any separators, in Arabic or Chinese digits."""
    out = []
    for number in (CARD, ID, ID_X):
        parts = []
        for d in number:
            chars = d if not d.isdigit() else d + CN[int(d)] + TW[int(d)] + "一"[: d == "1"]
            parts.append(f"[{chars}{chars.lower()}]")
        out.append(re.compile(r"\D{0,3}".join(parts[:12])))  # 12 in a row is enough to leak
    return out


def chinese_inputs(folder: Path) -> None:
    for n, (name, said) in enumerate(FORMS.items()):
        messages = [
            {
                "from": "agent",
                "text": "您好，这里是鸿远银行信用卡中心，我是客服小王。",
                "ts": 1790000000 + n,
            },
            {"from": "customer", "text": f"我要查账单，号码是{said}。", "ts": 1790000010 + n},
            {"from": "agent", "text": f"好的，您说的是{said}对吗？", "ts": 1790000020 + n},
        ]
        (folder / f"zh_{name}.json").write_text(
            json.dumps(
                {
                    "id": f"zh-{name}",
                    "agent": "hy.wang",
                    "metadata": {"备注": f"客户号码{said}"},
                    "messages": messages,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    (folder / "zh_call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Agent>您好，鸿远银行。\n\n"
        f"00:00:04.000 --> 00:00:09.000\n<v Customer>卡号是{FORMS['card_spoken']}\n\n"
        f"00:00:10.000 --> 00:00:14.000\n<v Customer>身份证是{FORMS['id_spoken']}\n",
        encoding="utf-8",
    )
    body = f"您好，我的卡号{FORMS['card_taiwan']}，身份证{ID}，请帮我处理分期。".encode("gbk")
    import base64

    (folder / "zh_mail.eml").write_bytes(
        b"From: =?GBK?B?" + base64.b64encode("客户".encode("gbk")) + b"?= <kehu@mail.example>\n"
        b"To: care@hongyuan.example\nSubject: =?GBK?B?"
        + base64.b64encode(f"账单分期 {CARD}".encode("gbk"))
        + b"?=\nMessage-ID: <zh1@mail.example>\nDate: Tue, 10 Nov 2026 10:00:00 +0800\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=GBK\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.b64encode(body) + b"\n"
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zhpii")
    inputs = root / "in"
    inputs.mkdir()
    chinese_inputs(inputs)
    config = root / "qa.yaml"
    config.write_text(
        "redact: {phones: true, national_ids: true}\nemail: {agent_domains: [hongyuan.example]}\n"
    )
    db = root / "qa.db"
    runner = CliRunner()
    card = ROOT / "scorecards" / "chat_email_support.yaml"
    result = runner.invoke(
        cli,
        [
            "score",
            str(inputs),
            "--scorecard",
            str(card),
            "--db",
            str(db),
            "--config",
            str(config),
            "--campaigns",
            str(ROOT / "scorecards" / "campaigns" / "zh"),
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    out = root / "out"
    out.mkdir()
    for fmt in ("json", "csv"):
        r = runner.invoke(
            cli, ["export", "--db", str(db), "--format", fmt, "--out", str(out / f"x.{fmt}")]
        )
        assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["report", "--db", str(db), "--out", str(out / "report")])
    assert r.exit_code == 0, r.output
    return root


def readable(path: Path) -> str:
    """A file's text as a reader would see it: UTF-8, JSON escapes and HTML entities undone."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text + html.unescape(text)


def test_no_chinese_card_or_id_in_any_file_qa_wrote(written: Path) -> None:
    files = [p for p in written.rglob("*") if p.is_file() and p.parent.name != "in"]
    files = [p for p in files if p.name != "qa.yaml"]
    assert {"qa.db", "x.json", "x.csv", "index.html"} <= {p.name for p in files}
    leaks = [
        f"{p.relative_to(written)}: {rx.pattern[:40]}"
        for p in files
        for rx in leak_patterns()
        if rx.search(readable(p))
    ]
    assert leaks == []


def test_the_contacts_were_stored_with_masks(written: Path) -> None:
    data = json.loads((written / "out" / "x.json").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert CARD_MASK in text and NATIONAL_ID_MASK in text
    assert "鸿远银行" in text  # the Chinese text itself survives
