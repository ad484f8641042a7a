"""No packet leaves the machine: the voice and text paths run under strace, and no socket
reaches the network (no connection, no DNS lookup)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reliability_probes import traced_score


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
    result, network = traced_score(tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "2 scored" in result.stdout, result.stdout
    assert network == [], network[:5]
