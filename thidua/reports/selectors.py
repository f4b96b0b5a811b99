"""Reads: the scoring inputs built from reports, cached campaign results, matrices and histories."""

from __future__ import annotations

import calendar
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import Count, F

from thidua.campaigns.models import Campaign, CampaignUnit, MonthSnapshot, TieBreak
from thidua.core import clock
from thidua.reports.models import STATED_FIELDS, Report, ReportVersion
from thidua.scoring import (
    CampaignResult,
    ReportInput,
    Scorecard,
    UnitInput,
    score_campaign,
    score_unit,
)
from thidua.scoring import (
    TieBreak as ScoringTieBreak,
)
from thidua.scoring.text import format_int
from thidua.units.accounts import reporters_in_use
from thidua.units.models import Unit, User


def campaign_as_of(campaign: Campaign, today: date | None = None) -> date:
    """Scores are computed as of today, but never past the campaign's last day."""
    today = today or clock.today()
    end = campaign.rubric.campaign.end
    return min(today, end)


def month_as_of(campaign: Campaign, month: str) -> date:
    """The date a month's standing is taken: its last day, or the campaign's last day if earlier."""
    year, mon = (int(part) for part in month.split("-"))
    last = date(year, mon, calendar.monthrange(year, mon)[1])
    return min(last, campaign.rubric.campaign.end)


def _as_kept(row: CampaignUnit) -> Unit:
    """The registry's unit with the name, group, head and first month it had in the campaign; marked so that it is
    never saved back (units.services.unit_save refuses it)."""
    unit = row.unit
    for field in CampaignUnit.KEPT:
        setattr(unit, field, getattr(row, field))
    unit.as_in_campaign = row.campaign_id
    return unit


def competing_units(campaign: Campaign) -> list[Unit]:
    """The units a campaign scores and ranks: the registry's competing units, or, for a campaign over before the
    registry changed, the units that took part in it as they were then (campaigns.services.campaign_rosters_keep)."""
    if campaign.roster_kept_at is not None:
        return [_as_kept(row) for row in CampaignUnit.objects.filter(campaign=campaign).select_related("unit")]
    groups = set(campaign.rubric.groups)
    return list(Unit.objects.filter(active=True, group__in=groups).order_by("sort_order", "name"))


def units_as_in_campaign(campaign: Campaign, units) -> dict[int, Unit]:
    """unit id -> the unit as the campaign shows it: as it took part (a campaign that kept its units), else as the
    registry has it now."""
    units = {u.pk: u for u in units}
    if campaign.roster_kept_at is not None:
        for row in CampaignUnit.objects.filter(campaign=campaign, unit_id__in=list(units)).select_related("unit"):
            units[row.unit_id] = _as_kept(row)
    return units


def unit_as_in_campaign(campaign: Campaign, unit: Unit) -> Unit:
    """One unit as the campaign shows it (see units_as_in_campaign)."""
    return units_as_in_campaign(campaign, [unit])[unit.pk]


@dataclass(frozen=True)
class UnitFigures:
    """The campaign figures of one unit as of a date, summed from its current report versions."""

    plan: bool
    procedures: tuple[str, ...]
    accounts: int
    dossiers: int
    resolved_on_time: int
    due: int
    dossiers_in_person: int

    @property
    def online_share(self):
        total = self.dossiers + self.dossiers_in_person
        return Fraction(self.dossiers, total) if total else None


@dataclass(frozen=True)
class MonthFigures:
    """One current report version reduced to what scoring needs."""

    unit_id: int
    month: str
    submitted: date
    untruthful: bool
    has_plan: bool
    procedures: tuple[str, ...]
    new_accounts: int
    dossiers_online: int
    resolved_on_time: int
    due: int
    dossiers_in_person: int


def _month_rows(campaign: Campaign, as_of: date, unit: Unit | None = None) -> list[MonthFigures]:
    versions = ReportVersion.objects.filter(
        report__campaign=campaign, report__current=F("pk"), report__month__lte=as_of.strftime("%Y-%m")
    )
    if unit is not None:
        versions = versions.filter(report__unit=unit)
    rows = []
    for v in versions.values_list(
        "report__unit_id", "report__month", "report__first_submitted_at", "report__untruthful", "has_plan",
        "procedures", "new_accounts", "dossiers_online", "resolved_on_time", "due", "dossiers_in_person",
    ):
        submitted = clock.local_date(v[2])
        if submitted > as_of:
            continue
        rows.append(MonthFigures(v[0], v[1], submitted, v[3], v[4], tuple(v[5] or ()), *v[6:]))
    return rows


