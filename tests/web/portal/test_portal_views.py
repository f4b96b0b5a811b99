"""The reviewer's upload → preview → import flow, and what it does with bad files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.web.portal.conftest import dossier
from thidua.portal.models import Dossier, PendingUpload, PortalImport, UnitAlias


def _upload(client, path_or_bytes, name="ho-so.csv", kind="dossiers"):
    content = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return client.post(reverse("portal-upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_a_reviewer_uploads_previews_and_imports(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    response = _upload(client, dossier_csv([dossier("HS-1"), dossier("HS-2", unit="Thị trấn Một Ngàn")]))
    assert response.status_code == 302
    pending = PendingUpload.objects.get()
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "Đọc 2 dòng hồ sơ; 2 dòng hợp lệ." in body
    assert "Xã Tân Hòa" in body and "tháng 7/2021" in body
    assert '<th class="num">Đúng hạn (mọi hình thức)</th>' in body  # unlike the online-only reconciliation
    assert Dossier.objects.count() == 0  # the preview writes nothing
    done = client.post(reverse("portal-confirm", args=[pending.pk]), follow=True)
    assert "Đã nhập «ho-so.csv»: thêm 2" in done.content.decode()
    assert Dossier.objects.count() == 2 and not PendingUpload.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "tệp rỗng (0 byte); hãy xuất lại danh sách từ cổng dịch vụ công."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "tệp"),
        (b"PK\x03\x04 broken zip", "tệp"),
        ("Họ tên;Địa chỉ\nAn;Cần Thơ\n".encode(), "tiêu đề"),
        ("Mã hồ sơ;Mức độ;Hình thức nộp;Đơn vị tiếp nhận;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả\n"
         "Tổng cộng;0\n".encode(),
         "chỉ có dòng tiêu đề (dòng 1), không có dòng hồ sơ nào bên dưới"),
    ],
    ids=["empty", "renamed-png", "corrupt-xlsx", "no-header", "header-only"],
)
def test_bad_files_get_a_vietnamese_message_and_import_nothing(client_for, personas, content, expected):
    client = client_for(personas["reviewer"])
    response = _upload(client, content, name="ho-so.xlsx")
    if response.status_code == 200:  # refused by the form itself (an empty file)
        assert expected in response.content.decode().lower()
    else:
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert expected in page.content.decode().lower()
        pending = PendingUpload.objects.get()
        refused = client.post(reverse("portal-confirm", args=[pending.pk]), follow=True)
        assert "Chưa nhập dòng nào" in refused.content.decode()
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_by_the_upload_form_and_nothing_is_kept(client_for, personas,
                                                                                      dossier_csv, settings):
    settings.THIDUA_MAX_IMPORT_BYTES = 1_048_576
    path = dossier_csv([dossier(f"HS-{i:05d}") for i in range(20_000)])
    size = path.stat().st_size
    size_mb = f"{size // 1_048_576},{size * 10 // 1_048_576 % 10}"
    assert size >= 2 * 1_048_576
    response = _upload(client_for(personas["reviewer"]), path)
    assert response.status_code == 200
    assert f"Tệp quá lớn ({size_mb} MB), vượt giới hạn 1 MB." in response.content.decode()
    assert not PendingUpload.objects.exists() and Dossier.objects.count() == 0


@pytest.mark.django_db
def test_row_errors_are_listed_with_row_numbers_and_block_the_import(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    response = _upload(client, dossier_csv([dossier("HS-1"), dossier("HS-1"), dossier("HS-3", received="hôm qua")]))
    body = client.get(response["Location"]).content.decode()
    assert "Dòng 5" in body and "Dòng 6" in body
    assert "Tệp còn 2 dòng có lỗi (xem ở trên): chưa thể nhập. Sửa tệp rồi tải lên lại." in body
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_the_preview_footer_counts_rows_as_the_summary_does(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    rows = [dossier("HS-1"), dossier("HS-2", received="hôm qua", due="mai"), dossier("HS-3", level="Mức độ 9")]
    body = client.get(_upload(client, dossier_csv(rows))["Location"]).content.decode()
    assert "3 lỗi ở 2 dòng:" in body
    assert "Tệp còn 2 dòng có lỗi (xem ở trên)" in body
    assert "(cần dạng ngày/tháng/năm, ví dụ 05/07/2021)" in body and "«hôm qua»" in body


@pytest.mark.django_db
def test_a_file_already_imported_is_said_so_on_its_preview(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    path = dossier_csv([dossier("HS-1"), dossier("HS-2")])
    first = client.get(_upload(client, path)["Location"]).content.decode()
    assert "đã được nhập lúc" not in first
    client.post(reverse("portal-confirm", args=[PendingUpload.objects.get().pk]))
    done = PortalImport.objects.get()
    again = client.get(_upload(client, path, name="ho-so-lan-2.csv")["Location"]).content.decode()
    when = done.imported_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M")
    assert (f"Tệp này (cùng nội dung) đã được nhập lúc {when} bởi {personas['reviewer'].display_name}; "
            "nhập lại chỉ cập nhật những dòng đã thay đổi.") in again
    other = client.get(_upload(client, dossier_csv([dossier("HS-1"), dossier("HS-9")], name="khac.csv"))["Location"])
    assert "đã được nhập lúc" not in other.content.decode()
    accounts = client.get(_upload(client, path, kind="accounts")["Location"])  # another kind: not the same import
    assert "đã được nhập lúc" not in accounts.content.decode()


@pytest.mark.django_db
def test_an_unknown_unit_name_is_mapped_in_the_preview_and_remembered(client_for, personas, dossier_csv, registry):
    client = client_for(personas["reviewer"])
    response = _upload(client, dossier_csv([dossier("HS-1", unit="UBND xã Tân Hòa mới")]))
    pending = PendingUpload.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "chưa có trong danh mục" in page and "Sửa tệp" not in page
    assert "hãy chọn đơn vị cho tên chưa có trong danh mục ở trên và bấm «Ghi nhớ»" in page
    client.post(reverse("portal-map-unit", args=[pending.pk]),
                {"raw_name": "UBND xã Tân Hòa mới", "unit": "X-TAN-HOA"})
    assert UnitAlias.objects.get().unit == registry["X-TAN-HOA"]
    assert "Nhập 1 dòng" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commune_reporter", "leader", "outsider"])
def test_only_reviewers_may_import(client_for, personas, persona, dossier_csv):
    client = client_for(personas[persona])
    assert client.get(reverse("portal-upload")).status_code == 403
    assert _upload(client, dossier_csv([dossier("HS-1")])).status_code == 403
    assert PendingUpload.objects.count() == 0


@pytest.mark.django_db
def test_a_reviewer_cannot_open_another_reviewers_pending_upload(client_for, personas, dossier_csv):
    from tests.web.conftest import make_user
    from thidua.units.models import User

    first = client_for(personas["reviewer"])
    _upload(first, dossier_csv([dossier("HS-1")]))
    pending = PendingUpload.objects.get()
    other = make_user("ruth", User.Role.REVIEWER)
    first.force_login(other)
    assert first.get(reverse("portal-preview", args=[pending.pk])).status_code == 404


@pytest.mark.django_db
def test_the_evidence_page_lists_a_units_dossiers_of_a_month_and_refuses_a_month_that_is_not_one(
        client_for, personas, dossier_csv):
    from thidua.portal.services import portal_import

    portal_import(path=dossier_csv([dossier("HS-1"), dossier("HS-2", unit="Thị trấn Một Ngàn"),
                                    dossier("HS-3", received="03/08/2021 08:00", due="10/08/2021",
                                            resolved="")]), kind="dossiers")
    client = client_for(personas["reviewer"])
    page = client.get("/cong-dvc/ho-so/X-TAN-HOA/2021-07/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "HS-1" in body and "HS-2" not in body and "HS-3" not in body
    for month in ("2021-13", "2021-00", "9999-99", "abcd-ef", "2021-1x"):
        assert client.get(f"/cong-dvc/ho-so/X-TAN-HOA/{month}/").status_code == 404, month
    assert client.get("/cong-dvc/ho-so/KHONG-CO/2021-07/").status_code == 404
    assert client_for(personas["commune_reporter"]).get("/cong-dvc/ho-so/X-TAN-HOA/2021-07/").status_code == 403


@pytest.mark.django_db
def test_the_preview_counts_a_unit_name_followed_by_its_province_as_the_unit(client_for, personas, dossier_csv):
    from thidua.units.models import Unit

    city = Unit.objects.create(code="CAN-THO", name="Thành phố Cần Thơ", level="province")
    Unit.objects.create(code="S-TU-PHAP-CT", name="Sở Tư pháp", level="department", group="department", parent=city)
    client = client_for(personas["reviewer"])
    response = _upload(client, dossier_csv([dossier("HS-1", unit="Sở Tư pháp thành phố Cần Thơ"),
                                            dossier("HS-2", unit="Trung tâm Phục vụ hành chính công TP. Cần Thơ")]))
    body = client.get(response["Location"]).content.decode()
    assert "Trung tâm Phục vụ hành chính công TP. Cần Thơ" in body  # not in this registry: asked for
    assert "Sở Tư pháp thành phố Cần Thơ" not in body  # counted for Sở Tư pháp


@pytest.mark.django_db
def test_the_preview_names_the_online_dossiers_in_the_campaigns_words(client_for, personas, dossier_csv, campaign):
    """A 2026 campaign counts «trực tuyến toàn trình, một phần» (Decree 42/2022), not Plan 211's levels 3 and 4."""
    campaign.online_wording = "trực tuyến toàn trình, một phần"
    campaign.save()
    client = client_for(personas["reviewer"])
    body = client.get(_upload(client, dossier_csv([dossier("HS-1", level="Toàn trình")]))["Location"]).content.decode()
    assert '<th class="num">Hồ sơ trực tuyến toàn trình, một phần</th>' in body
    assert "mức 3, 4" not in body and "mức độ 3, 4" not in body


