"""seed_demo_awards fills the awards of a demo campaign and changes nothing when run again."""

from __future__ import annotations

import pytest

from tests.web.awards.conftest import close
from thidua.awards.demo import seed_demo_awards
from thidua.awards.models import AwardMeeting, DistrictOfficials, MonthlyAward, Nomination
from thidua.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_decides_the_closed_months_and_fills_district_meeting_and_nominations_once(standing, personas):
    close(standing, "2021-06", personas["reviewer"])
    seed_demo_awards(standing)
    award = MonthlyAward.objects.get()
    assert (award.month, award.unit.code, award.ceremony_date.isoformat()) == ("2021-06", "TT-CAI-TAC", "2021-07-05")
    assert DistrictOfficials.objects.get().chairman_name
    assert AwardMeeting.objects.get().members_present
    assert Nomination.objects.filter(unit__code="TT-CAI-TAC").count() == 3
    events = AuditEvent.objects.count()
    seed_demo_awards(standing)
    assert AuditEvent.objects.count() == events and MonthlyAward.objects.count() == 1