def _month_values(rows: list[MonthFigures], portal: dict[str, object] | None, source: str
                  ) -> dict[str, tuple[int, int, int, int, int]]:
    """A unit's figures per month — (accounts, online dossiers, resolved on time, due, dossiers in person) —
    from its reports, or from the portal as the campaign's source says (see _accumulate)."""
    months = {r.month: (r.new_accounts, r.dossiers_online, r.resolved_on_time, r.due, r.dossiers_in_person)
              for r in rows}
    if portal is not None and source != "reported":
        from_portal = {m: (p.accounts, p.online, p.on_time, p.due, p.in_person) for m, p in portal.items()}
        months = from_portal if source == "portal" else {**months, **from_portal}
    return months


def _accumulate(
    rows: list[MonthFigures], portal: dict[str, object] | None = None, source: str = "reported"
) -> tuple[UnitFigures, tuple[ReportInput, ...]]:
    """Sum a unit's months. With a portal source, the portal's month figures replace the reported
    ones (all months for "portal", months the portal has for "portal_where_present"); the plan and
    the procedures always come from the reports, which the portal does not know."""
    rows = sorted(rows, key=lambda r: r.month)
    months = _month_values(rows, portal, source)
    totals = [sum(values) for values in zip(*months.values(), strict=True)] if months else [0] * 5
    figures = UnitFigures(
        plan=any(r.has_plan for r in rows),
        procedures=rows[-1].procedures if rows else (),
        accounts=totals[0], dossiers=totals[1], resolved_on_time=totals[2], due=totals[3],
        dossiers_in_person=totals[4],
    )
    records = tuple(ReportInput(month=r.month, submitted=r.submitted, untruthful=r.untruthful) for r in rows)
    return figures, records


def _portal_by_unit(campaign: Campaign, as_of: date, unit: Unit | None = None) -> dict[int, dict[str, object]]:
    """unit id → reporting month → PortalMonth. Only the campaign's reporting months: the months the reports
    cover, so that a portal export of the whole year does not add the months before the campaign (or after
    its last report) to what the units are scored on."""
    if campaign.score_source == Campaign.ScoreSource.REPORTED:
        return {}
    from thidua.portal.selectors import portal_months

    by_unit: dict[int, dict[str, object]] = defaultdict(dict)
    for (unit_id, month), figures in portal_months(as_of, unit_id=unit.pk if unit else None,
                                                   months=campaign.rubric.reports.months).items():
        by_unit[unit_id][month] = figures
    return by_unit


def _portal_by_unit_on(campaign: Campaign, dates: list[date]) -> dict[date, dict[int, dict[str, object]]]:
    """_portal_by_unit(campaign, as_of) of every unit for each of ``dates``, in one pass over the portal's tables."""
    if campaign.score_source == Campaign.ScoreSource.REPORTED:
        return {as_of: {} for as_of in dates}
    from thidua.portal.selectors import portal_months_on

    by_date: dict[date, dict[int, dict[str, object]]] = {}
    for as_of, months in portal_months_on(dates, campaign.rubric.reports.months).items():
        by_unit = by_date[as_of] = defaultdict(dict)
        for (unit_id, month), figures in months.items():
            by_unit[unit_id][month] = figures
    return by_date


def _unit_input(unit: Unit, figures: UnitFigures, records: tuple[ReportInput, ...]) -> UnitInput:
    return UnitInput(
        code=unit.code, name=unit.name, group=unit.group, plan=figures.plan, procedures=len(figures.procedures),
        accounts=figures.accounts, dossiers=figures.dossiers,
        resolved_on_time=figures.resolved_on_time if figures.due else None,
        due=figures.due if figures.due else None, reports=records, first_month=unit.first_month or None,
    )


def unit_state(campaign: Campaign, unit: Unit, as_of: date, *, override: MonthFigures | None = None):
    """(figures, scorecard) of one unit; `override` replaces or adds one month (the report form preview)."""
    rows = _month_rows(campaign, as_of, unit)
    if override is not None:
        rows = [r for r in rows if r.month != override.month] + [override]
    portal = _portal_by_unit(campaign, as_of, unit)
    figures, records = _accumulate(rows, portal.get(unit.pk), campaign.score_source)
    return figures, score_unit(campaign.rubric, _unit_input(unit, figures, records), as_of)


