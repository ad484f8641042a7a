"""sqlite_utils' `Database`, imported without pandas.

sqlite_utils imports pandas whenever it is installed (the `pyannote` extra brings it), only
to give `pandas.Timestamp` a column type; qa never hands it pandas values. That import costs
about half a second of CPU in every qa process, the pool's and Ray's workers included. So
`pandas` is made unimportable for the moment sqlite_utils is first imported (it then takes
pandas as missing, as on a core install) and importable again right after. Where pandas or
sqlite_utils is already imported, nothing is changed.
"""

from __future__ import annotations

import sys

_hide = "pandas" not in sys.modules and "sqlite_utils" not in sys.modules
if _hide:
    sys.modules["pandas"] = None  # type: ignore[assignment]  # `import pandas` -> ImportError
try:
    from sqlite_utils import Database
finally:
    if _hide and sys.modules.get("pandas", 0) is None:
        del sys.modules["pandas"]

__all__ = ["Database"]
