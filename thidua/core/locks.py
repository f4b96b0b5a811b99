"""One writer at a time for a write that has no row of its own to lock before it reads (a registry import planning
its new units, the reporter accounts listing the units without one)."""

from __future__ import annotations

import hashlib

from django.db import connection


def one_at_a_time(name: str) -> None:
    """Wait for any other transaction that took ``name``'s lock, then hold it until this transaction ends: a
    PostgreSQL transaction-level advisory lock, taken by these writes only, so that reads and other writes go on.
    Inside a transaction. SQLite writes one transaction at a time anyway (``transaction_mode`` IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(f"thidua:{name}".encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
