"""portal_import: whole or nothing, idempotent re-imports, audited, remembered unit names."""

from __future__ import annotations

import pytest

from tests.web.portal.conftest import dossier
from thidua.core.models import AuditEvent
from thidua.portal.models import Dossier, PortalAccount, PortalImport, UnitAlias
from thidua.portal.services import ImportRejected, portal_import, unit_alias_remember


@pytest.mark.django_db
def test_it_imports_a_file_and_audits_who_when_which_file_and_counts(registry, personas, dossier_csv):
    path = dossier_csv([dossier("HS-001"), dossier("HS-002", unit="TT. Một Ngàn")])
    outcome = portal_import(path=path, kind="dossiers", actor=personas["reviewer"])
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 0)
    assert Dossier.objects.get(code="HS-002").unit.code == "TT-MOT-NGAN"
    event = AuditEvent.objects.get(action="portal.imported")
    assert event.actor == personas["reviewer"]
    assert event.after["file"] == "ho-so.csv" and event.after["created"] == 2
    assert "ho-so.csv" in event.summary


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing(registry, dossier_csv):
    path = dossier_csv([dossier("HS-001"), dossier("HS-002")])
    portal_import(path=path, kind="dossiers")
    before = list(Dossier.objects.values_list("code", "last_import_id"))
    outcome = portal_import(path=path, kind="dossiers")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert list(Dossier.objects.values_list("code", "last_import_id")) == before


@pytest.mark.django_db
def test_an_overlapping_file_updates_what_changed_and_adds_what_is_new(registry, dossier_csv):
    portal_import(path=dossier_csv([dossier("HS-001", resolved=""), dossier("HS-002")], name="a.csv"),
                  kind="dossiers")
    later = dossier_csv([dossier("HS-001", resolved="09/07/2021"), dossier("HS-002"), dossier("HS-003")],
                        name="b.csv")
    outcome = portal_import(path=later, kind="dossiers")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    assert str(Dossier.objects.get(code="HS-001").resolved_on) == "2021-07-09"
    assert Dossier.objects.get(code="HS-001").on_time is True


@pytest.mark.django_db
def test_a_file_with_one_bad_row_is_not_imported_at_all(registry, dossier_csv):
    path = dossier_csv([dossier("HS-001"), dossier("HS-002", due="31/02/2021")])
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=path, kind="dossiers")
    text = "\n".join(excinfo.value.messages)
    assert "Dòng 5" in text  # the title row, a blank line and the header come first
    assert Dossier.objects.count() == 0
    assert PortalImport.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_unit_is_refused_until_the_name_is_mapped_once(registry, personas, dossier_csv):
    path = dossier_csv([dossier("HS-001", unit="UBND xã Tân Hoà (cũ)")])
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=path, kind="dossiers")
    assert "chưa có trong danh mục" in "\n".join(excinfo.value.messages)
    unit_alias_remember(raw_name="UBND xã Tân Hoà (cũ)", unit=registry["X-TAN-HOA"], actor=personas["reviewer"])
    outcome = portal_import(path=path, kind="dossiers")
    assert outcome.created == 1
    assert UnitAlias.objects.count() == 1
    assert AuditEvent.objects.filter(action="portal.unit_alias").count() == 1


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(registry, dossier_csv):
    outcome = portal_import(path=dossier_csv([dossier("HS-001")]), kind="dossiers", dry_run=True)
    assert outcome.record is None and outcome.result.valid_rows == 1
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0


@pytest.mark.django_db
def test_a_renamed_binary_gets_one_clear_vietnamese_message(registry, tmp_path):
    path = tmp_path / "ho-so.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=path, kind="dossiers")
    assert len(excinfo.value.messages) == 1
    assert "tệp" in excinfo.value.messages[0].lower()


