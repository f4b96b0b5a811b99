"""Every page and action × every persona: who gets 200, a login redirect, 403, 404 or 405."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.urls import URLPattern, reverse

from tests.web.conftest import figures
from thidua.api.services import api_token_create
from thidua.core.models import AuditEvent
from thidua.portal.models import PendingUpload
from thidua.reports.services import report_submit

PERSONAS = ("anonymous", "commune_reporter", "department_reporter", "reviewer", "leader", "admin", "outsider")
LOGIN = "login"  # 302 to the login page


def row(anonymous, commune, department, reviewer, leader, admin, outsider):
    return dict(zip(PERSONAS, (anonymous, commune, department, reviewer, leader, admin, outsider), strict=True))


STAFF_ONLY = row(LOGIN, 403, 403, 200, 200, 200, 403)
REPORTER_ONLY = row(LOGIN, 200, 200, 403, 403, 403, 403)
REVIEW_ACTION = row(LOGIN, 403, 403, 302, 403, 302, 403)
REVIEW_ACTION_GET = row(LOGIN, 403, 403, 405, 403, 405, 403)
EVERYONE = row(200, 200, 200, 200, 200, 200, 200)
REVIEWER_ONLY = row(LOGIN, 403, 403, 200, 403, 200, 403)
ADMIN_ONLY = row(LOGIN, 403, 403, 403, 403, 200, 403)

# (url name, args, method, POST data, expected per persona). Objects named "report", "attachment" and
# "version" belong to another unit (Thị trấn Một Ngàn) than every reporter persona.
MATRIX = [
    ("home", [], "get", None, row(("to", "public-leaderboard"), ("to", "unit-dashboard"), ("to", "unit-dashboard"),
                                  ("to", "review-matrix"), ("to", "rankings"), ("to", "review-matrix"),
                                  ("to", "public-leaderboard"))),
    ("login", [], "get", None, row(200, *[("to", "home")] * 6)),
    ("logout", [], "post", {}, row(*[("to", "public-leaderboard")] * 7)),
    ("health", [], "get", None, EVERYONE),
    ("favicon", [], "get", None, row(*[302] * 7)),  # to the app's own icon
    ("password-change", [], "get", None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    ("password-change", [], "post", {"old_password": "sai"}, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    ("profile", [], "get", None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    ("profile", [], "post", {"email": "sai"}, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    ("api-tokens", [], "get", None, row(LOGIN, 200, 200, 200, 200, 200, 200)),
    ("api-tokens", [], "post", {"name": ""}, row(LOGIN, 400, 400, 400, 400, 400, 400)),  # no name: the form again
    # bob's token: only an administrator (or bob) may revoke it; to anyone else it does not exist
    ("api-token-revoke", ["token"], "post", {}, row(LOGIN, 404, 404, 404, 404, ("to", "api-tokens"), 404)),
    ("api-token-revoke", ["token"], "get", None, row(LOGIN, 405, 405, 405, 405, 405, 405)),
    ("password-reset", [], "get", None, EVERYONE),
    ("password-reset", [], "post", {"email": "sai"}, EVERYONE),  # no mail server: the page says whom to ask
    ("password-reset-sent", [], "get", None, EVERYONE),
    ("password-reset-confirm", ["MQ", "sai-ma"], "get", None, EVERYONE),  # a broken link: said so
    ("password-reset-done", [], "get", None, EVERYONE),
    ("audit-log", [], "get", None, row(LOGIN, 403, 403, 200, 403, 200, 403)),
    ("public-leaderboard", [], "get", None, EVERYONE),
    ("guide", [], "get", None, EVERYONE),
    ("unit-dashboard", [], "get", None, row(LOGIN, 200, 200, ("to", "rankings"), ("to", "rankings"),
                                            ("to", "rankings"), 403)),
    ("unit-scorecard", ["TT-MOT-NGAN"], "get", None, STAFF_ONLY),
    ("report-list", [], "get", None, REPORTER_ONLY),
    ("report-submit", ["2021-07"], "get", None, REPORTER_ONLY),
    ("report-submit", ["2021-07"], "post", {"new_accounts": "x"}, REPORTER_ONLY),  # invalid: the form again
    ("report-preview", ["2021-07"], "post", {"new_accounts": "1"}, REPORTER_ONLY),
    ("report-preview", ["2021-07"], "get", None, row(LOGIN, 405, 405, 403, 403, 403, 403)),
    ("report-detail", ["report"], "get", None, STAFF_ONLY),
    ("report-verify", ["report"], "post", {}, REVIEW_ACTION),
    ("report-verify", ["report"], "get", None, REVIEW_ACTION_GET),
    ("report-return", ["report"], "post", {"reason": "Thiếu minh chứng tài khoản"}, REVIEW_ACTION),
    ("report-return", ["report"], "get", None, REVIEW_ACTION_GET),
    ("report-untruthful", ["report"], "post", {"reason": "Phúc tra: số liệu cao hơn Cổng DVC"}, REVIEW_ACTION),
    ("report-untruthful", ["report"], "get", None, REVIEW_ACTION_GET),
    # the report is not found untruthful: a reviewer is told so on the page (400), anyone else refused
    ("report-untruthful-withdraw", ["report"], "post", {"reason": "Kết luận nhầm đơn vị khi phúc tra"},
     row(LOGIN, 403, 403, 400, 403, 400, 403)),
    ("report-untruthful-withdraw", ["report"], "get", None, REVIEW_ACTION_GET),
    ("attachment-download", ["attachment"], "get", None, STAFF_ONLY),
    ("plan-file-download", ["version"], "get", None, STAFF_ONLY),
    ("review-matrix", [], "get", None, STAFF_ONLY),
    ("report-reminders", [], "get", None, row(LOGIN, 403, 403, 200, 403, 200, 403)),
    ("report-enter", ["X-TAN-HOA", "2021-07"], "get", None, row(LOGIN, 403, 403, 200, 403, 200, 403)),
    ("report-enter", ["X-TAN-HOA", "2021-07"], "post", {}, row(LOGIN, 403, 403, 200, 403, 200, 403)),  # errors
    ("report-reminders", [], "post", {"month": "2021-11"}, REVIEW_ACTION),  # no mail server: nothing sent
    ("overview", [], "get", None, STAFF_ONLY),
    ("rankings", [], "get", None, STAFF_ONLY),
    ("tie-break", [], "post", {"group": "commune", "total": "125", "order": "A, B", "reason": "x"}, REVIEW_ACTION),
    ("tie-break", [], "get", None, REVIEW_ACTION_GET),
    ("month-close", [], "post", {"month": "2021-07"}, REVIEW_ACTION),
    ("month-close", [], "get", None, REVIEW_ACTION_GET),
    ("campaign-settings", [], "get", None, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("campaign-settings", [], "post", {"deadline_day": "0"}, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("campaign-list", [], "get", None, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("campaign-list", [], "post", {"code": "Sai Mã"}, row(LOGIN, 403, 403, 403, 403, 200, 403)),  # the form again
    ("campaign-activate", ["campaign"], "post", {}, row(LOGIN, 403, 403, 403, 403, ("to", "campaign-list"), 403)),
    ("campaign-activate", ["campaign"], "get", None, row(LOGIN, 403, 403, 403, 403, 405, 403)),
    ("units-import", [], "get", None, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("units-import", [], "post", {}, row(LOGIN, 403, 403, 403, 403, 200, 403)),  # no file: the form again
    # an unknown upload token: the administrator is sent back to the import page with a message
    ("units-import-preview", ["0" * 32], "get", None, row(LOGIN, 403, 403, 403, 403, ("to", "units-import"), 403)),
    ("units-import-confirm", ["0" * 32], "post", {}, row(LOGIN, 403, 403, 403, 403, ("to", "units-import"), 403)),
    ("units-import-confirm", ["0" * 32], "get", None, row(LOGIN, 403, 403, 403, 403, ("to", "units-import"), 403)),
    ("units-import-template", ["mau-danh-muc-don-vi.xlsx"], "get", None, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("units-export", ["xlsx"], "get", None, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("units-reporter-accounts", [], "get", None, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("units-reporter-accounts", [], "post", {}, row(LOGIN, 403, 403, 403, 403, 400, 403)),  # no list: the error
    ("units-reporter-password-reset", ["reporter"], "post", {}, row(LOGIN, 403, 403, 403, 403, 200, 403)),
    ("units-reporter-password-reset", ["reporter"], "get", None, row(LOGIN, 403, 403, 403, 403, 405, 403)),
    ("units-export", ["csv"], "get", None, ADMIN_ONLY),
    # Nhập số liệu Cổng: the reviewer's own upload ("pending", rita's) opens for rita only
    ("portal-upload", [], "get", None, REVIEWER_ONLY),
    ("portal-upload", [], "post", {}, REVIEWER_ONLY),  # no file: the form again
    ("portal-preview", ["pending"], "get", None, row(LOGIN, 403, 403, 200, 403, 404, 403)),
    ("portal-map-unit", ["pending"], "post", {"raw_name": "X", "unit": "KHONG-CO"},
     row(LOGIN, 403, 403, ("to", "portal-preview", "pending"), 403, 404, 403)),
    ("portal-map-unit", ["pending"], "get", None, row(LOGIN, 403, 403, 405, 403, 405, 403)),
    ("portal-map-headers", ["pending"], "post", {}, row(LOGIN, 403, 403, 200, 403, 404, 403)),
    ("portal-confirm", ["pending"], "get", None, row(LOGIN, 403, 403, 405, 403, 405, 403)),
    ("portal-header-mapping-deactivate", [0], "post", {}, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("portal-unit-alias-change", [0], "post", {}, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("portal-unit-alias-forget", [0], "post", {}, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("portal-job", ["0" * 32], "get", None, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("portal-job-status", ["0" * 32], "get", None, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("portal-evidence", ["TT-MOT-NGAN", "2021-07"], "get", None, STAFF_ONLY),
    # Khen thưởng: leaders read, reviewers decide, reporters nominate for their own unit
    ("awards-home", [], "get", None, STAFF_ONLY),
    ("monthly-award", ["2021-07"], "get", None, STAFF_ONLY),
    ("monthly-award", ["2021-07"], "post", {}, row(LOGIN, 403, 403, 400, 403, 400, 403)),  # errors on the form
    ("monthly-award-flag-answer", ["2021-07"], "post", {}, row(LOGIN, 403, 403, 404, 403, 404, 403)),  # no award
    ("monthly-award-decision-number", ["2021-07"], "post", {}, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("monthly-award-decision-number", ["2021-07"], "get", None, REVIEW_ACTION_GET),
    ("year-end", [], "get", None, STAFF_ONLY),
    ("year-end-record", [], "post", {}, row(LOGIN, 403, 403, ("to", "year-end"), 403, ("to", "year-end"), 403)),
    ("year-end-record", [], "get", None, REVIEW_ACTION_GET),
    ("year-end-reopen", [], "post", {}, row(LOGIN, 403, 403, ("to", "year-end"), 403, ("to", "year-end"), 403)),
    ("year-end-decision", [], "post", {}, row(LOGIN, 403, 403, ("to", "year-end"), 403, ("to", "year-end"), 403)),
    ("dossier", [], "get", None, STAFF_ONLY),
    ("dossier-sign", [0], "post", {}, row(LOGIN, 403, 403, 404, 403, 404, 403)),
    ("district-officials", [], "get", None, REVIEWER_ONLY),
    ("district-officials", [], "post", {}, row(LOGIN, 403, 403, 400, 403, 400, 403)),  # errors on the form
    ("award-meeting", [], "get", None, REVIEWER_ONLY),
    ("award-meeting", [], "post", {}, REVIEWER_ONLY),  # errors on the form
    ("nominations", [], "get", None, row(LOGIN, 200, 200, 200, 200, 200, 403)),
    # a reporter's own unit (not on the proposal list: refused in words); staff name no unit: refused
    ("nominations", [], "post", {"full_name": "Nguyễn Văn A"}, row(LOGIN, 400, 400, 403, 403, 403, 403)),
    ("nomination-edit", [0], "get", None, row(LOGIN, 404, 404, 404, 404, 404, 403)),
    ("nomination-remove", [0], "post", {}, row(LOGIN, 404, 404, 404, 404, 404, 403)),
    ("year-end-zip", [], "get", None, row(LOGIN, 403, 403, ("to", "dossier"), ("to", "dossier"), ("to", "dossier"),
                                          403)),  # nothing recorded yet: said so on the tracker
    ("document-download", ["bao-cao-tap-the", "TT-MOT-NGAN", "pdf"], "get", None,
     row(LOGIN, ("to", "nominations"), ("to", "nominations"), ("to", "dossier"), ("to", "dossier"), ("to", "dossier"),
         403)),  # the list is not recorded yet
    ("document-download", ["to-trinh", "cuoi-nam", "pdf"], "get", None,
     row(LOGIN, 403, 403, ("to", "dossier"), ("to", "dossier"), ("to", "dossier"), 403)),
    ("export", ["xep-hang", "xlsx"], "get", None, STAFF_ONLY),
    ("export", ["tinh-hinh-bao-cao", "csv"], "get", None, STAFF_ONLY),
]

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def world(campaign, personas):
    """A report of Thị trấn Một Ngàn (bob's unit) with an attachment and a plan file; bob's API token."""
    bob = personas["other_commune_reporter"]
    with override_settings(THIDUA_NOW="2021-07-20T09:00:00+07:00"):
        report = report_submit(campaign=campaign, unit=bob.unit, month="2021-07", actor=bob, data=figures(),
                               evidence=[SimpleUploadedFile("bien-ban.pdf", PDF)],
                               plan_file=SimpleUploadedFile("ke-hoach.pdf", PDF))
    version = report.current
    pending = PendingUpload(kind="dossiers", original_name="ho-so.csv", size=3, uploaded_by=personas["reviewer"])
    pending.file.save("ho-so.bin", ContentFile(b"a,b"), save=True)
    token, _ = api_token_create(user=bob, name="Phần mềm của xã", expires_in_days=None, actor=bob)
    return {"token": token.pk, "report": report.pk, "attachment": version.attachments.get().pk, "version": version.pk,
            "campaign": campaign.pk, "reporter": bob.pk, "pending": pending.pk}


def _cases():
    for name, args, method, data, expected in MATRIX:
        for persona in PERSONAS:
            yield pytest.param(name, args, method, data, persona, expected[persona],
                               id=f"{method.upper()} {name} as {persona}")


@pytest.mark.parametrize(("name", "args", "method", "data", "persona", "expected"), list(_cases()))
def test_the_role_view_matrix(client, personas, world, name, args, method, data, persona, expected, settings):
    settings.THIDUA_NOW = "2021-07-22T09:00:00+07:00"  # during the campaign: July's report form is open
    if persona != "anonymous":
        client.force_login(personas[persona])
    url = reverse(name, args=[world.get(a, a) for a in args])
    events_before = AuditEvent.objects.count()
    response = client.post(url, data) if method == "post" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    elif isinstance(expected, tuple):
        assert response.status_code == 302
        assert response["Location"] == reverse(expected[1], args=[world[a] for a in expected[2:]])
    else:
        assert response.status_code == expected
    if method == "post" and (expected == LOGIN or expected in (403, 405)):
        assert AuditEvent.objects.count() == events_before  # refused actions change nothing


def test_the_matrix_covers_every_url_name():
    from thidua.awards.urls import urlpatterns as award_urls
    from thidua.campaigns.urls import urlpatterns as campaign_urls
    from thidua.config.urls import urlpatterns as root_urls
    from thidua.portal.urls import urlpatterns as portal_urls
    from thidua.reports.urls import urlpatterns as report_urls
    from thidua.units.urls import urlpatterns as unit_urls

    patterns = [*root_urls, *report_urls, *campaign_urls, *unit_urls, *portal_urls, *award_urls]
    names = {p.name for p in patterns if isinstance(p, URLPattern)}
    assert names - {name for name, *_ in MATRIX} == set()


def test_a_reporter_reads_the_pages_of_its_own_unit(client, personas, world):
    client.force_login(personas["other_commune_reporter"])
    for name, arg in [("unit-scorecard", "TT-MOT-NGAN"), ("report-detail", world["report"]),
                      ("attachment-download", world["attachment"]), ("plan-file-download", world["version"])]:
        assert client.get(reverse(name, args=[arg])).status_code == 200, name


def test_a_refused_review_action_leaves_the_report_as_it_was(client, personas, world):
    from thidua.reports.models import Report

    for persona in ("leader", "commune_reporter", "department_reporter"):
        client.force_login(personas[persona])
        for name in ("report-verify", "report-untruthful"):
            client.post(reverse(name, args=[world["report"]]), {"reason": "Phúc tra: số liệu cao hơn Cổng DVC"})
    report = Report.objects.get(pk=world["report"])
    assert (report.status, report.untruthful) == ("submitted", False)


def test_a_reporter_cannot_see_an_unknown_units_scorecard(client, personas, world):
    client.force_login(personas["commune_reporter"])
    assert client.get(reverse("unit-scorecard", args=["KHONG-CO"])).status_code == 404
    assert client.get(reverse("report-detail", args=[999999])).status_code == 404
