"""Permission-checked fetch helpers shared by the report views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import NoActiveCampaign, active_campaign
from thidua.reports.models import Report
from thidua.reports.services import EVIDENCE_TYPES, PLAN_TYPES, stored_file
from thidua.units.models import Unit
from thidua.units.selectors import unit_by_code


def get_campaign() -> Campaign:
    campaign = active_campaign()
    if campaign is None:
        raise NoActiveCampaign
    return campaign


def get_unit_for_user(user, code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise Http404(f"Không tìm thấy đơn vị có mã «{code}».")
    if not user.can_view_unit(unit):
        raise PermissionDenied("Bạn chỉ được xem số liệu của đơn vị mình.")
    return unit


def get_report_for_user(user, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("unit", "campaign", "current"), pk=pk)
    if not user.can_view_unit(report.unit):
        raise PermissionDenied("Bạn chỉ được xem báo cáo của đơn vị mình.")
    return report


def check_month(campaign: Campaign, month: str) -> str:
    if month not in campaign.rubric.reports.months:
        raise Http404("Tháng không thuộc kỳ báo cáo của phong trào.")
    return month


def form_errors_as_messages(request, form) -> None:
    """A small form posted from a page that redirects back: its errors travel as messages."""
    for error in dict.fromkeys(e for errors in form.errors.values() for e in errors):  # each message once
        messages.error(request, error)


def add_service_errors(form, exc) -> None:
    """A service's ValidationError on the form: at the fields it names, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def chosen_files(request) -> list[str]:
    """The files a report form was sent with that its checks took: a page shown again cannot hold them, so it
    names them to be chosen again. A refused file is left out: its field's error says to send another."""
    names = []
    for name, allowed in (("plan_file", PLAN_TYPES), ("evidence", EVIDENCE_TYPES)):
        for upload in request.FILES.getlist(name):
            try:
                stored_file(upload, allowed)
            except ValidationError:
                continue
            names.append(upload.name)
    return names
