#!/usr/bin/env bash
# The main job on the demo batch: ingest and score everything in examples/, then export it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QA_DB=${QA_DB:-out/demo.db}
mkdir -p out
.venv/bin/qa score examples --scorecard scorecards/inbound_service.yaml --config examples/qa.yaml
.venv/bin/qa export --format csv --out out/demo.csv
.venv/bin/qa export --format json --out out/demo.json
echo "Database: $QA_DB. Exports: out/demo.csv, out/demo.json. Try: .venv/bin/qa show webchat_0142.txt"