@pytest.mark.django_db
def test_a_workbook_whose_cells_lie_far_apart_is_refused_at_the_upload_and_nothing_is_kept(client_for, personas,
                                                                                           tmp_path):
    """Opening its preview laid the sheet out whole (17 billion cells): the server's worker was killed (SIGABRT)
    every time the page was opened."""
    from tests.portal.parsing.test_portal_parsing_files import far_cell_workbook, sheet_cell

    path = tmp_path / "ho-so.xlsx"
    far_cell_workbook(path, f'<row r="1">{sheet_cell("A1", "Mã hồ sơ")}</row>'
                            f'<row r="1048576">{sheet_cell("XFD1048576", "x")}</row>')
    response = _upload(client_for(personas["reviewer"]), path, name="ho-so.xlsx")
    assert response.status_code == 200
    assert "Tệp «ho-so.xlsx» có ô dữ liệu trải trên 1.048.576 dòng × 16.384 cột" in response.content.decode()
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db
def test_an_ods_whose_cell_is_repeated_into_millions_is_refused_at_the_upload(client_for, personas, tmp_path):
    """About a kilobyte that the reader made into 90 million copies of a value: 11 GB in the server's worker."""
    from tests.portal.parsing.test_portal_parsing_files import ods_cell, ods_row, ods_workbook

    path = tmp_path / "ho-so.ods"
    ods_workbook(path, ods_row(ods_cell("x", 1000), 90_000))
    response = _upload(client_for(personas["reviewer"]), path, name="ho-so.ods")
    assert response.status_code == 200
    assert "Tệp «ho-so.ods» có ô dữ liệu lặp lại thành 90.000.000 ô" in response.content.decode()
    assert not PendingUpload.objects.exists()


