"""Saved column layouts: an export with unknown headers is mapped once in the preview, then recognised."""

from __future__ import annotations

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from thidua.core.models import AuditEvent
from thidua.portal.models import Dossier, HeaderMapping, PendingUpload
from thidua.portal.services import HeaderNotFound, header_mapping_create, portal_import

VENDOR_HEADER = ["Số biên nhận", "Dịch vụ", "Cấp độ", "Kênh", "Nơi nhận hồ sơ", "Thời điểm nhận", "Hạn trả",
                 "Thời điểm trả"]
VENDOR_MAPPING = {"code": "Số biên nhận", "procedure": "Dịch vụ", "level": "Cấp độ", "channel": "Kênh",
                  "unit": "Nơi nhận hồ sơ", "received_at": "Thời điểm nhận", "due_at": "Hạn trả",
                  "resolved_at": "Thời điểm trả"}
# The form's column choices are 0-based column indexes of the header row (line 3 of the file).
VENDOR_COLUMNS = {"col_code": "0", "col_procedure": "1", "col_level": "2", "col_channel": "3", "col_unit": "4",
                  "col_received_at": "5", "col_due_at": "6", "col_resolved_at": "7", "col_status": ""}


@pytest.fixture
def vendor_csv(tmp_path):
    """vendor_csv(codes, name=...) writes an export in a layout none of the aliases fully recognise."""

    def write(codes, *, name="bien-nhan.csv"):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle, delimiter=";")
            out.writerow(["SỔ THEO DÕI BIÊN NHẬN HỒ SƠ"])
            out.writerow([])
            out.writerow(VENDOR_HEADER)
            for code in codes:
                out.writerow([code, "Đăng ký khai sinh", "Mức độ 3", "Trực tuyến", "Xã Tân Hòa",
                              "03/07/2021 08:00", "10/07/2021", "08/07/2021 10:00"])
        return path

    return write


def _upload(client, path):
    return client.post(reverse("portal-upload"),
                       {"kind": "dossiers", "file": SimpleUploadedFile(path.name, path.read_bytes())})


def _map(client, pending, **overrides):
    data = {"header_row": "3", "name": "Mẫu xuất của nhà cung cấp X", **VENDOR_COLUMNS, **overrides}
    return client.post(reverse("portal-map-headers", args=[pending.pk]), data)


@pytest.mark.django_db
def test_a_reviewer_maps_an_unknown_layout_in_the_preview_then_imports(client_for, personas, vendor_csv):
    client = client_for(personas["reviewer"])
    response = _upload(client, vendor_csv(["BN-1", "BN-2"]))
    pending = PendingUpload.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Thiếu 4 cột" in page and "Mức độ" in page  # the reader's Vietnamese message stays on the page
    assert "Khai báo cột cho mẫu tệp mới" in page
    assert "Dòng 3: Số biên nhận | Dịch vụ" in page  # the header row choice shows the row's first cells
    assert "— không có —" in page  # optional "Trạng thái" may stay unmapped

    saved = _map(client, pending)
    assert saved.status_code == 302 and saved["Location"] == reverse("portal-preview", args=[pending.pk])
    mapping = HeaderMapping.objects.get()
    assert mapping.mapping == VENDOR_MAPPING and mapping.active and mapping.created_by == personas["reviewer"]

    page = client.get(saved["Location"]).content.decode()
    assert "Đọc 2 dòng hồ sơ; 2 dòng hợp lệ." in page
    assert "Đọc cột theo mẫu đã lưu «Mẫu xuất của nhà cung cấp X»" in page
    done = client.post(reverse("portal-confirm", args=[pending.pk]), follow=True)
    assert "Đã nhập «bien-nhan.csv»: thêm 2" in done.content.decode()
    assert set(Dossier.objects.values_list("code", flat=True)) == {"BN-1", "BN-2"}
    assert Dossier.objects.get(code="BN-1").procedure == "Đăng ký khai sinh"


