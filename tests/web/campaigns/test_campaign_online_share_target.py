"""The plan's target for the share of online dossiers (Plan 211: 30–40%), set on Cấu hình like the rubric's
other values: validated, audited, shown on the overview and the report form only when set."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.web.campaigns.test_campaign_settings import current_values
from thidua.campaigns.forms import CampaignSettingsForm
from thidua.campaigns.models import Campaign
from thidua.core.models import AuditEvent


@pytest.fixture
def july(settings):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"


@pytest.fixture
def no_target(campaign):
    """A campaign whose plan sets no target (a province's own rubric file)."""
    data = campaign.rubric_data
    del data["online_share_target"]
    campaign.rubric_data = data
    campaign.save()
    return Campaign.objects.get(pk=campaign.pk)


@pytest.fixture
def admin_client(client_for, personas):
    """The test client, signed in as the administrator again each time it is asked for (pages() signs in
    as others)."""

    class Admin:
        def get(self, *args, **kwargs):
            return client_for(personas["admin"]).get(*args, **kwargs)

        def post(self, *args, **kwargs):
            return client_for(personas["admin"]).post(*args, **kwargs)

    return Admin()


def pages(client_for, personas) -> dict[str, str]:
    overview = client_for(personas["leader"]).get(reverse("overview")).content.decode()
    form = client_for(personas["commune_reporter"]).get(reverse("report-submit", args=["2021-07"])).content.decode()
    return {"overview": overview, "report form": form}


def post(client, campaign, **change):
    return client.post(reverse("campaign-settings"), current_values(campaign) | change)


def test_the_settings_page_shows_plan_211s_target(campaign, admin_client):
    html = admin_client.get(reverse("campaign-settings")).content.decode()
    assert "Mục tiêu tỷ lệ hồ sơ trực tuyến — từ (%)" in html
    assert 'name="online_share_min" value="30"' in html and 'name="online_share_max" value="40"' in html


def test_a_target_set_on_cau_hinh_shows_on_the_overview_and_the_report_form_and_is_audited(
        no_target, personas, client_for, admin_client, july):
    for name, page in pages(client_for, personas).items():
        assert "mục tiêu" not in page, name
    assert current_values(no_target)["online_share_min"] == current_values(no_target)["online_share_max"] == ""

    response = post(admin_client, no_target, online_share_min="50", online_share_max="60 %",
                    reason="Theo Kế hoạch số 15/KH-UBND")
    assert response.status_code == 302

    stored = Campaign.objects.get()
    assert stored.rubric.online_share_target.text == "50–60%"
    found = pages(client_for, personas)
    assert "mục tiêu của Kế hoạch: 50–60%" in found["overview"]
    assert "Để tính tỷ lệ hồ sơ trực tuyến (mục tiêu 50–60%)." in found["report form"]
    event = AuditEvent.objects.get(action="campaign.settings_changed")
    assert event.actor == personas["admin"]
    assert event.summary.startswith("Điều chỉnh cấu hình phong trào (mục tiêu tỷ lệ hồ sơ trực tuyến): Theo Kế hoạch "
                                    "số 15/KH-UBND")
    assert "online_share_target" not in event.before or event.before["online_share_target"] is None
    assert event.after["online_share_target"] == {"min": 50, "max": 60}
    log = admin_client.get(reverse("audit-log")).content.decode()
    assert "Mục tiêu tỷ lệ hồ sơ trực tuyến (%)" in log and "Từ: 50; Đến: 60" in log
    assert "online_share_target" not in log


def test_a_minimum_alone_is_a_target_from_that_share(no_target, personas, client_for, admin_client, july):
    assert post(admin_client, no_target, online_share_min="70").status_code == 302
    assert Campaign.objects.get().rubric.online_share_target.text == "từ 70%"
    assert "mục tiêu của Kế hoạch: từ 70%" in pages(client_for, personas)["overview"]


def test_clearing_plan_211s_target_hides_it_from_the_pages(campaign, personas, client_for, admin_client, july):
    for name, page in pages(client_for, personas).items():
        assert "30–40%" in page, name

    assert post(admin_client, campaign, online_share_min="", online_share_max="").status_code == 302

    assert Campaign.objects.get().rubric.online_share_target is None
    for name, page in pages(client_for, personas).items():
        assert "30–40" not in page and "mục tiêu" not in page, name
    event = AuditEvent.objects.get(action="campaign.settings_changed")
    assert (event.before["online_share_target"], event.after["online_share_target"]) == ({"min": 30, "max": 40}, None)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"online_share_min": "", "online_share_max": "40"}, "online_share_min",
     "Nhập cả mức «từ» của mục tiêu tỷ lệ hồ sơ trực tuyến"),
    ({"online_share_min": "50", "online_share_max": "40"}, "online_share_max",
     "Mức «đến» của mục tiêu tỷ lệ hồ sơ trực tuyến (40%) không được nhỏ hơn mức «từ» (50%)."),
    ({"online_share_min": "-5"}, "online_share_min",
     "Mức «từ» của mục tiêu tỷ lệ hồ sơ trực tuyến phải từ 0 đến 100 (%)."),
    ({"online_share_max": "140"}, "online_share_max",
     "Mức «đến» của mục tiêu tỷ lệ hồ sơ trực tuyến phải từ 0 đến 100 (%)."),
    ({"online_share_min": "ba mươi"}, "online_share_min",
     "Mức «từ» của mục tiêu tỷ lệ hồ sơ trực tuyến phải là một số nguyên, ví dụ 30."),
    ({"online_share_max": "40,5"}, "online_share_max",
     "Mức «đến» của mục tiêu tỷ lệ hồ sơ trực tuyến phải là một số nguyên, ví dụ 40."),
])
def test_a_bad_target_is_refused_at_its_field_and_changes_nothing(campaign, admin_client, change, field, message):
    data_before, version_before = campaign.rubric_data, Campaign.objects.get().data_version

    response = post(admin_client, campaign, **change)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field] and message in form.errors[field][0]
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and "online_share_target" not in html
    stored = Campaign.objects.get()
    assert (stored.rubric_data, stored.data_version) == (data_before, version_before)
    assert not AuditEvent.objects.filter(action__startswith="campaign.").exclude(action="campaign.created").exists()


def test_the_rubrics_own_check_of_the_target_is_shown_at_its_field(campaign):
    form = CampaignSettingsForm(campaign=campaign, data=current_values(campaign))
    assert form.is_valid()
    form.add_rubric_errors(ValidationError([ValidationError(
        "x", code="rubric",
        params={"path": "online_share_target.max", "problem": "không được nhỏ hơn mức tối thiểu"})]))
    assert form.errors == {"online_share_max": ["Không được nhỏ hơn mức tối thiểu."]}


def test_the_log_names_a_targets_bounds_in_order_whatever_order_the_database_kept():
    """PostgreSQL's jsonb gives a stored {"min": 50, "max": 60} back as {"max": 60, "min": 50}."""
    from thidua.core.audit_display import format_value

    assert format_value({"max": 60, "min": 50}) == format_value({"min": 50, "max": 60}) == "Từ: 50; Đến: 60"
