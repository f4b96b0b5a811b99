"""Writes for portal data: scan a file, import it whole or not at all, remember unit names and column layouts."""

from __future__ import annotations

import ctypes
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction

from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_touch
from thidua.core import clock
from thidua.core.audit import audit
from thidua.core.files import upload_not_kept
from thidua.portal.models import Dossier, HeaderMapping, PendingUpload, PortalAccount, PortalImport, UnitAlias
from thidua.portal.parsing import (
    ACCOUNT_FIELDS,
    ACCOUNT_RECORD_FIELDS,
    DOSSIER_FIELDS,
    DOSSIER_RECORD_FIELDS,
    FieldSpec,
    ParseResult,
    PortalFileError,
    UnitMatcher,
    find_header,
    fold,
    normalize_unit_name,
    open_table,
    read_accounts,
)
from thidua.portal.parsing import read_dossiers as _read_dossiers
from thidua.portal.parsing.headers import HEADER_SCAN_ROWS
from thidua.portal.selectors import file_sha256
from thidua.scoring.text import format_int
from thidua.units.models import Unit

Progress = Callable[[int, int | None], None]


class ImportRejected(Exception):
    """The file cannot be imported; `messages` are Vietnamese lines naming the rows."""

    def __init__(self, messages: list[str], result: ParseResult | None = None):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.result = result


class HeaderNotFound(ImportRejected):
    """Neither the aliases nor a saved layout find the header row: a reviewer can map the columns."""


FIELD_SPECS: dict[str, tuple[FieldSpec, ...]] = {"dossiers": DOSSIER_FIELDS, "accounts": ACCOUNT_FIELDS}
KIND_NOUN = {"dossiers": "hồ sơ", "accounts": "tài khoản"}


@dataclass(frozen=True)
class HeaderChoice:
    mapping: dict[str, str] | None  # None: the aliases alone find the header
    saved: HeaderMapping | None  # the saved layout that found it, if one did


def portal_head_rows(*, path: Path, original_name: str | None = None) -> list[tuple[int, list]]:
    """The first rows of a file, where its header must be (read for the header check and the mapping form)."""
    try:
        table = open_table(path, original_name=original_name, max_bytes=settings.THIDUA_MAX_IMPORT_BYTES)
        rows = table.rows()
        try:
            return list(islice(rows, HEADER_SCAN_ROWS))
        finally:
            getattr(rows, "close", lambda: None)()
    except PortalFileError as exc:
        raise ImportRejected([exc.message]) from exc


def portal_header_resolve(*, path: Path, kind: str, original_name: str | None = None,
                          mapping: Mapping[str, str] | None = None,
                          head: Sequence[tuple[int, list]] | None = None) -> HeaderChoice:
    """Which columns to read: the given mapping; else the aliases; else the first active saved layout
    of the kind (newest first) that finds every required column. Raises HeaderNotFound otherwise."""
    if head is None:
        head = portal_head_rows(path=path, original_name=original_name)
    if not any(cell not in ("", None) for _, cells in head for cell in cells):
        return HeaderChoice(dict(mapping) if mapping is not None else None, None)  # the reader says "empty"
    specs, what = FIELD_SPECS[kind], KIND_NOUN[kind]
    try:
        find_header(head, specs, mapping, what=what)
        return HeaderChoice(dict(mapping) if mapping is not None else None, None)
    except PortalFileError as exc:
        if mapping is not None:
            raise HeaderNotFound([exc.message]) from exc
        first_problem = exc.message
    for saved in HeaderMapping.objects.filter(kind=kind, active=True):
        try:
            find_header(head, specs, saved.mapping, what=what)
        except PortalFileError:
            continue
        return HeaderChoice(dict(saved.mapping), saved)
    raise HeaderNotFound([first_problem])


def unit_matcher() -> UnitMatcher:
    units = Unit.objects.values_list("code", "name", "parent__code")
    remembered = dict(UnitAlias.objects.values_list("raw_key", "unit__code"))
    return UnitMatcher(list(units), remembered=remembered)


