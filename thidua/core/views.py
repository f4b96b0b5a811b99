"""Home redirect by role, the audit log for reviewers, health check and error pages."""

from __future__ import annotations

import hashlib
import logging
import smtplib

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse_lazy

from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import NoActiveCampaign
from thidua.core.audit import audit
from thidua.core.audit_display import action_label, describe
from thidua.core.cache import count_in_window
from thidua.core.forms import PasswordResetRequestForm, ProfileForm
from thidua.core.models import AuditEvent
from thidua.core.selectors import recorded_actions
from thidua.core.stored_files import StoredFileMissing
from thidua.documents.text import vietnamese_order
from thidua.units.models import User
from thidua.units.permissions import reviewer_required, signed_in_required

logger = logging.getLogger(__name__)


def home(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("public-leaderboard")
    if user.is_admin_role and not Campaign.objects.filter(active=True).exists():
        return redirect("campaign-list")  # a new installation: create or apply a campaign first
    if user.is_reviewer:
        return redirect("review-matrix")
    if user.sees_all_units:
        return redirect("rankings")
    if user.is_reporter:
        return redirect("unit-dashboard")
    return redirect("public-leaderboard")


@reviewer_required
def audit_log(request):
    events = AuditEvent.objects.select_related("actor")
    unit = request.GET.get("don_vi", "").strip()
    action = request.GET.get("hanh_dong", "").strip()
    if unit:
        events = events.filter(unit_code=unit)
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("trang"))
    actions = recorded_actions()
    return render(request, "core/audit_log.html", {
        "page": page, "rows": describe(page), "unit": unit, "action": action,
        "actions": sorted(((code, action_label(code)) for code in actions), key=lambda a: vietnamese_order(a[1]))})


PROFILE_FIELDS = ("last_name", "first_name", "position", "email")


def _sharing_email(user) -> list[str]:
    """The other active accounts that gave the same address (allowed: one officer may hold two)."""
    if not user.email:
        return []
    return list(User.objects.filter(email__iexact=user.email, is_active=True).exclude(pk=user.pk)
                .order_by("username").values_list("username", flat=True))


@signed_in_required
def profile(request):
    """A user's own name, position and email (the reminders' address); audited field by field."""
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            before = {f: getattr(user, f) for f in PROFILE_FIELDS}
            after = {f: " ".join(form.cleaned_data[f].split()) for f in PROFILE_FIELDS}
            if after != before:
                with transaction.atomic():
                    for name, value in after.items():
                        setattr(user, name, value)
                    user.save(update_fields=list(PROFILE_FIELDS))
                    changed = [f for f in PROFILE_FIELDS if before[f] != after[f]]
                    audit("user.profile_changed", actor=user, obj=user, unit_code=user.unit.code if user.unit else "",
                          summary=f"{user.name_and_login} cập nhật thông tin cá nhân",
                          before={f: before[f] for f in changed}, after={f: after[f] for f in changed})
                    if before["email"] and before["email"].lower() != after["email"].lower():
                        transaction.on_commit(lambda: _tell_the_old_address(user, before["email"], after["email"]))
                messages.success(request, "Đã lưu thông tin cá nhân.")
                shared = _sharing_email(user)
                if shared:
                    messages.info(request, f"Email này cũng là email của tài khoản {', '.join(shared)}: thư lấy lại "
                                           "mật khẩu gửi đến email này sẽ có một thư cho mỗi tài khoản.")
            else:
                messages.info(request, "Thông tin không thay đổi.")
            return redirect("profile")
    else:
        form = ProfileForm(initial={f: getattr(user, f) for f in PROFILE_FIELDS}, user=user)
    return render(request, "registration/profile.html", {"form": form})


def _tell_the_old_address(user: User, old: str, new: str) -> None:
    """The address an account leaves is told, so that its owner learns of a change they did not make."""
    if not settings.THIDUA_EMAIL_ENABLED:
        return
    from django.core.mail import EmailMessage
    from django.utils import timezone

    from thidua.core import clock

    now = timezone.localtime(clock.now())
    body = (f"Email của tài khoản {user.username} ({user.display_name}) trên Thi Đua DVC vừa được đổi từ {old} "
            f"thành {new or '(không có)'} lúc {now:%H:%M} ngày {now:%d/%m/%Y}.\n\nNếu không phải bạn đổi, hãy báo "
            "ngay quản trị hệ thống để khóa tài khoản và đặt lại email, mật khẩu.\n")
    try:
        EmailMessage("Email tài khoản Thi Đua DVC đã được đổi", body, to=[old]).send()
    except (OSError, smtplib.SMTPException):  # logged; a mail server's answer never undoes the change
        logger.exception("could not tell %s that the email of %s changed", old, user.username)


