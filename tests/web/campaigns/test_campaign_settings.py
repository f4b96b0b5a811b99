"""The campaign settings page (admin only): edits are validated, audited, and rescore at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.web.conftest import submit
from thidua.campaigns.forms import CampaignSettingsForm
from thidua.campaigns.models import Campaign
from thidua.core.models import AuditEvent
from thidua.reports.selectors import campaign_result


def current_values(campaign) -> dict:
    form = CampaignSettingsForm(campaign=campaign)
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def commune_field(campaign, key: str, attr: str) -> str:
    criteria = campaign.rubric_data["groups"]["commune"]["criteria"]
    index = next(i for i, c in enumerate(criteria) if c["key"] == key)
    return f"c__commune__{index}__{attr}"


def card(campaign, code):
    return next(c for c in campaign_result(campaign).scorecards if c.code == code)


@pytest.fixture
def admin_client(client_for, personas):
    return client_for(personas["admin"])


def test_the_settings_page_shows_the_current_values(campaign, admin_client):
    html = admin_client.get(reverse("campaign-settings")).content.decode()
    assert 'name="deadline_day"' in html and 'value="25"' in html
    assert "06/2021, 07/2021, 08/2021, 09/2021, 10/2021, 11/2021" in html


def test_moving_the_deadline_day_rescores_and_is_audited(campaign, personas, admin_client):
    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 27))
    assert [p.points for p in card(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"] == [-2]

    data = current_values(campaign) | {"deadline_day": "28", "reason": "Theo Công văn điều chỉnh hạn báo cáo"}
    response = admin_client.post(reverse("campaign-settings"), data)
    assert response.status_code == 302

    campaign.refresh_from_db()
    assert campaign.rubric.reports.deadline_day == 28
    assert [p for p in card(campaign, "X-TAN-HOA").penalties if p.month == "2021-07"] == []
    event = AuditEvent.objects.get(action="campaign.settings_changed")
    assert event.actor == personas["admin"]
    assert (event.before["reports"]["deadline_day"], event.after["reports"]["deadline_day"]) == (25, 28)
    assert event.summary == "Điều chỉnh cấu hình phong trào (báo cáo): Theo Công văn điều chỉnh hạn báo cáo"


def test_raising_the_commune_dossier_threshold_lowers_a_score(campaign, personas, admin_client):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20), dossiers_online=210)
    before = card(campaign, "X-TAN-HOA")
    assert before.criteria_points["dossiers"] == 30

    field = commune_field(campaign, "dossiers", "threshold")
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign) | {field: "250"})
    assert response.status_code == 302

    after = card(campaign, "X-TAN-HOA")
    assert after.criteria_points["dossiers"] == 0
    assert after.total == before.total - 30
    campaign.refresh_from_db()
    department = campaign.rubric_data["groups"]["department"]["criteria"]
    assert next(c for c in department if c["key"] == "dossiers")["threshold"] == 150
    event = AuditEvent.objects.get(action="campaign.settings_changed")
    before_threshold = next(c for c in event.before["groups"]["commune"]["criteria"] if c["key"] == "dossiers")
    after_threshold = next(c for c in event.after["groups"]["commune"]["criteria"] if c["key"] == "dossiers")
    assert (before_threshold["threshold"], after_threshold["threshold"]) == (200, 250)
    assert event.summary == "Điều chỉnh cấu hình phong trào (các nhóm thi đua)"  # no reason given


@pytest.mark.parametrize(("change", "message"), [
    ({"deadline_day": "0"}, "Giá trị phải lớn hơn hoặc bằng 1."),
    ({"deadline_day": "ba mươi"}, "Vui lòng nhập một số."),
    ({"months": "2021-06, 2021-13"}, "«2021-13» không phải là tháng hợp lệ; ghi theo dạng tháng/năm, ví dụ 06/2021."),
    ({"months": "06/2021, 13/2021"}, "«13/2021» không phải là tháng hợp lệ"),
    ({"months": "2021-06, 2022-01"}, "Hạn báo cáo 25/01/2022 nằm ngoài thời gian thi đua."),
    ({"months": " , "}, "Cần ít nhất một tháng báo cáo."),
    ({"missing_points": "năm"}, "Vui lòng nhập một số."),
    ({"untruthful_points": "99999999999"}, "Số điểm trừ quá lớn: tối đa 10.000.000."),
    ({("dossiers", "threshold"): "hai trăm"}, "«hai trăm» không phải là số."),
    ({("accounts", "step"): "12.5"}, "«12.5» phải là số nguyên."),
    ({("accounts", "step"): "0"}, "Phải ≥ 1."),  # the rubric's own check, shown at its field
    ({("dossiers", "threshold"): "99999999999999999999"}, "Giá trị quá lớn: tối đa 10.000.000."),
    ({"min_total": "99999999999999999999"}, "Giá trị phải nhỏ hơn hoặc bằng 10000000."),
    ({"months": "07/2021, 08/2021, 09/2021, 10/2021, 11/2021"},
     "Không bỏ được tháng 6/2021 khỏi các tháng báo cáo vì tháng này đã có 1 báo cáo."),
])
def test_an_invalid_value_shows_a_vietnamese_error_and_changes_nothing(campaign, personas, admin_client, change,
                                                                    message):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20))
    data_before, version_before = campaign.rubric_data, Campaign.objects.get().data_version
    total_before = card(campaign, "X-TAN-HOA").total
    data = current_values(campaign)
    for key, value in change.items():
        data[commune_field(campaign, *key) if isinstance(key, tuple) else key] = value

    response = admin_client.post(reverse("campaign-settings"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "groups.commune" not in html and "reports.months" not in html  # not the rubric's paths
    stored = Campaign.objects.get()
    assert (stored.rubric_data, stored.data_version) == (data_before, version_before)
    assert not AuditEvent.objects.filter(action__startswith="campaign.").exclude(action="campaign.created").exists()
    assert card(campaign, "X-TAN-HOA").total == total_before


def test_saving_unchanged_settings_writes_no_audit_event(campaign, admin_client):
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__in=["campaign.settings_changed", "campaign.options_changed"]).exists()


def test_renaming_the_groups_renames_them_on_the_rankings_and_the_documents(campaign, personas, admin_client):
    """A province running Plan 211's rubric names its own groups."""
    data = current_values(campaign) | {"g__department": "Sở,  ban, ngành tỉnh ", "g__commune": "Xã, phường, đặc khu"}
    assert admin_client.post(reverse("campaign-settings"), data).status_code == 302
    campaign.refresh_from_db()
    assert {k: g.label for k, g in campaign.rubric.groups.items()} == {
        "department": "Sở, ban, ngành tỉnh", "commune": "Xã, phường, đặc khu"}
    event = AuditEvent.objects.get(action="campaign.settings_changed")
    assert event.before["groups"]["commune"]["label"] == "Xã, thị trấn"
    assert event.after["groups"]["commune"]["label"] == "Xã, phường, đặc khu"
    from thidua.awards.dossier import plan_info

    assert plan_info(campaign).group_label("department") == "Khối sở, ban, ngành tỉnh"
    html = admin_client.get(reverse("rankings")).content.decode()
    assert "Xã, phường, đặc khu" in html and "Xã, thị trấn" not in html


