"""Security events written to the audit log: a sign-in locked out after repeated wrong passwords."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver

from thidua.core.audit import audit


@receiver(user_locked_out, dispatch_uid="thidua-audit-lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    # axes signals every refused attempt of a lockout; the audit log wants the lockout once
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    name = (username or "")[:150]
    audit("auth.locked_out", actor=None,
          summary=(f"Tạm khóa đăng nhập «{name}» từ địa chỉ {ip_address} trong {minutes} phút sau "
                   f"{settings.AXES_FAILURE_LIMIT} lần nhập sai mật khẩu liên tiếp"),
          after={"username": name, "ip_address": ip_address})
