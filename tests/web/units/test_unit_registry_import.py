"""unit_registry_import: a registry file creates and updates units by code, whole or not at all, audited."""

from __future__ import annotations

import hashlib

import pytest

from tests.web.units.conftest import PROVINCE_ROWS, unit
from thidua.campaigns.models import Campaign
from thidua.core.models import AuditEvent
from thidua.units.models import Unit
from thidua.units.registry_file import render_template_file
from thidua.units.selectors import unit_registry_plan
from thidua.units.services import UnitImportRejected, unit_registry_import

SAMPLE = "danh-muc-don-vi-chau-thanh-a-2021.csv"


def _sample(tmp_path, name=SAMPLE):
    path = tmp_path / name
    path.write_bytes(render_template_file(name))
    return path


def _snapshot():
    return sorted(Unit.objects.values_list("code", "name", "level", "group", "parent__code", "head_name",
                                           "head_title", "sort_order", "active", "description"))


@pytest.mark.django_db
def test_the_sample_file_builds_the_2021_registry_on_an_empty_installation(tmp_path, admin_user):
    path = _sample(tmp_path)
    outcome = unit_registry_import(path=path, actor=admin_user)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (24, 0, 0)
    tan_hoa = Unit.objects.get(code="X-TAN-HOA")
    assert (tan_hoa.name, tan_hoa.level, tan_hoa.group, tan_hoa.parent.code) == (
        "Xã Tân Hòa", "commune", "commune", "CHAU-THANH-A")
    assert (tan_hoa.head_name, tan_hoa.head_title, tan_hoa.sort_order, tan_hoa.active) == (
        "Võ Thị Thu", "Chủ tịch UBND", 15, True)
    assert Unit.objects.get(code="CHAU-THANH-A").parent.code == "HAU-GIANG"
    assert Unit.objects.get(code="HAU-GIANG").parent is None
    assert Unit.objects.get(code="P-NOI-VU").level == "department"
    event = AuditEvent.objects.get(action="units.imported")
    assert event.actor == admin_user
    assert "thêm mới 24, cập nhật 0, không đổi 0" in event.summary and SAMPLE in event.summary
    assert event.after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert event.after["file"] == SAMPLE and len(event.after["created_codes"]) == 24


@pytest.mark.django_db
def test_the_sample_file_describes_the_demo_registry_exactly(registry, tmp_path):
    before = _snapshot()
    for name in (SAMPLE, "danh-muc-don-vi-chau-thanh-a-2021.xlsx"):
        outcome = unit_registry_import(path=_sample(tmp_path, name))
        assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 24), name
    assert _snapshot() == before


@pytest.mark.django_db
def test_an_xlsx_with_title_rows_and_a_blank_row_imports_with_numbers_as_numbers(registry_xlsx):
    path = registry_xlsx([
        unit("HAU-GIANG", "Tỉnh Hậu Giang", "Tỉnh", "", order=0),
        unit("CHAU-THANH-A", "Huyện Châu Thành A", "Huyện", "", "HAU-GIANG", order=1),
        unit("X-TAN-HOA", "Xã Tân Hòa", "Xã", "Khối xã, thị trấn", "CHAU-THANH-A", "Võ Thị Thu", "Chủ tịch UBND",
             15, "Có", "Xã thuộc huyện Châu Thành A."),
        unit("P-TU-PHAP", "Phòng Tư pháp", "Phòng", "Khối phòng, ban, ngành", "CHAU-THANH-A", order=103),
    ])
    outcome = unit_registry_import(path=path)
    assert outcome.created == 4
    tan_hoa = Unit.objects.get(code="X-TAN-HOA")
    assert (tan_hoa.sort_order, tan_hoa.group, tan_hoa.description) == (15, "commune", "Xã thuộc huyện Châu Thành A.")
    assert Unit.objects.get(code="P-TU-PHAP").group == "department"


@pytest.mark.django_db
def test_a_second_import_of_the_same_file_changes_nothing(registry_csv, campaign):
    path = registry_csv([unit("HAU-GIANG", "Tỉnh Hậu Giang", "Tỉnh", ""),
                         unit("X-TAN-HOA", "Xã Tân Hòa", parent="HAU-GIANG", order="3")])
    unit_registry_import(path=path)
    before, version = _snapshot(), Campaign.objects.get().data_version
    outcome = unit_registry_import(path=path)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert _snapshot() == before
    assert Campaign.objects.get().data_version == version  # nothing changed: the cached scores stay
    assert AuditEvent.objects.filter(action="units.imported").count() == 2