def scoring_tie_breaks(campaign: Campaign) -> list[ScoringTieBreak]:
    return [
        ScoringTieBreak(group=tb.group, codes=tuple(tb.codes), reason=tb.reason, total=tb.total)
        for tb in TieBreak.objects.filter(campaign=campaign, superseded=False).order_by("decided_at")
    ]


def _compute(campaign: Campaign, dates: list[date]) -> dict[date, tuple[CampaignResult, dict]]:
    """The campaign's result as of each of ``dates``, with the portal's figures it was scored on, from one read of
    the reports (those of the latest date; each date keeps the rows _month_rows would give for it: months up to
    its own, first submitted by then) and one pass over the portal's tables."""
    rows = _month_rows(campaign, max(dates))
    units = competing_units(campaign)
    tie_breaks = scoring_tie_breaks(campaign)
    portal_on = _portal_by_unit_on(campaign, dates)
    results = {}
    for as_of in dates:
        month = f"{as_of:%Y-%m}"
        by_unit: dict[int, list[MonthFigures]] = defaultdict(list)
        for row in rows:
            if row.month <= month and row.submitted <= as_of:
                by_unit[row.unit_id].append(row)
        portal = portal_on[as_of]
        inputs = [
            _unit_input(unit, *_accumulate(by_unit.get(unit.pk, []), portal.get(unit.pk), campaign.score_source))
            for unit in units
        ]
        results[as_of] = (score_campaign(campaign.rubric, inputs, as_of, tie_breaks=tie_breaks), portal)
    return results


# (campaign pk, (created_at, data_version), as_of) → (the campaign's result, the portal's figures it was scored on)
_RESULTS: OrderedDict[tuple, tuple[CampaignResult, dict]] = OrderedDict()
_RESULTS_LOCK = threading.Lock()
_RESULTS_MAX = 64


def campaign_result(campaign: Campaign, as_of: date | None = None) -> CampaignResult:
    """Scorecards of every competing unit, cached in-process per campaign data version and date.

    The key includes the campaign's data_version, read fresh from the database, so every worker
    process sees a write at once; results hold the rubric's compiled scorers, so they stay in memory
    rather than going through a pickling cache backend.
    """
    as_of = as_of or campaign_as_of(campaign)
    return _scored(campaign, [as_of])[as_of][0]


def campaign_results(campaign: Campaign, dates: list[date]) -> dict[date, CampaignResult]:
    """campaign_result as of each of ``dates`` (a unit's month-by-month history), with one look at the
    campaign's data version and, for the dates not cached yet, one read of the reports for all of them."""
    return {as_of: result for as_of, (result, _) in _scored(campaign, dates).items()}


def _scored(campaign: Campaign, dates: list[date]) -> dict[date, tuple[CampaignResult, dict]]:
    # created_at tells apart a campaign recreated with the same pk and version (demo reset, test rollback).
    version = Campaign.objects.filter(pk=campaign.pk).values_list("created_at", "data_version").first()
    results: dict[date, tuple[CampaignResult, dict]] = {}
    with _RESULTS_LOCK:
        for as_of in dates:
            result = _RESULTS.get((campaign.pk, version, as_of))
            if result is not None:
                _RESULTS.move_to_end((campaign.pk, version, as_of))
                results[as_of] = result
    missing = sorted(set(dates) - set(results))
    if not missing:
        return results
    if version is not None and version != (campaign.created_at, campaign.data_version):
        # The caller's copy predates a write (the rubric may have changed): never cache a stale rubric's
        # result under the new version.
        campaign = Campaign.objects.get(pk=campaign.pk)
    computed = _compute(campaign, missing)
    with _RESULTS_LOCK:
        for as_of, result in computed.items():
            _RESULTS[(campaign.pk, version, as_of)] = result
        while len(_RESULTS) > _RESULTS_MAX:
            _RESULTS.popitem(last=False)
    return results | computed


