#!/usr/bin/env bash
# One command for the demo: install, create the embedded SQLite database with Châu Thành A data, serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
THIDUA_SKIP_APT="${THIDUA_SKIP_APT:-1}" bash scripts/setup.sh
exec .venv/bin/thidua demo "$@"