@pytest.mark.django_db
def test_a_renamed_unit_is_updated_in_place_and_only_the_name_changes(registry, registry_csv, campaign):
    version = Campaign.objects.get().data_version
    rows = [unit("X-TAN-HOA", "Xã Tân Hòa (mới)", "Xã", "commune", "CHAU-THANH-A", "Võ Thị Thu", "Chủ tịch UBND",
                 "15", "Có", registry["X-TAN-HOA"].description)]
    plan = unit_registry_plan(path=registry_csv(rows))
    assert [(c.code, c.action, c.diffs) for c in plan.changes] == [
        ("X-TAN-HOA", "update", (("name", "Xã Tân Hòa", "Xã Tân Hòa (mới)"),))]
    outcome = unit_registry_import(path=registry_csv(rows))
    assert outcome.updated == 1
    renamed = Unit.objects.get(code="X-TAN-HOA")
    assert renamed.pk == registry["X-TAN-HOA"].pk and renamed.name == "Xã Tân Hòa (mới)"
    event = AuditEvent.objects.get(action="units.imported")
    assert event.before == {"X-TAN-HOA": {"name": "Xã Tân Hòa"}}
    assert event.after["changes"] == {"X-TAN-HOA": {"name": "Xã Tân Hòa (mới)"}}
    assert Campaign.objects.get().data_version > version  # who competes, under which name: scores recomputed
    from thidua.portal.models import UnitAlias  # exports that still write the former name keep matching

    remembered = [(a.raw_name, a.unit.code) for a in UnitAlias.objects.select_related("unit")]
    assert remembered == [("Xã Tân Hòa", "X-TAN-HOA")]


@pytest.mark.django_db
def test_invisible_control_characters_in_a_cell_are_dropped_as_the_web_forms_drop_them(registry, registry_csv):
    # A cell pasted from Word can carry a control character no one sees (U+0001) and a manual line break
    # (U+000B): the name is the one the person sees, so the unit is unchanged instead of renamed to it
    rows = [unit("X-TAN-HOA", "\x01\x0bXã Tân Hòa\x7f", "Xã", "commune", "CHAU-THANH-A", "Võ Thị\x02 Thu",
                 "Chủ tịch UBND", "15", "Có", registry["X-TAN-HOA"].description + "\x03")]
    plan = unit_registry_plan(path=registry_csv(rows))
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 1), [(c.code, c.diffs) for c in plan.changes]


@pytest.mark.django_db
def test_units_absent_from_the_file_are_left_as_they_are(registry, registry_csv):
    unit_registry_import(path=registry_csv([unit("X-MOI", "Xã Mới", parent="CHAU-THANH-A")]))
    assert Unit.objects.filter(active=True).count() == 25
    assert Unit.objects.get(code="X-MOI").parent == registry["CHAU-THANH-A"]


@pytest.mark.django_db
def test_missing_columns_and_blank_order_or_status_keep_the_current_values(registry, registry_csv):
    header = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Thứ tự", "Đang hoạt động"]
    plan = unit_registry_plan(path=registry_csv([["P-Y-TE", "Phòng Y tế", "Phòng", "", ""]], header=header))
    assert plan.unchanged == 1  # group, parent, head and description are not in the file; order and status blank
    unit_registry_import(path=registry_csv([["P-Y-TE", "Phòng Y tế", "Phòng", "", "Không"]], header=header))
    retired = Unit.objects.get(code="P-Y-TE")
    assert (retired.active, retired.group, retired.parent.code, retired.sort_order) == (
        False, "department", "CHAU-THANH-A", 111)


@pytest.mark.django_db
def test_a_parent_may_come_later_in_the_file(registry_csv):
    path = registry_csv([
        unit("X-A", "Xã A", parent="H-B"),
        unit("H-B", "Huyện B", "Huyện", "", parent="T-C"),
        unit("T-C", "Tỉnh C", "Tỉnh", ""),
    ])
    unit_registry_import(path=path)
    assert Unit.objects.get(code="X-A").parent.code == "H-B"
    assert Unit.objects.get(code="H-B").parent.code == "T-C"


