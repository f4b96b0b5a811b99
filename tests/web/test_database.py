"""The suite runs against the database CI asks for: SQLite by default, PostgreSQL with DATABASE_URL."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_runs_on_the_expected_database():
    expected = os.environ.get("THIDUA_EXPECT_DB")
    if expected is None:
        expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
