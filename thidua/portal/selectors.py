"""Reads over portal data: figures per unit × month, and reconciliation against monthly reports."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from fractions import Fraction
from operator import attrgetter
from pathlib import Path

from django.db.models import Case, Count, DateField, F, Q, Value, When

from thidua.portal.models import Dossier, HeaderMapping, PortalAccount, PortalImport, UnitAlias

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortalMonth:
    """Figures the portal's lists give for one unit and month (dossiers by month received)."""

    online: int = 0  # online level-3/4 dossiers received
    on_time: int = 0  # of those, resolved on or before the due date
    due: int = 0  # of those, resolved or past the due date as of the scoring date
    received: int = 0  # all dossiers received, any channel
    received_online: int = 0  # all online dossiers received, any level
    accounts: int = 0  # accounts created

    @property
    def in_person(self) -> int:
        return self.received - self.received_online

    @property
    def online_share(self) -> Fraction | None:
        return Fraction(self.received_online, self.received) if self.received else None


# The portal's figures change only when a list is imported (only the import's merge writes the portal's rows),
# not when a report is sent: counted over a province's million dossiers, they are kept under the latest import and
# the dates and months they were counted for, so that a report sent, verified or returned (each one recomputes the
# standing) does not count the portal's lists again. Kept twice: in Django's cache, which every worker process of
# the installation shares and which outlives a restart (files in $THIDUA_DATA_DIR/cache, or Redis), so that after
# an import or a restart one worker counts them for all; and in this process, so that a worker reads and rebuilds
# them from the cache once per import.
_FIGURES: OrderedDict[tuple, dict[tuple[int, str], PortalMonth]] = OrderedDict()
_FIGURES_LOCK = threading.Lock()
_FIGURES_MAX = 64
# What a stored entry holds, in its key: figures stored by a version with other fields are never read.
_FIGURES_FORMAT = ("portal-figures", 1, tuple(field.name for field in fields(PortalMonth)))
_ROW = attrgetter(*_FIGURES_FORMAT[2])  # stored as rows of ints: pickled 6 times faster than the dataclasses
_SHARED_TIMEOUT = 7 * 24 * 3600


def imports_state() -> tuple | None:
    """What the portal's rows are as of: the latest import (its id, time, file and counts), None before any."""
    return (PortalImport.objects.order_by("-pk")
            .values_list("pk", "imported_at", "sha256", "rows_read", "created", "updated").first())


def _shared_key(key: tuple) -> str:
    # Not the import: each import's figures replace the last ones under the same name (the cache does not fill up
    # with figures of earlier imports, never read again), and the import they were counted for is stored with them.
    return "portal-figures:" + hashlib.sha256(repr((_FIGURES_FORMAT, key)).encode()).hexdigest()


def _shared_get(state: tuple | None, keys: list[tuple]) -> dict[tuple, dict]:
    """The figures another process stored under `keys` for the import `state`, never an earlier one's; none when
    the cache cannot be read (logged): then they are counted, never an error page."""
    from django.core.cache import cache

    names = {_shared_key(key): key for key in keys}
    try:
        stored = cache.get_many(list(names))
        return {names[name]: {where: PortalMonth(*row) for where, row in value[1].items()}
                for name, value in stored.items() if value[0] == state}
    except Exception as exc:  # a folder it cannot read, a damaged entry, Redis down
        logger.warning("Không đọc được số liệu Cổng đã tính sẵn trong bộ nhớ đệm (cache), tính lại (%s: %s).",
                       type(exc).__name__, exc)
        return {}


def _shared_set(state: tuple | None, figures: dict[tuple, dict]) -> None:
    from django.core.cache import cache

    try:
        cache.set_many({_shared_key(key): (state, {where: _ROW(month) for where, month in value.items()})
                        for key, value in figures.items()}, timeout=_SHARED_TIMEOUT)
    except Exception as exc:  # a full disk: the next process counts them too
        logger.warning("Không lưu được số liệu Cổng vào bộ nhớ đệm (cache) (%s: %s).", type(exc).__name__, exc)