@pytest.mark.django_db
def test_a_province_with_departments_and_communes_and_no_district(registry_csv):
    outcome = unit_registry_import(path=registry_csv(PROVINCE_ROWS))
    assert outcome.created == 7
    levels = dict(Unit.objects.values_list("code", "level"))
    assert levels == {"CAN-THO": "province", "S-NOI-VU": "department", "S-TU-PHAP": "department",
                      "VP-UBND-TP": "department", "P-NINH-KIEU": "commune", "X-PHONG-DIEN": "commune",
                      "X-THANH-AN": "commune"}
    assert set(Unit.objects.exclude(code="CAN-THO").values_list("parent__code", flat=True)) == {"CAN-THO"}
    groups = dict(Unit.objects.values_list("code", "group"))
    assert groups["S-NOI-VU"] == groups["S-TU-PHAP"] == "department"
    assert groups["P-NINH-KIEU"] == groups["X-THANH-AN"] == "commune" and groups["CAN-THO"] == ""


@pytest.mark.django_db
def test_english_headers_without_title_rows_are_read_too(registry_csv):
    header = ["Code", "Name", "Level", "Group", "Parent code", "Active"]
    unit_registry_import(path=registry_csv([["hg", "Tỉnh Hậu Giang", "province", "", "", "yes"],
                                            ["x-1", "Xã Một", "commune", "commune", "HG", "no"]], header=header))
    one = Unit.objects.get(code="X-1")
    assert (one.parent.code, one.active, one.group) == ("HG", False, "commune")


ROW_ERRORS = [
    ("missing code", [unit("", "Xã Không Mã")], "Dòng 4: thiếu mã đơn vị."),
    ("missing name", [unit("X-A", "")], "Dòng 4: thiếu tên đơn vị."),
    ("bad code", [unit("X-A", "Xã A"), unit("XÃ TÂN", "Xã Tân")],
     "Dòng 5: mã đơn vị «XÃ TÂN» không hợp lệ"),
    ("unknown level", [unit("X-A", "Xã A", "Ấp")], "Dòng 4: cấp «Ấp» không hợp lệ"),
    ("missing level", [unit("X-A", "Xã A", "")], "Dòng 4: thiếu cấp đơn vị"),
    ("unknown group", [unit("X-A", "Xã A", group="Khối doanh nghiệp")],
     "Dòng 4: nhóm thi đua «Khối doanh nghiệp» không hợp lệ"),
    ("duplicate code", [unit("X-A", "Xã A"), unit("X-B", "Xã B"), unit("x-a", "Xã A lần hai")],
     "Dòng 6: mã đơn vị «X-A» trùng với dòng 4."),
    ("unknown parent", [unit("X-A", "Xã A"), unit("X-B", "Xã B"), unit("X-C", "Xã C"), unit("X-D", "Xã D", parent="X")],
     "Dòng 7: mã đơn vị cấp trên «X» không có trong tệp hay danh mục."),
    ("own parent", [unit("X-A", "Xã A", parent="X-A")], "Dòng 4: đơn vị «X-A» không thể là cấp trên của chính nó."),
    ("cycle", [unit("H-A", "Huyện A", "Huyện", "", parent="H-C"), unit("H-B", "Huyện B", "Huyện", "", parent="H-A"),
               unit("H-C", "Huyện C", "Huyện", "", parent="H-B")],
     "Dòng 4: các đơn vị cấp trên tạo vòng lặp: H-A → H-C → H-B → H-A."),
    ("commune under a commune", [unit("X-A", "Xã A", parent="X-TAN-HOA")],
     "Dòng 4: «X-A» là đơn vị cấp xã, không thể trực thuộc «X-TAN-HOA» (đơn vị cấp xã); đơn vị cấp trên "
     "phải là đơn vị cấp tỉnh hoặc đơn vị cấp huyện."),
    ("district under a district in the same file", [unit("H-A", "Huyện A", "Huyện", "", parent="HAU-GIANG"),
                                                    unit("H-B", "Huyện B", "Huyện", "", parent="H-A")],
     "Dòng 5: «H-B» là đơn vị cấp huyện, không thể trực thuộc «H-A» (đơn vị cấp huyện); đơn vị cấp trên "
     "phải là đơn vị cấp tỉnh."),
    ("a district made a commune while its units stay", [unit("CHAU-THANH-A", "Xã Châu Thành A", parent="HAU-GIANG")],
     "Dòng 4: «CHAU-THANH-A» thành đơn vị cấp xã thì 21 đơn vị đang trực thuộc nó không thể trực thuộc nữa "
     "(BP-MOT-CUA, P-GD-DT, "),
    ("long name", [unit("X-A", "Xã " + "A" * 250)], "Dòng 4: tên đơn vị dài 253 ký tự, tối đa 200 ký tự."),
    ("long head", [unit("X-A", "Xã A", head="Ô" * 121)], "Dòng 4: thủ trưởng dài 121 ký tự, tối đa 120 ký tự."),
    ("long title", [unit("X-A", "Xã A", title="C" * 130)], "Dòng 4: chức vụ thủ trưởng dài 130 ký tự"),
    ("bad order", [unit("X-A", "Xã A", order="thứ ba")], "Dòng 4: thứ tự «thứ ba» phải là số nguyên không âm."),
    ("negative order", [unit("X-A", "Xã A", order="-1")], "Dòng 4: thứ tự «-1» phải là số nguyên không âm."),
    ("bad status", [unit("X-A", "Xã A", active="tạm dừng")], "Dòng 4: cột Đang hoạt động «tạm dừng» không hợp lệ"),
]