class LogoutView(auth_views.LogoutView):
    """Signing out lands on the public leaderboard, which says so: the menu alone does not show it on a phone."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, "Đã đăng xuất.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every signed-in user changes their own password (the initial one comes from the administrator);
    audited without the password, and the session stays signed in."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit("user.password_changed", actor=self.request.user, obj=self.request.user,
                  summary=f"{self.request.user.name_and_login} đổi mật khẩu")
        messages.success(self.request, "Đã đổi mật khẩu.")
        return response


RESET_EMAILS_PER_HOUR = 3
# requests from one computer an hour (an office's reporters may share one public address)
RESET_REQUESTS_PER_CLIENT_HOUR = 30


class PasswordResetView(auth_views.PasswordResetView):
    """"Quên mật khẩu": a one-time link to the account's email (Django's signed token, valid
    PASSWORD_RESET_TIMEOUT). The page says the same whether or not an account has that address; a mail
    server that fails is logged (Django's PasswordResetForm). Without a mail server the page says whom
    to ask instead."""

    template_name = "registration/quen_mat_khau.html"
    email_template_name = "registration/quen_mat_khau_email.txt"
    subject_template_name = "registration/quen_mat_khau_tieu_de.txt"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password-reset-sent")

    def get_context_data(self, **kwargs):
        from thidua.awards.dossier import district_info
        from thidua.campaigns.selectors import active_campaign

        campaign = active_campaign()
        return {**super().get_context_data(**kwargs), "email_enabled": settings.THIDUA_EMAIL_ENABLED,
                "office": district_info(campaign).home_affairs if campaign else "Phòng Nội vụ"}

    def post(self, request, *args, **kwargs):
        if not settings.THIDUA_EMAIL_ENABLED:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        accounts = [u.username for u in form.get_users(email)]
        # At most RESET_EMAILS_PER_HOUR links to one address an hour, so that the form cannot be used to
        # flood a mailbox; the page reads the same either way.
        key = "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
        # Only the first request held is audited: a script sending the form over and over would otherwise
        # grow the audit log by a row a request. The same for one computer asking for many addresses.
        # A cache that cannot count (None, logged) holds nothing back: the link is sent as without a limit.
        count = count_in_window(key) or 1
        client = "password-reset-ip:" + hashlib.sha256((get_client_ip_address(self.request) or "").encode()).hexdigest()
        from_client = count_in_window(client) or 1
        held = count > RESET_EMAILS_PER_HOUR or from_client > RESET_REQUESTS_PER_CLIENT_HOUR
        if count <= RESET_EMAILS_PER_HOUR + 1 and from_client <= RESET_REQUESTS_PER_CLIENT_HOUR + 1:
            who = "đã gửi tới địa chỉ này" if count > RESET_EMAILS_PER_HOUR else "máy này đã yêu cầu"
            audit("user.password_reset_requested", actor=None,
                  summary=f"Yêu cầu lấy lại mật khẩu qua email {email}: {len(accounts)} tài khoản"
                          + (f"; không gửi thư vì {who} nhiều lần trong một giờ (các yêu cầu sau đó trong giờ này "
                             "cũng không gửi và không ghi nhật ký)" if held else ""),
                  after={"email": email, "accounts": accounts, "held": held})
        if held:
            return redirect(self.get_success_url())
        self.extra_email_context = {"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the email: a new password, audited; it also lifts a sign-in lockout of the account."""

    template_name = "registration/dat_lai_mat_khau.html"
    success_url = reverse_lazy("password-reset-done")
    reset_url_token = "dat-mat-khau"  # the address the link leads to once checked (Django's "set-password")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit("user.password_reset", actor=form.user, obj=form.user,
                  summary=f"{form.user.name_and_login} đặt lại mật khẩu qua liên kết gửi email")
        axes_reset(username=form.user.username)
        return response


