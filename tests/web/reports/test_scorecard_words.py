"""What a reporter reads about a penalty: the month as «tháng 7/2021», never the engine's «2021-07:» key
(the batch command's JSON keeps its notes as RULES.md fixes them)."""

from __future__ import annotations

import re
from datetime import date

from django.test.utils import override_settings
from django.urls import reverse

from tests.web.conftest import submit

ISO_MONTH = re.compile(r"\b20\d\d-\d\d\b")


def test_the_scorecard_names_a_penalty_s_month_in_words(campaign, personas, client_for):
    submit(campaign, personas["commune_reporter"], "2021-07", on=date(2021, 7, 27))
    with override_settings(THIDUA_NOW="2021-08-10T09:00:00+07:00"):
        page = client_for(personas["commune_reporter"]).get(reverse("unit-dashboard")).content.decode()
    assert "Tháng 7/2021: trễ 2 ngày (−2)" in page
    assert ISO_MONTH.findall(page.split("<main", 1)[1]) == []  # was «2021-07: trễ 2 ngày (−2)»


def test_the_live_preview_of_a_late_report_names_the_month_in_words(campaign, personas, client_for):
    with override_settings(THIDUA_NOW="2021-07-28T09:00:00+07:00"):
        page = client_for(personas["commune_reporter"]).post(reverse("report-preview", args=["2021-07"]), {
            "new_accounts": "300", "dossiers_online": "40", "due": "40", "resolved_on_time": "39",
            "dossiers_in_person": "80", "has_plan": "on", "procedures": "Đăng ký khai sinh"}).content.decode()
    assert "Tháng 7/2021: trễ 3 ngày (−2)" in page
    assert ISO_MONTH.findall(page) == []
