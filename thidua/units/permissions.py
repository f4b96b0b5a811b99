"""Role checks shared by every view: one place decides who may see or change what."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


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
                return redirect_to_login(request.get_full_path())
            if not any(getattr(user, check) for check in checks):
                raise PermissionDenied("Bạn không có quyền truy cập trang này.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


reviewer_required = role_required("is_reviewer")
admin_required = role_required("is_admin_role")
staff_view_required = role_required("sees_all_units")
reporter_required = role_required("is_reporter")
signed_in_required = role_required("is_active")
