"""Every answer carries a Content Security Policy: pages run only the app's own script (app.js), so text a
user typed can never run as script even if a template forgot to escape it; downloads get a policy that
runs nothing at all, should a browser ever show one instead of saving it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings

from tests.web.conftest import figures
from thidua.reports.services import report_submit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/cong-khai/", "/dang-nhap/", "/huong-dan/", "/khong-co-trang-nay/",
                                 "/api/v1/docs", "/api/v1/rankings"])
def test_pages_run_only_the_apps_own_scripts(client, campaign, url):
    policy = _policy(client.get(url))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline script, no eval, no other site
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'" and policy["frame-ancestors"] == "'none'"


def test_the_signed_in_pages_and_error_pages_have_it_too(client_for, personas, campaign):
    client = client_for(personas["reviewer"])
    for url in ("/tham-dinh/", "/xep-hang/", "/tham-dinh/nhac-nop/"):
        assert _policy(client.get(url))["script-src"] == "'self'", url
    client = client_for(personas["commune_reporter"])
    assert client.get("/tham-dinh/").status_code == 403
    assert _policy(client.get("/tham-dinh/"))["script-src"] == "'self'"


def test_an_uploaded_file_is_served_under_a_policy_that_runs_nothing(client_for, personas, campaign):
    bob = personas["other_commune_reporter"]
    pdf = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>\n"
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        report = report_submit(campaign=campaign, unit=bob.unit, month="2021-07", actor=bob, data=figures(),
                               evidence=[SimpleUploadedFile("bien-ban.pdf", pdf)],
                               plan_file=SimpleUploadedFile("ke-hoach.pdf", pdf))
    client = client_for(bob)
    for url in (f"/minh-chung/{report.current.attachments.get().pk}/", f"/ke-hoach/{report.current.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_no_template_has_inline_script_that_the_policy_would_block():
    """Inline <script> bodies and on…= handlers would stop working under script-src 'self'."""
    offending = []
    for path in (ROOT / "thidua").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offending.append(str(path.relative_to(ROOT)))
    assert offending == []


def test_uploaded_files_are_readable_by_the_server_account_only(campaign, personas, settings, tmp_path):
    """Evidence and plan files name people and figures: not readable by the machine's other accounts
    (Django would make them 0644 whatever the umask)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    bob = personas["other_commune_reporter"]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        report = report_submit(campaign=campaign, unit=bob.unit, month="2021-07", actor=bob, data=figures(),
                               evidence=[SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n")],
                               plan_file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n"))
    for stored in (report.current.attachments.get().file, report.current.plan_file):
        path = Path(stored.path)
        assert path.stat().st_mode & 0o777 == 0o600, path
        assert path.parent.stat().st_mode & 0o777 == 0o700, path.parent



def test_a_session_ends_twelve_hours_after_signing_in(db, client, settings):
    """THIDUA_SESSION_HOURS (12), not Django's two weeks; requests do not write the session again (on SQLite
    that would wait on a long portal import's write)."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from thidua.units.models import User

    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60 and not settings.SESSION_SAVE_EVERY_REQUEST
    User.objects.create_user("lanhdao", password="mat-khau-thu-nghiem", role=User.Role.LEADER)
    response = client.post("/dang-nhap/", {"username": "lanhdao", "password": "mat-khau-thu-nghiem"})
    assert response.cookies["sessionid"]["max-age"] == 12 * 60 * 60
    expires = Session.objects.get().expire_date
    assert timezone.now() + timedelta(hours=11, minutes=59) < expires <= timezone.now() + timedelta(hours=12)
    client.get("/huong-dan/")
    assert Session.objects.get().expire_date == expires