def _remembered(keys: list[tuple], compute) -> dict[tuple, dict]:
    """The figures kept under each of `keys` (with the import state), in this process or in the shared cache;
    `compute(missing keys)` gives the rest, kept only if no import was made while they were counted."""
    state = imports_state()
    found: dict[tuple, dict] = {}
    with _FIGURES_LOCK:
        for key in keys:
            value = _FIGURES.get((state, key))
            if value is not None:
                _FIGURES.move_to_end((state, key))
                found[key] = value
    missing = [key for key in keys if key not in found]
    if missing:
        shared = _shared_get(state, missing)
        _keep(state, shared)
        found |= shared
        missing = [key for key in missing if key not in shared]
    if missing:
        computed = compute(missing)
        found |= computed
        # An import committed while they were counted may be in them: they are not the figures of `state`, nor
        # surely of the next one. Kept only when the latest import is still the one read first.
        if imports_state() == state:
            _keep(state, computed)
            _shared_set(state, computed)
    return found


def _keep(state: tuple | None, figures: dict[tuple, dict]) -> None:
    with _FIGURES_LOCK:
        for key, value in figures.items():
            _FIGURES[(state, key)] = value
        while len(_FIGURES) > _FIGURES_MAX:
            _FIGURES.popitem(last=False)


def portal_months(as_of: date, unit_id: int | None = None, months: Iterable[str] | None = None
                  ) -> dict[tuple[int, str], PortalMonth]:
    """(unit id, "YYYY-MM") → PortalMonth, counting only what had happened by `as_of` (and only `months`,
    when given)."""
    dossiers = Dossier.objects.filter(received_on__lte=as_of)
    accounts = PortalAccount.objects.filter(created_on__lte=as_of)
    if unit_id is not None:
        dossiers = dossiers.filter(unit_id=unit_id)
        accounts = accounts.filter(unit_id=unit_id)
    if months is not None:
        months = list(months)
        dossiers = dossiers.filter(received_month__in=months)
        accounts = accounts.filter(created_month__in=months)
    return _counted(dossiers, accounts, as_of)


def portal_months_by_date(as_of: Mapping[str, date]) -> dict[tuple[int, str], PortalMonth]:
    """(unit id, "YYYY-MM") → PortalMonth for the months of `as_of` ("YYYY-MM" → date), each month's figures
    counted as of its own date, as portal_months(as_of[month], months=[month]) would give them: one pass over
    the portal's tables for all the months rather than one per month, and none until the next import."""
    if not as_of:
        return {}
    key = ("by_date", tuple(sorted(as_of.items())))
    return _remembered([key], lambda keys: {key: _by_date(dict(key[1]))})[key]


def _by_date(as_of: dict[str, date]) -> dict[tuple[int, str], PortalMonth]:
    months = sorted(as_of)

    def dated(field: str):
        return Case(*(When(**{field: month}, then=Value(as_of[month])) for month in months),
                    output_field=DateField())

    dossiers = Dossier.objects.filter(received_month__in=months).alias(as_of=dated("received_month"))
    accounts = PortalAccount.objects.filter(created_month__in=months).alias(as_of=dated("created_month"))
    return _counted(dossiers.filter(received_on__lte=F("as_of")), accounts.filter(created_on__lte=F("as_of")),
                    F("as_of"))


def portal_months_on(dates: Iterable[date], months: Iterable[str]) -> dict[date, dict[tuple[int, str], PortalMonth]]:
    """For each of `dates`, what portal_months(that date, months=months) gives: the dates not counted since the
    last import all in one pass over the portal's tables (a unit's month-by-month history), each count taken
    once per date."""
    months = tuple(months)
    keys = [("on", months, day) for day in sorted(set(dates))]

    def compute(missing: list[tuple]) -> dict[tuple, dict]:
        counted = _on([key[2] for key in missing], list(months))
        return {("on", months, day): figures for day, figures in counted.items()}

    return {key[2]: figures for key, figures in _remembered(keys, compute).items()} if keys else {}


