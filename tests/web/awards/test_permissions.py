"""Who may see and change awards: reviewers decide, leaders read, reporters nominate only."""

from __future__ import annotations

import pytest

from tests.web.awards.conftest import close, report
from thidua.awards.models import MonthlyAward, YearEndProposal

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/khen-thuong/", "/khen-thuong/hang-thang/2021-06/", "/khen-thuong/cuoi-nam/", "/khen-thuong/ho-so/",
               "/xuat/bang-diem.xlsx", "/xuat/xep-hang.csv", "/xuat/khen-thuong.xlsx",
               "/xuat/tinh-hinh-bao-cao.xlsx", "/khen-thuong/van-ban/bang-tong-hop/cuoi-nam.docx"]


@pytest.fixture
def closed_june(campaign, personas):
    report(campaign, "TT-MOT-NGAN", accounts=1800)
    close(campaign, "2021-06", personas["reviewer"])
    return campaign


def decide(client):
    return client.post("/khen-thuong/hang-thang/2021-06/", {"unit": "TT-MOT-NGAN", "ceremony_date": "05/07/2021"})


def test_a_reporter_cannot_see_awards_decide_them_or_export(closed_june, personas, client_for):
    client = client_for(personas["commune_reporter"])
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 403, url
    assert decide(client).status_code == 403
    assert client.post("/khen-thuong/cuoi-nam/chot/").status_code == 403
    assert not MonthlyAward.objects.exists()


def test_a_leader_reads_everything_but_changes_nothing(closed_june, personas, client_for):
    client = client_for(personas["leader"])
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 200, url
    page = client.get("/khen-thuong/hang-thang/2021-06/").content.decode()
    assert "Xác nhận khen thưởng" not in page
    assert decide(client).status_code == 403
    assert client.post("/khen-thuong/cuoi-nam/chot/").status_code == 403
    assert client.post("/khen-thuong/thong-tin-huyen/", {"chairman_name": "X"}).status_code == 403
    assert client.post("/khen-thuong/de-cu/", {"full_name": "X"}).status_code == 403
    assert not MonthlyAward.objects.exists() and not YearEndProposal.objects.exists()


def test_a_signed_out_visitor_is_sent_to_the_login_page(closed_june, client):
    response = client.get("/khen-thuong/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_navigation_shows_awards_to_staff_and_nominations_to_reporters(closed_june, personas, client_for):
    assert "Khen thưởng" in client_for(personas["leader"]).get("/xep-hang/").content.decode()
    page = client_for(personas["commune_reporter"]).get("/bao-cao/").content.decode()
    assert "Đề cử cá nhân" in page
