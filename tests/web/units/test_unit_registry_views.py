"""The administrator's registry import page: upload → preview → confirm, template files, who may use it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.units.conftest import PROVINCE_ROWS, unit
from thidua.core.models import AuditEvent
from thidua.units.models import Unit
from thidua.units.registry_file import HEADERS, TEMPLATE_FILES, render_template_file
from thidua.units.selectors import unit_registry_plan


def _upload(client, path_or_bytes, name="danh-muc.csv"):
    content = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return client.post(reverse("units-import"), {"file": SimpleUploadedFile(name, content)})


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_the_page_shows_the_registry_by_level_the_admin_link_and_the_templates(client_for, personas):
    body = client_for(personas["admin"]).get(reverse("units-import")).content.decode()
    assert "Nhập danh mục đơn vị" in body
    assert "Xã, phường, thị trấn, đặc khu: 10 đơn vị" in body
    assert "Cơ quan chuyên môn (phòng, sở, ban, ngành): 12 đơn vị" in body
    assert "Tỉnh, thành phố trực thuộc trung ương: 1 đơn vị" in body and "Xã Tân Hòa" in body
    assert 'href="/quan-tri/units/unit/"' in body
    for filename in TEMPLATE_FILES:
        assert reverse("units-import-template", args=[filename]) in body



@pytest.mark.django_db
def test_the_page_names_the_groups_as_the_campaign_does_not_by_their_keys(campaign, client_for, personas,
                                                                             registry_csv):
    client = client_for(personas["admin"])
    body = client.get(reverse("units-import")).content.decode()
    assert "Tên nhóm: «Xã, thị trấn» (hay «Khối xã, phường, thị trấn», «Xã»)" in body
    assert '<td data-label="Nhóm thi đua">Xã, thị trấn</td>' in body
    assert '<td data-label="Nhóm thi đua">Phòng, ban, ngành huyện</td>' in body
    assert '<td data-label="Nhóm thi đua">commune</td>' not in body
    response = _upload(client, registry_csv([unit("X-A", "Xã A", group="Khối doanh nghiệp")]))
    preview = client.get(response["Location"]).content.decode()
    assert "ghi tên nhóm: «Xã, thị trấn» (hay «Khối xã, phường, thị trấn», «Xã»)" in preview
    assert "commune" not in preview and "department" not in preview

@pytest.mark.django_db
def test_an_administrator_uploads_previews_and_confirms(client_for, personas, registry_csv, settings):
    client = client_for(personas["admin"])
    path = registry_csv([unit("X-MOI", "Xã Mới", parent="CHAU-THANH-A", head="Lê Văn Mới"),
                         unit("X-TAN-HOA", "Xã Tân Hòa", "Xã", "commune", "CHAU-THANH-A", "Võ Thị Thu",
                              "Chủ tịch xã", "15", "Có", Unit.objects.get(code="X-TAN-HOA").description),
                         unit("P-Y-TE", "Phòng Y tế", "Phòng", "department", "CHAU-THANH-A", "Quách Văn Toàn",
                              "Trưởng phòng", "111", "Có", Unit.objects.get(code="P-Y-TE").description)])
    response = _upload(client, path)
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "Thêm mới 1, cập nhật 1, không đổi 1 đơn vị." in body
    assert "Xã Mới" in body and "Chức vụ thủ trưởng: «Chủ tịch UBND» → «Chủ tịch xã»" in body
    assert reverse("units-import-confirm", args=[token]) in body
    assert not Unit.objects.filter(code="X-MOI").exists()  # the preview writes nothing
    done = client.post(reverse("units-import-confirm", args=[token]), follow=True)
    assert done.redirect_chain[-1][0] == reverse("units-import")
    assert "Đã nhập danh mục đơn vị từ tệp «danh-muc.csv»: thêm mới 1, cập nhật 1, không đổi 1." in _messages(done)
    assert Unit.objects.get(code="X-MOI").parent.code == "CHAU-THANH-A"
    assert Unit.objects.get(code="X-TAN-HOA").head_title == "Chủ tịch xã"
    event = AuditEvent.objects.get(action="units.imported")
    assert event.actor == personas["admin"]
    again = client.post(reverse("units-import-confirm", args=[token]), follow=True)  # a resent form
    assert any("Không còn tệp chờ nhập này" in m for m in _messages(again))
    assert AuditEvent.objects.filter(action="units.imported").count() == 1
    assert not list((Path(settings.MEDIA_ROOT) / "unit-imports").glob(f"{token}*"))  # the upload is gone


@pytest.mark.django_db
def test_an_xlsx_province_file_goes_through_the_pages(client_for, personas, registry_xlsx):
    client = client_for(personas["admin"])
    response = _upload(client, registry_xlsx(PROVINCE_ROWS), name="can-tho.xlsx")
    assert "Thêm mới 7, cập nhật 0, không đổi 0 đơn vị." in client.get(response["Location"]).content.decode()
    client.post(response["Location"] + "xac-nhan/")
    assert Unit.objects.get(code="X-THANH-AN").parent.code == "CAN-THO"


@pytest.mark.django_db
def test_row_errors_are_listed_with_their_rows_and_there_is_no_confirm_button(client_for, personas, registry_csv):
    client = client_for(personas["admin"])
    response = _upload(client, registry_csv([unit("X-A", "Xã A"), unit("X-B", "Xã B", "Ấp"),
                                             unit("X-C", "Xã C", parent="KHONG-CO")]))
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Tệp chưa nhập được (2 lỗi)" in body
    assert "Dòng 5: cấp «Ấp» không hợp lệ" in body
    assert "Dòng 6: mã đơn vị cấp trên «KHONG-CO» không có trong tệp hay danh mục." in body
    assert "Xác nhận nhập" not in body
    confirm = client.post(response["Location"] + "xac-nhan/")  # posted anyway: refused the same way
    assert confirm.status_code == 200 and "Dòng 5" in confirm.content.decode()
    assert not Unit.objects.filter(code="X-A").exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "danh-muc.xlsx", "thực chất là tệp PDF"),
    ("Họ tên,Địa chỉ\nAn,Cần Thơ\n".encode(), "danh-muc.csv", "Không tìm thấy dòng tiêu đề cột"),
    ("Mã đơn vị,Tên đơn vị\nX-A,Xã A\n".encode(), "danh-muc.csv", "Thiếu cột «Cấp»"),
])
def test_a_wrong_file_gets_a_vietnamese_sentence_and_nothing_is_written(client_for, personas, content, name,
                                                                         expected):
    client = client_for(personas["admin"])
    units = Unit.objects.count()
    response = _upload(client, content, name=name)
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and expected in preview.content.decode()
    assert "Xác nhận nhập" not in preview.content.decode()
    assert Unit.objects.count() == units


@pytest.mark.django_db
def test_a_file_over_the_limit_or_no_file_is_refused_on_the_form(client_for, personas, settings):
    client = client_for(personas["admin"])
    settings.THIDUA_MAX_IMPORT_BYTES = 2 * 1_048_576
    response = _upload(client, b"x" * (3 * 1_048_576))
    assert response.status_code == 200 and "Tệp quá lớn (3,0 MB), vượt giới hạn 2 MB." in response.content.decode()
    response = client.post(reverse("units-import"), {})
    assert "Vui lòng chọn tệp danh mục đơn vị." in response.content.decode()


@pytest.mark.django_db
def test_a_tampered_or_foreign_token_and_a_get_on_confirm_write_nothing(client_for, personas, registry_csv, client):
    admin = personas["admin"]
    other = type(admin).objects.create_user("quantri2", password="x", role="admin")
    owner = client_for(admin)
    location = _upload(owner, registry_csv([unit("X-A", "Xã A")]))["Location"]
    token = location.rstrip("/").rsplit("/", 1)[1]
    get = owner.get(reverse("units-import-confirm", args=[token]), follow=True)
    assert get.redirect_chain[-1][0] == location
    assert any("chỉ được nhập khi bấm nút «Xác nhận nhập»" in m for m in _messages(get))
    client.force_login(other)  # another administrator cannot use this upload
    for response in (client.get(location, follow=True),
                     client.post(reverse("units-import-confirm", args=[token]), follow=True),
                     client.post(reverse("units-import-confirm", args=["0" * 32]), follow=True),
                     client.get(reverse("units-import-preview", args=["khong-co-tep"]), follow=True),
                     client.get(reverse("units-import-preview", args=[token.upper()]), follow=True)):
        assert response.status_code == 200
        assert any("Không còn tệp chờ nhập này" in m for m in _messages(response))
    assert not Unit.objects.filter(code="X-A").exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_template_files_download_and_read_back(client_for, personas, tmp_path):
    client = client_for(personas["admin"])
    sample = client.get(reverse("units-import-template", args=["danh-muc-don-vi-chau-thanh-a-2021.csv"]))
    assert sample["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="danh-muc-don-vi-chau-thanh-a-2021.csv"' in sample["Content-Disposition"]
    assert sample.content.startswith("\ufeff".encode())
    lines = sample.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["Mã đơn vị", "Tên đơn vị", "Cấp"]
    assert [line.split(",")[0] for line in lines[1:3]] == ["HAU-GIANG", "CHAU-THANH-A"]  # parents first
    empty = client.get(reverse("units-import-template", args=["mau-danh-muc-don-vi.xlsx"]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(empty.content))
    assert book.sheetnames == ["Danh mục đơn vị", "Hướng dẫn"]
    assert [c.value for c in book["Danh mục đơn vị"][1]] == list(HEADERS)
    assert book["Danh mục đơn vị"].max_row == 1
    assert client.get(reverse("units-import-template", args=["khac.csv"])).status_code == 404
    for name in ("danh-muc-don-vi-chau-thanh-a-2021.csv", "danh-muc-don-vi-chau-thanh-a-2021.xlsx"):
        path = tmp_path / name
        path.write_bytes(render_template_file(name))
        plan = unit_registry_plan(path=path)
        assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 24)  # the demo registry, as the file says


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "commune_reporter", "reviewer", "leader"])
def test_only_an_administrator_may_import(client, personas, registry_csv, persona):
    if persona != "anonymous":
        client.force_login(personas[persona])
    path = registry_csv([unit("X-A", "Xã A")])
    requests = [
        client.get(reverse("units-import")),
        _upload(client, path),
        client.get(reverse("units-import-preview", args=["a" * 32])),
        client.post(reverse("units-import-confirm", args=["a" * 32])),
        client.get(reverse("units-import-template", args=["mau-danh-muc-don-vi.xlsx"])),
    ]
    for response in requests:
        if persona == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 403
    assert not Unit.objects.filter(code="X-A").exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_upload_left_for_more_than_a_day_expires_and_is_cleared(client_for, personas, registry_csv, settings):
    import json
    import os
    import time

    client = client_for(personas["admin"])
    location = _upload(client, registry_csv([unit("X-A", "Xã A")]))["Location"]
    token = location.rstrip("/").rsplit("/", 1)[1]
    folder = Path(settings.MEDIA_ROOT) / "unit-imports"
    meta = folder / f"{token}.json"
    stale = time.time() - 25 * 3600
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "saved": stale}))
    response = client.post(reverse("units-import-confirm", args=[token]), follow=True)
    assert any("quá 24 giờ" in m for m in _messages(response))
    assert not Unit.objects.filter(code="X-A").exists()
    for path in folder.glob(f"{token}.*"):
        os.utime(path, (stale, stale))
    _upload(client, registry_csv([unit("X-B", "Xã B")]))  # the next upload clears what expired
    assert not list(folder.glob(f"{token}.*"))


@pytest.mark.django_db
def test_a_workbook_whose_cells_lie_far_apart_is_refused_at_the_upload(client_for, personas, tmp_path, settings):
    """Its preview laid the sheet out whole (17 billion cells) and the server's worker was killed (SIGABRT)."""
    from tests.portal.parsing.test_portal_parsing_files import far_cell_workbook, sheet_cell

    path = tmp_path / "danh-muc.xlsx"
    far_cell_workbook(path, f'<row r="1">{sheet_cell("A1", "Mã đơn vị")}</row>'
                            f'<row r="1048576">{sheet_cell("XFD1048576", "x")}</row>')
    kept = Path(settings.MEDIA_ROOT) / "unit-imports"
    before = set(kept.glob("*"))
    response = _upload(client_for(personas["admin"]), path, name="danh-muc.xlsx")
    assert response.status_code == 200
    assert "Tệp «danh-muc.xlsx» có ô dữ liệu trải trên 1.048.576 dòng × 16.384 cột" in response.content.decode()
    assert set(kept.glob("*")) == before  # nothing kept to preview


