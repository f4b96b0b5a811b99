"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

The browser is the system one (/usr/bin/chromium); nothing is downloaded. A missing browser is a
failure, never a skip: CI runs with THIDUA_STRICT_TESTS=1 and the journeys must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in this thread; the ORM calls made by the tests
# (seeding, looking up a report's id) are plain synchronous code and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("THIDUA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SHOTS = Path("/tmp/thidua-shots")

DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "ThiDua@2021"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
                    "it is missing. Browsers are never downloaded.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def demo(transactional_db, live_server):
    """The Châu Thành A demo, seeded fresh for each journey; scorecard caches start empty."""
    from thidua.demo import seed_demo

    _clear_caches()
    campaign = seed_demo()
    yield campaign
    _clear_caches()


def _clear_caches():
    """In-process caches keyed by campaign id, and the portal's figures keyed by import (in-process and in the
    cache): ids can repeat from one test database flush to the next."""
    from django.core.cache import cache

    from thidua.portal import selectors as portal_selectors
    from thidua.reports import selectors
    from thidua.reports.views import standings

    with selectors._RESULTS_LOCK:
        selectors._RESULTS.clear()
    with standings._PUBLIC_PAGES_LOCK:
        standings._PUBLIC_PAGES.clear()
    with portal_selectors._FIGURES_LOCK:
        portal_selectors._FIGURES.clear()
    cache.clear()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=...) opens a fresh browser context (own cookies) on the live server."""
    contexts = []

    def make(viewport: dict | None = None, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport or DESKTOP, locale="vi-VN",
                                      timezone_id="Asia/Ho_Chi_Minh", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def login():
    """login(page, username) signs in through the real form and waits for the landing page."""

    def sign_in(page, username: str, password: str = DEMO_PASSWORD):
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        assert "/dang-nhap/" not in page.url, f"login failed for {username}"
        return page

    return sign_in


@pytest.fixture(scope="session")
def shots_dir():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
