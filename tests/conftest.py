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
    """Pure-Python suites do not touch a database: marked `nodb`, run once (not again on PostgreSQL)."""
    for item in items:
        path = str(item.path).replace("\\", "/")
        if any(part in path for part in PURE_DIRS):
            item.add_marker(pytest.mark.nodb)
