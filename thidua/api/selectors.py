"""Reads of the API app: the personal access tokens a page lists."""

from __future__ import annotations

from thidua.api import tokens
from thidua.api.models import ApiToken
from thidua.core import clock


def tokens_of(user) -> list[tuple[ApiToken, str]]:
    """A user's tokens, newest first, each with how it stands (in words)."""
    now = clock.now()
    rows = ApiToken.objects.filter(user=user).select_related("user", "revoked_by")
    return [(t, tokens.state(t, now)) for t in rows]


def tokens_in_use_of_others(user) -> list[tuple[ApiToken, str]]:
    """For an administrator: the other users' tokens not revoked (expired or ended ones too, to clear them)."""
    now = clock.now()
    rows = (ApiToken.objects.filter(revoked_at__isnull=True).exclude(user=user)
            .select_related("user", "user__unit").order_by("user__username", "-created_at"))
    return [(t, tokens.state(t, now)) for t in rows]
