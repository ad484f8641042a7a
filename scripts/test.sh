#!/usr/bin/env bash
# Sets everything up, then runs the linters, the type checker and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check qa tests bench cli.py
.venv/bin/ruff format --check qa tests bench cli.py
.venv/bin/mypy qa
.venv/bin/python -m pytest -q "$@"
bash scripts/wheel_check.sh