@pytest.mark.django_db
def test_a_file_the_server_cannot_keep_is_said_and_leaves_nothing(client_for, personas, dossier_csv, settings,
                                                                  tmp_path):
    """The media folder full or not writable (here its upload folder is a file): an error 500 before."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "portal-uploads").write_bytes(b"")
    response = _upload(client_for(personas["reviewer"]), dossier_csv([dossier("HS-1")]))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Chưa nhận tệp: máy chủ không lưu được tệp «ho-so.csv» vào thư mục tệp tải lên. Hãy báo quản trị hệ "
        "thống, rồi tải tệp lên lại."]
    assert not PendingUpload.objects.exists()
    assert [p.name for p in (tmp_path / "media").rglob("*")] == ["portal-uploads"]


@pytest.mark.django_db
def test_every_dossier_of_a_units_month_can_be_read_a_page_at_a_time(client_for, personas, dossier_csv):
    """A commune of a province receives thousands of dossiers a month: none is left out of its list."""
    import re

    from thidua.portal.services import portal_import

    codes = [f"000.00.01.H29-2107{i:06d}" for i in range(510)]
    portal_import(path=dossier_csv([dossier(code, received=f"{1 + i % 28:02d}/07/2021 08:00", due="30/07/2021",
                                            resolved="29/07/2021 09:00") for i, code in enumerate(codes)]),
                  kind="dossiers")
    client = client_for(personas["reviewer"])
    url = reverse("portal-evidence", args=["X-TAN-HOA", "2021-07"])
    first = client.get(url).content.decode()
    assert "510 hồ sơ; hồ sơ thứ 1–200." in first and "Trang 1/3" in first
    shown = []
    for number in (1, 2, 3):
        page = client.get(f"{url}?trang={number}").content.decode()
        shown += re.findall(r'<td data-label="Mã">([^<]+)</td>', page)
    assert sorted(shown) == sorted(codes)