def _on(dates: list[date], months: list[str]) -> dict[date, dict[tuple[int, str], PortalMonth]]:
    online = Q(channel="online", level__in=(3, 4))
    figures = {}
    for i, day in enumerate(dates):
        received = Q(received_on__lte=day)
        figures |= {
            f"online_{i}": Count("id", filter=received & online),
            f"on_time_{i}": Count("id", filter=received & online & Q(on_time=True, resolved_on__lte=day)),
            f"due_{i}": Count("id", filter=received & online & (Q(resolved_on__lte=day) | Q(due_on__lt=day))),
            f"received_{i}": Count("id", filter=received),
            f"received_online_{i}": Count("id", filter=received & Q(channel="online")),
        }
    rows: dict[date, dict[tuple[int, str], dict]] = {day: {} for day in dates}
    dossiers = Dossier.objects.filter(received_on__lte=dates[-1], received_month__in=months)
    for r in dossiers.values("unit_id", "received_month").order_by().annotate(**figures):
        for i, day in enumerate(dates):
            if r[f"received_{i}"]:  # a (unit, month) with no dossier received by that day is not there
                rows[day][(r["unit_id"], r["received_month"])] = {
                    k: r[f"{k}_{i}"] for k in ("online", "on_time", "due", "received", "received_online")}
    accounts = PortalAccount.objects.filter(created_on__lte=dates[-1], created_month__in=months)
    counts = {f"accounts_{i}": Count("id", filter=Q(created_on__lte=day)) for i, day in enumerate(dates)}
    for r in accounts.values("unit_id", "created_month").order_by().annotate(**counts):
        for i, day in enumerate(dates):
            if r[f"accounts_{i}"]:
                rows[day].setdefault((r["unit_id"], r["created_month"]), {})["accounts"] = r[f"accounts_{i}"]
    return {day: {key: PortalMonth(**values) for key, values in by_key.items()} for day, by_key in rows.items()}


def _counted(dossiers, accounts, as_of) -> dict[tuple[int, str], PortalMonth]:
    """The PortalMonth of each (unit, month) of `dossiers` and `accounts`, resolved and due as of `as_of` (a
    date, or an expression of the row)."""
    online = Q(channel="online", level__in=(3, 4))
    rows: dict[tuple[int, str], dict] = {}
    for r in (
        dossiers.values("unit_id", "received_month")
        .order_by()
        .annotate(
            online=Count("id", filter=online),
            on_time=Count("id", filter=online & Q(on_time=True, resolved_on__lte=as_of)),
            due=Count("id", filter=online & (Q(resolved_on__lte=as_of) | Q(due_on__lt=as_of))),
            received=Count("id"),
            received_online=Count("id", filter=Q(channel="online")),
        )
    ):
        rows[(r["unit_id"], r["received_month"])] = {k: r[k] for k in ("online", "on_time", "due", "received",
                                                                      "received_online")}
    for r in accounts.values("unit_id", "created_month").order_by().annotate(n=Count("id")):
        rows.setdefault((r["unit_id"], r["created_month"]), {})["accounts"] = r["n"]
    return {key: PortalMonth(**values) for key, values in rows.items()}


@dataclass(frozen=True)
class ReconciliationLine:
    field: str
    label: str
    reported: int
    portal: int
    flagged: bool

    @property
    def difference(self) -> int:
        return self.reported - self.portal


RECONCILED = (
    ("new_accounts", "accounts", "Tài khoản tạo mới", "accounts"),
    ("dossiers_online", "online", "{online} tiếp nhận", "dossiers"),  # the campaign's online_dossiers_label
    ("resolved_on_time", "on_time", "Hồ sơ giải quyết đúng hạn", "dossiers"),
    ("due", "due", "Hồ sơ đến hạn giải quyết", "dossiers"),
)


def _beyond(reported: int, portal: int, tolerance: Decimal) -> bool:
    """More than `tolerance` percent apart (relative to the portal figure; any difference when it is 0)."""
    if reported == portal:
        return False
    if portal == 0:
        return True
    return Fraction(abs(reported - portal) * 100, portal) > Fraction(tolerance)


def import_coverage() -> dict[str, list[tuple[date, date]]]:
    """The date ranges each kind of portal list has been imported for."""
    coverage: dict[str, list[tuple[date, date]]] = {}
    for kind, first, last in PortalImport.objects.exclude(first_date=None).values_list("kind", "first_date",
                                                                                     "last_date"):
        coverage.setdefault(kind, []).append((first, last))
    return coverage


