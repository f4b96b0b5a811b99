"""API test helpers: a pinned clock, JSON posting, valid report bodies, the Report row count."""

from __future__ import annotations

import json

import pytest

from thidua.reports import selectors
from thidua.reports.models import Report

NOW = "2021-08-10T09:00:00+07:00"  # July is late by 16 days, August not yet due


@pytest.fixture(autouse=True)
def pinned_clock(settings):
    settings.THIDUA_NOW = NOW


@pytest.fixture(autouse=True)
def no_wrong_tokens_counted():
    # wrong API tokens are counted per address in the cache, which outlives a test: each test starts at none
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_results_cache():
    # SQLite reuses primary keys after a test's rollback, so (campaign pk, data_version) can repeat.
    selectors._RESULTS.clear()
    yield
    selectors._RESULTS.clear()


def report_body(**overrides) -> dict:
    body = {
        "new_accounts": 300, "dossiers_online": 40, "resolved_on_time": 39, "due": 40, "dossiers_in_person": 80,
        "has_plan": True, "procedures": ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính"],
        "initiatives": "Hướng dẫn tạo tài khoản tại nhà văn hóa ấp", "note": "",
    }
    body.update(overrides)
    return body


def post_json(client, url: str, data=None, **extra):
    content = data if isinstance(data, str | bytes) else json.dumps(data if data is not None else {})
    return client.post(url, content, content_type="application/json", **extra)


def report_count() -> int:
    return Report.objects.count()


def assert_vietnamese_errors(response, field: str | None, status: int = 422) -> list[str]:
    """The response lists errors for `field`; returns their messages."""
    assert response.status_code == status, response.content
    messages = [e["message"] for e in response.json()["errors"] if e["field"] == field]
    assert messages, response.json()
    return messages
