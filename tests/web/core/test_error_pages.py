"""Bad addresses give a Vietnamese 404 page, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("url", [
    "/bao-cao/2021-13/nop/",
    "/bao-cao/2021-12/nop/",
    "/bao-cao/chi-tiet/999999/",
    "/xep-hang/?thang=abc",
    "/xep-hang/?thang=2021-13",
    "/don-vi/KHONG-CO-DON-VI/",
    "/minh-chung/999999/",
    "/ke-hoach/999999/",
    "/khong-co-trang-nay/",
])
def test_a_bad_url_is_a_vietnamese_404(campaign, personas, client_for, url):
    # A reporter on /xep-hang/ or a reviewer on /bao-cao/…/nop/ is refused (403) before the address is
    # looked at; whoever may open the page gets the Vietnamese 404 page.
    statuses = []
    for persona in ("commune_reporter", "reviewer"):
        response = client_for(personas[persona]).get(url)
        statuses.append(response.status_code)
        if response.status_code == 404:
            html = response.content.decode()
            assert "Không tìm thấy trang" in html
            assert '<html lang="vi">' in html
    assert 404 in statuses
    assert set(statuses) <= {403, 404}


def test_every_bad_url_reaches_the_404_page_for_someone(campaign, personas, client_for):
    reviewer = client_for(personas["reviewer"])
    assert reviewer.get("/xep-hang/?thang=abc").status_code == 404
    reporter = client_for(personas["commune_reporter"])
    assert reporter.get("/bao-cao/2021-13/nop/").status_code == 404
    assert reporter.get(reverse("report-detail", args=[999999])).status_code == 404


def test_the_404_page_works_without_a_campaign(db, client):
    response = client.get(reverse("public-leaderboard"))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Chưa có phong trào thi đua nào đang áp dụng" in html
    assert reverse("campaign-list") not in html  # the way to create one is for administrators


def test_a_403_page_is_in_vietnamese(campaign, personas, client_for):
    response = client_for(personas["commune_reporter"]).get(reverse("unit-scorecard", args=["TT-MOT-NGAN"]))
    assert response.status_code == 403
    assert "Bạn chỉ được xem số liệu của đơn vị mình." in response.content.decode()


def test_the_400_and_500_pages_are_in_vietnamese_and_fit_a_phone(rf):
    from thidua.core.views import bad_request, server_error

    for response in (server_error(rf.get("/")), bad_request(rf.get("/"))):
        html = response.content.decode()
        assert response.status_code in (400, 500)
        assert '<html lang="vi">' in html
        assert '<meta name="viewport"' in html
    assert "Đã có lỗi xảy ra" in server_error(rf.get("/")).content.decode()