def portal_scan(*, path: Path, kind: str, original_name: str | None = None, mapping: Mapping[str, str] | None = None,
                as_of: date | None = None, progress: Progress | None = None) -> ParseResult:
    """Phase 1: validate the whole file and count per unit × month; writes nothing.

    Without `mapping` the header is found by alias, then by the saved layouts (see portal_header_resolve)."""
    mapping = portal_header_resolve(path=path, kind=kind, original_name=original_name, mapping=mapping).mapping
    reader = _read_dossiers if kind == PortalImport.Kind.DOSSIERS else read_accounts
    try:
        day = as_of or clock.today()
        return reader(path, units=unit_matcher(), original_name=original_name, mapping=mapping,
                      as_of=day, latest=day, progress=progress, max_bytes=settings.THIDUA_MAX_IMPORT_BYTES)
    except PortalFileError as exc:
        raise ImportRejected([exc.message]) from exc


@transaction.atomic
def portal_upload_keep(*, kind: str, upload, actor) -> PendingUpload:
    """Keep an uploaded export until its preview is confirmed (nothing is imported yet). A file the server
    cannot write (the disk full, the folder read-only) is a Vietnamese ValidationError and leaves nothing."""
    pending = PendingUpload(kind=kind, original_name=upload.name[:255], size=upload.size, uploaded_by=actor)
    try:
        pending.file.save(f"{clock.now():%Y%m%d%H%M%S}-{actor.pk}.bin", upload, save=True)
    except OSError as exc:
        raise ValidationError(upload_not_kept(upload.name, exc)) from exc
    return pending


UNMATCHED_SHOWN = 100  # unmatched unit names the preview lists (each with its own form)


def portal_scan_key(*, kind: str, mapping: Mapping[str, str] | None, as_of: date) -> str:
    """What a scan's outcome depends on besides the (never changing) uploaded file: the kind, the
    columns read, the day (dates after it are errors), the registry and the remembered unit names.
    A preview kept under another key is stale: mapping a unit name, saving a column layout or a new
    day scans the file again."""
    digest = hashlib.sha256()
    digest.update(json.dumps([kind, sorted((mapping or {}).items()), as_of.isoformat()]).encode())
    digest.update(json.dumps(list(Unit.objects.order_by("pk").values_list("code", "name", "parent__code"))).encode())
    digest.update(json.dumps(list(UnitAlias.objects.order_by("raw_key").values_list("raw_key", "unit__code"))).encode())
    return digest.hexdigest()


def preview_snapshot(result: ParseResult) -> dict:
    """The preview page's content of a scan, as plain JSON data (kept beside the upload so that
    showing the preview again, or after a background scan, reads nothing again)."""
    names = list(result.unmatched_counts)
    summary = result.summary()
    if len(names) > UNMATCHED_SHOWN:  # a wrong file: a name per row; the first ones show the problem
        summary = summary[:len(summary) - len(names) + UNMATCHED_SHOWN]
        summary.append(f"… và {format_int(len(names) - UNMATCHED_SHOWN)} tên đơn vị khác chưa có trong danh mục.")
    return {
        "ok": result.ok,
        "errors": result.error_count,
        "error_rows": result.error_rows,
        "valid_rows": result.valid_rows,
        "rows_read": result.rows_read,
        "summary": summary,
        "skipped": len(result.skipped),
        "unmatched": [[name, result.unmatched_counts[name], result.unmatched_units[name][0]]
                      for name in names[:UNMATCHED_SHOWN]],
        "figures": [[code, month, figures._asdict()] for (code, month), figures in result.aggregates.items()],
    }


