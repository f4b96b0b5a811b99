"""A new campaign created twice at the same moment (a double click on «Tạo phong trào»), each in its own connection.
PostgreSQL shows the race; the tests' in-memory SQLite database runs the two one after the other
(tests.web.conftest.at_once)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.web.conftest import at_once
from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_create_from
from thidua.core.models import AuditEvent
from thidua.scoring import plan_211

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_campaign_created_twice_at_once_is_created_once_and_the_second_told(registry):
    # Neither saw the other's uncommitted campaign: the second failed on the unique code (IntegrityError, error 500).
    def create():
        return campaign_create_from(base=plan_211().to_data(), actor=None, code="thi-dua-2022",
                                    name="Thi đua năm 2022", start=date(2022, 1, 1), end=date(2022, 12, 18))

    outcomes = at_once(create, create)  # in the order they finished: the second may wake before the first returns
    [created] = [o for o in outcomes if isinstance(o, Campaign)]
    [refused] = [o for o in outcomes if isinstance(o, ValidationError)]
    assert refused.messages == ["Đã có phong trào mang mã «thi-dua-2022»; hãy đặt mã khác."], outcomes
    assert created.code == "thi-dua-2022"
    assert Campaign.objects.filter(code="thi-dua-2022").count() == 1
    assert AuditEvent.objects.filter(action="campaign.created").count() == 1
