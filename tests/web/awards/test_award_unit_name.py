"""A unit renamed in the middle of a running campaign: the months already awarded keep, on their Quyết định and
Giấy khen, the name the unit had when the award was decided (kept on the award), while the running campaign's
pages follow the registry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.web.awards.conftest import docx_text
from thidua.awards.models import MonthlyAward
from thidua.campaigns.models import CampaignUnit
from thidua.units.models import Unit
from thidua.units.services import unit_save

IN_SEPTEMBER = "2021-09-10T09:00:00+07:00"


def rename(admin) -> None:
    unit = Unit.objects.get(code="TT-CAI-TAC")
    unit.name = "Phường Cái Tắc"
    unit_save(unit=unit, actor=admin)


@pytest.mark.django_db
def test_a_june_award_reprinted_after_a_september_rename_keeps_the_name_it_was_decided_under(
        dossier, personas, settings, client_for):
    settings.THIDUA_NOW = IN_SEPTEMBER
    assert MonthlyAward.objects.get(month="2021-06").unit_name == "Thị trấn Cái Tắc"
    rename(personas["admin"])
    dossier.refresh_from_db()
    assert dossier.roster_kept_at is None  # the campaign is running: its pages follow the registry
    client = client_for(personas["reviewer"])
    assert "Phường Cái Tắc" in client.get(reverse("rankings")).content.decode()
    page = client.get(reverse("monthly-award", args=["2021-06"])).content.decode()
    assert "Phường Cái Tắc" in page and "Khi quyết định mang tên «Thị trấn Cái Tắc»" in page
    for kind in ("giay-khen", "quyet-dinh"):
        response = client.get(f"/khen-thuong/van-ban/{kind}/2021-06.docx")
        assert response.status_code == 200
        text = " ".join(docx_text(response.content).split())
        assert "Cái Tắc" in text and "Phường Cái Tắc" not in text, kind


@pytest.mark.django_db
def test_an_adjusted_award_keeps_its_name_and_one_given_to_another_unit_takes_that_units(
        dossier, personas, settings):
    from datetime import date

    from thidua.awards.services import monthly_award_decide

    settings.THIDUA_NOW = IN_SEPTEMBER
    rename(personas["admin"])
    reviewer = personas["reviewer"]
    award = monthly_award_decide(campaign=dossier, month="2021-06", unit=Unit.objects.get(code="TT-CAI-TAC"),
                                 ceremony_date=date(2021, 7, 6), actor=reviewer)
    assert award.unit_name == "Thị trấn Cái Tắc"  # a new ceremony date: the same award
    award = monthly_award_decide(campaign=dossier, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                                 ceremony_date=date(2021, 7, 6), actor=reviewer,
                                 reason="Thị trấn có mô hình hỗ trợ người dân nộp hồ sơ trực tuyến.")
    assert award.unit_name == "Thị trấn Một Ngàn"


BEFORE = [("awards", "0006_issuer_kind")]
AFTER = [("awards", "0007_monthly_award_unit_name")]


@pytest.mark.django_db(transaction=True)  # migrates the test database back and forth
def test_the_migration_names_the_awards_made_before_it(dossier):
    award = MonthlyAward.objects.get(month="2021-06")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        Unit.objects.filter(code="TT-CAI-TAC").update(name="Phường Cái Tắc")  # renamed since
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        assert MonthlyAward.objects.get(pk=award.pk).unit_name == "Phường Cái Tắc"  # the best known: today's
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        # a campaign that kept its units: the name the unit took part under
        CampaignUnit.objects.create(campaign=dossier, unit=Unit.objects.get(code="TT-CAI-TAC"),
                                    name="Thị trấn Cái Tắc", group="commune")
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        assert MonthlyAward.objects.get(pk=award.pk).unit_name == "Thị trấn Cái Tắc"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
