"""Shared test setup: strict mode for CI (no skipped PostgreSQL or browser tests)."""

from __future__ import annotations

import os

import pytest

STRICT = os.environ.get("THIDUA_STRICT_TESTS") == "1" or os.environ.get("CI") == "true"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if STRICT and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line(
            "THIDUA_STRICT_TESTS: skipped tests are failures in CI (browser and PostgreSQL must run).", red=True
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if STRICT and reporter is not None and reporter.stats.get("skipped") and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


PURE_DIRS = ("tests/scoring/", "tests/portal/parsing/", "tests/documents/")


def pytest_collection_modifyitems(config, items):
    """Pure-Python suites do not touch a database: marked `nodb`, run once (not again on PostgreSQL).
    Tests marked `postgres` (PostgreSQL's own tools, such as pg_restore) are deselected on SQLite rather
    than passing there without checking anything; the PostgreSQL run, which CI makes, runs them."""
    for item in items:
        path = str(item.path).replace("\\", "/")
        if any(part in path for part in PURE_DIRS):
            item.add_marker(pytest.mark.nodb)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        postgres_only = [item for item in items if item.get_closest_marker("postgres")]
        if postgres_only:
            config.hook.pytest_deselected(items=postgres_only)
            items[:] = [item for item in items if not item.get_closest_marker("postgres")]
