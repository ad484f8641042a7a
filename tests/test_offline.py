"""No packet leaves the machine: the voice and text paths run under strace, and no socket
reaches the network (no connection, no DNS lookup)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

NETWORK = re.compile(r"AF_INET6?\b|htons\(53\)|events\.data")


def test_importing_qa_turns_every_telemetry_switch_off() -> None:
    env = {k: v for k, v in os.environ.items() if "TELEMETRY" not in k}
    env["DO_NOT_TRACK"] = "0"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, qa; print([os.environ.get(k) for k in ('ORT_DISABLE_TELEMETRY',"
            " 'HF_HUB_DISABLE_TELEMETRY', 'DO_NOT_TRACK', 'PYANNOTE_METRICS_ENABLED')])",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "['1', '1', '1', '0']"


@pytest.mark.models
@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace (Debian package)")
def test_a_voice_and_text_run_opens_no_network_socket(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(EXAMPLES / "calls" / "l.chen_20260305_1003.flac", inputs)
    shutil.copy(EXAMPLES / "chats" / "chat_upgrade.json", inputs)
    log = tmp_path / "strace.log"
    env = {k: v for k, v in os.environ.items() if "TELEMETRY" not in k and "OFFLINE" not in k}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's qa, wherever pytest runs from
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect,sendto,sendmsg",
            "-o",
            str(log),
            sys.executable,
            "-m",
            "qa",
            "score",
            str(inputs),
            "--scorecard",
            str(ROOT / "scorecards" / "inbound_service.yaml"),
            "--campaigns",
            str(ROOT / "scorecards" / "campaigns"),
            "--db",
            str(tmp_path / "qa.db"),
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "2 scored" in result.stdout, result.stdout
    network = [line for line in log.read_text().splitlines() if NETWORK.search(line)]
    assert network == [], network[:5]
