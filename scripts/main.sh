#!/usr/bin/env bash
# The main job: install (idempotent), then run the Prefect ingestion flow over raw/: every new or changed
# bulletin is extracted to extracted/<doc-id>/ and its records stored in extracted/bulletins.db.
# Exit 0 when every file was ingested, 1 when some failed (the others are stored), 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/bulletins ingest raw "$@"