@transaction.atomic
def unit_alias_remember(*, raw_name: str, unit: Unit, actor) -> UnitAlias:
    key = normalize_unit_name(raw_name)
    if not key:
        raise ValidationError("Tên đơn vị trống.")
    limit = UnitAlias._meta.get_field("raw_key").max_length
    if max(len(raw_name), len(key)) > limit:  # abbreviations expanded, the key can outgrow the name
        raise ValidationError(f"Tên đơn vị này dài {format_int(len(raw_name))} ký tự, quá {limit} ký tự nên không ghi "
                              "nhớ được; chưa ghi nhớ gì. Hãy sửa tên đơn vị trong tệp rồi tải tệp lên lại.")
    alias, _ = UnitAlias.objects.update_or_create(raw_key=key, defaults={"raw_name": raw_name, "unit": unit,
                                                                         "created_by": actor})
    audit("portal.unit_alias", actor=actor, obj=alias, unit_code=unit.code,
          summary=f"Ghi nhớ tên «{raw_name}» trong tệp Cổng là {unit.name}")
    return alias


@transaction.atomic
def unit_alias_change(*, alias: UnitAlias, unit: Unit, actor) -> Unit | None:
    """Count a remembered name for another unit from the next scan on; the unit it counted for
    before, or None if that is already ``unit``. Rows imported already keep their unit until their
    file is imported again (a row does not keep the name it came with)."""
    alias = UnitAlias.objects.select_for_update(of=("self",)).select_related("unit").get(pk=alias.pk)
    before = alias.unit
    if before.pk == unit.pk:
        return None
    alias.unit = unit
    alias.save(update_fields=["unit"])
    audit("portal.unit_alias_changed", actor=actor, obj=alias, unit_code=unit.code,
          summary=f"Đổi tên «{alias.raw_name}» trong tệp Cổng từ {before.name} sang {unit.name}",
          before={"raw_name": alias.raw_name, "unit": before.code},
          after={"raw_name": alias.raw_name, "unit": unit.code})
    return before


@transaction.atomic
def unit_alias_forget(*, alias: UnitAlias, actor) -> None:
    """Forget a remembered name: the next preview of a file with it asks for its unit again."""
    alias = UnitAlias.objects.select_for_update(of=("self",)).select_related("unit").get(pk=alias.pk)
    audit("portal.unit_alias_forgotten", actor=actor, obj=alias, unit_code=alias.unit.code,
          summary=f"Quên tên «{alias.raw_name}» trong tệp Cổng (đã ghi nhớ là {alias.unit.name})",
          before={"raw_name": alias.raw_name, "unit": alias.unit.code})
    alias.delete()


@dataclass(frozen=True)
class ImportOutcome:
    record: PortalImport | None  # None for a dry run
    result: ParseResult
    created: int
    updated: int
    unchanged: int


_RECORDS = {"dossiers": DOSSIER_RECORD_FIELDS, "accounts": ACCOUNT_RECORD_FIELDS}
# Fields whose change counts as an update (the derived ones and the row number do not).
_COMPARED = {
    "dossiers": ("unit_id", "procedure", "level", "channel", "received_on", "due_on", "resolved_on", "status"),
    "accounts": ("unit_id", "kind", "created_on"),
}
STAGE_TABLE = "thidua_portal_stage"


