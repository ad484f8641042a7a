from __future__ import annotations

import importlib.util
import json
import math
import os
import struct
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.config import Config, EmailConfig
from qa.store import Store
from tests.text_model import use_real_model

ROOT = Path(__file__).resolve().parent.parent
# trio (selenium's dependency) registers a Hypothesis plugin, loaded when hypothesis is first
# imported; no test here runs trio, and importing it costs 0.25 s of CPU per test process.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")
EXAMPLES = ROOT / "examples"


def installed(module: str) -> bool:
    """Whether an optional package is there, without importing it (torch takes seconds)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


if installed("hypothesis"):
    from hypothesis import settings

    # Timing is not behaviour: a property test must not fail on a loaded machine because one
    # example took longer than Hypothesis's per-example deadline. Speed is measured in bench/.
    settings.register_profile("qa", deadline=None)
    settings.load_profile("qa")


def needs(*modules: str) -> pytest.MarkDecorator:
    """Skip, naming the package, where an optional package is missing."""
    missing = [m for m in modules if not installed(m)]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} (an extra)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """The real text model for the tests marked `models`, a stand-in for the others (see
    tests/text_model.py). Set before the test's fixtures, whatever their scope."""
    use_real_model(item.get_closest_marker("models") is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """With QA_TEST_CPU=FILE, append each test's CPU seconds (setup, call and teardown, the
    test process and the processes it waited for) to FILE: the figure that stays comparable
    when the machine is shared, where --durations gives wall time. Then its wall seconds
    (much wall and little CPU: a test that waits) and its xdist worker (a module's tests
    on two workers build its module-scoped fixtures twice)."""
    out = os.environ.get("QA_TEST_CPU")
    if not out:
        yield
        return
    before = os.times()
    yield
    after = os.times()
    wall = after.elapsed - before.elapsed
    worker = os.environ.get("PYTEST_XDIST_WORKER", "-")
    own = (after.user - before.user) + (after.system - before.system)
    children = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    with open(out, "a", encoding="utf-8") as fh:
        fh.write(
            f"{own + children:.3f}\t{own:.3f}\t{children:.3f}\t{item.nodeid}\t{wall:.3f}\t{worker}\n"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """With QA_TEST_CPU=FILE, one more line per pytest process at its end: the process's
    whole CPU seconds (start-up, collection, every test, and for the xdist controller the
    reports it receives), as `process:WORKER` (`process:main` for the controller or a run
    without xdist). The whole less the tests' lines is what each process spends outside
    the tests."""
    out = os.environ.get("QA_TEST_CPU")
    if not out:
        return
    t = os.times()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    own = t.user + t.system
    children = t.children_user + t.children_system
    with open(out, "a", encoding="utf-8") as fh:
        fh.write(
            f"{own + children:.3f}\t{own:.3f}\t{children:.3f}\tprocess:{worker}\t-\t{worker}\n"
        )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "qa.db")
    yield s
    s.close()


@pytest.fixture
def config() -> Config:
    return Config(email=EmailConfig(agent_domains=["northwind.example"]))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_chat_json(path: Path, agent: str = "a1", text: str = "Hello, how can I help?") -> Path:
    path.write_text(
        json.dumps(
            {
                "agent": agent,
                "messages": [
                    {"from": "customer", "text": "Hi there", "ts": "2026-03-01T10:00:00Z"},
                    {"from": "agent", "text": text, "ts": "2026-03-01T10:00:30Z"},
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def write_tone_wav(path: Path, seconds: float = 1.0, rate: int = 8000, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = bytearray()
        for i in range(int(seconds * rate)):
            sample = int(8000 * math.sin(2 * math.pi * 440 * i / rate))
            frames += struct.pack("<h", sample) * channels
        w.writeframes(bytes(frames))
    return path