def kinds_covering(coverage: dict[str, list[tuple[date, date]]], month: str) -> frozenset[str]:
    """The kinds of list whose imports span any of `month`: only those figures can be compared."""
    year, mon = int(month[:4]), int(month[5:7])
    start = date(year, mon, 1)
    end = date(year + mon // 12, mon % 12 + 1, 1)
    return frozenset(kind for kind, spans in coverage.items() if any(a < end and b >= start for a, b in spans))


def reconcile_version(version, portal: PortalMonth | None, tolerance: Decimal,
                      kinds: frozenset[str], *, online: str = "Hồ sơ trực tuyến") -> list[ReconciliationLine] | None:
    """Reported vs portal figures for the kinds of list imported for that month (a unit absent from an
    imported list counts as zero); None when no portal list covers the month. ``online``: the online
    dossiers as the campaign names them (Campaign.online_dossiers_label)."""
    if not kinds:
        return None
    portal = portal or PortalMonth()
    lines = []
    for field, portal_field, label, kind in RECONCILED:
        if kind not in kinds:
            continue
        reported = getattr(version, field)
        value = getattr(portal, portal_field)
        lines.append(ReconciliationLine(field, label.format(online=online), reported, value,
                                        _beyond(reported, value, tolerance)))
    return lines


def report_reconciliation(report) -> list[ReconciliationLine] | None:
    """The report's figures against the portal's as of the month's reporting deadline, when the
    unit had to know them (dossiers received by then, resolved or past due by then)."""
    kinds = kinds_covering(import_coverage(), report.month)
    if not kinds:
        return None
    as_of = report.campaign.rubric.due_date(report.month)
    months = portal_months(as_of, unit_id=report.unit_id, months=[report.month])  # the unit's month alone
    return reconcile_version(report.current, months.get((report.unit_id, report.month)),
                             report.campaign.tolerance_percent, kinds, online=report.campaign.online_dossiers_label)


def flagged_reports(campaign) -> frozenset[int]:
    """Ids of the current reports whose figures differ from the portal's beyond the campaign's tolerance (the
    portal's figures counted once per import, see portal_months_by_date)."""
    from thidua.reports.models import Report

    coverage = import_coverage()
    if not coverage:
        return frozenset()
    reports = list(Report.objects.filter(campaign=campaign, current__isnull=False).select_related("current"))
    kinds = {month: kinds_covering(coverage, month) for month in {report.month for report in reports}}
    # Each month as of its reporting deadline, all in one pass over the portal's tables.
    figures = portal_months_by_date({month: campaign.rubric.due_date(month) for month, k in kinds.items() if k})
    flagged = set()
    for report in reports:
        lines = reconcile_version(report.current, figures.get((report.unit_id, report.month)),
                                  campaign.tolerance_percent, kinds[report.month])
        if lines and any(line.flagged for line in lines):
            flagged.add(report.pk)
    return frozenset(flagged)


def evidence_dossiers(unit, month: str):
    """The unit's dossiers received in `month`, in the order they were received (a page of them is shown)."""
    return Dossier.objects.filter(unit=unit, received_month=month).order_by("received_on", "code", "pk")


def file_sha256(path: Path) -> tuple[str, int]:
    """The file's SHA-256 (hex) and size, read in 1 MB chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def earlier_import(*, sha256: str, kind: str) -> PortalImport | None:
    """The latest import of a file with this content (same SHA-256) and kind, or None."""
    if not sha256:
        return None
    return (PortalImport.objects.filter(kind=kind, sha256=sha256).select_related("imported_by")
            .order_by("-imported_at", "-pk").first())


def unit_aliases():
    """The remembered unit names, by unit in registry order."""
    return UnitAlias.objects.select_related("unit", "created_by").order_by("unit__sort_order", "unit__code",
                                                                           "raw_name")


def active_header_mappings():
    """Saved column layouts still tried on import, newest first (the order they are tried in)."""
    return HeaderMapping.objects.filter(active=True).select_related("created_by")