class _Writer:
    """Imports the rows of one file in two steps, inside the caller's transaction.

    While the file is read and validated, every batch of valid rows goes, as the reader hands it
    over (plain records, see DOSSIER_RECORD_FIELDS), into a temporary staging table: COPY on
    PostgreSQL, executemany on SQLite; the table has no index, so this is cheap. On PostgreSQL the
    columnar scan hands its rows over as Arrow batches (``takes_arrow``): pyarrow writes them as CSV
    without holding the GIL into one COPY that stays open while the file is read, so the server
    parses them while Python reads on, and Python touches no row. Once the whole
    file has turned out valid, :meth:`merge` applies it with two set-based statements run by the
    database itself, which also look up the unit ids by code and cut text to the columns' lengths:
    rows whose compared fields changed are updated, rows with a new key are inserted, and the rest
    are left alone — a re-import of the same file writes nothing. If the file is rejected, the
    transaction's rollback drops the staging table too."""

    def __init__(self, kind: str, record: PortalImport):
        self.model, self.key = (Dossier, "code") if kind == "dossiers" else (PortalAccount, "account")
        self.record = record
        self.postgresql = connection.vendor == "postgresql"
        q = connection.ops.quote_name
        meta = self.model._meta
        table, stage, units = q(meta.db_table), q(STAGE_TABLE), q(Unit._meta.db_table)
        staged = _RECORDS[kind]

        def column_type(name: str) -> str:
            if name == "unit_code" or isinstance(meta.get_field(name), models.CharField):
                return "text"  # any length: cut to the column's below
            return meta.get_field(name).db_type(connection)

        def value(name: str) -> str:  # the staged row's value for a column of the table
            field = meta.get_field(name)
            if name != self.key and isinstance(field, models.CharField):
                return f"SUBSTR(s.{q(name)}, 1, {field.max_length})"
            return f"s.{q(name)}"

        # target column -> expression over the staged row s and its unit u; %s is this import
        values = {name: value(name) for name in staged if name != "unit_code"}
        values["unit_id"] = "u.id"
        values["last_import_id"] = "%s"
        key = q(self.key)
        self.stage_create = (f"CREATE TEMPORARY TABLE {stage} ("
                             + ", ".join(f"{q(n)} {column_type(n)}" for n in staged) + ")")
        self.stage_drop = f"DROP TABLE IF EXISTS {stage}"
        # One merge into the table at a time (the mode conflicts with itself, not with reads): two imports of
        # overlapping files at once each missed the other's uncommitted new keys, and the second's insert failed
        # on the unique index. The second now waits for the first's commit, then updates or skips those rows.
        # SQLite writes one transaction at a time anyway.
        self.merge_lock = f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE" if self.postgresql else ""
        stage_columns = ", ".join(q(n) for n in staged)
        self.stage_insert = f"INSERT INTO {stage} ({stage_columns}) VALUES ({', '.join(['%s'] * len(staged))})"
        self.stage_copy = f"COPY {stage} ({stage_columns}) FROM STDIN"
        self.stage_copy_csv = f"COPY {stage} ({stage_columns}) FROM STDIN (FORMAT csv)"
        self.takes_arrow = self.postgresql  # see read_dossiers
        source = f"{stage} AS s JOIN {units} AS u ON u.{q('code')} = s.{q('unit_code')}"
        distinct = "IS DISTINCT FROM" if self.postgresql else "IS NOT"
        changed = " OR ".join(f"{table}.{q(f)} {distinct} {values[f]}" for f in _COMPARED[kind])
        assignments = ", ".join(f"{q(f)} = {e}" for f, e in values.items() if f != self.key)
        self.update_sql = (f"UPDATE {table} SET {assignments}"
                           f" FROM {source} WHERE {table}.{key} = s.{key} AND ({changed})")
        # in key order: the unique index grows at its end rather than all over
        self.insert_sql = (f"INSERT INTO {table} ({', '.join(q(f) for f in values)})"
                           f" SELECT {', '.join(values.values())} FROM {source}"
                           f" WHERE NOT EXISTS (SELECT 1 FROM {table} WHERE {table}.{key} = s.{key}) ORDER BY s.{key}")
        self.staged = self.created = self.updated = self.unchanged = 0
        self._copying: ExitStack | None = None  # the open COPY of Arrow batches
        with connection.cursor() as cursor:
            cursor.execute(self.stage_drop)
            cursor.execute(self.stage_create)

    def __call__(self, batch) -> None:
        """Stage a batch of valid rows (the reader's ``on_rows`` callback): plain records, or on
        PostgreSQL an Arrow record batch with the same columns."""
        if not isinstance(batch, list):
            if self._copying is None:
                self._copying = ExitStack()
                cursor = self._copying.enter_context(connection.cursor())
                self._copy = self._copying.enter_context(cursor.cursor.copy(self.stage_copy_csv))
            self._copy.write(_arrow_csv(batch))
            self.staged += batch.num_rows
            return
        self.end_copy()
        with connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(self.stage_copy) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(self.stage_insert, batch)
        self.staged += len(batch)

    def end_copy(self, exc: BaseException | None = None) -> None:
        """End the open COPY, if any: the server has then staged every row written to it. With
        ``exc`` (the read failed), abort it instead; the transaction is then rolled back anyway."""
        copying, self._copying = self._copying, None
        if copying is not None:
            copying.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)

    def restart(self) -> None:
        """Forget the rows staged so far: the reader hands them over again (its columnar scan gave up)."""
        self.end_copy()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(STAGE_TABLE)}")
        self.staged = 0

    def merge(self) -> None:
        """Apply the staged rows (the file is valid); count what was updated, created, unchanged."""
        self.end_copy()
        with connection.cursor() as cursor:
            if self.merge_lock:
                cursor.execute(self.merge_lock)
            cursor.execute(self.update_sql, [self.record.pk])
            self.updated = cursor.rowcount
            cursor.execute(self.insert_sql, [self.record.pk])
            self.created = cursor.rowcount
            cursor.execute(self.stage_drop)
        self.unchanged = self.staged - self.created - self.updated