def campaign_versions() -> tuple[tuple, ...]:
    """(pk, code, name, active, created_at, data_version) of every campaign, the applied one first (as
    campaigns.selectors.active_campaign() picks it), in one plain query: what the public page is cached by, since
    it lists the other campaigns too (a campaign created, renamed or applied changes it).
    """
    qn = connection.ops.quote_name
    table, pk = qn(Campaign._meta.db_table), qn(Campaign._meta.pk.column)
    columns = ", ".join([pk, *(qn(c) for c in ("code", "name", "active", "created_at", "data_version"))])
    sql = (f"SELECT {columns} FROM {table} "
           f"ORDER BY {qn('active')} DESC, {qn('created_at')} DESC, {pk} DESC")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(tuple(row) for row in cursor.fetchall())


def report_form_initial(campaign: Campaign, unit: Unit, month: str, report: Report | None) -> dict:
    """What a report form opens with: the report's current version when it has one (a correction);
    otherwise the cumulative procedure list and the plan of the unit's latest earlier report, which
    scoring takes from the latest report (the unit's own form and Nhập thay both start from them)."""
    if report is not None and report.current is not None:
        v = report.current
        return {"new_accounts": v.new_accounts, "procedures": "\n".join(v.procedures),
                "dossiers_online": v.dossiers_online, "resolved_on_time": v.resolved_on_time, "due": v.due,
                "dossiers_in_person": v.dossiers_in_person, "has_plan": v.has_plan, "initiatives": v.initiatives}
    previous = (
        Report.objects.filter(campaign=campaign, unit=unit, month__lt=month, current__isnull=False)
        .select_related("current").order_by("-month").first()
    )
    if previous is not None:
        return {"procedures": "\n".join(previous.current.procedures), "has_plan": previous.current.has_plan}
    return {}


def report_versions(report: Report) -> list[ReportVersion]:
    """The report's versions, newest first, each with ``changes``: what it changed from the version before
    ({field: the earlier value}, for STATED_FIELDS; for "procedures" also which names were added and
    removed; ``previous``: the version before), so that the reviewer sees what a correction changed. The
    first version changes nothing."""
    versions = list(report.versions.select_related("submitted_by").prefetch_related("attachments")
                    .order_by("number"))
    previous = None
    for version in versions:
        version.changes, version.previous = {}, previous
        if previous is not None:
            for name in STATED_FIELDS:
                if getattr(version, name) != getattr(previous, name):
                    version.changes[name] = getattr(previous, name)
            if "procedures" in version.changes:
                before = {p.casefold() for p in previous.procedures}
                after = {p.casefold() for p in version.procedures}
                version.procedures_added = [p for p in version.procedures if p.casefold() not in before]
                version.procedures_removed = [p for p in previous.procedures if p.casefold() not in after]
        previous = version
    return versions[::-1]


# ----- the review matrix -------------------------------------------------------------------------

@dataclass(frozen=True)
class MatrixCell:
    month: str
    state: str  # on_time | late | missing | pending | not_due | not_required
    label: str
    days_late: int | None
    report_id: int | None
    status: str | None  # Report.Status value when a report exists
    untruthful: bool


def submission_matrix(
    campaign: Campaign, as_of: date | None = None
) -> tuple[list[str], list[tuple[Unit, list[MatrixCell]]]]:
    """Units × months with the plan's words: đúng hạn / trễ N ngày / chưa nộp / chờ, each cell the state
    the unit's scorecard gives the month (the same result the rankings read), with the month's report."""
    result = campaign_result(campaign, as_of)
    statuses = {card.code: {s.month: s for s in card.statuses} for card in result.scorecards}
    reports = {
        (r.unit_id, r.month): r
        for r in Report.objects.filter(campaign=campaign).only("id", "unit_id", "month", "status", "untruthful")
    }
    months = list(campaign.rubric.reports.months)
    rows = []
    for unit in competing_units(campaign):
        cells = []
        for month in months:
            status = statuses[unit.code][month]
            report = reports.get((unit.pk, month))
            cells.append(MatrixCell(month, status.state, _matrix_label(status),
                                    status.days_late if status.state == "late" else None,
                                    report and report.pk, report and report.status, bool(report and report.untruthful)))
        rows.append((unit, cells))
    return months, rows


def _matrix_label(status) -> str:
    if status.state == "late":
        return f"Trễ {status.days_late} ngày"
    if status.state == "pending":
        return f"Chờ (quá hạn {status.days_late} ngày)"
    return _MATRIX_LABELS[status.state]


_MATRIX_LABELS = {"on_time": "Đúng hạn", "missing": "Chưa nộp", "not_due": "Chưa đến hạn",
                  "not_required": "Chưa tham gia"}


