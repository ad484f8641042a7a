#!/usr/bin/env bash
# The main job on the demo batch: ingest, transcribe and score everything in
# examples/ (calls, chats, emails), then write the coaching reports and exports.
set -euo pipefail
cd "$(dirname "$0")/.."
QA_EXTRAS=${QA_EXTRAS:-models} bash scripts/setup.sh  # the lean default install: no torch
export QA_DB=${QA_DB:-out/demo.db}
mkdir -p out
status=0
# Each contact is scored by the cards scorecards/routing.yaml gives its work type: the
# renewal call by the outbound card, the complaint call by the inbound card, the survey
# and the callbacks (examples/transcripts/) by their own. `qa route` says why.
# The English contacts: every folder of examples/ but zh/ (the Chinese centre below has its
# own site configuration, cards and campaigns).
english=(examples/calls examples/chats examples/emails examples/transcripts)
.venv/bin/qa score "${english[@]}" --manifest examples/manifest.csv \
    --routing scorecards/routing.yaml --campaigns scorecards/campaigns \
    --config examples/qa.yaml || status=$?
# Two customer journeys across channels (examples/journeys/, its own manifest): one with two
# stories and a broken promise, one resolved at the first contact.
.venv/bin/qa score examples/journeys --manifest examples/journeys/manifest.csv \
    --routing scorecards/routing.yaml --campaigns scorecards/campaigns \
    --config examples/qa.yaml || status=$?
.venv/bin/qa route "${english[@]}" --manifest examples/manifest.csv \
    --routing scorecards/routing.yaml --config examples/qa.yaml --json > out/routes.json
# The Chinese contacts (examples/zh/: chats in Simplified and Traditional script, an email
# thread, a call): the shipped Chinese service card and campaigns; each call's language is
# detected and a Chinese call goes to multilingual base (voice.model auto).
.venv/bin/qa score examples/zh --scorecard scorecards/bank_service_zh.yaml \
    --campaigns scorecards/campaigns/zh --config examples/zh/qa.yaml || status=$?
# Customer journeys across channels: built at the end of every qa score; the store keeps each
# site's customer roster, so the English roster still links its call by phone though the
# Chinese centre ran last. One page per journey in out/report/j/, linked from the team index
# and the agent pages; the list as JSON.
.venv/bin/qa journeys --json > out/journeys.json
.venv/bin/qa report --out out/report
# The Chinese team's report, its interface in Simplified Chinese (report.language).
.venv/bin/qa report --out out/report-zh --team 恒信信用卡中心 --config examples/zh/qa.yaml
.venv/bin/qa export --format csv --out out/demo.csv
.venv/bin/qa export --format json --out out/demo.json
echo "Reports: out/report/index.html (journeys: out/report/j/; the Chinese team: out/report-zh/index.html). Database: $QA_DB. Exports: out/demo.csv, out/demo.json. Routes: out/routes.json. Journeys: out/journeys.json."
exit $status
