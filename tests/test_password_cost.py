"""The review app's password hashes: Argon2id at RFC 9106's recommended cost unless qa.yaml
sets another (`review.password_memory_mib`, `review.password_passes`), range-checked; an
unknown user is verified against a hash of the cost the stored ones have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import ReviewConfig
from qa.store import Store
from tests.conftest import needs

pytestmark = needs("argon2")
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def no_site_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No $QA_CONFIG and no ./qa.yaml: the defaults are the defaults."""
    monkeypatch.delenv("QA_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


def users(db: Path, *args: str, password: str = PASSWORD) -> Any:
    return CliRunner().invoke(
        cli, ["users", *args, "--password-stdin", "--db", str(db)], input=password + "\n"
    )


def site(folder: Path, text: str) -> str:
    path = folder / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def stored_hash(db: Path, username: str) -> str:
    store = Store(db)
    try:
        row = store.conn.execute(
            "SELECT password_hash FROM users WHERE username = ?", [username]
        ).fetchone()
        return str(row[0])
    finally:
        store.close()


def test_without_a_configuration_hashes_have_the_recommended_cost(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    assert users(db, "add", "ana", "--role", "qa").exit_code == 0
    assert stored_hash(db, "ana").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_the_site_cost_in_qa_yaml_is_used_for_new_and_changed_passwords(tmp_path: Path) -> None:
    from qa.serve.users import authenticate

    db = tmp_path / "qa.db"
    cheap = site(tmp_path, "review:\n  password_memory_mib: 8\n  password_passes: 2\n")
    r = users(db, "add", "ana", "--role", "qa", "--config", cheap)
    assert r.exit_code == 0, r.output
    assert stored_hash(db, "ana").startswith("$argon2id$v=19$m=8192,t=2,p=4$")
    store = Store(db)
    at_cost = ReviewConfig(password_memory_mib=8, password_passes=2)
    assert authenticate(store, "ana", PASSWORD, at_cost) is not None
    assert authenticate(store, "ana", PASSWORD + "!", at_cost) is None
    other = tmp_path / "other"
    other.mkdir()
    changed = site(other, "review:\n  password_memory_mib: 16\n  password_passes: 1\n")
    r = users(db, "passwd", "ana", "--config", changed, password="a new password 1")
    assert r.exit_code == 0, r.output
    assert stored_hash(db, "ana").startswith("$argon2id$v=19$m=16384,t=1,p=4$")
    at_cost = ReviewConfig(password_memory_mib=16, password_passes=1)
    assert authenticate(store, "ana", "a new password 1", at_cost) is not None
    assert authenticate(store, "ana", PASSWORD, at_cost) is None
    store.close()


@pytest.mark.parametrize(
    ("line", "field", "bound"),
    [
        ("password_memory_mib: 0", "password_memory_mib", "greater than or equal to 1"),
        ("password_memory_mib: 5000", "password_memory_mib", "less than or equal to 4096"),
        ("password_passes: 0", "password_passes", "greater than or equal to 1"),
        ("password_passes: 21", "password_passes", "less than or equal to 20"),
    ],
)
def test_a_cost_out_of_range_is_refused_with_file_line_and_bound(
    tmp_path: Path, line: str, field: str, bound: str
) -> None:
    db = tmp_path / "qa.db"
    bad = site(tmp_path, f"review:\n  session_hours: 8\n  {line}\n")
    for args in (["add", "ana", "--role", "qa"], ["passwd", "ana"]):
        r = users(db, *args, "--config", bad)
        assert r.exit_code == 2, r.output
        assert f"site.yaml:3 review → {field}: input should be {bound}" in r.output
    assert not db.exists()  # refused before anything was opened or hashed


def test_an_unknown_user_is_verified_at_the_cost_most_stored_hashes_have(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from argon2 import PasswordHasher, extract_parameters

    from qa.serve.users import authenticate

    db = tmp_path / "qa.db"
    most = site(tmp_path, "review:\n  password_memory_mib: 2\n  password_passes: 2\n")
    for name in ("ana", "bob"):
        assert users(db, "add", name, "--role", "qa", "--config", most).exit_code == 0
    other = tmp_path / "other"
    other.mkdir()
    few = site(other, "review:\n  password_memory_mib: 4\n  password_passes: 1\n")
    assert users(db, "add", "tom", "--role", "trainer", "--config", few).exit_code == 0
    verified: list[tuple[int, int, int]] = []
    real_verify = PasswordHasher.verify

    def spy(self: PasswordHasher, digest: str | bytes, password: str | bytes) -> bool:
        p = extract_parameters(digest if isinstance(digest, str) else digest.decode())
        verified.append((p.memory_cost, p.time_cost, p.parallelism))
        return real_verify(self, digest, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    store = Store(db)
    assert authenticate(store, "nobody", PASSWORD) is None
    assert authenticate(
        store, "tom", PASSWORD, ReviewConfig(password_memory_mib=4, password_passes=1)
    )
    assert authenticate(store, "ana", "wrong password") is None
    store.close()
    assert verified == [(2048, 2, 4), (4096, 1, 4), (2048, 2, 4)]