@pytest.mark.django_db
def test_a_second_file_of_the_same_layout_imports_without_a_mapping_step(client_for, personas, vendor_csv,
                                                                         capsys):
    header_mapping_create(kind="dossiers", name="Mẫu X", mapping=VENDOR_MAPPING, actor=personas["reviewer"])
    client = client_for(personas["reviewer"])
    response = _upload(client, vendor_csv(["BN-10", "BN-11", "BN-12"], name="thang-8.csv"))
    page = client.get(response["Location"]).content.decode()
    assert "Khai báo cột" not in page
    assert "Nhập 3 dòng" in page
    client.post(reverse("portal-confirm", args=[PendingUpload.objects.get().pk]))
    assert Dossier.objects.count() == 3

    call_command("import_portal", "dossiers", str(vendor_csv(["BN-20"], name="thang-9.csv")), "--no-progress")
    assert "thêm 1" in capsys.readouterr().out
    assert Dossier.objects.filter(code="BN-20").exists()
    event = AuditEvent.objects.filter(action="portal.imported").latest("pk")
    assert "mẫu cột «Mẫu X»" in event.summary


@pytest.mark.django_db
def test_an_explicit_mapping_is_used_without_being_saved(registry, vendor_csv):
    outcome = portal_import(path=vendor_csv(["BN-1"]), kind="dossiers", mapping=VENDOR_MAPPING)
    assert outcome.created == 1 and not HeaderMapping.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"col_level": ""}, "Trường «Mức độ» là bắt buộc: hãy chọn cột."),
        ({"col_resolved_at": "5"}, "Cột «Thời điểm nhận» được chọn cho nhiều trường (Ngày tiếp nhận, Ngày có kết quả)"),
        ({"name": ""}, "Vui lòng đặt tên cho mẫu cột."),
    ],
    ids=["missing-required-field", "column-used-twice", "no-name"],
)
def test_a_bad_mapping_is_refused_in_vietnamese_and_nothing_is_saved(client_for, personas, vendor_csv, overrides,
                                                                     expected):
    client = client_for(personas["reviewer"])
    _upload(client, vendor_csv(["BN-1"]))
    response = _map(client, PendingUpload.objects.get(), **overrides)
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body
    assert "Thiếu 4 cột" in body  # the file's problem is still shown next to the form
    assert not HeaderMapping.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="portal.header_mapping").exists()


@pytest.mark.django_db
def test_a_mapping_posted_for_a_file_that_is_no_table_is_refused_in_vietnamese(client_for, personas):
    # The header form is only shown for a table; a resent or hand-made form for a file that is none gets
    # the file's problem on its preview again, not an error 500.
    client = client_for(personas["reviewer"])
    client.post(reverse("portal-upload"), {"kind": "dossiers",
                                           "file": SimpleUploadedFile("ho-so.xlsx", bytes(range(256)) * 20)})
    response = _map(client, PendingUpload.objects.get())
    assert response.status_code == 400
    assert "Tệp «ho-so.xlsx» không phải bảng tính Excel (.xlsx, .xls) hay CSV." in response.content.decode()
    assert not HeaderMapping.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commune_reporter", "leader"])
def test_only_reviewers_may_save_or_deactivate_mappings(client_for, personas, vendor_csv, persona):
    reviewer = client_for(personas["reviewer"])
    _upload(reviewer, vendor_csv(["BN-1"]))
    pending = PendingUpload.objects.get()
    saved = header_mapping_create(kind="dossiers", name="Mẫu X", mapping=VENDOR_MAPPING, actor=personas["reviewer"])
    other = client_for(personas[persona])
    assert _map(other, pending, name="Mẫu khác").status_code == 403
    assert other.post(reverse("portal-header-mapping-deactivate", args=[saved.pk])).status_code == 403
    assert HeaderMapping.objects.count() == 1
    saved.refresh_from_db()
    assert saved.active