def _arrow_csv(batch) -> memoryview:
    """An Arrow record batch as PostgreSQL's CSV COPY reads it: every text quoted, so that an
    empty text stays empty and only a missing value (unquoted, empty) is NULL."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out = pa.BufferOutputStream()
    pacsv.write_csv(batch, out, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return memoryview(out.getvalue())


def portal_import(*, path: Path, kind: str, actor=None, original_name: str | None = None,
                  mapping: Mapping[str, str] | None = None, dry_run: bool = False,
                  progress: Progress | None = None, scan_progress: Progress | None = None) -> ImportOutcome:
    """Import a portal export whole or not at all, audited; a dry run only scans and reports.

    Without `mapping` the header is found by alias, then by the saved layouts, as in portal_scan.
    One pass over the file: valid rows are staged while the file is validated and merged into the
    tables once the whole file turned out valid, all inside one transaction that is rolled back
    otherwise (see _Writer)."""
    path = Path(path)
    original_name = original_name or path.name
    choice = portal_header_resolve(path=path, kind=kind, original_name=original_name, mapping=mapping)
    if dry_run:
        result = portal_scan(path=path, kind=kind, original_name=original_name, mapping=choice.mapping,
                             progress=scan_progress)
        if not result.ok:
            raise ImportRejected(result.summary(), result)
        return ImportOutcome(None, result, 0, 0, 0)
    sha, size = file_sha256(path)
    reader = _read_dossiers if kind == PortalImport.Kind.DOSSIERS else read_accounts
    try:
        with transaction.atomic():
            record = PortalImport.objects.create(
                kind=kind, original_name=original_name[:255], sha256=sha, size=size,
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            writer = _Writer(kind, record)
            try:
                result = reader(path, units=unit_matcher(), original_name=original_name, mapping=choice.mapping,
                                as_of=(today := clock.today()), latest=today,
                                progress=progress or scan_progress, max_bytes=settings.THIDUA_MAX_IMPORT_BYTES,
                                on_rows=writer)
            except BaseException as exc:
                writer.end_copy(exc)  # the connection leaves COPY mode, so that the rollback can run
                raise
            writer.end_copy()
            if not result.ok:
                raise ImportRejected(result.summary(), result)  # rolls back every row staged so far
            if progress is not None:
                progress(result.rows_read, result.rows_read)  # read in full; now the write
            writer.merge()
            record.rows_read = result.rows_read
            record.first_date, record.last_date = result.first_date, result.last_date
            record.created, record.updated, record.unchanged = writer.created, writer.updated, writer.unchanged
            record.save(update_fields=["rows_read", "first_date", "last_date", "created", "updated", "unchanged"])
            for campaign in Campaign.objects.filter(active=True):
                campaign_touch(campaign=campaign)
            audit("portal.imported", actor=actor, obj=record,
                  summary=(f"Nhập {record.get_kind_display().lower()} từ tệp «{original_name}»: "
                           f"{result.rows_read} dòng, thêm {writer.created}, cập nhật {writer.updated}, "
                           f"không đổi {writer.unchanged}"
                           + (f"; mẫu cột «{choice.saved.name}»" if choice.saved else "")),
                  after={"file": original_name, "sha256": sha, "rows": result.rows_read, "created": writer.created,
                         "updated": writer.updated, "unchanged": writer.unchanged,
                         "header_mapping": choice.saved.pk if choice.saved else None})
    except PortalFileError as exc:
        raise ImportRejected([exc.message]) from exc
    finally:
        _release_memory()
    return ImportOutcome(record, result, writer.created, writer.updated, writer.unchanged)


def _release_memory() -> None:
    """Give back what an import leaves behind, which a web worker would otherwise keep for its life, on
    top of the next import's own memory: SQLite's page cache, which a large file fills (32 MB, see
    settings), and the C heap's free pages (the reading threads' glibc arenas: a million-row re-import
    peaked at 323 MB, 288 MB after this; bench/bench_import.py)."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA shrink_memory")
    if _malloc_trim is not None:
        _malloc_trim(0)


