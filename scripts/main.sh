#!/usr/bin/env bash
# The main job: install (idempotent), then extract every bulletin in raw/ and print a short summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
shopt -s nullglob
for f in raw/*; do
  [ -f "$f" ] || continue
  .venv/bin/bulletins extract "$f" || status=1
done
exit $status
