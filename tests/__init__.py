"""The test suite.

The test modules as pytest rewrites them, and qa's own bytecode, are kept in __pycache__
(git-ignored) even where PYTHONDONTWRITEBYTECODE is set: compiling and rewriting every module
anew costs each test process about 9 s of CPU (14 s against 5 s to collect the suite on the
development machine), and the subprocesses that tests start read what was kept. Set here, as
the package is imported before its conftest and before qa.
"""

import sys

sys.dont_write_bytecode = False
