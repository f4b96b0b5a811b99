"""Permission-checked fetch helpers shared by the report views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode

from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import NoActiveCampaign, active_campaign, campaign_by_code, is_applied
from thidua.reports.models import Report
from thidua.reports.services import EVIDENCE_TYPES, PLAN_TYPES, stored_file
from thidua.units.models import Unit
from thidua.units.selectors import unit_by_code


def get_campaign() -> Campaign:
    campaign = active_campaign()
    if campaign is None:
        raise NoActiveCampaign
    return campaign


# The query parameter that picks the campaign a read-only page shows (?phong-trao=chau-thanh-a-2021); without it,
# the campaign applied for everyone. It never changes which campaign is applied.
CAMPAIGN_PARAM = "phong-trao"


def campaign_shown(request) -> Campaign:
    """The campaign a page reads: the one its address names (a past one, to read), else the one applied.

    An unknown or malformed code is a Vietnamese 404. The choice is kept on the request: the switcher and the
    links of the page (core.templatetags.campaign) carry it on to the other pages that read a campaign."""
    code = request.GET.get(CAMPAIGN_PARAM)
    if code is None or code == "":
        campaign, applied = get_campaign(), True
    else:
        campaign = campaign_by_code(code)
        applied = is_applied(campaign)
    request.campaign_shown, request.campaign_archived = campaign, not applied
    return campaign


def campaign_to_change(request, *, past_allowed: bool = False) -> Campaign:
    """The campaign a write acts on: the one applied. A form posted from a page of another campaign (its
    address names it) is refused rather than written into the applied one; ``past_allowed`` lets the few
    writes a campaign over still needs (a phúc tra's consequences on its own awards) act on the campaign the
    address names, whose object the page showed."""
    campaign = campaign_shown(request)
    if request.campaign_archived and not past_allowed:
        raise PermissionDenied(f"Phong trào «{campaign.name}» không còn áp dụng: các trang của phong trào này "
                               "chỉ để xem, không thay đổi được.")
    return campaign


def campaign_redirect(request, name: str, *args, **query):
    """A redirect to a page that reads a campaign, keeping the one the request's page showed (a past one)."""
    from thidua.core.templatetags.vn import CAMPAIGN_PAGES, campaign_query

    params = {k: v for k, v in query.items() if v not in (None, "")}
    if name in CAMPAIGN_PAGES:
        params.update(campaign_query(request))
    url = reverse(name, args=args)
    return redirect(f"{url}?{urlencode(params)}" if params else url)


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
