"""The markers that leave tests out of the fast suite: each is registered and documented,
and the README's test command (scripts/test.sh, what CI runs) leaves none out."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT


def markers() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["tool"]["pytest"]["ini_options"]["markers"]
    return dict(m.split(": ", 1) for m in declared)


def test_every_marker_is_documented_and_in_the_fast_suite_command() -> None:
    names = markers()
    assert {"models", "browser", "scale"} <= set(names)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fast = re.search(r'pytest -n 2 -m "([^"]+)"', readme)
    assert fast, "the README gives the fast suite's command"
    assert fast.group(1) == " and ".join(f"not {name}" for name in names)
    for name in names:
        assert f"`{name}`" in readme, f"marker {name} is not described in the README"


def test_ci_runs_every_marker() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    pytest_lines = [line for line in script.splitlines() if "-m pytest" in line]
    assert pytest_lines == ['.venv/bin/python -m pytest -q "$@"'], pytest_lines  # no -m
