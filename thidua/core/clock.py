"""Server time decides lateness; THIDUA_NOW pins it for training environments and tests."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    pinned = getattr(settings, "THIDUA_NOW", "")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())


def local_date(moment: datetime) -> date:
    return timezone.localdate(moment)
