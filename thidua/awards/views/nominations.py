"""Nominations of individuals: a unit within its quota, until the list is recorded (a campaign no longer applied
too, named by the address: its year-end goes on after the next campaign is applied)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from thidua.awards import dossier, selectors
from thidua.awards.forms import NominationForm
from thidua.awards.models import Nomination
from thidua.awards.services import NominationData, nomination_create, nomination_delete, nomination_update
from thidua.awards.views.common import campaign_redirect, campaign_to_change, report_errors
from thidua.units.models import Unit
from thidua.units.permissions import role_required

nomination_view_required = role_required("is_reporter", "sees_all_units")


def _unit_for(request) -> Unit | None:
    """A reporter works on their own unit; staff pick one with ?don_vi=CODE."""
    user = request.user
    if user.is_reporter:
        return user.unit
    code = request.GET.get("don_vi") or request.POST.get("don_vi")
    return get_object_or_404(Unit, code=code) if code else None


def _can_edit(user, unit: Unit) -> bool:
    return user.is_reviewer or (user.is_reporter and user.unit_id == unit.pk)


def _data(form) -> NominationData:
    d = form.cleaned_data
    return NominationData(full_name=d["full_name"], position=d["position"], achievement=d["achievement"],
                          birth_date=d.get("birth_date"), gender=d.get("gender") or "")


@nomination_view_required
def nominations(request):
    campaign = campaign_to_change(request, past_allowed=True)
    unit = _unit_for(request)
    locked = selectors.is_locked(campaign)
    form = None
    quota = selectors.quota_for(campaign, unit) if unit else None
    if unit is not None and _can_edit(request.user, unit) and not locked:
        form = NominationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                nomination_create(campaign=campaign, unit=unit, data=_data(form), actor=request.user)
            except ValidationError as exc:
                report_errors(request, exc, form)
            else:
                messages.success(request, "Đã thêm cá nhân đề cử.")
                return _back(request, unit)
    elif request.method == "POST":
        raise PermissionDenied("Bạn không được đề cử cá nhân cho đơn vị này." if not locked
                               else "Danh sách đề nghị đã chốt.")
    units = []
    if request.user.sees_all_units:
        standing = selectors.year_end_standing(campaign)
        codes = [c.code for p in standing.places for c in p.cards]
        codes += [c.code for e in standing.collectives for c in e.certain + e.pending]
        if locked:
            codes = [p.unit.code for p in selectors.proposals(campaign)]
        by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        units = [(by_code[c], selectors.quota_for(campaign, by_code[c])) for c in codes if c in by_code]
    on_list = locked and unit is not None and any(p.unit_id == unit.pk for p in selectors.proposals(campaign))
    return render(request, "awards/nominations.html", {
        "campaign": campaign, "unit": unit, "quota": quota, "form": form, "locked": locked, "units": units,
        "issuer": dossier.district_info(campaign),
        "documents": on_list and (request.user.sees_all_units or request.user.unit_id == unit.pk),
        "items": selectors.nominations(campaign, unit) if unit else selectors.nominations(campaign),
        "can_edit": unit is not None and _can_edit(request.user, unit) and not locked,
    }, status=400 if request.method == "POST" else 200)


def _get_editable(request, pk: int) -> Nomination:
    campaign = campaign_to_change(request, past_allowed=True)
    nomination = get_object_or_404(Nomination.objects.select_related("unit", "campaign"), pk=pk, campaign=campaign)
    if not _can_edit(request.user, nomination.unit):
        raise PermissionDenied("Bạn chỉ được sửa đề cử của đơn vị mình.")
    return nomination


def _back(request, unit: Unit):
    """The nominations page of the unit (staff: ?don_vi=), in the campaign the request's address names."""
    return campaign_redirect(request, "nominations", don_vi=None if request.user.is_reporter else unit.code)


@nomination_view_required
def nomination_edit(request, pk: int):
    nomination = _get_editable(request, pk)
    form = NominationForm(request.POST or None, instance=nomination)
    if request.method == "POST" and form.is_valid():
        nomination.refresh_from_db()  # the form wrote into the instance; the service compares before/after
        try:
            nomination_update(nomination=nomination, data=_data(form), actor=request.user)
        except ValidationError as exc:
            report_errors(request, exc, form)
        else:
            messages.success(request, "Đã cập nhật cá nhân đề cử.")
            return _back(request, nomination.unit)
    return render(request, "awards/form.html", {"form": form, "title": f"Sửa đề cử — {nomination.unit.name}"})


@nomination_view_required
@require_POST
def nomination_remove(request, pk: int):
    nomination = _get_editable(request, pk)
    try:
        nomination_delete(nomination=nomination, actor=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, "Đã bỏ cá nhân khỏi danh sách đề cử.")
    return _back(request, nomination.unit)
