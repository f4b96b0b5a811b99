"""Pages work on a phone and offline from a CDN: a viewport meta tag, and only local assets."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.web.conftest import submit

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize(("persona", "name", "args"), [
    (None, "public-leaderboard", []),
    (None, "login", []),
    ("commune_reporter", "unit-dashboard", []),
    ("commune_reporter", "report-list", []),
    ("commune_reporter", "report-submit", ["2021-08"]),
    ("commune_reporter", "report-detail", ["report"]),
    ("reviewer", "review-matrix", []),
    ("reviewer", "rankings", []),
    ("reviewer", "audit-log", []),
    ("admin", "campaign-settings", []),
    ("admin", "campaign-list", []),
])
def test_every_page_has_a_viewport_and_no_external_asset(campaign, personas, client_for, client, persona, name,
                                                         args, settings):
    settings.THIDUA_NOW = "2021-08-20T09:00:00+07:00"  # August's report form is open
    report = submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))
    http = client_for(personas[persona]) if persona else client
    response = http.get(reverse(name, args=[report.pk if a == "report" else a for a in args]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="viewport"' in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert 'src="http' not in html and 'href="http' not in html


def test_the_error_pages_have_a_viewport_too(campaign, client):
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert '<meta name="viewport"' in html


def test_the_external_asset_check_would_catch_a_cdn():
    assert EXTERNAL.search('<script src="https://cdn.example.org/x.js">')
    assert EXTERNAL.search("<link href='//fonts.example.org/css'>")
    assert not EXTERNAL.search('<link href="/static/thidua/app.css">')


def test_the_api_documentation_is_served_without_a_cdn(db, client):
    """Swagger UI comes from the app's own static files (ninja in INSTALLED_APPS), so it opens offline."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "cdn.jsdelivr.net" not in html
    from django.contrib.staticfiles import finders

    assert re.search(r'src="/static/ninja/swagger-ui-bundle[^"]*\.js"', html)
    assert finders.find("ninja/swagger-ui-bundle.js")  # collected with the app's own assets


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_apps_own_icon(client):
    """Pages that name no icon (the admin's, the API docs') make browsers ask for /favicon.ico: it leads to the
    app's own icon, which the app serves (a static file of its own), not to a 404."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("thidua/favicon.svg")
    assert b"<svg" in open(finders.find("thidua/favicon.svg"), "rb").read()