def _libc_malloc_trim():
    """glibc's malloc_trim, or None on a C library without it (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_malloc_trim = _libc_malloc_trim()


def _clean_mapping(kind: str, mapping: Mapping[str, str]) -> dict[str, str]:
    specs = FIELD_SPECS[kind]
    unknown = sorted(set(mapping) - {s.key for s in specs})
    if unknown:
        raise ValidationError(f"Trường không có trong danh sách: {', '.join(unknown)}.")
    cleaned = {s.key: str(mapping[s.key]).strip() for s in specs if str(mapping.get(s.key) or "").strip()}
    missing = [s.label for s in specs if s.required and s.key not in cleaned]
    if missing:
        raise ValidationError(f"Chưa chọn cột cho trường bắt buộc: {', '.join(missing)}.")
    seen: dict[str, str] = {}
    for key, header in cleaned.items():
        if fold(header) in seen:
            raise ValidationError(f"Cột «{header}» được chọn cho hai trường; mỗi cột chỉ dùng cho một trường.")
        seen[fold(header)] = key
    return cleaned


@transaction.atomic
def header_mapping_create(*, kind: str, name: str, mapping: Mapping[str, str], actor) -> HeaderMapping:
    """Save a column layout (field -> header text) that later imports of the kind try when the aliases fail."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Vui lòng đặt tên cho mẫu cột.")
    cleaned = _clean_mapping(kind, mapping)
    saved = HeaderMapping.objects.create(kind=kind, name=name[:200], mapping=cleaned,
                                         created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit("portal.header_mapping.created", actor=actor, obj=saved,
          summary=f"Lưu mẫu cột «{saved.name}» cho {saved.get_kind_display().lower()}",
          after={"kind": kind, "name": saved.name, "mapping": cleaned})
    return saved


@transaction.atomic
def header_mapping_deactivate(*, header_mapping: HeaderMapping, actor) -> HeaderMapping:
    """Stop trying a saved layout; it stays on record for the audit trail."""
    if not header_mapping.active:
        return header_mapping
    header_mapping.active = False
    header_mapping.save(update_fields=["active"])
    audit("portal.header_mapping.deactivated", actor=actor, obj=header_mapping,
          summary=f"Ngừng dùng mẫu cột «{header_mapping.name}»",
          before={"active": True}, after={"active": False})
    return header_mapping