def guide(request):
    """Hướng dẫn: the active campaign's rules in words, from its rubric (deadlines, deductions, criteria,
    ranking, awards), and what each role does where. Open to everyone, like the public leaderboard."""
    from thidua.awards.dossier import district_info
    from thidua.campaigns.selectors import active_campaign
    from thidua.scoring.text import format_criterion_rule, format_report_penalties

    campaign = active_campaign()
    issuer = district_info(campaign) if campaign else None
    context = {"campaign": campaign, "office": issuer.home_affairs if issuer else "Phòng Nội vụ",
               "award_name": issuer.award_name if issuer else "Giấy khen"}
    if campaign is not None:
        rubric = campaign.rubric
        rules = rubric.reports
        context.update(
            rubric=rubric,
            dues=[(month, rubric.due_date(month)) for month in rules.months],
            penalties=format_report_penalties(rules.late_bands, rules.missing_points),
            missing_after=rules.missing_after_days, untruthful=-rules.untruthful_points,
            groups=[(group.label, [(c.label, format_criterion_rule(c)) for c in group.criteria])
                    for group in rubric.groups.values()],
            group_labels={key: group.label for key, group in rubric.groups.items()},
        )
    return render(request, "core/guide.html", context)


def health(request):
    return JsonResponse({"status": "ok"})


def favicon(request):
    """/favicon.ico, which browsers ask for on pages that name no icon (the admin's, the API docs'): the app's
    own icon, rather than a 404 in the log on every admin page. Not permanent: the icon's URL may change."""
    return redirect(static("thidua/favicon.svg"))


def bad_request(request, exception=None):
    """A request Django refuses before any view: over the upload limits (named), or malformed. JSON under /api/."""
    message = _bad_request_message(exception)
    if request.path.startswith("/api/"):
        # a body over the size limit is a 413 (Content Too Large, RFC 9110) to a script: sending it again as it
        # is will never work, and a client's retry logic tells it from a malformed request by the code
        status = 413 if isinstance(exception, RequestDataTooBig) else 400
        return JsonResponse({"detail": f"{message} Chưa có gì được ghi."}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    return HttpResponse(loader.render_to_string("400.html", {"message": message}), status=400)


def _bad_request_message(exception) -> str:
    if isinstance(exception, RequestDataTooBig):
        megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.3g}".replace(".", ",")
        return f"Dữ liệu gửi lên quá lớn: tối đa {megabytes} MB (không kể tệp đính kèm)."
    if isinstance(exception, TooManyFieldsSent):
        return f"Dữ liệu gửi lên có quá nhiều trường: tối đa {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}."
    if isinstance(exception, TooManyFilesSent):
        return f"Gửi quá nhiều tệp một lần: tối đa {settings.DATA_UPLOAD_MAX_NUMBER_FILES} tệp."
    return "Dữ liệu gửi lên không đúng định dạng."


def permission_denied(request, exception=None):
    return render(request, "403.html", {"exception": str(exception) if exception else ""}, status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):  # an address the API does not have: answered as the API answers
        return JsonResponse({"detail": "Không có địa chỉ API này; xem /api/v1/docs."}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "404.html", {"no_campaign": isinstance(exception, NoActiveCampaign),
                                        "missing_file": str(exception) if isinstance(exception, StoredFileMissing)
                                        else "", "reason": _reason_for_visitor(exception)}, status=404)


def _reason_for_visitor(exception) -> str:
    """Why the page is not there, when a view said it in Vietnamese (Http404("Tháng không thuộc kỳ báo cáo."));
    Django's own 404s carry English (get_object_or_404) or the URL patterns tried, shown to nobody."""
    reason = exception.args[0] if exception is not None and exception.args else None
    return reason if isinstance(reason, str) and not reason.isascii() else ""


def csrf_failure(request, reason=""):
    """A form sent with a stale or missing CSRF token (settings.CSRF_FAILURE_VIEW): what to do, in Vietnamese."""
    return render(request, "403_csrf.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)


def server_error(request):
    return HttpResponse(loader.render_to_string("500.html"), status=500)
