"""Signal handlers: a later untruthful finding flags the monthly award given on that report."""

from __future__ import annotations

from django.dispatch import receiver

from thidua.reports.signals import report_marked_untruthful


@receiver(report_marked_untruthful, dispatch_uid="awards.flag_monthly_award")
def flag_monthly_award(sender, report, actor, **kwargs):
    from thidua.awards.services import monthly_award_flag

    monthly_award_flag(report=report, actor=actor)