@pytest.mark.django_db
def test_text_is_cut_to_the_columns_and_a_code_at_the_limit_is_kept_whole(registry, dossier_csv):
    row = dossier("H" * 100)
    row[2], row[9] = "Thủ tục " + "dài " * 200, "Trạng thái " + "x" * 300
    portal_import(path=dossier_csv([row]), kind="dossiers")
    stored = Dossier.objects.get()
    assert stored.code == "H" * 100
    assert len(stored.procedure) == 500 and stored.procedure == row[2][:500]
    assert len(stored.status) == 200 and stored.status == row[9][:200]
    # a re-import compares the cut text, so nothing counts as changed
    outcome = portal_import(path=dossier_csv([row]), kind="dossiers")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)


@pytest.mark.django_db
def test_a_code_longer_than_the_column_is_refused_with_its_row(registry, dossier_csv):
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=dossier_csv([dossier("HS-001"), dossier("H" * 101)]), kind="dossiers")
    assert "Dòng 5: mã hồ sơ dài 101 ký tự, quá 100 ký tự." in excinfo.value.messages
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0


@pytest.mark.django_db
def test_account_lists_import_update_what_changed_and_keep_the_rest(registry, tmp_path):
    def write(name, lines):
        path = tmp_path / name
        path.write_text("Tên tài khoản;Loại tài khoản;Đơn vị;Ngày tạo\n" + "\n".join(lines) + "\n",
                        encoding="utf-8-sig")
        return path

    first = write("a.csv", ["cd-001;Công dân;Xã Tân Hòa;05/07/2021", "dn-002;Doanh nghiệp;TT. Một Ngàn;06/07/2021"])
    outcome = portal_import(path=first, kind="accounts")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 0)
    stored = PortalAccount.objects.get(account="dn-002")
    assert (stored.kind, stored.unit.code, str(stored.created_on), stored.created_month, stored.source_row) == (
        "business", "TT-MOT-NGAN", "2021-07-06", "2021-07", 3)
    assert stored.last_import == outcome.record
    later = write("b.csv", ["cd-001;Công dân;Xã Tân Hòa;05/07/2021", "dn-002;Doanh nghiệp;Xã Tân Hòa;06/07/2021",
                            "cd-003;Công dân;Xã Tân Hòa;01/08/2021"])
    outcome = portal_import(path=later, kind="accounts")
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    assert PortalAccount.objects.get(account="dn-002").unit.code == "X-TAN-HOA"
    assert PortalAccount.objects.get(account="dn-002").last_import == outcome.record
    assert PortalAccount.objects.get(account="cd-001").last_import != outcome.record


@pytest.mark.django_db
def test_each_key_has_one_unique_index_and_no_other(db):
    """An import writes every row into each index on the key: one, enforcing uniqueness, is enough."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model, key in ((Dossier, "code"), (PortalAccount, "account")):
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            on_key = [c for c in constraints.values() if c["columns"] == [key] and (c["index"] or c["unique"])]
            assert len(on_key) == 1 and on_key[0]["unique"], constraints


@pytest.mark.django_db
def test_a_unit_with_portal_rows_cannot_be_deleted(registry, tmp_path, dossier_csv):
    """The unit columns have no database constraint (the merge finds each id by joining the registry):
    Django's PROTECT still refuses to delete a unit that has dossiers or accounts, and nothing is lost."""
    from django.db.models import ProtectedError

    from thidua.units.models import Unit

    portal_import(path=dossier_csv([dossier("HS-001", unit="TT. Một Ngàn")]), kind="dossiers")
    accounts = tmp_path / "tai-khoan.csv"
    accounts.write_text("Tên tài khoản;Loại tài khoản;Đơn vị;Ngày tạo\ncd-001;Công dân;Xã Tân Hòa;05/06/2021\n",
                        encoding="utf-8")
    portal_import(path=accounts, kind="accounts")
    for code in ("TT-MOT-NGAN", "X-TAN-HOA"):
        with pytest.raises(ProtectedError):
            Unit.objects.get(code=code).delete()
    assert Dossier.objects.get(code="HS-001").unit.code == "TT-MOT-NGAN"
    assert PortalAccount.objects.get(account="cd-001").unit.code == "X-TAN-HOA"


