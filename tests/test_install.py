"""Defaults must be found after a non-editable install, away from the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Builds and installs the package in a subprocess: an integration test, left out of the
# fast suite and run by the README's test command with every marker.
pytestmark = pytest.mark.scale


def _backend_in_venv() -> bool:
    """Whether this interpreter has the build backend pyproject.toml asks for, so the build
    needs no isolated environment fetched from the package index (the dev extra brings it)."""
    try:
        from importlib.metadata import version

        return int(version("setuptools").split(".")[0]) >= 68
    except (ImportError, ValueError):
        return False


def test_installed_package_finds_shipped_scorecards(tmp_path: Path) -> None:
    target = tmp_path / "site"
    offline = ["--no-build-isolation"] if _backend_in_venv() else []
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            *offline,
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    assert (target / "qa" / "shipped_scorecards" / "inbound_service.yaml").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-m", "qa", "scorecard", "validate", "inbound_service"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "shipped_scorecards/inbound_service.yaml: OK" in out.stdout
    # The model registry's data travels as package data, and nothing is missing from the wheel.
    out = subprocess.run(
        [sys.executable, "-m", "qa", "models", "list", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert {m["name"] for m in json.loads(out.stdout)} >= {"tiny.en", "base", "all-MiniLM-L6-v2"}
    installed = {p.relative_to(target).as_posix() for p in (target / "qa").rglob("*.py")}
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "qa").rglob("*.py")}
    assert shipped <= installed, sorted(shipped - installed)
