#!/usr/bin/env bash
# One command for the tests: install, lint, then the whole suite on SQLite and on PostgreSQL
# (browser tests included). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export THIDUA_STRICT_TESTS=1   # a skipped browser or PostgreSQL test fails the run

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi
PG_URL="${THIDUA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/thidua}"

echo "==> ruff"
.venv/bin/ruff check .

echo "==> pytest on SQLite"
env -u DATABASE_URL .venv/bin/python -m pytest -p no:cacheprovider "$@"

echo "==> pytest on PostgreSQL ($PG_URL)"
DATABASE_URL="$PG_URL" THIDUA_EXPECT_DB=postgresql .venv/bin/python -m pytest -p no:cacheprovider -m "not nodb" "$@"