def _stored():
    return list(Dossier.objects.order_by("code").values_list(
        "code", "unit__code", "procedure", "level", "channel", "received_on", "received_month", "due_on",
        "resolved_on", "on_time", "status", "source_row"))


@pytest.mark.django_db
def test_a_large_csv_read_by_columns_is_stored_as_the_row_by_row_scan_stores_it(registry, large_dossier_csv,
                                                                                monkeypatch):
    from thidua.portal.parsing import reader

    path, n = large_dossier_csv()
    monkeypatch.setattr(reader, "COLUMNAR_MIN_BYTES", 1 << 40)
    by_rows = portal_import(path=path, kind="dossiers")
    assert by_rows.result.engine == "python" and by_rows.created == n
    stored = _stored()
    Dossier.objects.all().delete()
    monkeypatch.undo()
    by_columns = portal_import(path=path, kind="dossiers")
    assert by_columns.result.engine == "columnar"
    assert (by_columns.created, by_columns.updated, by_columns.unchanged) == (n, 0, 0)
    assert _stored() == stored
    assert by_columns.result.aggregates == by_rows.result.aggregates
    again = portal_import(path=path, kind="dossiers")
    assert (again.created, again.updated, again.unchanged) == (0, 0, n)


@pytest.mark.django_db
def test_texts_are_stored_as_written_whichever_scan_reads_them(registry, large_dossier_csv):
    """On PostgreSQL the columnar scan's rows reach the database as CSV written by pyarrow."""
    path, _ = large_dossier_csv()
    assert portal_import(path=path, kind="dossiers").result.engine == "columnar"
    stored = {d.source_row: (d.procedure, d.status) for d in Dossier.objects.filter(source_row__in=(11, 12, 13))}
    assert stored == {11: ('"Cấp phép"; sửa, chữa \\N', "\\."), 12: ("", ""),
                      13: ("Đăng ký\tkết hôn \\", 'Đã trả "một phần"')}


@pytest.mark.django_db
def test_a_nul_character_deep_in_a_large_file_is_a_row_error_and_imports_nothing(registry, large_dossier_csv):
    path, _ = large_dossier_csv()
    data = path.read_bytes()
    at = data.index(b" khai sinh", len(data) - 5000)  # in one of the last rows
    path.write_bytes(data[:at] + b"\x00" + data[at + 1:])
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=path, kind="dossiers")
    message = next(line for line in excinfo.value.messages if "NUL" in line)
    assert message.startswith("Dòng ") and "tên thủ tục chứa ký tự NUL" in message, message
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_while_rows_are_being_staged_imports_nothing_and_the_next_import_runs(registry,
                                                                                      large_dossier_csv,
                                                                                      monkeypatch):
    """The import stops half-way, while rows are being staged (here the progress callback raises, as
    the job runner's would if its process were told to stop): the open COPY is aborted, the
    transaction rolled back, and the connection is fine for the next import."""
    from thidua.portal.parsing import columnar

    class Stopped(Exception):
        pass

    monkeypatch.setattr(columnar, "BLOCK_BYTES", 1 << 16)  # many batches
    path, n = large_dossier_csv()
    calls = []

    def progress(done, total):
        calls.append(done)
        if len(calls) == 5:
            raise Stopped

    with pytest.raises(Stopped):
        portal_import(path=path, kind="dossiers", progress=progress)
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0
    assert portal_import(path=path, kind="dossiers").created == n