@dataclass(frozen=True)
class HistoryRow:
    """One line of a unit's "Diễn biến theo tháng"."""

    month: str
    card: Scorecard
    change: int | None  # since the line before
    as_of: date
    provisional: bool  # the month has not ended yet: its standing so far, as of today


def unit_history(campaign: Campaign, unit: Unit) -> list[HistoryRow]:
    """The unit's scorecard at the end of each reporting month so far, with the change since the month
    before; the current month, not yet ended, is a provisional line as of today, so that the history ends
    at the total the scorecard shows (after the last reporting month, the month of today until the
    campaign's end)."""
    today = campaign_as_of(campaign)
    months = list(campaign.rubric.reports.months)
    if f"{today:%Y-%m}" > months[-1]:
        months.append(f"{today:%Y-%m}")
    ends = []
    for month in months:
        end = month_as_of(campaign, month)
        ends.append((month, end, min(end, today)))
        if end >= today:
            break
    results = campaign_results(campaign, [as_of for _, _, as_of in ends])
    history: list[HistoryRow] = []
    previous_total = None
    for month, end, as_of in ends:
        card = next((c for c in results[as_of].scorecards if c.code == unit.code), None)
        if card is not None:
            change = None if previous_total is None else card.total - previous_total
            history.append(HistoryRow(month, card, change, as_of, provisional=end > today))
            previous_total = card.total
    return history


def review_backlog(campaign: Campaign, month: str) -> str:
    """The month's reports the office has not settled, in words ("" when none): said before closing it."""
    counts = dict(Report.objects.filter(campaign=campaign, month=month, status__in=[
        Report.Status.SUBMITTED, Report.Status.RETURNED]).values_list("status").annotate(n=Count("pk")))
    parts = []
    if counts.get(Report.Status.SUBMITTED):
        parts.append(f"{format_int(counts[Report.Status.SUBMITTED])} báo cáo chờ thẩm định")
    if counts.get(Report.Status.RETURNED):
        parts.append(f"{format_int(counts[Report.Status.RETURNED])} báo cáo đã trả lại, chưa điều chỉnh")
    return ", ".join(parts)


def next_to_review(report: Report) -> tuple[Report | None, int]:
    """The report waiting for review that the reviewer opens after this one, and how many others wait.

    In the review matrix's order (month, then the registry's order of units): the first after this report,
    else the first from the start (an earlier month sent late)."""
    waiting = list(Report.objects.filter(campaign_id=report.campaign_id, status=Report.Status.SUBMITTED)
                   .exclude(pk=report.pk).select_related("unit")
                   .order_by("month", "unit__sort_order", "unit__name", "pk"))
    here = (report.month, report.unit.sort_order, report.unit.name, report.pk)
    after = [r for r in waiting if (r.month, r.unit.sort_order, r.unit.name, r.pk) > here]
    return ((after or waiting or [None])[0], len(waiting))


def former_units_reports(campaign: Campaign, competing: set[int]) -> list[tuple[Unit, list[Report]]]:
    """The reports of units that no longer compete (retired, merged into another, or out of the groups), by unit
    in the registry's order: the review matrix lists the ``competing`` units only (its rows), and these stay
    open to a phúc tra."""
    by_unit: dict[int, tuple[Unit, list[Report]]] = {}
    for report in (Report.objects.filter(campaign=campaign).exclude(unit_id__in=competing).select_related("unit")
                   .order_by("unit__sort_order", "unit__name", "month")):
        by_unit.setdefault(report.unit_id, (report.unit, []))[1].append(report)
    return list(by_unit.values())


def unit_code_in_use(code: str) -> bool:
    """Whether a campaign has recorded the unit by its code: a report of it, a closed month's standing or a
    tie-break naming it. Those keep the code as written, so the unit's code must not change."""
    if Report.objects.filter(unit__code=code).exists():
        return True
    if any(code in codes for codes in TieBreak.objects.values_list("codes", flat=True)):  # a few per campaign
        return True
    return any(u.get("code") == code for result in MonthSnapshot.objects.values_list("result", flat=True)
               for u in result.get("units", ()))


