"""Writes of the API app: personal access tokens made and revoked (atomic, audited; never the token itself)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.api import tokens
from thidua.api.models import ApiToken
from thidua.core import clock
from thidua.core.audit import audit

MAX_ACTIVE_TOKENS = 20  # per user: a token per script or system, not one per request
EXPIRY_CHOICES = (30, 90, 180, 365)  # days; or none


def _audit_fields(token: ApiToken) -> dict:
    return {"name": token.name, "prefix": token.prefix, "owner": token.user.username,
            "expires_at": token.expires_at}


@transaction.atomic
def api_token_create(*, user, name: str, expires_in_days: int | None, actor) -> tuple[ApiToken, str]:
    """A new token for ``user`` (its owner makes it); returns the row and the token itself, which is shown once
    and stored only as its digest."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Đặt tên cho mã để nhận ra nó sau này, ví dụ «Bảng điều khiển tỉnh»."]})
    if expires_in_days is not None and expires_in_days not in EXPIRY_CHOICES:
        raise ValidationError({"expires_in_days": ["Thời hạn không hợp lệ."]})
    if not user.is_active:
        raise PermissionDenied("Tài khoản đã ngừng hoạt động.")
    active = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    now = clock.now()
    live = [t for t in active if t.expires_at is None or t.expires_at > now]
    if len(live) >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"Mỗi tài khoản có tối đa {MAX_ACTIVE_TOKENS} mã đang dùng; hãy thu hồi mã không "
                              "còn cần trước khi tạo mã mới.")
    secret = tokens.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=tokens.shown_prefix(secret), digest=tokens.digest(secret),
        credential=tokens.credential_of(user), created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None)
    audit("api.token_created", actor=actor, obj=token, unit_code=user.unit.code if user.unit_id else "",
          summary=f"{user.name_and_login} tạo mã truy cập API «{token.name}» ({token.prefix}…)",
          after=_audit_fields(token))
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token: by its owner, or by an administrator (any user's). Revoking twice changes nothing."""
    if actor.pk != token.user_id and not actor.is_admin_role:
        raise PermissionDenied("Chỉ người tạo mã hoặc quản trị hệ thống được thu hồi mã truy cập API.")
    # of self: a user without a unit is the nullable side of an outer join, which PostgreSQL does not lock
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user", "user__unit").get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = clock.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    owner = token.user
    whose = "" if actor.pk == owner.pk else f" của {owner.name_and_login}"
    audit("api.token_revoked", actor=actor, obj=token, unit_code=owner.unit.code if owner.unit_id else "",
          summary=f"{actor.name_and_login} thu hồi mã truy cập API «{token.name}» ({token.prefix}…){whose}",
          before=_audit_fields(token))
    return token


def api_tokens_end_for_inactive(*, user) -> int:
    """An account deactivated: its tokens are revoked for good (reactivating the account does not revive them).
    Called by the User post_save receiver, inside the save's transaction; the deactivation is what is audited."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
