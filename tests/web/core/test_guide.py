"""Hướng dẫn sử dụng: the active campaign's rules in words, always from its current rubric."""

from __future__ import annotations

from django.urls import reverse

from thidua.campaigns.services import campaign_update_rubric


def test_everyone_reads_the_rules_of_the_campaign_in_force(campaign, client):
    response = client.get(reverse("guide"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "chậm nhất ngày 25 của tháng" in html and "Tháng 11/2021: hạn 25/11/2021" in html
    assert "Trễ 1–3 ngày trừ 2 điểm; trễ từ 4 ngày trở lên trừ 5 điểm; không nộp trừ 5 điểm." in html
    assert "Từ 200 hồ sơ trở lên: 30 điểm, mỗi 20 hồ sơ thêm cộng 5 điểm; dưới 200 hồ sơ: 0 điểm." in html
    assert "Từ 150 hồ sơ trở lên: 30 điểm" in html  # the departments' own threshold
    assert "không đăng ký thủ tục nào: −5 điểm" in html
    assert "Chỉ đơn vị đạt từ 90 điểm trở lên được xếp hạng" in html
    assert ("Sau ngày kết thúc phong trào (18/12/2021) chỉ còn điều chỉnh được báo cáo bị trả lại để bổ sung."
            in html)
    assert "hạng 1 — 10.000.000 đ, 5 cá nhân" in html and "tối đa 7 tập thể và 15 cá nhân" in html
    assert "Cán bộ báo cáo của đơn vị (phòng, ban, ngành huyện; xã, thị trấn)" in html  # the rubric's groups
    assert "Cán bộ thẩm định Phòng Nội vụ" in html
    assert f'href="{reverse("guide")}"' in html  # in every page's footer


def test_a_changed_threshold_is_what_the_guide_says(campaign, personas, client):
    data = campaign.rubric_data
    dossiers = next(c for c in data["groups"]["commune"]["criteria"] if c["key"] == "dossiers")
    dossiers["threshold"] = 250
    campaign_update_rubric(campaign=campaign, actor=personas["admin"], data=data)
    html = client.get(reverse("guide")).content.decode()
    assert "Từ 250 hồ sơ trở lên: 30 điểm" in html and "Từ 200 hồ sơ" not in html


def test_without_a_campaign_the_guide_still_explains_the_roles(db, client):
    html = client.get(reverse("guide")).content.decode()
    assert "Chưa có phong trào thi đua nào đang áp dụng." in html and "Cán bộ thẩm định Phòng Nội vụ" in html


def test_every_page_starts_with_a_link_to_its_content(db, client):
    html = client.get(reverse("guide")).content.decode()
    assert '<a class="skip-link" href="#noi-dung">Chuyển đến nội dung chính</a>' in html
    assert '<main id="noi-dung"' in html
