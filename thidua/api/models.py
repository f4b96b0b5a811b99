"""Personal access tokens for the JSON API: what a script or another system sends as ``Authorization: Bearer``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from thidua.core import clock


class ApiToken(models.Model):
    """A token is shown once, when it is made; only its SHA-256 digest is kept (see thidua.api.tokens)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người dùng", on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField("tên gợi nhớ", max_length=100)
    # the token's first characters, shown in lists so that its owner tells two tokens apart; not secret
    prefix = models.CharField("đầu mã", max_length=16)
    digest = models.CharField("mã băm SHA-256", max_length=64, unique=True)
    # the account's session hash when the token was made (an HMAC of its password hash): a new password ends it
    credential = models.CharField(max_length=128)
    created_at = models.DateTimeField("tạo lúc", default=clock.now)
    expires_at = models.DateTimeField("hết hạn lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người thu hồi", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
