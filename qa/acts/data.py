"""Per-language example utterances of dialogue acts, loaded and validated like a scorecard.

Each act lives in ``qa/acts/<lang>/<act>.yaml``::

    act: apologise
    description: The agent says sorry for what went wrong.
    positive: ["I'm so sorry about that", ...]
    negative: ["Sorry, could you repeat that?", ...]

The examples are written for the package; a scorecard may add its own through a
criterion's ``examples:``.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa.errors import ConfigError
from qa.yamlfile import FileErrors, validate_file

ACTS_DIR = Path(__file__).resolve().parent


class ActFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    act: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="The act's name, as criteria use it."
    )
    description: str = Field(min_length=1, description="What the act is, in one sentence.")
    speaker: str | None = Field(None, description="Who usually performs it: agent or customer.")
    related: list[str] = Field(
        default_factory=list,
        description="Acts whose examples may also perform this one (not used as its negatives).",
    )
    positive: list[str] = Field(min_length=3, description="Utterances that perform the act.")
    negative: list[str] = Field(min_length=3, description="Near misses that do not.")

    @field_validator("positive", "negative")
    @classmethod
    def _no_blanks(cls, v: list[str]) -> list[str]:
        if any(not s.strip() for s in v):
            raise ValueError("an example may not be empty")
        return v


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in ACTS_DIR.iterdir() if p.is_dir() and any(p.glob("*.yaml"))))


def files_digest(files: list[Path]) -> str:
    """What the example files hold, byte for byte (names and contents)."""
    h = hashlib.sha256()
    for path in sorted(files):
        data = path.read_bytes()
        h.update(f"{path.name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=8)
def load_acts(lang: str = "en") -> dict[str, ActFile]:
    """Every act of a language, checked: file name and act name agree, no duplicates.

    The shipped heads file carries the examples as they were when it was fitted, with a
    digest of the files' bytes: while the files are unchanged, they are read from there
    instead of parsing every YAML file again (what a scoring process pays at start)."""
    folder = ACTS_DIR / lang
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        raise ConfigError(f"no dialogue-act examples for language {lang!r} (in {folder})")
    from qa.acts.heads import compiled_examples

    compiled = compiled_examples(folder, files_digest(files))
    if compiled is not None:
        return {name: ActFile.model_validate(act) for name, act in compiled.items()}
    return _parse_acts(files)


def _parse_acts(files: list[Path]) -> dict[str, ActFile]:
    acts: dict[str, ActFile] = {}
    problems: list[str] = []
    for path in files:
        try:
            act = validate_file(path, ActFile)
        except FileErrors as exc:
            problems += exc.problems
            continue
        if act.act != path.stem:
            problems.append(f"{path.name}:1 act: {act.act!r} must match the file name")
        clash = set(act.positive) & set(act.negative)
        if clash:
            problems.append(f"{path.name} positive and negative share {sorted(clash)[0]!r}")
        acts[act.act] = act
    if problems:
        raise FileErrors(problems)
    return acts


def known_acts(lang: str = "en") -> list[str]:
    return sorted(load_acts(lang))
