"""The store imports sqlite_utils without pandas (half a second of CPU in every qa process),
and pandas stays importable for whoever needs it afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, needs

PROBE = """
import sys
from qa.store import Store
print("pandas after the store:", "pandas" in sys.modules)
store = Store(sys.argv[1])
store.conn.execute("INSERT INTO runs (id, started_at) VALUES ('r1', '2026-01-01')")
print("runs:", store.conn.execute("SELECT count(*) FROM runs").fetchone()[0])
import pandas
print("pandas imports:", pandas.Timestamp("2026-01-01").year)
"""


@needs("pandas")
def test_the_store_does_not_import_pandas_and_pandas_still_imports(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "qa.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "pandas after the store: False",
        "runs: 1",
        "pandas imports: 2026",
    ]
