"""People's names in Vietnamese order, and the admin's lists in Vietnamese."""

from __future__ import annotations

import pytest

from thidua.units.models import User

pytestmark = pytest.mark.django_db


def test_a_full_name_puts_the_family_name_first():
    user = User(username="lanhdao", first_name="Văn Minh", last_name="Trần")
    assert user.get_full_name() == "Trần Văn Minh" == user.display_name
    assert User(username="x", first_name="Cán bộ báo cáo Xã Tân Hòa").display_name == "Cán bộ báo cáo Xã Tân Hòa"
    assert User(username="ai-do").display_name == "ai-do"


def test_the_admin_lists_users_and_units_in_vietnamese(campaign, personas, client):
    boss = User.objects.create_superuser(username="quan-tri", password="x", first_name="Thanh Bình",
                                         last_name="Nguyễn")
    client.force_login(boss)
    users = client.get("/quan-tri/units/user/").content.decode()
    assert "Họ và tên" in users and "Nguyễn Thanh Bình" in users and "Get full name" not in users
    assert "Xã, thị trấn" in users and "Phòng, ban, ngành huyện" in users  # the group filter
    filtered = client.get("/quan-tri/units/user/?nhom=commune").content.decode()
    assert "alice" in filtered and "dana" not in filtered
    units = client.get("/quan-tri/units/unit/").content.decode()
    assert "<td class=\"field-group_name\">Xã, thị trấn</td>" in units
    form = client.get(f"/quan-tri/units/user/{boss.pk}/change/").content.decode()
    assert form.index('name="last_name"') < form.index('name="first_name"')


def test_the_unit_page_chooses_the_group_by_its_name_and_keeps_a_group_no_campaign_names(
        db, registry, campaign, admin_client):
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(group="old-block")
    tan_hoa = Unit.objects.get(code="X-TAN-HOA")
    page = admin_client.get(f"/quan-tri/units/unit/{tan_hoa.pk}/change/").content.decode()
    assert '<select name="group"' in page
    assert '<option value="commune">Xã, thị trấn</option>' in page
    assert '<option value="old-block" selected>old-block</option>' in page
    assert '<option value="">(không tham gia thi đua)</option>' in page


def test_the_unit_page_takes_the_month_it_joined_as_vietnamese_offices_write_it(db, registry, campaign, admin_client):
    """«09/2021», as the registry file and the campaign's months are written, not only «2021-09»; shown back so."""
    from thidua.units.models import Unit

    tan_hoa = Unit.objects.get(code="X-TAN-HOA")
    url = f"/quan-tri/units/unit/{tan_hoa.pk}/change/"
    data = {"code": tan_hoa.code, "name": tan_hoa.name, "level": tan_hoa.level, "group": tan_hoa.group,
            "parent": tan_hoa.parent_id or "", "active": "on", "sort_order": tan_hoa.sort_order, "head_name": "",
            "head_title": "", "description": "", "_continue": "1"}
    response = admin_client.post(url, {**data, "first_month": "09/2021"})
    assert response.status_code == 302, response.content.decode()
    tan_hoa.refresh_from_db()
    assert tan_hoa.first_month == "2021-09"
    assert 'name="first_month" value="09/2021"' in admin_client.get(url).content.decode()
    admin_client.post(url, {**data, "first_month": "tháng 10/2021"})
    tan_hoa.refresh_from_db()
    assert tan_hoa.first_month == "2021-10"
    refused = admin_client.post(url, {**data, "first_month": "13/2021"}).content.decode()
    assert "«13/2021» không phải là tháng hợp lệ; ghi theo dạng tháng/năm, ví dụ 09/2021." in refused
    admin_client.post(url, {**data, "first_month": ""})
    tan_hoa.refresh_from_db()
    assert tan_hoa.first_month == ""
