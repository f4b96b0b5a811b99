"""Signal handlers: a later untruthful finding flags the monthly award given on that report; its withdrawal
clears the flag."""

from __future__ import annotations

from django.dispatch import receiver

from thidua.reports.signals import report_marked_untruthful, report_untruthful_withdrawn


@receiver(report_marked_untruthful, dispatch_uid="awards.flag_monthly_award")
def flag_monthly_award(sender, report, actor, **kwargs):
    from thidua.awards.services import monthly_award_flag

    monthly_award_flag(report=report, actor=actor)


@receiver(report_untruthful_withdrawn, dispatch_uid="awards.unflag_monthly_award")
def unflag_monthly_award(sender, report, actor, reason, **kwargs):
    from thidua.awards.services import monthly_award_unflag

    monthly_award_unflag(report=report, actor=actor, reason=reason)
