"""Role checks shared by every view: one place decides who may see or change what."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.http import url_has_allowed_host_and_scheme


def role_required(*checks: str):
    """Require a logged-in user for whom one of the named User properties is true."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                if request.method == "POST":  # a form left open past the session's end: say what became of it
                    messages.warning(request, "Phiên đăng nhập đã hết nên dữ liệu vừa gửi chưa được ghi. Hãy đăng "
                                              "nhập lại rồi nhập và gửi lại.")
                    return redirect_to_login(_form_page(request))
                return redirect_to_login(request.get_full_path())
            if not any(getattr(user, check) for check in checks):
                raise PermissionDenied("Bạn không có quyền truy cập trang này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _form_page(request) -> str:
    """Where a form sent after the session ended was: the page that sent it (its Referer, on this site),
    where the user goes back to after signing in; the address it was sent to may take POST only (a
    ranking's "chốt tháng", a tie-break), which signing in would then open as a link."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


reviewer_required = role_required("is_reviewer")
admin_required = role_required("is_admin_role")
staff_view_required = role_required("sees_all_units")
reporter_required = role_required("is_reporter")
signed_in_required = role_required("is_active")
