"""The administrator's registry import (upload a file, preview what it changes, confirm; template files)
and the reporter accounts of the units."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from thidua.campaigns.selectors import active_group_names
from thidua.core import clock
from thidua.core.downloads import SPREADSHEET_TYPES, attachment
from thidua.scoring.text import format_int
from thidua.units.accounts import (
    accounts_csv_data_url,
    active_reporters,
    planned_usernames,
    reporter_accounts_create,
    reporter_password_reset,
    reporters_in_use,
    units_fingerprint,
    units_without_reporter,
)
from thidua.units.forms import RegistryUploadForm, ReporterAccountsForm
from thidua.units.permissions import admin_required
from thidua.units.registry_file import (
    EXPORT_NAME,
    REQUIRED_LABELS,
    TEMPLATE_FILES,
    column_help,
    render_registry_file,
    render_template_file,
)
from thidua.units.selectors import (
    UnitImportRejected,
    plan_rows,
    registry_export_units,
    registry_groups,
    registry_overview,
    unit_registry_plan,
)
from thidua.units.services import unit_registry_import
from thidua.units.uploads import PendingFile, pending_discard, pending_get, pending_save

GONE = ("Không còn tệp chờ nhập này (đã nhập, quá 24 giờ hoặc đường dẫn không đúng); "
        "hãy tải tệp danh mục lên lại.")


def _page(request, form, status=200):
    return render(request, "units/import.html", {
        "form": form, "levels": registry_overview(), "template_files": TEMPLATE_FILES,
        "column_help": [(label, label in REQUIRED_LABELS, how) for label, how in column_help(registry_groups())],
    }, status=status)


@admin_required
def registry_import(request):
    form = RegistryUploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            token = pending_save(form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            return redirect("units-import-preview", token=token)
    return _page(request, form)


def _preview(request, pending: PendingFile, problems: list[str] | None = None):
    context = {"pending": pending}
    if problems is None:
        try:
            plan = unit_registry_plan(path=pending.path, original_name=pending.original_name)
        except UnitImportRejected as exc:
            problems = exc.messages
        else:
            problems = plan.messages()
            context.update(plan=plan, rows=plan_rows(plan))
    return render(request, "units/import_preview.html", {**context, "problems": problems})


@admin_required
def registry_import_preview(request, token: str):
    pending = pending_get(token, user=request.user)
    if pending is None:
        messages.error(request, GONE)
        return redirect("units-import")
    return _preview(request, pending)


@admin_required
def registry_import_confirm(request, token: str):
    pending = pending_get(token, user=request.user)
    if request.method != "POST":
        messages.info(request, "Danh mục chỉ được nhập khi bấm nút «Xác nhận nhập» trên trang xem trước; "
                               "chưa có gì được ghi.")
        return redirect("units-import-preview", token=token) if pending else redirect("units-import")
    if pending is None:
        messages.error(request, GONE)
        return redirect("units-import")
    try:
        outcome = unit_registry_import(path=pending.path, actor=request.user, original_name=pending.original_name)
    except UnitImportRejected as exc:
        return _preview(request, pending, exc.messages)
    pending_discard(pending.token)
    messages.success(request, f"Đã nhập danh mục đơn vị từ tệp «{pending.original_name}»: thêm mới "
                              f"{outcome.created}, cập nhật {outcome.updated}, không đổi {outcome.unchanged}.")
    return redirect("units-import")


@admin_required
def registry_template(request, filename: str):
    try:
        content = render_template_file(filename, registry_groups())
    except KeyError:
        raise Http404("Không có tệp mẫu này.") from None
    return attachment(content, filename, SPREADSHEET_TYPES[filename.rpartition(".")[2]])


@admin_required
def registry_export(request, fmt: str):
    """The registry as it is now, in the import's own format: to edit and import again."""
    if fmt not in SPREADSHEET_TYPES:
        raise Http404("Chỉ tải được danh mục dạng .xlsx hoặc .csv.")
    content = render_registry_file(fmt, registry_export_units(), registry_groups())
    return attachment(content, f"{EXPORT_NAME}-{clock.today():%Y-%m-%d}.{fmt}", SPREADSHEET_TYPES[fmt])


def _passwords_page(request, accounts, *, heading: str):
    """The one page that shows new passwords: to print or save as a file, kept by no browser cache or proxy."""
    response = render(request, "units/reporter_accounts_created.html", {
        "accounts": accounts, "heading": heading, "csv_url": accounts_csv_data_url(accounts),
        "filename": f"tai-khoan-bao-cao-{timezone.localtime(clock.now()):%Y%m%d-%H%M}.csv",
    })
    add_never_cache_headers(response)
    return response


@admin_required
@require_POST
def reporter_password_reset_view(request, pk: int):
    """A reporter who lost their password (and gave no email to reset it themselves) gets a new one."""
    user = get_object_or_404(reporters_in_use(), pk=pk)
    account = reporter_password_reset(user=user, actor=request.user)
    return _passwords_page(request, [account], heading=f"Đã đặt lại mật khẩu tài khoản {account.username}")


@admin_required
def reporter_accounts(request):
    """The units that compete and have no reporter account, and a button that creates one for each:
    the initial passwords are shown once, on a page no cache keeps, to print or save as a file."""
    missing = units_without_reporter()
    group_names = active_group_names()
    form = ReporterAccountsForm(request.POST if request.method == "POST" else None,
                                initial={"listed": units_fingerprint(missing)})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["listed"] != units_fingerprint(missing):
            messages.warning(request, "Danh sách đơn vị chưa có tài khoản đã thay đổi từ khi trang được mở; "
                                      "hãy xem lại danh sách dưới đây rồi bấm tạo lại. Chưa tạo tài khoản nào.")
            return redirect("units-reporter-accounts")
        accounts = reporter_accounts_create(actor=request.user)
        if not accounts:
            messages.info(request, "Mọi đơn vị thi đua đã có tài khoản báo cáo; không tạo thêm.")
            return redirect("units-reporter-accounts")
        return _passwords_page(request, accounts,
                               heading=f"Đã tạo {format_int(len(accounts))} tài khoản cán bộ báo cáo")
    return render(request, "units/reporter_accounts.html", {
        "form": form, "missing": [(unit, group_names.get(unit.group, unit.group), username)
                                  for unit, username in zip(missing, planned_usernames(missing), strict=True)],
        "reporters": active_reporters(),
        # the competing units as the campaign names its groups ("sở, ban, ngành tỉnh; xã, phường")
        "group_words": "; ".join(name.lower() for name in group_names.values()) or "xã, thị trấn, phòng, ban, ngành",
    }, status=400 if form.is_bound else 200)
