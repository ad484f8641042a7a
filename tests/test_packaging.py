"""Packaging: the model registry's data, the model cache's place, the message for a pip user."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from qa.errors import ConfigError
from qa.models import registry
from tests.conftest import ROOT


def test_registry_is_read_from_the_top_level_models_folder() -> None:
    assert registry.registry_file() == ROOT / "models" / "registry.yaml"
    assert (ROOT / "models" / "README.md").exists()
    specs, default = registry.load_registry()
    assert default in specs and specs[default].use == "asr"
    for spec in specs.values():
        assert spec.files, f"{spec.name}: no pinned file"
        for name, digest in spec.files.items():
            assert re.fullmatch(r"[0-9a-f]{64}", digest), f"{spec.name}/{name}: {digest!r}"


def test_model_cache_is_the_env_folder_else_the_user_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(registry.MODELS_DIR_ENV, str(tmp_path / "mine"))
    assert registry.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(registry.MODELS_DIR_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = registry.cache_dir()
    if sys.platform.startswith("linux"):
        assert folder == tmp_path / "xdg" / "qa" / "models"
    site = Path(registry.__file__).resolve().parents[2]
    assert ROOT not in folder.parents and site not in folder.parents


def test_every_source_folder_is_a_package() -> None:
    """Packages are discovered by their __init__.py: a folder without one would be left out."""
    for folder in {p.parent for p in (ROOT / "qa").rglob("*.py")}:
        assert (folder / "__init__.py").exists(), folder


def test_a_missing_model_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # import fails as if absent
    with pytest.raises(ConfigError, match=re.escape("pip install 'qa[models]'")):
        registry.import_model_library("faster_whisper")