def closed_month_recalculations(snapshot_result: dict, result) -> list[dict]:
    """Units whose total or rank differs from the closed month's frozen standing, and the units of that
    standing that no longer compete (retired, merged into another, or out of the groups): shown without a
    new total rather than dropped."""
    frozen = {u["code"]: u for u in snapshot_result["units"]}
    changes = []
    for card in result.scorecards:
        old = frozen.pop(card.code, None)
        if old is None or (old["total"], old["rank"]) != (card.total, card.rank):
            changes.append({"code": card.code, "name": card.name,
                            "old_total": old["total"] if old else None, "new_total": card.total,
                            "old_rank": old["rank"] if old else None, "new_rank": card.rank})
    if frozen:  # what is left: no longer in the standing
        names = dict(Unit.objects.filter(code__in=frozen).values_list("code", "name"))
        changes += [{"code": code, "name": f"{names.get(code, code)} (không còn tham gia phong trào)",
                     "old_total": old["total"], "new_total": None, "old_rank": old["rank"], "new_rank": None}
                    for code, old in frozen.items()]
    return changes


def snapshots(campaign: Campaign) -> dict[str, MonthSnapshot]:
    return {s.month: s for s in MonthSnapshot.objects.filter(campaign=campaign)}


# ----- deadline reminders ------------------------------------------------------------------------

@dataclass(frozen=True)
class ReminderUnit:
    unit: Unit
    reporters: tuple[str, ...]  # the active reporter accounts' names, "Họ và tên (tên đăng nhập)"
    emails: tuple[str, ...]  # their addresses, where they gave one


@dataclass(frozen=True)
class ReminderList:
    """The competing units that have not reported a month, with where to remind them."""

    month: str
    due: date
    days_left: int  # until the deadline; 0 on the day, negative once past it
    units: tuple[ReminderUnit, ...]

    @property
    def with_email(self) -> tuple[ReminderUnit, ...]:
        return tuple(u for u in self.units if u.emails)

    @property
    def without_email(self) -> tuple[ReminderUnit, ...]:
        return tuple(u for u in self.units if not u.emails)


def reminder_month(campaign: Campaign, today: date | None = None) -> str | None:
    """The month to remind of: the first whose report can still come without counting as missing
    (its deadline is today or later, or passed by fewer days than ``missing_after_days``); None once
    the last month's report is missing."""
    today = today or clock.today()
    rubric = campaign.rubric
    for month in rubric.reports.months:
        if (today - rubric.due_date(month)).days < rubric.reports.missing_after_days:
            return month
    return None


def reminder_list(campaign: Campaign, month: str, today: date | None = None) -> ReminderList:
    """Who has not sent ``month``'s report (a returned report has been sent, and counts as sent; a unit that
    joined the campaign after the month owes none)."""
    today = today or clock.today()
    reported = set(Report.objects.filter(campaign=campaign, month=month).values_list("unit_id", flat=True))
    units = [u for u in competing_units(campaign) if u.pk not in reported and u.owes_report(month)]
    reporters: dict[int, list[User]] = defaultdict(list)
    for user in reporters_in_use().filter(unit__in=units).order_by("username"):
        reporters[user.unit_id].append(user)
    due = campaign.rubric.due_date(month)
    return ReminderList(
        month=month, due=due, days_left=(due - today).days,
        units=tuple(
            ReminderUnit(
                unit=unit,
                reporters=tuple(u.name_and_login for u in reporters[unit.pk]),
                emails=tuple(dict.fromkeys(u.email.strip() for u in reporters[unit.pk] if u.email.strip())),
            )
            for unit in units
        ),
    )


# ----- the overview for leaders ------------------------------------------------------------------

@dataclass(frozen=True)
class Totals:
    """Figures summed over units (and months): accounts created, online level-3/4 dossiers, those resolved on
    time and due, dossiers received in person; ``units`` is how many units' figures are in the sum."""

    accounts: int = 0
    online: int = 0
    on_time: int = 0
    due: int = 0
    in_person: int = 0
    units: int = 0  # in a month: the units with figures for it; summed over months, unit-months

    def plus(self, values: tuple[int, int, int, int, int]) -> Totals:
        """With one more unit's month: (accounts, online, on time, due, in person), as _month_values gives it."""
        accounts, online, on_time, due, in_person = values
        return Totals(self.accounts + accounts, self.online + online, self.on_time + on_time, self.due + due,
                      self.in_person + in_person, self.units + 1)

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.accounts + other.accounts, self.online + other.online, self.on_time + other.on_time,
                      self.due + other.due, self.in_person + other.in_person, self.units + other.units)

    @property
    def dossiers(self) -> int:
        return self.online + self.in_person

    @property
    def online_share(self) -> Fraction | None:
        """Online dossiers of all dossiers received: the plan's target is 30–40%."""
        return Fraction(self.online, self.dossiers) if self.dossiers else None

    @property
    def on_time_rate(self) -> Fraction | None:
        return Fraction(self.on_time, self.due) if self.due else None

    @property
    def online_share_percent(self) -> Decimal | None:
        return percent_cut(self.online_share)

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent_cut(self.on_time_rate)


