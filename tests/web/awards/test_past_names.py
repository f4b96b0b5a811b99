"""The monthly award page of a campaign over names its units as they took part, after a rename: the unit the system
proposed («đề xuất: …») and the candidates of a closed month (read from its frozen standing) too."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.web.awards.test_second_year import IN_2022, the_2022_registry
from thidua.units.models import Unit

pytestmark = pytest.mark.django_db


def test_the_proposed_unit_of_a_past_monthly_award_keeps_its_name_then(dossier, personas, settings, client_for):
    from thidua.awards.services import monthly_award_decide

    monthly_award_decide(campaign=dossier, month="2021-06", unit=Unit.objects.get(code="TT-MOT-NGAN"),
                         ceremony_date=date(2021, 7, 5), actor=personas["reviewer"],
                         reason="Thị trấn có mô hình hỗ trợ người dân nộp hồ sơ trực tuyến.")
    settings.THIDUA_NOW = IN_2022
    the_2022_registry(personas["admin"])
    response = client_for(personas["leader"]).get(reverse("monthly-award", args=["2021-06"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "(đề xuất: Thị trấn Cái Tắc)" in page and "Phường Cái Tắc" not in page
