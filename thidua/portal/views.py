"""Portal import for the reviewer: upload, dry-run preview, map unknown columns and unit names, import; evidence."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from thidua.campaigns.models import PLAN_211_ONLINE_WORDING, online_dossiers_label
from thidua.campaigns.selectors import active_campaign
from thidua.core import clock
from thidua.portal import jobs
from thidua.portal.forms import HeaderMappingForm, HeaderRowForm, UploadForm, guess_header_row
from thidua.portal.models import HeaderMapping, PendingUpload, PortalImport, UnitAlias
from thidua.portal.selectors import active_header_mappings, earlier_import, evidence_dossiers, unit_aliases
from thidua.portal.services import (
    FIELD_SPECS,
    KIND_NOUN,
    HeaderNotFound,
    ImportRejected,
    header_mapping_create,
    header_mapping_deactivate,
    portal_head_rows,
    portal_header_resolve,
    portal_scan_key,
    portal_upload_keep,
    unit_alias_change,
    unit_alias_forget,
    unit_alias_remember,
)
from thidua.units.models import Unit
from thidua.units.permissions import reviewer_required, staff_view_required
from thidua.units.selectors import unit_by_code

EVIDENCE_PAGE = 200  # dossiers a page of a unit's month on the portal


@reviewer_required
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = portal_upload_keep(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                         actor=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("portal-preview", pk=pending.pk)
    history = PortalImport.objects.select_related("imported_by")[:20]
    return render(request, "portal/upload.html", {"form": form, "history": history,
                                                  "header_mappings": active_header_mappings(),
                                                  "aliases": unit_aliases(), "units": Unit.objects.competing()})


def _pending_for(request, pk: int) -> PendingUpload:
    return get_object_or_404(PendingUpload, pk=pk, uploaded_by=request.user)


@reviewer_required
def preview(request, pk: int):
    """The dry-run preview: what the file would import, per unit and month, with its errors.

    The scan's outcome is kept with the upload; a large file is scanned in a thread while this
    page shows the progress and reloads itself when the scan is done."""
    pending = _pending_for(request, pk)
    campaign = active_campaign()
    # the online dossiers in the campaign's words («trực tuyến toàn trình, một phần» from Decree 42/2022)
    wording = campaign.online_wording if campaign else PLAN_211_ONLINE_WORDING
    context = {"pending": pending, "online_label": online_dossiers_label(wording)}
    try:
        choice = portal_header_resolve(path=Path(pending.file.path), kind=pending.kind,
                                       original_name=pending.original_name)
    except HeaderNotFound as exc:
        return _header_mapping_page(request, pending, exc.messages)
    except ImportRejected as exc:
        return render(request, "portal/preview.html", {**context, "problems": exc.messages})
    today = clock.today()
    key = portal_scan_key(kind=pending.kind, mapping=choice.mapping, as_of=today)
    token = jobs.scan_start(pending=pending, actor=request.user, mapping=choice.mapping, key=key, as_of=today)
    state = jobs.job_state(token) or {"state": jobs.INTERRUPTED}
    context["header_mapping"] = choice.saved
    if state["state"] == jobs.RUNNING:
        state["percent"], state["text"] = jobs.job_percent(state), jobs.job_progress_text(state)
        return render(request, "portal/preview.html", {**context, "scanning": state, "token": token})
    if state["state"] != jobs.DONE:  # the worker restarted, or a system error: opening the page again retries
        interrupted = ["Việc đọc tệp bị gián đoạn (máy chủ khởi động lại giữa chừng)."]
        problems = state.get("messages") or interrupted
        return render(request, "portal/preview.html", {**context, "problems": problems, "retry": True})
    if "problems" in state:
        return render(request, "portal/preview.html", {**context, "problems": state["problems"]})
    result = state["preview"]
    names = dict(Unit.objects.values_list("code", "name"))
    by_unit: dict[str, dict] = {}
    for code, month, figures in result["figures"]:
        by_unit.setdefault(code, {"name": names.get(code, code), "months": []})["months"].append((month, figures))
    units = Unit.objects.competing()
    earlier = earlier_import(sha256=state.get("sha256", ""), kind=pending.kind)
    return render(request, "portal/preview.html", {**context, "result": result, "by_unit": by_unit, "units": units,
                                                   "earlier": earlier})


def _header_mapping_page(request, pending: PendingUpload, problems: list[str], *, form=None, head=None,
                         header_row: int | None = None):
    """The preview of a file whose header was not found: pick the header row, then a column per field."""
    head = head if head is not None else portal_head_rows(path=Path(pending.file.path),
                                                          original_name=pending.original_name)
    row_form = HeaderRowForm(request.GET if "dong" in request.GET else None, head=head)
    if header_row is None:
        header_row = row_form.cleaned_data["dong"] if row_form.is_bound and row_form.is_valid() else None
        header_row = header_row or guess_header_row(head)
    row_form.initial["dong"] = header_row
    if form is None:
        form = HeaderMappingForm(specs=FIELD_SPECS[pending.kind], head=head, header_row=header_row,
                                 what=KIND_NOUN[pending.kind],
                                 initial={"name": f"Mẫu cột của tệp «{pending.original_name}»"[:200]})
    return render(request, "portal/preview.html", {
        "pending": pending, "problems": problems, "row_form": row_form, "header_form": form,
        "header_row": header_row,
    })


@reviewer_required
@require_POST
def map_headers(request, pk: int):
    pending = _pending_for(request, pk)
    try:
        head = portal_head_rows(path=Path(pending.file.path), original_name=pending.original_name)
    except ImportRejected as exc:  # not a table at all (a resent or hand-made form): its preview's message
        return render(request, "portal/preview.html", {"pending": pending, "problems": exc.messages}, status=400)
    try:
        header_row = int(request.POST.get("header_row", ""))
    except ValueError:
        header_row = guess_header_row(head)
    form = HeaderMappingForm(request.POST, specs=FIELD_SPECS[pending.kind], head=head, header_row=header_row,
                             what=KIND_NOUN[pending.kind])
    if form.is_valid():
        try:
            saved = header_mapping_create(kind=pending.kind, name=form.cleaned_data["name"], mapping=form.mapping(),
                                          actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Đã lưu mẫu cột «{saved.name}»; các tệp cùng mẫu sẽ được nhận ra tự động.")
            return redirect("portal-preview", pk=pending.pk)
    try:
        portal_header_resolve(path=Path(pending.file.path), kind=pending.kind, original_name=pending.original_name,
                              head=head)
        problems = []
    except ImportRejected as exc:
        problems = exc.messages
    return _header_mapping_page(request, pending, problems, form=form, head=head, header_row=header_row)


@reviewer_required
@require_POST
def deactivate_header_mapping(request, pk: int):
    saved = get_object_or_404(HeaderMapping, pk=pk)
    header_mapping_deactivate(header_mapping=saved, actor=request.user)
    messages.success(request, f"Đã ngừng dùng mẫu cột «{saved.name}».")
    return redirect("portal-upload")


@reviewer_required
@require_POST
def map_unit(request, pk: int):
    pending = _pending_for(request, pk)
    raw_name = request.POST.get("raw_name", "")
    code = request.POST.get("unit", "")
    unit = Unit.objects.competing().filter(code=code).first()
    if unit is None or not raw_name:
        messages.error(request, "Vui lòng chọn đơn vị trong danh mục cho tên này.")
    elif raw_name not in jobs.unmatched_names(pending):
        messages.error(request, f"Tệp «{pending.original_name}» không có tên đơn vị «{raw_name}» chưa nhận ra "
                                "(theo lần xem trước mới nhất); chưa ghi nhớ gì. Hãy chọn đơn vị ở danh sách dưới đây.")
    else:
        try:
            unit_alias_remember(raw_name=raw_name, unit=unit, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Đã ghi nhớ: «{raw_name}» là {unit.name}.")
    return redirect("portal-preview", pk=pending.pk)


@reviewer_required
@require_POST
def change_unit_alias(request, pk: int):
    alias = get_object_or_404(UnitAlias.objects.select_related("unit"), pk=pk)
    unit = Unit.objects.competing().filter(code=request.POST.get("unit", "")).first()
    if unit is None:
        messages.error(request, f"Vui lòng chọn một đơn vị trong danh mục cho tên «{alias.raw_name}».")
    elif (before := unit_alias_change(alias=alias, unit=unit, actor=request.user)) is None:
        messages.info(request, f"«{alias.raw_name}» vẫn là {unit.name}; không có gì thay đổi.")
    else:
        messages.success(request, f"Đã đổi: «{alias.raw_name}» là {unit.name} từ lần nhập sau. Hồ sơ, tài khoản "
                                  f"đã nhập theo tên này vẫn thuộc {before.name} cho đến khi nhập lại tệp của chúng.")
    return redirect(reverse("portal-upload") + "#ten-don-vi")


@reviewer_required
@require_POST
def forget_unit_alias(request, pk: int):
    alias = get_object_or_404(UnitAlias.objects.select_related("unit"), pk=pk)
    unit_alias_forget(alias=alias, actor=request.user)
    messages.success(request, f"Đã quên tên «{alias.raw_name}»; lần xem trước sau sẽ hỏi lại đơn vị của tên này.")
    return redirect(reverse("portal-upload") + "#ten-don-vi")


@reviewer_required
@require_POST
def confirm(request, pk: int):
    pending = PendingUpload.objects.filter(pk=pk, uploaded_by=request.user).first()
    if pending is None:  # imported already (the upload is deleted then): a resent form, a stale tab
        token = jobs.job_of_pending(pk, request.user.pk)
        if token is None:
            raise Http404("Không có tệp chờ nhập này.")
        messages.info(request, "Tệp này đã nhập xong.")
        return redirect("portal-job", token=token)
    token, started = jobs.import_start(pending=pending, actor=request.user)
    if not started:
        messages.info(request, "Tệp này đang được nhập hoặc đã nhập xong.")
    return redirect("portal-job", token=token)


def _job_for(request, token: str) -> dict:
    state = jobs.job_state(token)
    if state is None or state.get("user") != request.user.pk:
        raise Http404("Không có lượt nhập này.")
    state["percent"] = jobs.job_percent(state)
    state["text"] = jobs.job_progress_text(state)
    return state


@reviewer_required
def job(request, token: str):
    """The progress of a confirmed import; the page polls job_status."""
    state = _job_for(request, token)
    pending = PendingUpload.objects.filter(pk=state.get("pending"), uploaded_by=request.user).first()
    if state.get("kind") == jobs.SCAN:  # a preview's scan: its page is the preview
        if pending is None:
            raise Http404("Không có tệp chờ nhập này.")
        return redirect("portal-preview", pk=pending.pk)
    return render(request, "portal/job.html", {"token": token, "job": state, "pending": pending})


@reviewer_required
def job_status(request, token: str):
    state = _job_for(request, token)
    return JsonResponse({key: state.get(key) for key in ("state", "done", "total", "percent", "writing", "text")})


@staff_view_required
def evidence(request, code: str, month: str):
    unit = unit_by_code(code)  # the month is a real one: see thidua.core.converters
    if unit is None:
        raise Http404(f"Không tìm thấy đơn vị có mã «{code}».")
    # A commune of a province receives thousands of dossiers a month: every one of them, a page at a time.
    page = Paginator(evidence_dossiers(unit, month), EVIDENCE_PAGE).get_page(request.GET.get("trang"))
    return render(request, "portal/evidence.html", {"unit": unit, "month": month, "page": page})
