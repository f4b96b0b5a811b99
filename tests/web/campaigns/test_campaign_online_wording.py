"""A campaign's words for the online services it counts, set on Cấu hình: Plan 211's "trực tuyến mức độ 3, 4"
until a later plan writes Decree 42/2022's "trực tuyến toàn trình, một phần"; every page follows it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.campaigns.test_campaign_settings import current_values
from tests.web.conftest import submit
from thidua.awards.dossier import plan_info
from thidua.campaigns.models import PLAN_211_ONLINE_WORDING, Campaign
from thidua.core.models import AuditEvent
from thidua.documents.reward import PlanInfo

DECREE_42 = "trực tuyến toàn trình, một phần"


@pytest.fixture
def admin_client(client_for, personas):
    return client_for(personas["admin"])


@pytest.fixture
def july(settings):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"


def report_form(client) -> str:
    return client.get(reverse("report-submit", args=["2021-07"])).content.decode()


def test_the_report_form_names_the_online_figures_as_plan_211_does(campaign, personas, client_for, july):
    page = report_form(client_for(personas["commune_reporter"]))
    assert "Hồ sơ trực tuyến mức độ 3, 4 tiếp nhận trong tháng" in page
    assert "Thủ tục đã đăng ký giải quyết trực tuyến mức độ 3, 4 (lũy kế, mỗi dòng một thủ tục)" in page
    assert 'value="trực tuyến mức độ 3, 4"' in admin_page(client_for(personas["admin"]))
    assert PlanInfo().online_wording == PLAN_211_ONLINE_WORDING  # the documents' default is the same words


def admin_page(client) -> str:
    return client.get(reverse("campaign-settings")).content.decode()


def test_a_campaign_worded_as_decree_42_shows_its_words_on_the_pages_exports_and_documents(
        campaign, personas, client_for, july):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20))
    admin = client_for(personas["admin"])
    data = current_values(campaign) | {"online_wording": "  trực tuyến   toàn trình,  một phần "}
    response = admin.post(reverse("campaign-settings"), data)
    assert response.status_code == 302
    assert Campaign.objects.get().online_wording == DECREE_42

    reporter = client_for(personas["commune_reporter"])
    page = report_form(reporter)
    assert "Hồ sơ trực tuyến toàn trình, một phần tiếp nhận trong tháng" in page
    assert "Thủ tục đã đăng ký giải quyết trực tuyến toàn trình, một phần (lũy kế" in page
    assert "mức độ 3, 4" not in page
    june = campaign.reports.get(month="2021-06")
    page = reporter.get(reverse("report-detail", args=[june.pk])).content.decode()
    assert "<dt>Hồ sơ trực tuyến toàn trình, một phần</dt>" in page and "mức độ 3, 4" not in page

    reviewer = client_for(personas["reviewer"])
    page = reviewer.get(reverse("report-enter", args=["TT-MOT-NGAN", "2021-06"])).content.decode()
    assert "Hồ sơ trực tuyến toàn trình, một phần tiếp nhận trong tháng" in page and "mức độ 3, 4" not in page

    leader = client_for(personas["leader"])
    page = leader.get(reverse("overview")).content.decode()
    assert "Hồ sơ trực tuyến toàn trình, một phần đã tiếp nhận" in page and "mức độ 3, 4" not in page
    book = load_workbook(io.BytesIO(leader.get(reverse("export", args=["tong-quan", "xlsx"])).content))
    for sheet in book.worksheets:
        assert "Hồ sơ trực tuyến toàn trình, một phần" in [cell.value for cell in sheet[1]]
    csv = leader.get(reverse("export", args=["tong-quan", "csv"])).content.decode("utf-8-sig")
    assert "Hồ sơ trực tuyến toàn trình, một phần" in csv.splitlines()[0] and "mức độ 3, 4" not in csv

    assert plan_info(Campaign.objects.get()).online_wording == DECREE_42  # the documents' figures


def test_the_change_is_audited_and_the_log_names_the_figures_in_the_campaign_s_words(
        campaign, personas, client_for, july):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20))  # before the change
    admin = client_for(personas["admin"])
    data = current_values(campaign) | {"online_wording": DECREE_42, "reason": "Theo Nghị định 42/2022/NĐ-CP"}
    assert admin.post(reverse("campaign-settings"), data).status_code == 302
    event = AuditEvent.objects.get(action="campaign.options_changed")
    assert event.actor == personas["admin"]
    assert (event.before["online_wording"], event.after["online_wording"]) == ("trực tuyến mức độ 3, 4", DECREE_42)
    assert "cách gọi dịch vụ công trực tuyến" in event.summary
    assert not AuditEvent.objects.filter(action="campaign.settings_changed").exists()  # the rubric is untouched

    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 20))
    log = client_for(personas["reviewer"]).get(reverse("audit-log")).content.decode()
    assert "Cách gọi dịch vụ công trực tuyến" in log
    assert "Hồ sơ trực tuyến toàn trình, một phần" in log  # the July report's figures
    assert "Thủ tục đã đăng ký giải quyết trực tuyến toàn trình, một phần" in log
    # June's report was recorded in the words of that time
    june = log[log.index("tháng 6/2021"):]
    assert "Hồ sơ trực tuyến mức độ 3, 4" in june and "Thủ tục đã đăng ký giải quyết trực tuyến mức độ 3, 4" in june
    assert "toàn trình" not in june


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Nhập cách gọi dịch vụ công trực tuyến, ví dụ «trực tuyến toàn trình, một phần»."),
    ("   ", "Nhập cách gọi dịch vụ công trực tuyến, ví dụ «trực tuyến toàn trình, một phần»."),
    ("trực tuyến " + "toàn trình " * 8, "Cách gọi dịch vụ công trực tuyến dài tối đa 80 ký tự (hiện có 98 ký tự)."),
])
def test_a_missing_or_too_long_wording_is_refused_in_vietnamese_and_changes_nothing(campaign, admin_client, typed,
                                                                                   message):
    version = Campaign.objects.get().data_version
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign) | {"online_wording": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    stored = Campaign.objects.get()
    assert (stored.online_wording, stored.data_version) == ("trực tuyến mức độ 3, 4", version)
    assert not AuditEvent.objects.filter(action__startswith="campaign.").exclude(action="campaign.created").exists()