@pytest.mark.django_db
def test_a_deactivated_mapping_is_no_longer_tried(client_for, personas, vendor_csv):
    saved = header_mapping_create(kind="dossiers", name="Mẫu X", mapping=VENDOR_MAPPING, actor=personas["reviewer"])
    client = client_for(personas["reviewer"])
    upload_page = client.get(reverse("portal-upload")).content.decode()
    assert "Mẫu X" in upload_page and "Ngừng dùng" in upload_page
    done = client.post(reverse("portal-header-mapping-deactivate", args=[saved.pk]), follow=True)
    assert "Đã ngừng dùng mẫu cột «Mẫu X»." in done.content.decode()
    saved.refresh_from_db()
    assert not saved.active
    with pytest.raises(HeaderNotFound) as excinfo:
        portal_import(path=vendor_csv(["BN-1"]), kind="dossiers")
    assert "Thiếu 4 cột" in excinfo.value.messages[0]
    assert Dossier.objects.count() == 0
    assert "Chưa lưu mẫu cột nào." in client.get(reverse("portal-upload")).content.decode()


@pytest.mark.django_db
def test_saving_and_deactivating_are_audited(client_for, personas, vendor_csv):
    client = client_for(personas["reviewer"])
    _upload(client, vendor_csv(["BN-1"]))
    _map(client, PendingUpload.objects.get())
    saved = HeaderMapping.objects.get()
    client.post(reverse("portal-header-mapping-deactivate", args=[saved.pk]))
    created = AuditEvent.objects.get(action="portal.header_mapping.created")
    assert created.actor == personas["reviewer"] and created.object_id == str(saved.pk)
    assert created.after["mapping"] == VENDOR_MAPPING
    assert "Mẫu xuất của nhà cung cấp X" in created.summary
    stopped = AuditEvent.objects.get(action="portal.header_mapping.deactivated")
    assert stopped.actor == personas["reviewer"] and stopped.after == {"active": False}


@pytest.mark.django_db
def test_the_reviewer_can_pick_another_header_row(client_for, personas, vendor_csv):
    client = client_for(personas["reviewer"])
    response = _upload(client, vendor_csv(["BN-1"]))
    default = client.get(response["Location"]).content.decode()
    assert 'name="header_row" value="3"' in default and "C: Cấp độ" in default  # guessed: the row of names
    picked = client.get(response["Location"] + "?dong=1").content.decode()
    assert 'name="header_row" value="1"' in picked and "A: SỔ THEO DÕI BIÊN NHẬN HỒ SƠ" in picked
    assert "C: Cấp độ" not in picked


@pytest.mark.django_db
def test_account_lists_use_their_own_saved_layouts(registry, personas, tmp_path):
    path = tmp_path / "tai-khoan.csv"
    path.write_text("Người dùng;Nơi quản lý;Khởi tạo lúc\ncd-001;Xã Tân Hòa;05/07/2021\n", encoding="utf-8")
    with pytest.raises(HeaderNotFound):
        portal_import(path=path, kind="accounts")
    header_mapping_create(kind="dossiers", name="Mẫu X", mapping=VENDOR_MAPPING, actor=personas["reviewer"])
    header_mapping_create(kind="accounts", name="Mẫu tài khoản Y", actor=personas["reviewer"],
                          mapping={"account": "Người dùng", "unit": "Nơi quản lý", "created_at": "Khởi tạo lúc"})
    assert portal_import(path=path, kind="accounts").created == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({**VENDOR_MAPPING, "level": ""}, "Chưa chọn cột cho trường bắt buộc: Mức độ."),
        ({**VENDOR_MAPPING, "resolved_at": "thoi diem nhan"}, "Cột «thoi diem nhan» được chọn cho hai trường"),
        ({**VENDOR_MAPPING, "colour": "Màu"}, "Trường không có trong danh sách: colour."),
    ],
    ids=["missing-required-field", "column-used-twice", "unknown-field"],
)
def test_the_service_refuses_a_bad_mapping_too(personas, mapping, expected):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        header_mapping_create(kind="dossiers", name="Mẫu X", mapping=mapping, actor=personas["reviewer"])
    assert expected in excinfo.value.messages[0]
    assert not HeaderMapping.objects.exists()