def percent_cut(rate: Fraction | None) -> Decimal | None:
    """A share as a percentage with two decimals, cut rather than rounded (as the pages show it: never
    above the exact value), for spreadsheets and JSON."""
    return None if rate is None else Decimal(rate.numerator * 10_000 // rate.denominator).scaleb(-2)


@dataclass(frozen=True)
class OverviewMonth:
    month: str
    by_group: dict[str, Totals]  # the rubric's group key → that group's units this month
    total: Totals
    provisional: bool  # the month has not ended yet (as of the overview's date)
    # the units that owe the month's report (not those that joined the campaign later), and any unit whose figures
    # for it are in the sums all the same (one that reported before joining): never fewer than ``total.units``
    owed: int
    owed_by_group: dict[str, int]  # the same, group by group


@dataclass(frozen=True)
class OverviewGroup:
    key: str
    label: str
    units: int  # competing units in the group
    totals: Totals  # over the months so far
    eligible: int  # units at or above the eligibility line today


@dataclass(frozen=True)
class Overview:
    """The campaign as a whole, as of a date: its figures per month and group, from the source the campaign
    scores with (reported, portal, or portal where present), and how many units reach the line."""

    as_of: date
    source_label: str
    groups: list[OverviewGroup]
    months: list[OverviewMonth]
    total: Totals
    units: int
    eligible: int
    min_total: int


def campaign_overview(campaign: Campaign, as_of: date | None = None) -> Overview:
    as_of = as_of or campaign_as_of(campaign)
    rubric = campaign.rubric
    units = competing_units(campaign)
    by_unit: dict[int, list[MonthFigures]] = defaultdict(list)
    for row in _month_rows(campaign, as_of):
        by_unit[row.unit_id].append(row)
    result, portal = _scored(campaign, [as_of])[as_of]  # the portal's figures the standing was scored on
    months = [m for m in rubric.reports.months if m <= f"{as_of:%Y-%m}"]
    # A unit that no longer competes (merged into another and retired) keeps the figures it reported in its months:
    # they were received in the district all the same.
    competing = {u.pk for u in units}
    former = [u for u in Unit.objects.filter(pk__in=(set(by_unit) | set(portal)) - competing, group__in=rubric.groups)
              .order_by("sort_order", "name")]
    cells: dict[tuple[str, str], Totals] = defaultdict(Totals)
    with_figures: set[tuple[str, int]] = set()
    for unit in units + former:
        for month, values in _month_values(by_unit.get(unit.pk, []), portal.get(unit.pk),
                                           campaign.score_source).items():
            cells[(month, unit.group)] = cells[(month, unit.group)].plus(values)
            with_figures.add((month, unit.pk))
    rows = []
    for month in months:
        by_group = {key: cells.get((month, key), Totals()) for key in rubric.groups}
        owed = dict.fromkeys(rubric.groups, 0)
        for u in units + former:
            if (u.pk in competing and u.owes_report(month)) or (month, u.pk) in with_figures:
                owed[u.group] += 1
        rows.append(OverviewMonth(month, by_group, sum(by_group.values(), Totals()),
                                  provisional=month == f"{as_of:%Y-%m}" and as_of < month_as_of(campaign, month),
                                  owed=sum(owed.values()), owed_by_group=owed))
    groups = []
    for key, group in rubric.groups.items():
        members = [u for u in units if u.group == key]
        totals = sum((r.by_group[key] for r in rows), Totals())
        eligible = sum(1 for c in result.scorecards if c.group == key and c.eligible)
        groups.append(OverviewGroup(key, group.label, len(members), totals, eligible))
    return Overview(
        as_of=as_of, source_label=campaign.get_score_source_display(), groups=groups, months=rows,
        total=sum((g.totals for g in groups), Totals()), units=len(units), eligible=sum(g.eligible for g in groups),
        min_total=rubric.eligibility.min_total)
