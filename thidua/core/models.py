"""The audit log: every write that matters leaves a row saying who did what, when, before and after."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models

from thidua.core import clock


class AuditEvent(models.Model):
    # The application's clock: the real one in production; a pinned training clock (or the demo's
    # seeding, pinned to each report's day) dates the log as it dates everything else.
    at = models.DateTimeField("thời điểm", default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField("hành động", max_length=64)  # indexed with the time below
    summary = models.CharField("nội dung", max_length=500)
    object_type = models.CharField("loại đối tượng", max_length=64, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    unit_code = models.CharField("đơn vị", max_length=64, blank=True)  # indexed with the time below
    campaign_code = models.CharField("phong trào", max_length=64, blank=True, db_index=True)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The audit log's filters (Nhật ký: by action, by unit) read a page in the log's order straight from
        # an index, not by sorting every matching row (a province's year: hundreds of thousands of rows); a
        # report's page reads its own history, in order, by object.
        indexes = [
            models.Index(fields=["action", "at", "id"], name="audit_action_at"),
            models.Index(fields=["unit_code", "at", "id"], name="audit_unit_at"),
            models.Index(fields=["object_type", "object_id", "at", "id"], name="audit_object_at"),
        ]
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.summary}"


class LoginFailure(AccessAttempt):
    """django-axes' count of wrong passwords in a row for one user name from one address (see the
    AXES_ settings), shown in Vietnamese in the admin, where a lock can be lifted early."""

    class Meta:
        proxy = True
        verbose_name = "đăng nhập sai"
        verbose_name_plural = "đăng nhập sai"
        default_permissions = ("view", "delete")

    def __str__(self) -> str:
        return f"«{self.username}» từ {self.ip_address}"
