"""Personal access tokens: their form, their digest and the check of one sent as ``Authorization: Bearer``.

A token is ``tdv_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits). Only its SHA-256
digest is stored, and a token sent is found by the digest of what was sent (a unique index): a slow password
hasher (PBKDF2, hundreds of milliseconds) would be paid on every API request, and is needed only for secrets
people choose and can be guessed; nobody guesses 256 random bits, so a single fast hash keeps a leaked
database from handing out working tokens while costing nothing per request.

A token works while it is not revoked, not expired, its owner's account is active and the owner's password is
the one it was made under (the account's session hash, as Django checks a session with): a new password, by
the owner, by «Quên mật khẩu» or set by the administrator, ends every token as it ends every other session.
Wrong tokens are counted per client address; past THIDUA_API_TOKEN_FAILURE_LIMIT within the sign-in lockout's
time (AXES_COOLOFF_TIME), a wrong token from that address is answered 429 with Retry-After (a script stuck on an
old token is told to stop, a guesser slowed) until the time passes. A token that works is never refused: behind
a proxy every client has the proxy's address, and a stranger's wrong tokens must not lock the district's
dashboard out.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

from thidua.api.models import ApiToken
from thidua.core import clock
from thidua.core.cache import count_in_window, count_so_far

logger = logging.getLogger(__name__)

PREFIX = "tdv_"
SHOWN_CHARS = 8  # of the token, after the prefix, kept to tell tokens apart in lists
LAST_USE_EVERY = timedelta(minutes=1)  # how often a token's "last used" time is written (not on every request)


class TokenRefused(Exception):
    """A token sent that does not work; the message (Vietnamese) says why, as much as is safe to say."""


class TooManyFailures(Exception):
    def __init__(self, wait_seconds: int) -> None:
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def shown_prefix(secret: str) -> str:
    return secret[: len(PREFIX) + SHOWN_CHARS]


def credential_of(user) -> str:
    return user.get_session_auth_hash()


def _failures_key(request) -> str:
    return f"api-token-failures:{get_client_ip_address(request) or 'unknown'}"


def _failure_window() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _refuse(request, message: str) -> TokenRefused:
    """Count a wrong token from the request's address; over the limit, a TooManyFailures is raised instead."""
    key, limit = _failures_key(request), settings.THIDUA_API_TOKEN_FAILURE_LIMIT
    if count_so_far(key) >= limit:
        raise TooManyFailures(_failure_window())
    count = count_in_window(key, _failure_window())  # None: the cache cannot count (logged), no limit applied
    if count == limit:  # the address, never the token
        logger.warning("%d wrong API tokens from %s: refused for %d s", limit, key.split(":", 1)[1],
                       _failure_window())
    return TokenRefused(message)


@sensitive_variables("secret")
def authenticate(request, secret: str):
    """The active user a token sent belongs to; raises TokenRefused (a wrong, expired, revoked or ended token) or
    TooManyFailures. Records when the token was last used (at most once a minute)."""
    token = None
    if secret.startswith(PREFIX) and len(secret) < 200:
        token = ApiToken.objects.select_related("user", "user__unit").filter(digest=digest(secret)).first()
    if token is None or not hmac.compare_digest(token.digest, digest(secret)):
        raise _refuse(request, "Mã truy cập API không đúng.")
    now = clock.now()
    user = token.user
    if token.revoked_at is not None:
        raise _refuse(request, "Mã truy cập API đã bị thu hồi.")
    if token.expires_at is not None and token.expires_at <= now:
        raise _refuse(request, "Mã truy cập API đã hết hạn; hãy tạo mã mới ở trang «Mã truy cập API».")
    if not user.is_active or not hmac.compare_digest(token.credential, credential_of(user)):
        raise _refuse(request, "Mã truy cập API không còn hiệu lực: tài khoản đã bị khóa hoặc đã đổi mật khẩu.")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user


def state(token: ApiToken, now=None) -> str:
    """How a token stands, in words for its list: «Đang dùng», «Đã thu hồi», «Hết hạn», «Hết hiệu lực …»."""
    now = now or clock.now()
    if token.revoked_at is not None:
        return "Đã thu hồi"
    if token.expires_at is not None and token.expires_at <= now:
        return "Hết hạn"
    if not token.user.is_active:
        return "Hết hiệu lực (tài khoản đã khóa)"
    if not hmac.compare_digest(token.credential, credential_of(token.user)):
        return "Hết hiệu lực (đã đổi mật khẩu)"
    return "Đang dùng"
