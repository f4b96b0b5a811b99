"""The settings page carries the campaign it was opened on and a digest of its settings: a page opened before another
change to them, or before another campaign was applied, is not saved over it unseen. Refused in words, nothing
saved; the values typed are kept (the same campaign) or the applied campaign's settings shown afresh."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.web.campaigns.test_campaign_settings import current_values
from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_create_from
from thidua.core.models import AuditEvent
from thidua.scoring import plan_211
from thidua.units.models import User

URL = reverse("campaign-settings")


@pytest.fixture
def admin_client(client_for, personas):
    return client_for(personas["admin"])


def test_a_settings_page_opened_before_a_colleague_s_change_does_not_undo_it(campaign, admin_client, client,
                                                                            settings):
    settings.THIDUA_NOW = "2021-07-02T08:30:00+07:00"
    colleague = User.objects.create_user(username="an", password="x", role=User.Role.ADMIN, first_name="An")
    stale = current_values(campaign)  # as the page showed it: the deadline on the 25th, 90 points to rank
    client.force_login(colleague)
    change = current_values(campaign) | {"deadline_day": "28", "reason": "Theo Công văn điều chỉnh hạn"}
    assert client.post(URL, change).status_code == 302
    campaign.refresh_from_db()
    assert campaign.rubric.reports.deadline_day == 28

    response = admin_client.post(URL, stale | {"min_total": "95", "reason": "Nâng điểm tối thiểu"})
    page = response.content.decode()
    assert response.status_code == 200
    assert ("Cấu hình phong trào đã được điều chỉnh (An lúc 08:30 ngày 02/07/2021) sau khi bạn mở trang này, nên "
            "cấu hình vừa gửi chưa được lưu.") in page
    assert 'name="min_total" value="95"' in page  # what was typed
    campaign.refresh_from_db()
    assert (campaign.rubric.reports.deadline_day, campaign.rubric.eligibility.min_total) == (28, 90)
    assert AuditEvent.objects.filter(action="campaign.settings_changed").count() == 1

    shown = re.search(r'name="shown" value="([^"]+)"', page)[1]  # sent again from this page: saved knowingly
    assert admin_client.post(URL, stale | {"min_total": "95", "shown": shown}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.rubric.eligibility.min_total == 95


def test_a_settings_page_of_a_campaign_no_longer_applied_is_not_saved_on_the_one_applied_now(campaign, admin_client,
                                                                                             settings):
    settings.THIDUA_NOW = "2022-01-05T08:00:00+07:00"
    stale = current_values(campaign)  # the 2021 campaign's page, its months 06–11/2021
    data = plan_211().to_data()
    second = campaign_create_from(base=data, actor=None, code="thi-dua-2022", name="Thi đua năm 2022",
                                  start=date(2022, 1, 1), end=date(2022, 12, 18))
    before = second.rubric_json

    response = admin_client.post(URL, stale | {"min_total": "95"}, follow=True)
    assert ("Phong trào đang áp dụng đã đổi thành «Thi đua năm 2022» sau khi bạn mở trang này, nên cấu hình vừa gửi "
            "chưa được lưu") in response.content.decode()
    assert Campaign.objects.get(pk=second.pk).rubric_json == before
    assert Campaign.objects.get(pk=campaign.pk).rubric.eligibility.min_total == 90