@pytest.mark.django_db
def test_values_at_the_files_limits_are_what_the_unit_model_accepts(registry_csv):
    # the reader is pure Python and restates the model's code pattern and lengths: at the limit both agree
    code = "X" + "-A" * 31  # 63 characters
    path = registry_csv([unit(code, "Xã " + "A" * 197, head="Ô" * 120, title="C" * 120, order="2147483647")])
    assert unit_registry_import(path=path).created == 1
    saved = Unit.objects.get(code=code)
    saved.full_clean()
    assert (len(saved.name), len(saved.head_name), len(saved.head_title)) == (200, 120, 120)


@pytest.mark.django_db
@pytest.mark.parametrize(("rows", "expected"), [pytest.param(r, e, id=i) for i, r, e in ROW_ERRORS])
def test_a_row_error_names_its_row_and_nothing_is_written(registry, registry_csv, rows, expected):
    before, events = _snapshot(), AuditEvent.objects.count()
    good = [unit("X-MOI", "Xã Mới", parent="CHAU-THANH-A"), unit("X-TAN-HOA", "Xã Tân Hòa đổi tên")]
    path = registry_csv([*rows, *good])
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=path)
    assert any(m.startswith(expected) for m in excinfo.value.messages), excinfo.value.messages
    assert _snapshot() == before and AuditEvent.objects.count() == events
    plan = unit_registry_plan(path=path)
    assert not plan.ok and plan.changes == []


@pytest.mark.django_db
def test_every_error_of_the_file_is_listed_in_row_order(registry_csv):
    path = registry_csv([unit("X-A", "Xã A", "Ấp"), unit("X-B", "", parent="KHONG-CO"), unit("X-C", "Xã C",
                                                                                            parent="KHONG-CO")])
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=path)
    rows = [m.split(":")[0] for m in excinfo.value.messages]
    assert rows == ["Dòng 4", "Dòng 5", "Dòng 6"]


@pytest.mark.django_db
def test_a_parent_whose_own_row_has_an_error_is_not_called_missing(registry_csv):
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=registry_csv([unit("X-A", "Xã A", parent="H-B"), unit("H-B", "Huyện B", "Ấp", "")]))
    assert [m[:24] for m in excinfo.value.messages] == ["Dòng 5: cấp «Ấp» không h"]


@pytest.mark.django_db
def test_a_parent_already_in_the_registry_is_found_and_a_cycle_through_it_is_refused(registry, registry_csv):
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=registry_csv([unit("HAU-GIANG", "Tỉnh Hậu Giang", "Tỉnh", "", "CHAU-THANH-A")]))
    assert excinfo.value.messages == [
        "Dòng 4: «HAU-GIANG» là đơn vị cấp tỉnh, không có đơn vị cấp trên; để trống mã đơn vị cấp trên.",
        "Dòng 4: các đơn vị cấp trên tạo vòng lặp: HAU-GIANG → CHAU-THANH-A → HAU-GIANG."]
    assert Unit.objects.get(code="HAU-GIANG").parent is None