@pytest.mark.django_db
def test_when_the_columns_give_up_half_way_the_rows_staged_so_far_are_staged_once(registry, large_dossier_csv):
    path, n = large_dossier_csv(spanning_value=True)
    outcome = portal_import(path=path, kind="dossiers")
    assert outcome.result.engine == "python"  # the line count told the columnar scan to give up, at the end
    assert (outcome.created, outcome.updated, outcome.unchanged) == (n, 0, 0)
    assert Dossier.objects.count() == n
    assert Dossier.objects.get(procedure="Đăng ký khai sinh\n(bản sao)").source_row == n + 1  # lines 3 to n+3


@pytest.mark.django_db
def test_a_bad_row_after_many_staged_batches_imports_nothing(registry, dossier_csv):
    rows = [dossier(f"HS-{i:05d}") for i in range(12_001)]  # three batches staged before the bad row
    rows.append(dossier("HS-LAST", due="31/02/2021"))
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=dossier_csv(rows), kind="dossiers")
    assert any("Dòng 12005: ngày hẹn trả" in line for line in excinfo.value.messages), excinfo.value.messages
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0
    outcome = portal_import(path=dossier_csv(rows[:-1]), kind="dossiers")  # the connection is fine afterwards
    assert outcome.created == 12_001


@pytest.mark.django_db
def test_a_dossier_received_after_today_is_refused_with_its_row(registry, dossier_csv, settings):
    settings.THIDUA_NOW = "2021-11-22T09:00:00+07:00"
    path = dossier_csv([dossier("HS-001"), dossier("HS-002", received="02/06/2031 08:00", due="10/06/2031",
                                                       resolved="")])
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=path, kind="dossiers")
    assert "Dòng 5: ngày tiếp nhận 02/06/2031 ở sau ngày nhập tệp (22/11/2021)." in excinfo.value.messages
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0


@pytest.fixture
def can_tho(db):
    """A 2026 province: the city, two of its departments and a ward."""
    from thidua.units.models import Unit

    city = Unit.objects.create(code="CAN-THO", name="Thành phố Cần Thơ", level="province")
    for code, name, level, group in [("S-TU-PHAP", "Sở Tư pháp", "department", "department"),
                                     ("TT-PVHCC", "Trung tâm Phục vụ hành chính công", "department", "department"),
                                     ("P-NINH-KIEU", "Phường Ninh Kiều", "commune", "commune")]:
        Unit.objects.create(code=code, name=name, level=level, group=group, parent=city)


CAN_THO_NAMES = ["Sở Tư pháp thành phố Cần Thơ", "Trung tâm Phục vụ hành chính công TP. Cần Thơ",
                 "UBND phường Ninh Kiều", "Sở Tư pháp - TP Cần Thơ"]


@pytest.mark.django_db
def test_unit_names_followed_by_the_province_import_with_no_mapping(can_tho, dossier_csv):
    path = dossier_csv([dossier(f"HS-{i}", unit=name) for i, name in enumerate(CAN_THO_NAMES)])
    preview = portal_import(path=path, kind="dossiers", dry_run=True)
    assert preview.result.ok and not preview.result.unmatched_counts
    outcome = portal_import(path=path, kind="dossiers")
    assert outcome.created == 4
    assert dict(Dossier.objects.values_list("code", "unit__code")) == {
        "HS-0": "S-TU-PHAP", "HS-1": "TT-PVHCC", "HS-2": "P-NINH-KIEU", "HS-3": "S-TU-PHAP"}
    assert not UnitAlias.objects.exists()


@pytest.mark.django_db
def test_another_provinces_name_after_a_unit_name_still_asks_for_the_unit(can_tho, dossier_csv):
    from thidua.units.models import Unit

    Unit.objects.create(code="HAU-GIANG", name="Tỉnh Hậu Giang", level="province")
    path = dossier_csv([dossier("HS-1", unit="Sở Tư pháp tỉnh Hậu Giang")])
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=path, kind="dossiers")
    assert "Sở Tư pháp tỉnh Hậu Giang" in "\n".join(excinfo.value.messages)
    assert Dossier.objects.count() == 0
