"""Full portal imports (scan + database write) for bench_import.py, in a fresh database.

Run as a phase in its own process: configures Django for a throw-away SQLite file or a
PostgreSQL database, migrates, registers the Châu Thành A units and times `portal_import`.

Then it times the database's own floor for the same write: the imported rows, already parsed,
typed and inside the database, copied by one INSERT … SELECT (key order, as the merge) into an
empty table with the same columns and indexes, and committed. No import can write its rows in
less time than that, whatever its parser.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _setup(database: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="thidua-bench-import-")
    os.environ["THIDUA_DATA_DIR"] = data_dir
    os.environ["THIDUA_MAX_IMPORT_BYTES"] = str(1 << 40)
    if database == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        admin = os.environ.get("THIDUA_BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS thidua_bench_import")
            conn.execute("CREATE DATABASE thidua_bench_import")
        os.environ["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/thidua_bench_import"
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gen_portal import UNITS

    from thidua.units.models import Unit

    for order, (code, name) in enumerate(UNITS):
        group = "department" if code.startswith(("P-", "VP-", "BP-")) else "commune"
        Unit.objects.create(code=code, name=name, level=group, group=group, sort_order=order)


def time_write_floor(kind: str = "dossiers") -> float:
    """Seconds to copy the imported rows into an empty twin of their table (indexes included) and commit."""
    from django.db import connection, transaction

    from thidua.portal.models import Dossier, PortalAccount

    model, key = (Dossier, "code") if kind == "dossiers" else (PortalAccount, "account")
    table, twin = model._meta.db_table, "bench_write_floor"
    columns = ", ".join(f.column for f in model._meta.concrete_fields if not f.primary_key)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {twin} (LIKE {table} INCLUDING ALL)")
        else:  # the table's and its indexes' own CREATE statements, renamed
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
            for (sql,) in cursor.fetchall():
                sql = sql.replace(f'"{table}"', f'"{twin}"')
                cursor.execute(sql.replace('INDEX "', f'INDEX "{twin}_', 1))
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {twin} ({columns}) SELECT {columns} FROM {table} ORDER BY {key}")
    seconds = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {twin}")
    return seconds


def time_import(path: str, database: str, kind: str = "dossiers") -> dict:
    _setup(database)
    from thidua.portal.services import portal_import

    t0 = time.perf_counter()
    first = portal_import(path=Path(path), kind=kind)
    first_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    again = portal_import(path=Path(path), kind=kind)  # re-import: nothing changes
    again_s = time.perf_counter() - t1
    assert again.created == 0 and again.updated == 0, "a re-import must change nothing"
    return {"seconds": first_s, "reimport_seconds": again_s, "rows": first.result.rows_read,
            "created": first.created, "floor_seconds": time_write_floor(kind)}
