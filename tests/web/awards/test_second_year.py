"""The office's second year: in 2022 the registry changes (a town becomes a ward under a new head, a town is
merged into another and retired, a new commune is set up). The 2021 campaign, over, still ranks the units that
took part in it under the names they had, and every one of its documents says what it said in 2021."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.awards.conftest import docx_text
from tests.web.conftest import make_user
from thidua.awards.models import Nomination
from thidua.units.models import Unit, User
from thidua.units.services import unit_save

pytestmark = pytest.mark.django_db

IN_2022 = "2022-03-01T09:00:00+07:00"


def flat(text: str) -> str:
    return " ".join(text.split())


def documents(client) -> dict[str, str]:
    person = Nomination.objects.get().doc_key
    paths = ["to-trinh/cuoi-nam", "bien-ban/cuoi-nam", "bang-tong-hop/cuoi-nam", "quyet-dinh/cuoi-nam",
             "bao-cao-tap-the/TT-CAI-TAC", "giay-khen/TT-CAI-TAC", "quyet-dinh/2021-06", "giay-khen/2021-06",
             f"bao-cao-ca-nhan/{person}", f"giay-khen/{person}"]
    out = {}
    for path in paths:
        response = client.get(f"/khen-thuong/van-ban/{path}.docx")
        assert response.status_code == 200, path
        out[path] = flat(docx_text(response.content))
    return out


def the_2022_registry(admin) -> None:
    """What the administrator changes in /quan-tri/ for 2022 (each through unit_save, as the admin saves it)."""
    cai_tac = Unit.objects.get(code="TT-CAI-TAC")
    cai_tac.name, cai_tac.head_name, cai_tac.head_title = "Phường Cái Tắc", "Đỗ Văn Mới", "Chủ tịch UBND phường"
    unit_save(unit=cai_tac, actor=admin)
    mot_ngan = Unit.objects.get(code="TT-MOT-NGAN")
    mot_ngan.active = False  # merged into another commune
    unit_save(unit=mot_ngan, actor=admin)
    unit_save(unit=Unit(code="X-MOI-2022", name="Xã Tân Phú Mới", level=Unit.Level.COMMUNE, group="commune",
                        parent=cai_tac.parent, sort_order=99), actor=admin)


@pytest.fixture
def second_year(settings, dossier, personas):
    settings.THIDUA_NOW = IN_2022
    return dossier


def test_the_2021_documents_say_what_they_said_after_the_registry_changes_in_2022(second_year, personas,
                                                                                  client_for):
    client = client_for(personas["reviewer"])
    before = documents(client)
    assert "Thị trấn Một Ngàn" in before["bang-tong-hop/cuoi-nam"]
    the_2022_registry(personas["admin"])
    after = documents(client)
    for path, text in before.items():
        assert after[path] == text, path
    assert "Phường Cái Tắc" not in " ".join(after.values())
    assert "Đỗ Văn Mới" not in " ".join(after.values())
    assert "Tân Phú Mới" not in after["bang-tong-hop/cuoi-nam"]


def test_the_2021_ranking_keeps_the_units_that_took_part_under_their_names_then(second_year, personas,
                                                                                client_for):
    leader = client_for(personas["leader"])
    before = leader.get(reverse("rankings")).content.decode()
    assert "Thị trấn Một Ngàn" in before
    the_2022_registry(personas["admin"])
    after = leader.get(reverse("rankings")).content.decode()
    assert "Thị trấn Một Ngàn" in after and "Thị trấn Cái Tắc" in after
    assert "Phường Cái Tắc" not in after and "Tân Phú Mới" not in after
    public = leader.get(reverse("public-leaderboard")).content.decode()
    assert "Thị trấn Một Ngàn" in public and "Phường Cái Tắc" not in public
    export = leader.get("/xuat/khen-thuong.csv").content.decode("utf-8-sig")
    assert "Thị trấn Cái Tắc" in export and "Phường Cái Tắc" not in export


def test_a_retired_unit_of_2021_opens_read_only_with_a_notice(second_year, personas, client_for):
    the_2022_registry(personas["admin"])
    page = client_for(personas["leader"]).get(reverse("unit-scorecard", args=["TT-MOT-NGAN"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thị trấn Một Ngàn" in html
    assert "đã ngừng tham gia" in html
    reporter = make_user("mot-ngan", User.Role.REPORTER, Unit.objects.get(code="TT-MOT-NGAN"))
    own = client_for(reporter).get(reverse("unit-dashboard"))
    assert own.status_code == 200 and "đã ngừng tham gia" in own.content.decode()


def test_a_campaign_over_keeps_its_units_once_audited_and_not_one_still_running(second_year, personas):
    from thidua.campaigns.models import CampaignUnit
    from thidua.campaigns.services import campaign_create
    from thidua.core.models import AuditEvent
    from thidua.scoring import load_rubric

    data = second_year.rubric.to_data()
    data.update(code="chau-thanh-a-2022", name="Thi đua năm 2022")
    data["campaign"] = {"start": "2022-01-10", "end": "2022-12-18"}
    data["reports"]["months"] = ["2022-01", "2022-02", "2022-03"]
    campaign_2022 = campaign_create(rubric=load_rubric(data), active=False)
    the_2022_registry(personas["admin"])
    second_year.refresh_from_db()
    campaign_2022.refresh_from_db()
    assert second_year.roster_kept_at is not None and campaign_2022.roster_kept_at is None
    kept = dict(CampaignUnit.objects.filter(campaign=second_year).values_list("unit__code", "name"))
    assert kept["TT-CAI-TAC"] == "Thị trấn Cái Tắc" and kept["TT-MOT-NGAN"] == "Thị trấn Một Ngàn"
    assert "X-MOI-2022" not in kept
    events = AuditEvent.objects.filter(action="campaign.roster_kept")
    assert [e.campaign_code for e in events] == [second_year.code]  # once, before the first change
    from thidua.reports.selectors import competing_units

    running = {u.code: u.name for u in competing_units(campaign_2022)}
    assert running["TT-CAI-TAC"] == "Phường Cái Tắc" and "TT-MOT-NGAN" not in running and "X-MOI-2022" in running
    kept_unit = next(u for u in competing_units(second_year) if u.code == "TT-CAI-TAC")
    with pytest.raises(ValueError):
        unit_save(unit=kept_unit, actor=personas["admin"])  # never written back over the registry's name