@pytest.mark.django_db
def test_a_registry_file_the_server_cannot_keep_is_said_and_leaves_nothing(client_for, personas, settings, tmp_path):
    """The media folder full or not writable (here its upload folder is a file): an error 500 before."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "unit-imports").write_bytes(b"")
    response = _upload(client_for(personas["admin"]), render_template_file(TEMPLATE_FILES[0]))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Chưa nhận tệp: máy chủ không lưu được tệp «danh-muc.csv» vào thư mục tệp tải lên. Hãy báo quản trị hệ "
        "thống, rồi tải tệp lên lại."]
    assert [p.name for p in (tmp_path / "media").rglob("*")] == ["unit-imports"]


def test_a_registry_upload_the_disk_cannot_hold_leaves_no_half_file(settings, tmp_path, admin_user):
    """The disk fills up half way through: neither a half-written file nor its description is left."""
    import errno

    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from thidua.units.uploads import pending_save

    class DiskFillsUp(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"Ma don vi;Ten don vi\n"
            raise OSError(errno.ENOSPC, "No space left on device")

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as refused:
        pending_save(DiskFillsUp(b"", name="danh-muc.csv"), user=admin_user)
    assert refused.value.messages == [
        "Chưa nhận tệp: máy chủ không lưu được tệp «danh-muc.csv» vào thư mục tệp tải lên (ổ đĩa đã đầy). Hãy báo "
        "quản trị hệ thống, rồi tải tệp lên lại."]
    assert list((tmp_path / "unit-imports").iterdir()) == []