WHOLE_FILE = [
    ("empty", b"", "rỗng (0 byte)"),
    ("image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "thực chất là ảnh PNG"),
    ("broken zip", b"PK\x03\x04 broken", "Tệp Excel bị hỏng"),
    ("no header", "Danh sách\nmột,hai,ba\n".encode(), "Không tìm thấy dòng tiêu đề cột"),
    ("missing column", "Mã đơn vị,Tên đơn vị\nX-A,Xã A\n".encode(), "Thiếu cột «Cấp»"),
    ("header only", "\ufeffMã đơn vị,Tên đơn vị,Cấp\n,,\n".encode(), "không có dòng đơn vị nào dưới dòng tiêu đề"),
    ("not utf-8", "Ma don vi,Ten don vi,Cap\nX-A,Xã Á,Xã\n".encode("latin-1"), "không phải mã UTF-8"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "expected"), [pytest.param(c, e, id=i) for i, c, e in WHOLE_FILE])
def test_a_file_that_is_not_a_registry_is_refused_with_one_sentence(tmp_path, content, expected):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=path)
    assert len(excinfo.value.messages) == 1 and expected in excinfo.value.messages[0]
    assert "cổng dịch vụ công" not in excinfo.value.messages[0].lower()
    assert not Unit.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.THIDUA_MAX_IMPORT_BYTES = 1024
    path = tmp_path / "lon.csv"
    path.write_text("Mã đơn vị,Tên đơn vị,Cấp\n" + "X-A,Xã A,Xã\n" * 200, encoding="utf-8")
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=path)
    assert "quá lớn" in excinfo.value.messages[0] and not Unit.objects.exists()
    assert "từng tháng" not in excinfo.value.messages[0]  # the portal's advice is not for a registry


@pytest.mark.django_db
def test_a_dry_run_plans_and_writes_nothing(registry_csv):
    outcome = unit_registry_import(path=registry_csv(PROVINCE_ROWS), dry_run=True)
    assert outcome.dry_run and outcome.created == 7
    assert not Unit.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_section_may_belong_to_a_department_and_a_commune_to_a_province(registry, registry_csv):
    path = registry_csv([unit("BP-MOT-CUA-TP", "Bộ phận một cửa Phòng Tư pháp", "Phòng", "", parent="P-TU-PHAP"),
                         unit("X-MOI", "Xã Mới", parent="HAU-GIANG")])
    assert unit_registry_import(path=path).created == 2
    assert Unit.objects.get(code="BP-MOT-CUA-TP").parent.code == "P-TU-PHAP"


@pytest.mark.django_db
def test_a_file_of_more_than_ten_thousand_units_is_not_a_registry(registry, registry_csv):
    rows = [unit(f"X-{i}", f"Xã {i}", parent="CHAU-THANH-A") for i in range(10_000)]
    assert unit_registry_plan(path=registry_csv(rows)).ok  # exactly the limit: read
    before = _snapshot()
    with pytest.raises(UnitImportRejected) as excinfo:
        unit_registry_import(path=registry_csv([*rows, unit("X-10000", "Xã 10000", parent="CHAU-THANH-A")]))
    assert excinfo.value.messages == [
        "Tệp «danh-muc.csv» có hơn 10.000 dòng đơn vị; đây không phải danh mục đơn vị của một tỉnh hay huyện."]
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_registry_import_reaches_the_standing_of_a_campaign_not_shown_now(registry, registry_csv, campaign, settings):
    """The registry is every campaign's: a commune added while another campaign is applied is in this one's
    standing once it is applied again (its cached scorecards were kept, and the review matrix then failed)."""
    from thidua.campaigns.services import campaign_activate, campaign_create
    from thidua.reports.selectors import campaign_result, submission_matrix
    from thidua.scoring import load_rubric, plan_211

    settings.THIDUA_NOW = "2021-09-20T09:00:00+07:00"
    other_rubric = plan_211().to_data()
    other_rubric["code"] = "thu-nghiem-2021"

    assert "X-MOI" not in {c.code for c in campaign_result(campaign).scorecards}  # computed, cached
    other = campaign_create(rubric=load_rubric(other_rubric), active=False)
    campaign_activate(campaign=other, actor=None)
    unit_registry_import(path=registry_csv([unit("X-MOI", "Xã Mới", "Xã", "commune", "CHAU-THANH-A", "", "", "30",
                                                 "Có", "")]))
    campaign_activate(campaign=campaign, actor=None)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert "X-MOI" in {c.code for c in campaign_result(campaign).scorecards}
    _months, rows = submission_matrix(campaign)
    assert "X-MOI" in {u.code for u, _ in rows}