def test_a_group_needs_a_name(campaign, admin_client):
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign) | {"g__commune": "  "})
    assert response.status_code == 200  # the page again, with the message
    assert "Nhập tên nhóm thi đua." in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.rubric.groups["commune"].label == "Xã, thị trấn"


def test_reporting_months_are_typed_as_month_and_year():
    from thidua.campaigns.forms import format_months, parse_months

    assert parse_months("6/2021, 07/2021,2021-08") == ["2021-06", "2021-07", "2021-08"]
    assert format_months(["2021-06", "2021-11"]) == "06/2021, 11/2021"


def test_a_month_without_reports_can_be_dropped_and_the_pages_still_score(campaign, personas, admin_client, client):
    submit(campaign, personas["commune_reporter"], "2021-06", on=date(2021, 6, 20))
    data = current_values(campaign) | {"months": "06/2021, 07/2021, 08/2021, 09/2021, 10/2021"}
    assert admin_client.post(reverse("campaign-settings"), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.rubric.reports.months[-1] == "2021-10"
    assert client.get(reverse("public-leaderboard")).status_code == 200


def test_a_closed_month_or_an_award_keeps_its_month(campaign, personas, admin_client):
    from thidua.campaigns.services import month_close

    month_close(campaign=campaign, actor=personas["reviewer"], month="2021-11")
    data = current_values(campaign) | {"months": "06/2021, 07/2021, 08/2021, 09/2021, 10/2021"}
    html = admin_client.post(reverse("campaign-settings"), data).content.decode()
    assert "Không bỏ được tháng 11/2021 khỏi các tháng báo cáo vì tháng này đã có kết quả tháng đã chốt." in html
    campaign.refresh_from_db()
    assert campaign.rubric.reports.months[-1] == "2021-11"


NOT_NEGATIVE = "Giá trị phải lớn hơn hoặc bằng 0."


@pytest.mark.parametrize(("field", "message"), [
    ("min_total", NOT_NEGATIVE),
    ("deadline_day", "Giá trị phải lớn hơn hoặc bằng 1."),
    ("tolerance_percent", NOT_NEGATIVE),
    (("plan", "points_yes"), NOT_NEGATIVE),
    (("accounts", "threshold"), NOT_NEGATIVE),
    (("accounts", "base_points"), NOT_NEGATIVE),
    (("accounts", "points_per_step"), NOT_NEGATIVE),
    (("accounts", "step"), "Phải ≥ 1."),  # the rubric's own check
    (("resolution", "threshold"), NOT_NEGATIVE),
    (("resolution", "base_points"), NOT_NEGATIVE),
    (("resolution", "points_per_step"), NOT_NEGATIVE),
    (("resolution", "step"), "Phải > 0."),
])
def test_a_negative_line_threshold_points_or_day_is_refused_at_its_field(campaign, admin_client, field, message):
    data_before = campaign.rubric_data
    name = commune_field(campaign, *field) if isinstance(field, tuple) else field
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign) | {name: "-5"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {name: [message]}
    assert Campaign.objects.get().rubric_data == data_before
    assert not AuditEvent.objects.filter(action="campaign.settings_changed").exists()


@pytest.mark.parametrize(("typed", "stored"), [("5", -5), ("-5", -5), ("\u22125", -5), ("0", 0)])
def test_a_deduction_typed_as_5_or_minus_5_is_kept_as_minus_5(campaign, admin_client, typed, stored):
    page = admin_client.get(reverse("campaign-settings")).content.decode()
    assert "Nhập số điểm bị trừ, ví dụ 5 hoặc −5: cả hai đều được hiểu là trừ 5 điểm." in page
    data = current_values(campaign) | {"missing_points": typed, "untruthful_points": typed}
    assert admin_client.post(reverse("campaign-settings"), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.rubric.reports.missing_points == campaign.rubric.reports.untruthful_points == stored


def test_penalties_stay_negative_and_a_typed_number_is_checked_at_its_field(campaign, admin_client):
    """Points taken away are written as negatives (−5 for no procedure registered); a word is refused where
    it was typed."""
    zero = commune_field(campaign, "procedures", "zero_points")
    below = commune_field(campaign, "accounts", "below_threshold_points")
    data = current_values(campaign) | {zero: "-10", below: "-3", "missing_points": "-6", "min_total": "0"}
    assert admin_client.post(reverse("campaign-settings"), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.rubric.eligibility.min_total == 0 and campaign.rubric.reports.missing_points == -6
    threshold = commune_field(campaign, "dossiers", "threshold")
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign) | {threshold: "hai trăm"})
    assert response.context["form"].errors == {threshold: ["«hai trăm» không phải là số."]}


def test_a_rule_between_two_values_is_worded_with_the_page_s_names(campaign, admin_client):
    criteria = campaign.rubric_data["groups"]["commune"]["criteria"]
    base = next(c for c in criteria if c["key"] == "accounts")["base_points"]
    below = commune_field(campaign, "accounts", "below_threshold_points")
    response = admin_client.post(reverse("campaign-settings"), current_values(campaign) | {below: str(base + 1)})
    assert response.context["form"].errors == {below: [f"Không được lớn hơn điểm khi đạt ngưỡng ({base})."]}


def test_a_problem_with_a_value_the_page_does_not_show_is_named_in_words(campaign):
    from django.core.exceptions import ValidationError

    form = CampaignSettingsForm(campaign=campaign, data=current_values(campaign))
    assert form.is_valid()
    index = next(i for i, c in enumerate(campaign.rubric_data["groups"]["commune"]["criteria"]) if c["key"] == "plan")
    form.add_rubric_errors(ValidationError([ValidationError(
        "x", code="rubric", params={"path": f"groups.commune.criteria[{index}].points_no",
                                    "problem": "không được lớn hơn điểm khi có (10)"})]))
    group = campaign.rubric_data["groups"]["commune"]["label"]
    label = campaign.rubric_data["groups"]["commune"]["criteria"][index]["label"]
    assert form.non_field_errors() == [f"{group} — {label} — Điểm khi không có: không được lớn hơn điểm khi có (10)."]


def test_a_province_renames_plan_211s_awards_which_named_the_district(campaign, admin_client):
    """A campaign made from Plan 211's rubric (the README's example) is not stuck with «UBND huyện»."""
    html = admin_client.get(reverse("campaign-settings")).content.decode()
    assert 'value="Khen thưởng đột xuất hằng tháng: Giấy khen của Chủ tịch UBND huyện"' in html
    data = current_values(campaign) | {
        "a__monthly": "Khen thưởng đột xuất hằng tháng:  Bằng khen của Chủ tịch UBND tỉnh",
        "a__year_end__0": "Khen thưởng cuối năm các xã, phường",
        "a__year_end__1": "Khen thưởng cuối năm sở, ngành tỉnh"}
    assert admin_client.post(reverse("campaign-settings"), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.rubric.awards.monthly.label == "Khen thưởng đột xuất hằng tháng: Bằng khen của Chủ tịch UBND tỉnh"
    assert [a.label for a in campaign.rubric.awards.year_end] == [
        "Khen thưởng cuối năm các xã, phường", "Khen thưởng cuối năm sở, ngành tỉnh"]
    event = AuditEvent.objects.get(action="campaign.settings_changed")
    assert "huyện" in event.before["awards"]["monthly"]["label"]
    page = admin_client.get(reverse("awards-home")).content.decode()
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page and "UBND huyện" not in page and "ngành huyện" not in page
    refused = admin_client.post(reverse("campaign-settings"), data | {"a__monthly": " "})
    assert refused.status_code == 200 and "Nhập tên hình thức khen thưởng." in refused.content.decode()


def test_the_months_field_gives_its_example_in_the_campaigns_own_year(campaign, admin_client):
    """A 2026 campaign is not shown 2021's months as the form to write; Plan 211 keeps its own."""
    assert "ví dụ 06/2021, 07/2021)" in admin_client.get(reverse("campaign-settings")).content.decode()
    from thidua.campaigns.services import campaign_create_from

    campaign_create_from(base=campaign.rubric_data, actor=None, code="dvc-2026", name="Thi đua năm 2026",
                         start=date(2026, 1, 12), end=date(2026, 12, 18))
    html = admin_client.get(reverse("campaign-settings")).content.decode()
    assert "Các tháng báo cáo (tháng/năm, cách nhau bởi dấu phẩy, ví dụ 01/2026, 02/2026)" in html
    assert "2021" not in html.split('name="months"')[0].rsplit("<label", 1)[1]
    data = current_values(Campaign.objects.get(code="dvc-2026")) | {"months": "01/2026, 13/2026"}
    response = admin_client.post(reverse("campaign-settings"), data)
    assert "«13/2026» không phải là tháng hợp lệ; ghi theo dạng tháng/năm, ví dụ 01/2026." in response.content.decode()


def test_a_campaign_starting_in_december_gives_january_of_the_next_year_as_its_second_example():
    from thidua.campaigns.forms import example_months

    assert example_months(date(2025, 12, 1)) == ("12/2025", "01/2026")
