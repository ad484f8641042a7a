"""No digits of a card number anywhere qa writes: card numbers go into every field of every
input format, then the raw database file, its WAL, both export formats and every report page
are searched for them. Email addresses are masked in ids and speakers when `emails: true`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from tests.conftest import ROOT

CARD = "4111111111111111"
# The card's digits with any separators between them: what a leak looks like in any file.
LEAK = re.compile(rb"4\D{0,3}" + rb"\D{0,3}".join(re.escape(d.encode()) for d in CARD[1:]))
FORMS = {  # how a customer or an export writes the same card
    "spaced": "4111 1111 1111 1111",
    "double": "4111  1111  1111  1111",
    "slashes": "4111/1111/1111/1111",
    "dashes": "4111-1111-1111-1111",
    "dots": "4111.1111.1111.1111",
    "bare": CARD,
}
ADDRESS = "pat.customer@mail.example"


def chat_json(folder: Path) -> None:
    for n, (name, card) in enumerate(FORMS.items()):
        messages = [
            {"from": "agent", "text": f"Hello, this is card desk {card}.", "ts": 1772539200 + n},
            {"from": "customer", "text": f"My card is {card}, thanks", "ts": 1772539210 + n},
            {"from": "customer", "text": "4111 1111", "ts": 1772539220 + n},  # split across
            {"from": "customer", "text": "1111 1111", "ts": 1772539230 + n},  # two messages
        ]
        (folder / f"chat_{name}.json").write_text(
            json.dumps(
                {
                    "id": f"conv-{name}",
                    "agent": {"id": f"agent {card}", "name": f"Name {card}", "team": f"T {card}"},
                    "customer": card,
                    "metadata": {"case_id": card, "note": f"card {card}"},
                    "messages": messages,
                }
            )
        )
    # the file name itself
    (folder / f"{FORMS['dashes']}.json").write_text(
        json.dumps(
            {
                "id": "named",
                "agent": "a.one",
                "messages": [
                    {"from": "customer", "text": "hi", "ts": 1772539200},
                    {"from": "agent", "text": "hello", "ts": 1772539201},
                ],
            }
        )
    )


def chat_csv(folder: Path) -> None:
    rows = ["conversation_id,timestamp,sender,text,agent"]
    for n, card in enumerate(FORMS.values()):
        rows.append(f'csv-{n},2026-03-05T09:00:0{n}Z,customer,"card {card} please",a.{n}')
        rows.append(f'csv-{n},2026-03-05T09:01:0{n}Z,agent,"noted",a.{n}')
    (folder / "export.csv").write_text("\n".join(rows) + "\n")


def emails(folder: Path) -> None:
    for n, card in enumerate(FORMS.values()):
        (folder / f"mail_{n}.eml").write_text(
            f"From: Card {card} <{ADDRESS}>\nTo: care@shop.example\n"
            f"Subject: refund to card {card}\nMessage-ID: <m{n}@mail.example>\n"
            f"Date: Tue, 3 Mar 2026 10:0{n}:00 +0000\n\n"
            f"Please refund {card}.\n"
        )


def transcript(folder: Path) -> None:
    (folder / "call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Agent>Thanks for calling.\n\n"
        f"00:00:04.000 --> 00:00:08.000\n<v Customer>It is {FORMS['spaced']}.\n\n"
        "00:00:09.000 --> 00:00:12.000\n<v Customer>four one one one one one one one one one "
        "one one one one one one\n"
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pii")
    inputs = root / "in"
    inputs.mkdir()
    chat_json(inputs)
    chat_csv(inputs)
    emails(inputs)
    transcript(inputs)
    (inputs / "manifest.csv").write_text(
        f"file,customer_id,case_id\nexport.csv,{FORMS['spaced']},{FORMS['slashes']}\n"
        f"mail_0.eml,{ADDRESS},{FORMS['double']}\n"
    )
    config = root / "qa.yaml"
    config.write_text(
        "redact: {emails: true, phones: true, national_ids: true}\n"
        "email: {agent_domains: [shop.example]}\n"
    )
    db = root / "qa.db"
    card = ROOT / "scorecards" / "chat_email_support.yaml"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["score", str(inputs), "--scorecard", str(card), "--db", str(db), "--config", str(config)],
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


def every_file(root: Path) -> list[Path]:
    return [
        p for p in root.rglob("*") if p.is_file() and p.parent.name != "in" and p.name != "qa.yaml"
    ]


def test_no_card_digits_in_any_file_qa_wrote(written: Path) -> None:
    files = every_file(written)
    names = {p.name for p in files}
    assert {"qa.db", "x.json", "x.csv", "index.html"} <= names
    leaks = [str(p.relative_to(written)) for p in files if LEAK.search(p.read_bytes())]
    assert leaks == []
    pages = [p for p in files if p.suffix == ".html"]
    assert len(pages) > 5


def test_every_interaction_was_read(written: Path) -> None:
    data = json.loads((written / "out" / "x.json").read_text())
    # 6 chats and the named one, 6 csv conversations, 1 thread per email, the call
    assert len(data["interactions"]) == 7 + 6 + 6 + 1


def test_email_addresses_are_masked_in_ids_and_speakers(written: Path) -> None:
    for name in ("x.json", "x.csv"):
        assert ADDRESS not in (written / "out" / name).read_text()
    for page in (written / "out" / "report").rglob("*.html"):
        assert ADDRESS not in page.read_text(), page


def test_a_recording_named_with_a_card_number_is_refused_with_the_reason(tmp_path: Path) -> None:
    from tests.conftest import write_tone_wav

    wav = write_tone_wav(tmp_path / f"{FORMS['dashes']}.wav")
    result = CliRunner().invoke(cli, ["ingest", str(wav), "--db", str(tmp_path / "q.db"), "--json"])
    assert result.exit_code == 1
    reason = json.loads(result.stdout)["failures"][0]
    assert reason["reason"].startswith("the file's name holds a card number: rename the file")
    assert not LEAK.search((tmp_path / "q.db").read_bytes())


@pytest.mark.parametrize(
    "texts, masked",
    [
        (
            ["my card is 4111 1111", "1111 1111", "thanks"],
            ["my card is [CARD]", "[CARD]", "thanks"],
        ),
        (["4111", "1111", "1111", "1111"], ["[CARD]"] * 4),
        (["order 12345", "678 please"], ["order 12345", "678 please"]),
        (["4111 1111 1111", "1112 is it"], ["4111 1111 1111", "1112 is it"]),  # Luhn fails
        (["4111 1111", "and then", "1111 1111"], ["4111 1111", "and then", "1111 1111"]),
    ],
)
def test_a_card_typed_across_messages_is_masked(texts: list[str], masked: list[str]) -> None:
    from qa.redact import mask_split_cards

    assert mask_split_cards(texts) == masked
