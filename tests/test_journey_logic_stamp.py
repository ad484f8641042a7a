"""The journeys' inputs digest carries the journey logic's stamp: a store whose journeys were
built by other journey logic (another qa version, another constant of qa.journeys or of the
statement modules it reads) builds them again, as scoring re-scores on a new engine stamp."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.engine import module_constants
from qa.journeys import run
from qa.store import Store


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One empty store, only read, for the digests."""
    store = Store(tmp_path_factory.mktemp("journey-stamp") / "qa.db")
    yield store
    store.close()


MODULES = sorted({*run.journey_logic()["constants"]})


def test_every_journey_module_and_the_statement_modules_are_stamped() -> None:
    assert {"qa.journeys.stories", "qa.journeys.promises", "qa.journeys.dates"} <= {*MODULES}
    assert {*run.JOURNEY_MODULES} <= {*MODULES}


@pytest.mark.parametrize("module", [m for m in MODULES if module_constants(m)])
def test_a_changed_constant_changes_the_digest(
    empty: Store, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    config = Config()
    before = run.inputs_digest(empty, config, [])
    assert run.inputs_digest(empty, config, []) == before  # the same logic: the same digest
    name = sorted(module_constants(module))[0]
    mod = importlib.import_module(module)
    monkeypatch.setattr(mod, name, "another value")
    assert run.inputs_digest(empty, config, []) != before, (module, name)


def test_another_qa_version_changes_the_digest(
    empty: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa

    before = run.inputs_digest(empty, Config(), [])
    monkeypatch.setattr(qa, "__version__", qa.__version__ + ".post1")
    assert run.inputs_digest(empty, Config(), []) != before


def test_journeys_kept_by_older_logic_are_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.journeys import stories

    store = Store(tmp_path / "qa.db")
    config = Config()
    assert run.rebuild(store, config).rebuilt
    assert not run.rebuild(store, config, force=False).rebuilt  # nothing changed: kept
    monkeypatch.setattr(stories, "VERSION_CHARS", stories.VERSION_CHARS + 1)
    assert run.rebuild(store, config, force=False).rebuilt
    assert not run.rebuild(store, config, force=False).rebuilt
