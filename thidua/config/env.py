"""Strict helpers that read settings from environment variables and fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} phải là 1 hoặc 0 (hoặc true/false, yes/no, on/off), gặp {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} phải là số nguyên, gặp {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} phải từ {minimum} trở lên, gặp {value}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} phải là một trong {', '.join(choices)}, gặp {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, fallback_file: Path) -> str:
    """The secret from the environment, else one generated once and kept in the data directory."""
    raw = os.environ.get(name)
    if raw:
        if len(raw) < 32:
            raise ImproperlyConfigured(f"{name} phải dài ít nhất 32 ký tự")
        if "change-me" in raw:
            raise ImproperlyConfigured(
                f"{name} vẫn là giá trị mẫu của .env.example; hãy thay bằng một chuỗi ngẫu nhiên, ví dụ in bằng "
                "python3 -c \"import secrets; print(secrets.token_urlsafe(50))\"")
        return raw
    try:
        return fallback_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        fallback_file.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(50)
        fd = os.open(fallback_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value)
        return value


def database_from_url(url: str) -> dict:
    """Translate DATABASE_URL (postgres://user:pass@host:port/name or sqlite:///path) to Django's form."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL phải ghi tên cơ sở dữ liệu, ví dụ postgres://thidua:mat-khau@127.0.0.1:5432/thidua")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not path:
            raise ImproperlyConfigured("DATABASE_URL cho SQLite phải có dạng sqlite:///duong/dan/tep.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    raise ImproperlyConfigured(f"DATABASE_URL: kiểu {parsed.scheme!r} không được hỗ trợ (postgres hoặc sqlite)")
