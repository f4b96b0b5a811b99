"""Downloads of the reward documents (.docx, .pdf) and of the whole year-end set (.zip)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from thidua.awards import dossier
from thidua.awards.services import dossier_mark_generated
from thidua.awards.views.common import campaign_redirect, campaign_shown
from thidua.core.downloads import attachment
from thidua.units.permissions import role_required, staff_view_required

# What a unit's reporter may download: the drafts of their own unit's achievement reports
# (the unit writes and signs its Báo cáo thành tích; Home Affairs assembles the dossier).
UNIT_KINDS = frozenset({"bao-cao-tap-the", "bao-cao-ca-nhan"})


@role_required("is_reporter", "sees_all_units")
def document_download(request, kind: str, key: str, fmt: str):
    campaign = campaign_shown(request)
    staff = request.user.sees_all_units
    if kind not in dossier.KINDS or fmt not in dossier.FORMATS:
        raise Http404("Không có văn bản này.")
    if not staff and kind not in UNIT_KINDS:
        raise PermissionDenied("Văn bản này do cán bộ thẩm định lập.")
    try:
        stem, doc, unit = dossier.build(campaign, kind, key)
    except dossier.DocumentUnavailable as exc:
        messages.error(request, str(exc))
        if isinstance(exc, dossier.MonthNotClosed):  # where the month is closed
            return campaign_redirect(request, "rankings", thang=key)
        return campaign_redirect(request, "dossier") if staff else redirect("nominations")
    if not staff and (unit is None or unit.pk != request.user.unit_id):
        raise PermissionDenied("Chỉ tải được báo cáo thành tích của đơn vị mình.")
    content = dossier.render(doc, fmt)
    # the tracker follows what Home Affairs has made (a past campaign's too: its year-end may be finished after the
    # next campaign is applied); a leader's download only reads
    if request.user.is_reviewer and kind in dossier.DOSSIER_KIND:
        dossier_mark_generated(campaign=campaign, kind=dossier.DOSSIER_KIND[kind], actor=request.user,
                               unit=unit if kind == "bao-cao-tap-the" else None)
    return attachment(content, f"{stem}.{fmt}", dossier.FORMATS[fmt])


@staff_view_required
def year_end_zip(request):
    campaign = campaign_shown(request)
    try:
        content, _ = dossier.year_end_zip(campaign)
    except dossier.DocumentUnavailable as exc:
        messages.error(request, str(exc))
        return campaign_redirect(request, "dossier")
    if request.user.is_reviewer:  # as for one document: a leader's only reads
        for kind in ("to_trinh", "bien_ban", "bao_cao"):
            dossier_mark_generated(campaign=campaign, kind=kind, actor=request.user)
    return attachment(content, f"ho-so-khen-thuong-{campaign.code}.zip", "application/zip")
