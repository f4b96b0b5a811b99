"""Remembered unit names: the reviewer sees them on the import page, moves one to another unit or forgets it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.web.portal.conftest import dossier
from thidua.core.models import AuditEvent
from thidua.portal.models import Dossier, UnitAlias
from thidua.portal.services import ImportRejected, portal_import, unit_alias_remember, unit_matcher

NAME = "UBND xã Tân Hòa (cũ)"


@pytest.fixture
def remembered(registry, personas):
    """NAME remembered, by mistake, as Thị trấn Một Ngàn."""
    return unit_alias_remember(raw_name=NAME, unit=registry["TT-MOT-NGAN"], actor=personas["reviewer"])


@pytest.mark.django_db
def test_the_import_page_lists_the_remembered_names_with_their_unit(client_for, personas, remembered):
    body = client_for(personas["reviewer"]).get(reverse("portal-upload")).content.decode()
    assert "Tên đơn vị đã ghi nhớ" in body and NAME in body
    assert '<option value="TT-MOT-NGAN" selected>Thị trấn Một Ngàn</option>' in body
    assert reverse("portal-unit-alias-change", args=[remembered.pk]) in body
    assert reverse("portal-unit-alias-forget", args=[remembered.pk]) in body


@pytest.mark.django_db
def test_a_name_moved_to_another_unit_counts_for_it_from_the_next_import(client_for, personas, registry, remembered,
                                                                         dossier_csv):
    path = dossier_csv([dossier("HS-1", unit=NAME)])
    portal_import(path=path, kind="dossiers")
    assert Dossier.objects.get().unit == registry["TT-MOT-NGAN"]
    client = client_for(personas["reviewer"])
    response = client.post(reverse("portal-unit-alias-change", args=[remembered.pk]), {"unit": "X-TAN-HOA"},
                           follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("portal-upload") + "#ten-don-vi"
    assert f"Đã đổi: «{NAME}» là Xã Tân Hòa từ lần nhập sau." in body
    assert "vẫn thuộc Thị trấn Một Ngàn cho đến khi nhập lại tệp của chúng" in body
    assert UnitAlias.objects.get().unit == registry["X-TAN-HOA"]
    assert Dossier.objects.get().unit == registry["TT-MOT-NGAN"]  # rows keep their unit until imported again
    event = AuditEvent.objects.get(action="portal.unit_alias_changed")
    assert (event.actor, event.unit_code) == (personas["reviewer"], "X-TAN-HOA")
    assert event.before == {"raw_name": NAME, "unit": "TT-MOT-NGAN"}
    again = portal_import(path=path, kind="dossiers")
    assert (again.created, again.updated) == (0, 1)
    assert Dossier.objects.get().unit == registry["X-TAN-HOA"]


@pytest.mark.django_db
def test_moving_a_name_to_its_own_unit_changes_nothing(client_for, personas, remembered):
    client = client_for(personas["reviewer"])
    body = client.post(reverse("portal-unit-alias-change", args=[remembered.pk]), {"unit": "TT-MOT-NGAN"},
                       follow=True).content.decode()
    assert "vẫn là Thị trấn Một Ngàn; không có gì thay đổi" in body
    assert not AuditEvent.objects.filter(action="portal.unit_alias_changed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"unit": ""}, {"unit": "KHONG-CO"}, {"unit": "X-TAN-HOA' OR 1=1"}])
def test_a_unit_not_in_the_registry_is_refused_in_vietnamese_and_changes_nothing(client_for, personas, registry,
                                                                                 remembered, data):
    client = client_for(personas["reviewer"])
    response = client.post(reverse("portal-unit-alias-change", args=[remembered.pk]), data, follow=True)
    assert response.status_code == 200
    assert f"Vui lòng chọn một đơn vị trong danh mục cho tên «{NAME}»." in response.content.decode()
    assert UnitAlias.objects.get().unit == registry["TT-MOT-NGAN"]
    assert not AuditEvent.objects.filter(action="portal.unit_alias_changed").exists()


@pytest.mark.django_db
def test_a_unit_that_no_longer_competes_is_refused(client_for, personas, registry, remembered):
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(active=False)
    client = client_for(personas["reviewer"])
    body = client.post(reverse("portal-unit-alias-change", args=[remembered.pk]), {"unit": "X-TAN-HOA"},
                       follow=True).content.decode()
    assert "Vui lòng chọn một đơn vị trong danh mục" in body
    assert UnitAlias.objects.get().unit == registry["TT-MOT-NGAN"]


@pytest.mark.django_db
def test_a_name_whose_unit_no_longer_competes_asks_for_a_unit(client_for, personas, registry, remembered):
    from thidua.units.models import Unit

    Unit.objects.filter(code="TT-MOT-NGAN").update(group="")
    body = client_for(personas["reviewer"]).get(reverse("portal-upload")).content.decode()
    assert ('<option value="TT-MOT-NGAN" selected disabled>Thị trấn Một Ngàn (không còn trong danh mục thi đua)'
            '</option>') in body
    assert 'value="TT-MOT-NGAN" selected>' not in body
    assert [u.code for u in Unit.objects.competing()] == [u.code for u in Unit.objects.all() if u.competes]


@pytest.mark.django_db
def test_the_preview_maps_a_name_only_to_a_competing_unit(client_for, personas, registry, dossier_csv):
    from thidua.portal.models import PendingUpload
    from thidua.units.models import Unit

    Unit.objects.filter(code="X-TAN-HOA").update(active=False)
    client = client_for(personas["reviewer"])
    upload = _file(dossier_csv([dossier("HS-1", unit=NAME)]))
    client.post(reverse("portal-upload"), {"kind": "dossiers", "file": upload})
    pending = PendingUpload.objects.get()
    body = client.post(reverse("portal-map-unit", args=[pending.pk]), {"raw_name": NAME, "unit": "X-TAN-HOA"},
                       follow=True).content.decode()
    assert "Vui lòng chọn đơn vị trong danh mục cho tên này." in body
    assert not UnitAlias.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("raw_name", ["UBND xã Không Có Trong Tệp", "Xã Tân Hòa"])
def test_only_a_name_the_preview_listed_as_unknown_can_be_remembered(client_for, personas, registry, dossier_csv,
                                                                     raw_name):
    """A name not in the file (or one the registry already knows) is refused: nothing remembered, nothing audited."""
    from thidua.portal.models import PendingUpload

    client = client_for(personas["reviewer"])
    client.post(reverse("portal-upload"), {"kind": "dossiers", "file": _file(dossier_csv([dossier("HS-1", unit=NAME),
                                                                                             dossier("HS-2")]))})
    pending = PendingUpload.objects.get()
    map_url = reverse("portal-map-unit", args=[pending.pk])
    before_preview = client.post(map_url, {"raw_name": NAME, "unit": "X-TAN-HOA"}, follow=True).content.decode()
    assert "chưa ghi nhớ gì" in before_preview and not UnitAlias.objects.exists()
    assert f"«{NAME}» (1 dòng, ví dụ dòng 4)" in before_preview  # the redirect shows the preview, which scans
    body = client.post(map_url, {"raw_name": raw_name, "unit": "X-TAN-HOA"}, follow=True).content.decode()
    assert (f"Tệp «ho-so.csv» không có tên đơn vị «{raw_name}» chưa nhận ra (theo lần xem trước mới nhất); "
            "chưa ghi nhớ gì.") in body
    assert not UnitAlias.objects.exists()
    assert not AuditEvent.objects.filter(action="portal.unit_alias").exists()
    body = client.post(map_url, {"raw_name": NAME, "unit": "X-TAN-HOA"}, follow=True).content.decode()
    assert f"Đã ghi nhớ: «{NAME}» là Xã Tân Hòa." in body
    assert UnitAlias.objects.get().unit == registry["X-TAN-HOA"]


@pytest.mark.django_db
def test_a_name_too_long_to_remember_is_refused_in_vietnamese_and_nothing_is_saved(client_for, personas, registry,
                                                                                  dossier_csv):
    from thidua.portal.models import PendingUpload

    long_name = "UBND TP. " + "Tân Hòa " * 37 + "Xã"  # 307 characters; the key, "TP." expanded, is longer still
    client = client_for(personas["reviewer"])
    client.post(reverse("portal-upload"), {"kind": "dossiers", "file": _file(dossier_csv([dossier("HS-1",
                                                                                                    unit=long_name)]))})
    pending = PendingUpload.objects.get()
    map_url = reverse("portal-map-unit", args=[pending.pk])
    client.get(reverse("portal-preview", args=[pending.pk]))  # the preview lists the name as unknown
    response = client.post(map_url, {"raw_name": long_name, "unit": "X-TAN-HOA"}, follow=True)
    assert response.status_code == 200
    assert ("Tên đơn vị này dài 307 ký tự, quá 300 ký tự nên không ghi nhớ được; chưa ghi nhớ gì. Hãy sửa tên đơn vị "
            "trong tệp rồi tải tệp lên lại.") in response.content.decode()
    assert not UnitAlias.objects.exists()
    assert not AuditEvent.objects.filter(action="portal.unit_alias").exists()


def _file(path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.mark.django_db
def test_a_forgotten_name_is_asked_for_again(client_for, personas, registry, remembered, dossier_csv):
    client = client_for(personas["reviewer"])
    body = client.post(reverse("portal-unit-alias-forget", args=[remembered.pk]), follow=True).content.decode()
    assert f"Đã quên tên «{NAME}»" in body
    assert not UnitAlias.objects.exists()
    event = AuditEvent.objects.get(action="portal.unit_alias_forgotten")
    assert event.before == {"raw_name": NAME, "unit": "TT-MOT-NGAN"} and event.actor == personas["reviewer"]
    with pytest.raises(ImportRejected) as excinfo:
        portal_import(path=dossier_csv([dossier("HS-1", unit=NAME)]), kind="dossiers")
    assert any("chưa có trong danh mục" in line for line in excinfo.value.messages)
    assert "Chưa ghi nhớ tên đơn vị nào." in client.get(reverse("portal-upload")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal-unit-alias-change", "portal-unit-alias-forget"])
def test_an_unknown_name_is_a_404_and_a_get_is_refused(client_for, personas, remembered, name):
    client = client_for(personas["reviewer"])
    assert client.post(reverse(name, args=[remembered.pk + 1000]), {"unit": "X-TAN-HOA"}).status_code == 404
    assert client.get(reverse(name, args=[remembered.pk])).status_code == 405
    assert UnitAlias.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commune_reporter", "department_reporter", "leader", "outsider"])
@pytest.mark.parametrize("name", ["portal-unit-alias-change", "portal-unit-alias-forget"])
def test_only_reviewers_change_or_forget_a_name(client_for, personas, registry, remembered, persona, name):
    client = client_for(personas[persona])
    assert client.post(reverse(name, args=[remembered.pk]), {"unit": "X-TAN-HOA"}).status_code == 403
    assert UnitAlias.objects.get().unit == registry["TT-MOT-NGAN"]


BEFORE_ABBREVIATIONS = [("portal", "0008_dates_from_the_app_clock")]
ABBREVIATIONS = [("portal", "0009_unit_alias_keys_expand_abbreviations")]


@pytest.mark.django_db(transaction=True)  # migrates the test database back and forth
def test_the_migration_keys_the_remembered_names_again_with_abbreviations_expanded(registry, personas):
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_ABBREVIATIONS)
        old = executor.loader.project_state(BEFORE_ABBREVIATIONS).apps.get_model("portal", "UnitAlias")
        rows = [  # raw name, the key stored then, unit, day remembered
            ("Văn phòng UBND TP. Cần Thơ", "van phong ubnd tp can tho", "P-NOI-VU", 1),
            ("Văn phòng Ủy ban nhân dân thành phố Cần Thơ", "van phong uy ban nhan dan thanh pho can tho",
             "P-TU-PHAP", 2),
            ("UBND TX Long Mỹ", "tx long my", "X-TAN-HOA", 3),
            # made up: holds the key "UBND TX Long Mỹ" takes, and takes another one itself
            ("Xã Long Mỹ", "thi xa long my", "X-THANH-XUAN", 4),
            ("TT-Một Ngàn", "tt mot ngan", "TT-MOT-NGAN", 5),
            (NAME, "xa tan hoa cu", "X-TAN-HOA", 6),
        ]
        for raw_name, raw_key, code, day in rows:
            old.objects.create(raw_name=raw_name, raw_key=raw_key, unit_id=registry[code].pk,
                               created_at=datetime(2026, 1, day, tzinfo=UTC))
        executor = MigrationExecutor(connection)
        executor.migrate(ABBREVIATIONS)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(UnitAlias.objects.values_list("raw_key", "raw_name", "unit__code")) == [
        ("thi tran mot ngan", "TT-Một Ngàn", "TT-MOT-NGAN"),
        ("thi xa long my", "UBND TX Long Mỹ", "X-TAN-HOA"),
        ("van phong uy ban nhan dan thanh pho can tho", "Văn phòng Ủy ban nhân dân thành phố Cần Thơ", "P-TU-PHAP"),
        ("xa long my", "Xã Long Mỹ", "X-THANH-XUAN"),
        ("xa tan hoa cu", NAME, "X-TAN-HOA"),
    ]
    # the name remembered first now has the same key as one remembered later: forgotten, in the log
    event = AuditEvent.objects.get(action="portal.unit_alias_forgotten")
    assert event.actor is None and event.unit_code == "P-NOI-VU"
    assert event.before == {"raw_name": "Văn phòng UBND TP. Cần Thơ", "unit": "P-NOI-VU"}
    assert "Văn phòng Ủy ban nhân dân thành phố Cần Thơ" in event.summary
    units = unit_matcher()
    assert units.match("Văn phòng UBND TP Cần Thơ") == "P-TU-PHAP"
    assert units.match("TT. Một Ngàn") == units.match("TT-Một Ngàn") == "TT-MOT-NGAN"
    assert units.match("UBND TX. Long Mỹ") == "X-TAN-HOA"
    # remembering a spelling of a kept name again changes that name, as before
    unit_alias_remember(raw_name="Văn phòng UBND TP. Cần Thơ", unit=registry["P-NOI-VU"], actor=personas["reviewer"])
    assert UnitAlias.objects.count() == 5
    assert UnitAlias.objects.get(raw_key="van phong uy ban nhan dan thanh pho can tho").unit.code == "P-NOI-VU"
