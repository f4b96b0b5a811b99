"""A new installation creates its campaign on the web: from Plan 211's rubric or an uploaded rubric
file, with its own code, name, document and window; one campaign is applied at a time."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import make_user
from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import active_campaign
from thidua.campaigns.services import campaign_create_from
from thidua.core.models import AuditEvent
from thidua.scoring import plan_211
from thidua.units.models import User


@pytest.fixture
def admin(db):
    return make_user("quantri", User.Role.ADMIN)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def form(**overrides) -> dict:
    data = {"source": "chau-thanh-a-2021", "code": "dvc-2026", "name": "Thi đua dịch vụ công trực tuyến năm 2026",
            "document": "Kế hoạch số 15/KH-UBND ngày 10/01/2026 của Ủy ban nhân dân huyện Châu Thành A",
            "start": "12/01/2026", "end": "18/12/2026", "months": "", "activate": "on"}
    data.update(overrides)
    return data


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_installation_sends_the_administrator_to_the_campaign_list(admin_client):
    response = admin_client.get(reverse("home"))
    assert response["Location"] == reverse("campaign-list")
    html = admin_client.get(reverse("campaign-list")).content.decode()
    assert "Chưa có phong trào nào" in html
    assert "Mẫu: Kế hoạch số 211/KH-UBND ngày 08/6/2021" in html
    # any page needing a campaign says why it is empty and, to an administrator, where to go
    html = admin_client.get(reverse("rankings")).content.decode()
    assert "Chưa có phong trào thi đua nào đang áp dụng" in html and reverse("campaign-list") in html


def test_creating_from_plan_211_with_a_new_window_takes_the_months_due_inside_it(registry, admin_client, admin):
    response = admin_client.post(reverse("campaign-list"), form())
    assert response.status_code == 302 and response["Location"] == reverse("campaign-settings")
    campaign = Campaign.objects.get(code="dvc-2026")
    assert campaign.active and active_campaign() == campaign
    rubric = campaign.rubric
    assert rubric.name == "Thi đua dịch vụ công trực tuyến năm 2026"
    assert rubric.document.startswith("Kế hoạch số 15/KH-UBND")
    assert (rubric.campaign.start.isoformat(), rubric.campaign.end.isoformat()) == ("2026-01-12", "2026-12-18")
    # due the 25th: January to November fall inside the window, December's 25th is after its end
    assert rubric.reports.months == [f"2026-{m:02d}" for m in range(1, 12)]
    assert rubric.groups == plan_211().groups  # the criteria and points are Plan 211's
    actions = list(AuditEvent.objects.filter(campaign_code="dvc-2026").order_by("pk").values_list("action", "actor"))
    assert actions == [("campaign.created", admin.pk), ("campaign.activated", admin.pk)]
    follow = admin_client.get(reverse("campaign-settings")).content.decode()
    assert "Đã tạo và áp dụng phong trào «Thi đua dịch vụ công trực tuyến năm 2026»" in follow
    assert admin_client.get(reverse("rankings")).status_code == 200
    html = admin_client.get(reverse("campaign-list")).content.decode()
    assert "tháng 1/2026 – tháng 11/2026 (11 tháng)" in html and "Đang áp dụng" in html
    assert "Xã, thị trấn: 10" in html


def test_the_campaigns_words_for_the_online_services_are_set_when_it_is_created(db, admin_client):
    assert ("Để trống: «trực tuyến mức độ 3, 4» (như Kế hoạch 211) nếu thi đua bắt đầu trước ngày 01/08/2022, «trực "
            "tuyến toàn trình, một phần» (Nghị định 42/2022/NĐ-CP) từ ngày đó.") in admin_client.get(
        reverse("campaign-list")).content.decode()
    admin_client.post(reverse("campaign-list"), form(online_wording=" trực tuyến  toàn trình, một phần"))
    campaign = Campaign.objects.get(code="dvc-2026")
    assert campaign.online_wording == "trực tuyến toàn trình, một phần"
    assert AuditEvent.objects.get(action="campaign.created").after["online_wording"] == campaign.online_wording
    admin_client.post(reverse("campaign-list"), form(code="dvc-2027", online_wording=""))
    assert Campaign.objects.get(code="dvc-2027").online_wording == "trực tuyến toàn trình, một phần"  # 2026: Decree 42
    admin_client.post(reverse("campaign-list"), form(code="dvc-2021", online_wording="", start="15/06/2021",
                                                     end="15/12/2021"))
    assert Campaign.objects.get(code="dvc-2021").online_wording == "trực tuyến mức độ 3, 4"  # as Plan 211


def test_months_typed_by_the_administrator_are_kept(db, admin_client):
    admin_client.post(reverse("campaign-list"), form(months="2026-03, 2026-04"))
    assert Campaign.objects.get(code="dvc-2026").rubric.reports.months == ["2026-03", "2026-04"]


def test_plan_211s_document_is_not_kept_for_a_new_campaign(db, admin_client):
    admin_client.post(reverse("campaign-list"), form(document=""))
    assert Campaign.objects.get(code="dvc-2026").rubric.document == ""


def test_one_campaign_is_applied_at_a_time_and_an_older_one_can_be_applied_again(db, admin_client):
    admin_client.post(reverse("campaign-list"), form())
    admin_client.post(reverse("campaign-list"), form(code="dvc-2027", start="11/01/2027", end="17/12/2027"))
    first, second = Campaign.objects.get(code="dvc-2026"), Campaign.objects.get(code="dvc-2027")
    assert (first.active, second.active) == (False, True)
    page = admin_client.get(reverse("campaign-list")).content.decode()
    action = reverse("campaign-activate", args=[first.pk])
    assert (f'<form method="post" action="{action}" data-confirm="Áp dụng phong trào «{first.name}» thay cho '
            f'phong trào đang áp dụng «{second.name}»? Với mọi người dùng, các trang báo cáo, xếp hạng, khen thưởng '
            "và bảng xếp hạng công khai sẽ theo phong trào này ngay. Dữ liệu của phong trào đang áp dụng được giữ "
            'nguyên và có thể áp dụng lại.">') in page
    response = admin_client.post(reverse("campaign-activate", args=[first.pk]))
    assert response["Location"] == reverse("campaign-list")
    shown = [str(m) for m in admin_client.get(response["Location"]).context["messages"]]
    assert shown == [f"Đã áp dụng phong trào «{first.name}»: các trang, báo cáo và bảng xếp hạng từ nay theo "
                     "phong trào này."]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.active, second.active) == (True, False)
    event = AuditEvent.objects.filter(action="campaign.activated").latest("pk")
    assert event.campaign_code == "dvc-2026" and "ngừng áp dụng dvc-2027" in event.summary
    count = AuditEvent.objects.count()
    admin_client.post(reverse("campaign-activate", args=[first.pk]))  # already applied: nothing to record
    assert AuditEvent.objects.count() == count
    assert admin_client.post(reverse("campaign-activate", args=[99999])).status_code == 404


def test_a_campaign_created_without_applying_it_leaves_the_current_one(campaign, admin_client):
    response = admin_client.post(reverse("campaign-list"), form(activate=""))
    assert response["Location"] == reverse("campaign-list")
    assert active_campaign() == campaign
    assert not Campaign.objects.get(code="dvc-2026").active


@pytest.mark.parametrize(("overrides", "message"), [
    ({"code": "Sai Mã"}, "Mã phong trào chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang"),
    ({"code": ""}, "Cần đặt mã cho phong trào."),
    ({"start": "31/02/2026"}, "Ngày 31/02/2026 không có trên lịch; hãy kiểm tra lại ngày và tháng."),
    ({"start": "2026-02-01"}, "Nhập ngày theo dạng dd/mm/yyyy"),
    ({"end": "01/01/2026"}, "Ngày kết thúc phải sau ngày bắt đầu."),
    ({"months": "2026-13"}, "«2026-13» không phải là tháng hợp lệ"),
    ({"months": "2025-12, 2026-01"}, "Tháng báo cáo thứ 1: hạn báo cáo 25/12/2025 nằm ngoài thời gian thi đua."),
    ({"months": "2026-02, 2026-01"}, "Tháng báo cáo thứ 2: các tháng phải theo thứ tự tăng dần."),
    ({"source": "khong-co"}, "Hãy chọn tiêu chí theo mẫu hoặc tệp tiêu chí tự soạn."),
    ({"source": "file"}, "Hãy chọn tệp tiêu chí (.json)."),
    ({"name": ""}, "Cần đặt tên cho phong trào mới (tên theo mẫu là của Kế hoạch số 211/KH-UBND"),
    ({"online_wording": "x" * 81}, "Cách gọi dịch vụ công trực tuyến dài tối đa 80 ký tự (hiện có 81 ký tự)."),
])
def test_a_wrong_form_says_what_is_wrong_and_creates_nothing(db, admin_client, overrides, message):
    events = AuditEvent.objects.count()
    html = errors_of(admin_client.post(reverse("campaign-list"), form(**overrides)))
    assert message in html
    assert Campaign.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_code_already_used_is_refused(campaign, admin_client):
    html = errors_of(admin_client.post(reverse("campaign-list"), form(code="chau-thanh-a-2021")))
    assert "Đã có phong trào mang mã «chau-thanh-a-2021»; hãy đặt mã khác." in html
    assert Campaign.objects.count() == 1


def rubric_upload(content: bytes, name: str = "tieu-chi.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def custom_rubric() -> dict:
    data = plan_211().to_data()
    data["code"] = "tu-soan"
    data["name"] = "Thi đua chuyển đổi số cấp xã"
    del data["groups"]["department"]
    data["awards"]["year_end"] = [a for a in data["awards"]["year_end"] if a["group"] == "commune"]
    return data


def test_an_uploaded_rubric_file_makes_the_campaign(db, admin_client):
    data = custom_rubric()
    text = json.dumps(data, ensure_ascii=False).replace('"threshold": 98', '"threshold": 97.5')
    response = admin_client.post(reverse("campaign-list"), form(
        source="file", code="chuyen-doi-so", name="", document="", start="", end="",
        rubric_file=rubric_upload("\ufeff".encode() + text.encode())))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.code == "chuyen-doi-so" and campaign.name == "Thi đua chuyển đổi số cấp xã"
    assert list(campaign.rubric.groups) == ["commune"]
    assert campaign.rubric.groups["commune"].criterion("resolution").threshold == Decimal("97.5")  # exact
    assert campaign.rubric.reports.months == plan_211().reports.months  # the file's own window


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe{", "Tệp tiêu chí phải là văn bản JSON mã UTF-8."),
    (b"{\"code\": ", "Tệp tiêu chí không phải JSON hợp lệ (dòng 1, cột 10)."),
    (b"[1, 2]", "Tệp tiêu chí phải là một đối tượng JSON"),
    (b"", "Tệp tiêu chí rỗng (0 byte)."),
    (b"{\"code\": \"x\"}", "Tệp tiêu chí không hợp lệ:"),
    (b"[" * 100_000, "Tệp tiêu chí không phải JSON hợp lệ: các mảng, đối tượng lồng nhau quá sâu."),
    (b"{\"code\": " + b"1" * 5000 + b"}", "Tệp tiêu chí không phải JSON hợp lệ: có số dài quá 4300 chữ số."),
])
def test_a_wrong_rubric_file_says_what_is_wrong(db, admin_client, content, message):
    response = admin_client.post(reverse("campaign-list"), form(source="file", rubric_file=rubric_upload(content)))
    html = errors_of(response)
    assert message in html
    assert Campaign.objects.count() == 0


def test_a_rubric_file_over_one_megabyte_is_refused(db, admin_client):
    big = b"{" + b" " * (1024 * 1024) + b"}"
    html = errors_of(admin_client.post(reverse("campaign-list"), form(source="file", rubric_file=rubric_upload(big))))
    assert "Tệp tiêu chí quá lớn (tối đa 1 MB)." in html
    assert Campaign.objects.count() == 0


def test_a_rubric_file_with_an_invisible_control_character_names_where_it_is(db, admin_client):
    # PostgreSQL cannot store a NUL (an error 500 there), and no .docx can print U+0001: refused, as the API
    # refuses them, naming the place in the file
    data = custom_rubric()
    data["groups"]["commune"]["label"] = "Xã,\u0000 phường\u0001"
    html = errors_of(admin_client.post(reverse("campaign-list"), form(
        source="file", code="chuyen-doi-so", name="", document="", start="", end="",
        rubric_file=rubric_upload(json.dumps(data).encode()))))
    assert ("Tệp tiêu chí chứa ký tự điều khiển không in được (U+0000) ở groups.commune.label, thường do sao chép "
            "từ Word; hãy bỏ ký tự đó.") in html
    assert Campaign.objects.count() == 0


def test_a_rubric_file_missing_a_part_names_it(db, admin_client):
    data = custom_rubric()
    del data["reports"]
    html = errors_of(admin_client.post(reverse("campaign-list"), form(
        source="file", rubric_file=rubric_upload(json.dumps(data).encode()))))
    assert "reports" in html and "Tệp tiêu chí không hợp lệ:" in html


def test_a_group_without_units_is_pointed_out(db, admin_client):
    admin_client.post(reverse("campaign-list"), form())
    html = admin_client.get(reverse("campaign-list")).content.decode()
    assert "Nhóm chưa có đơn vị nào: «Phòng, ban, ngành huyện» (mã nhóm department), «Xã, thị trấn» (mã nhóm commune)" \
        in html


def test_the_service_refuses_an_invalid_base_rubric(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        campaign_create_from(base={"code": "x"}, actor=None, code="y")
    assert info.value.messages[0] == "Tệp tiêu chí không hợp lệ:"
    assert Campaign.objects.count() == 0


@pytest.mark.parametrize(("start", "example"), [("12/01/2026", "01/2026"), ("", "06/2021")])
def test_a_wrong_month_is_explained_with_a_month_of_the_window_typed(db, admin_client, start, example):
    """The months field's example follows the window's start once typed; with none yet, Plan 211's."""
    html = errors_of(admin_client.post(reverse("campaign-list"), form(start=start, months="13/2026")))
    assert f"«13/2026» không phải là tháng hợp lệ; ghi theo dạng tháng/năm, ví dụ {example}." in html
    assert not Campaign.objects.exists()
