"""Writes for portal data: scan a file, import it whole or not at all, remember unit names."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_touch
from thidua.core import clock
from thidua.core.audit import audit
from thidua.portal.models import Dossier, PortalAccount, PortalImport, UnitAlias
from thidua.portal.parsing import ParseResult, PortalFileError, UnitMatcher, normalize_unit_name, read_accounts
from thidua.portal.parsing import read_dossiers as _read_dossiers
from thidua.units.models import Unit

BATCH = 2_000
Progress = Callable[[int, int | None], None]


class ImportRejected(Exception):
    """The file cannot be imported; `messages` are Vietnamese lines naming the rows."""

    def __init__(self, messages: list[str], result: ParseResult | None = None):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.result = result


def unit_matcher() -> UnitMatcher:
    units = Unit.objects.values_list("code", "name")
    remembered = dict(UnitAlias.objects.values_list("raw_key", "unit__code"))
    return UnitMatcher(list(units), remembered=remembered)


def portal_scan(*, path: Path, kind: str, original_name: str | None = None, as_of: date | None = None,
                progress: Progress | None = None) -> ParseResult:
    """Phase 1: validate the whole file and count per unit × month; writes nothing."""
    reader = _read_dossiers if kind == PortalImport.Kind.DOSSIERS else read_accounts
    try:
        return reader(path, units=unit_matcher(), original_name=original_name, as_of=as_of or clock.today(),
                      progress=progress, max_bytes=settings.THIDUA_MAX_IMPORT_BYTES)
    except PortalFileError as exc:
        raise ImportRejected([exc.message]) from exc


@transaction.atomic
def unit_alias_remember(*, raw_name: str, unit: Unit, actor) -> UnitAlias:
    key = normalize_unit_name(raw_name)
    if not key:
        raise ValidationError("Tên đơn vị trống.")
    alias, _ = UnitAlias.objects.update_or_create(raw_key=key, defaults={"raw_name": raw_name[:300], "unit": unit,
                                                                         "created_by": actor})
    audit("portal.unit_alias", actor=actor, obj=alias, unit_code=unit.code,
          summary=f"Ghi nhớ tên «{raw_name}» trong tệp Cổng là {unit.name}")
    return alias


@dataclass(frozen=True)
class ImportOutcome:
    record: PortalImport | None  # None for a dry run
    result: ParseResult
    created: int
    updated: int
    unchanged: int


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _dossier_values(row, unit_ids) -> dict:
    resolved = row.resolved_at.date() if row.resolved_at else None
    due = row.due_at.date()
    received = row.received_at.date()
    return {
        "unit_id": unit_ids[row.unit_code], "procedure": row.procedure[:500], "level": row.level,
        "channel": row.channel, "received_on": received, "received_month": received.strftime("%Y-%m"),
        "due_on": due, "resolved_on": resolved, "on_time": resolved is not None and resolved <= due,
        "status": (row.status or "")[:200], "source_row": row.row,
    }


def _account_values(row, unit_ids) -> dict:
    created = row.created_at.date()
    return {"unit_id": unit_ids[row.unit_code], "kind": row.kind, "created_on": created,
            "created_month": created.strftime("%Y-%m"), "source_row": row.row}


_COMPARED = {
    "dossiers": ("unit_id", "procedure", "level", "channel", "received_on", "due_on", "resolved_on", "status"),
    "accounts": ("unit_id", "kind", "created_on"),
}


def _write(result: ParseResult, record: PortalImport, progress: Progress | None) -> tuple[int, int, int]:
    """Upsert in batches: unchanged rows are left alone, changed ones updated, new ones created."""
    kind = result.kind
    model, key, values_of = (
        (Dossier, "code", _dossier_values) if kind == "dossiers" else (PortalAccount, "account", _account_values)
    )
    compared = _COMPARED[kind]
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    created = updated = unchanged = 0
    for batch in result.iter_batches(BATCH, progress=progress):
        incoming = {getattr(row, key): values_of(row, unit_ids) for row in batch}
        existing = {
            obj[key]: obj for obj in model.objects.filter(**{f"{key}__in": list(incoming)}).values("id", key, *compared)
        }
        new_objects, changed = [], []
        for code, values in incoming.items():
            old = existing.get(code)
            if old is None:
                new_objects.append(model(**{key: code}, **values, last_import=record))
            elif any(old[f] != values[f] for f in compared):
                changed.append(model(id=old["id"], **{key: code}, **values, last_import=record))
            else:
                unchanged += 1
        if new_objects:
            model.objects.bulk_create(new_objects, batch_size=BATCH)
            created += len(new_objects)
        if changed:
            model.objects.bulk_update(changed, _update_fields(kind), batch_size=500)
            updated += len(changed)
    return created, updated, unchanged


def _update_fields(kind: str) -> list[str]:
    if kind == "dossiers":
        return ["unit", "procedure", "level", "channel", "received_on", "received_month", "due_on", "resolved_on",
                "on_time", "status", "source_row", "last_import"]
    return ["unit", "kind", "created_on", "created_month", "source_row", "last_import"]


def portal_import(*, path: Path, kind: str, actor=None, original_name: str | None = None, dry_run: bool = False,
                  progress: Progress | None = None, scan_progress: Progress | None = None) -> ImportOutcome:
    """Import a portal export whole or not at all, audited; a dry run only scans and reports."""
    path = Path(path)
    original_name = original_name or path.name
    result = portal_scan(path=path, kind=kind, original_name=original_name, progress=scan_progress)
    if not result.ok:
        raise ImportRejected(result.summary(), result)
    if dry_run:
        return ImportOutcome(None, result, 0, 0, 0)
    sha, size = _sha256(path)
    try:
        with transaction.atomic():
            record = PortalImport.objects.create(
                kind=kind, original_name=original_name[:255], sha256=sha, size=size,
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                rows_read=result.rows_read, first_date=result.first_date, last_date=result.last_date,
            )
            created, updated, unchanged = _write(result, record, progress)
            record.created, record.updated, record.unchanged = created, updated, unchanged
            record.save(update_fields=["created", "updated", "unchanged"])
            for campaign in Campaign.objects.filter(active=True):
                campaign_touch(campaign=campaign)
            audit("portal.imported", actor=actor, obj=record,
                  summary=(f"Nhập {record.get_kind_display().lower()} từ tệp «{original_name}»: "
                           f"{result.rows_read} dòng, thêm {created}, cập nhật {updated}, không đổi {unchanged}"),
                  after={"file": original_name, "sha256": sha, "rows": result.rows_read, "created": created,
                         "updated": updated, "unchanged": unchanged})
    except PortalFileError as exc:  # the file changed between the scan and the write
        raise ImportRejected([exc.message]) from exc
    return ImportOutcome(record, result, created, updated, unchanged)
