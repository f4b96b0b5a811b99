"""Reads: monthly proposals (closed months from their snapshot), the year-end standing, quotas,
the budget and the dossier deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from thidua.awards.models import DossierItem, MonthlyAward, Nomination, YearEndDecision, YearEndProposal
from thidua.campaigns.models import Campaign, MonthSnapshot
from thidua.core import clock
from thidua.reports.models import Report
from thidua.reports.selectors import campaign_as_of, campaign_result, month_as_of, units_as_in_campaign
from thidua.scoring import (
    CampaignResult,
    CriterionScore,
    Penalty,
    ReportStatus,
    Scorecard,
    monthly_award_candidates,
)
from thidua.scoring.rubric import CollectivesAward, PlacesAward
from thidua.scoring.text import format_date, format_month
from thidua.units.models import Unit

PLACE_NAMES = {1: "Nhất", 2: "Nhì", 3: "Ba"}


def _as_in_campaign(campaign: Campaign, records: list) -> list:
    """Awards, proposals or nominations with their ``unit`` as the campaign shows it: for a campaign that is over,
    the name (and head) the unit had when it took part, not the one it was given since. A monthly award's proposed
    unit («đề xuất: …») likewise."""
    proposed_ids = {r.proposed_unit_id for r in records if getattr(r, "proposed_unit_id", None)}
    proposed = list(Unit.objects.filter(pk__in=proposed_ids)) if proposed_ids else []
    units = units_as_in_campaign(campaign, proposed + [r.unit for r in records])
    for record in records:
        record.unit = units[record.unit_id]
        if getattr(record, "proposed_unit_id", None):
            record.proposed_unit = units[record.proposed_unit_id]
    return records


def place_name(place: int) -> str:
    return PLACE_NAMES.get(place, str(place))


# ----- monthly -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class MonthlyProposal:
    """The monthly award as the system sees it for one reporting month."""

    month: str
    as_of: date
    closed: bool  # only a closed month (its standing frozen) can be decided
    snapshot: MonthSnapshot | None
    choices: list[Scorecard]  # units the reviewer may choose, best first
    proposed: Scorecard | None  # the system's proposal; None when no single unit stands out
    eligible: bool  # False: nobody reached the eligibility line, choices are the fallback
    tie_at_top: bool
    award: MonthlyAward | None  # the award in force
    prize_vnd: int
    revoked: list[MonthlyAward] = field(default_factory=list)  # earlier awards of the month, revoked
    # Each choice's report for the month: Report.Status (a report still waiting for review can be
    # chosen, and the page says so; a returned one is held back until the unit corrects it).
    review: dict[str, str] = field(default_factory=dict)
    held_back: list[Scorecard] = field(default_factory=list)  # on time and truthful, but returned

    @property
    def label(self) -> str:
        return format_month(self.month)

    @property
    def unreviewed(self) -> list[Scorecard]:
        """The choices whose report for the month the office has not yet verified."""
        return [c for c in self.choices if self.review.get(c.code) != Report.Status.VERIFIED]


def _snapshot_cards(campaign: Campaign, snapshot: MonthSnapshot) -> list[Scorecard]:
    """Scorecards rebuilt from a closed month's frozen standing. The month's report status comes
    from the reports themselves: the first submission time never changes, and an untruthful
    finding made since the month was closed must exclude the unit."""
    rubric = campaign.rubric
    month = snapshot.month
    due = rubric.due_date(month)
    units = snapshot.result["units"]
    # the names the campaign gives its units (those they took part under, once it kept them), not today's
    names = {u.code: u.name for u in units_as_in_campaign(
        campaign, Unit.objects.filter(code__in=[u["code"] for u in units])).values()}
    reports = {
        r.unit.code: r
        for r in Report.objects.filter(campaign=campaign, month=month).select_related("unit")
    }
    cards = []
    for u in units:
        report = reports.get(u["code"])
        if report is None:
            status = ReportStatus(month, due, "missing", None, False)
        else:
            days = (clock.local_date(report.first_submitted_at) - due).days
            state = "on_time" if days <= 0 else "late"
            status = ReportStatus(month, due, state, max(days, 0), report.untruthful)
        penalties = (
            (Penalty(month=month, kind="late", points=u["penalty"], days_late=None, explanation=""),)
            if u["penalty"] else ()
        )
        cards.append(Scorecard(
            code=u["code"], name=names.get(u["code"], u["code"]), group=u["group"],
            criteria=tuple(CriterionScore(k, k, v, "") for k, v in u["criteria"].items()),
            penalties=penalties, statuses=(status,), total=u["total"], eligible=u["eligible"], rank=u["rank"],
            tie=u["tie"], tie_resolved=False, notes=tuple(u.get("notes", ())),
        ))
    return cards


def monthly_proposal(campaign: Campaign, month: str) -> MonthlyProposal:
    rubric = campaign.rubric
    monthly = rubric.awards.monthly
    snapshot = MonthSnapshot.objects.filter(campaign=campaign, month=month).first()
    if snapshot is not None:
        cards, as_of = _snapshot_cards(campaign, snapshot), snapshot.as_of
    else:
        as_of = min(month_as_of(campaign, month), campaign_as_of(campaign))
        cards = list(campaign_result(campaign, as_of=as_of).scorecards)
    review = dict(Report.objects.filter(campaign=campaign, month=month).values_list("unit__code", "status"))
    held_back: list[Scorecard] = []

    def not_returned(candidates: list[Scorecard]) -> list[Scorecard]:
        held_back.extend(c for c in candidates if review.get(c.code) == Report.Status.RETURNED
                         and all(h.code != c.code for h in held_back))
        return [c for c in candidates if review.get(c.code) != Report.Status.RETURNED]

    choices = not_returned(monthly_award_candidates(rubric, cards, month))
    eligible = bool(choices)
    if not choices and monthly is not None:
        # [choice] Nobody has reached the line yet (totals are cumulative, so early months often
        # have no eligible commune): offer the on-time, truthful units of the monthly groups, and
        # the reviewer must give a reason for the one chosen.
        groups = set(monthly.groups)
        for card in cards:
            if card.group in groups:
                try:
                    status = card.status(month)
                except KeyError:
                    continue
                if status.state == "on_time" and not status.untruthful:
                    choices.append(card)
        choices = not_returned(choices)
        choices.sort(key=lambda c: (-c.total, c.name))
    tie_at_top = len(choices) > 1 and choices[0].total == choices[1].total
    proposed = choices[0] if eligible and not tie_at_top else None
    return MonthlyProposal(
        month=month, as_of=as_of, closed=snapshot is not None, snapshot=snapshot, choices=choices,
        proposed=proposed, eligible=eligible, tie_at_top=tie_at_top,
        award=next(iter(_as_in_campaign(campaign, list(
            MonthlyAward.objects.in_force().filter(campaign=campaign, month=month)
            .select_related("unit", "proposed_unit", "decided_by", "flag_cleared_by")[:1]))), None),
        revoked=_as_in_campaign(campaign, list(
            MonthlyAward.objects.filter(campaign=campaign, month=month, revoked_at__isnull=False)
            .select_related("unit", "revoked_by").order_by("revoked_at"))),
        prize_vnd=monthly.prize_vnd if monthly else 0, review=review, held_back=held_back,
    )


@dataclass(frozen=True)
class MonthRow:
    month: str
    closed: bool
    due_passed: bool
    award: MonthlyAward | None


def monthly_overview(campaign: Campaign) -> list[MonthRow]:
    closed = set(MonthSnapshot.objects.filter(campaign=campaign).values_list("month", flat=True))
    awards = {a.month: a for a in _as_in_campaign(
        campaign, list(MonthlyAward.objects.in_force().filter(campaign=campaign).select_related("unit")))}
    today = clock.today()
    rubric = campaign.rubric
    return [MonthRow(m, m in closed, today > rubric.due_date(m), awards.get(m)) for m in rubric.reports.months]


def flagged_awards(campaign: Campaign) -> list[MonthlyAward]:
    return _as_in_campaign(campaign, list(MonthlyAward.objects.in_force().filter(campaign=campaign, flagged=True)
                                          .select_related("unit")))


# ----- year-end ----------------------------------------------------------------------------------

def year_end_decision(campaign: Campaign) -> YearEndDecision | None:
    """The signed year-end Quyết định, once its number is recorded."""
    return YearEndDecision.objects.filter(campaign=campaign).first()


def final_result(campaign: Campaign) -> CampaignResult:
    """The standing the year-end awards are taken from: as of the campaign's last day, and before it
    as of today (provisional; reports not yet due are not counted as missing)."""
    return campaign_result(campaign, as_of=campaign_as_of(campaign))


@dataclass(frozen=True)
class PlaceEntry:
    award_key: str
    place: int
    cards: list[Scorecard]
    pending: bool
    prize_vnd: int
    bonus_points: int
    individuals: int

    @property
    def name(self) -> str:
        return place_name(self.place)


@dataclass(frozen=True)
class CollectivesEntry:
    award_key: str
    label: str
    max_collectives: int
    individuals: int
    certain: list[Scorecard]
    pending: list[Scorecard]


@dataclass
class YearEndStanding:
    as_of: date
    provisional: bool  # the campaign's last day has not come yet
    places_label: str = ""
    places: list[PlaceEntry] = field(default_factory=list)
    empty_places: list[int] = field(default_factory=list)  # places nobody eligible could take
    collectives: list[CollectivesEntry] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return any(p.pending for p in self.places) or any(c.pending for c in self.collectives)


def year_end_standing(campaign: Campaign) -> YearEndStanding:
    rubric = campaign.rubric
    result = final_result(campaign)
    cards = {c.code: c for c in result.scorecards}
    awards = result.awards
    standing = YearEndStanding(as_of=result.as_of, provisional=clock.today() < rubric.campaign.end)
    for award in rubric.awards.year_end:
        entry = awards.get(award.key)
        if isinstance(award, PlacesAward):
            standing.places_label = award.label
            specs = {p.place: p for p in award.places}
            taken: set[int] = set()
            for e in entry or ():
                spec = specs[e["place"]]
                codes = e["codes"] if e.get("pending") else [e["code"]]
                standing.places.append(PlaceEntry(
                    award.key, e["place"], [cards[c] for c in codes], bool(e.get("pending")),
                    spec.prize_vnd, spec.bonus_points, spec.individuals,
                ))
                taken.update(range(e["place"], e["place"] + len(codes)))
            standing.empty_places = [p for p in specs if p not in taken]
        elif isinstance(award, CollectivesAward):
            entry = entry or {}
            standing.collectives.append(CollectivesEntry(
                award.key, award.label, award.max_collectives, award.individuals,
                [cards[c] for c in entry.get("collectives", [])], [cards[c] for c in entry.get("pending", [])],
            ))
    return standing


def locked_list_changes(standing: YearEndStanding, recorded: list[YearEndProposal]) -> list[str]:
    """How today's standing differs from the locked list of proposals, one line per unit ([] when it
    does not): a later correction, finding or tie-break changed a total or who is proposed."""
    now: dict[str, tuple[Scorecard, int | None]] = {}
    for entry in standing.places:
        for card in entry.cards:
            now[card.code] = (card, entry.place)
    for group in standing.collectives:
        for card in (*group.certain, *group.pending):
            now[card.code] = (card, None)
    lines = []
    for p in recorded:
        if p.unit.code not in now:
            lines.append(f"{p.unit.name} không còn trong danh sách được đề nghị (khi chốt: {p.total} điểm).")
            continue
        card, place = now.pop(p.unit.code)
        if card.total != p.total or place != p.place:
            where = f", hạng {place_name(place)}" if place else ""
            was = f", hạng {place_name(p.place)}" if p.place else ""
            lines.append(f"{p.unit.name}: nay {card.total} điểm{where} (khi chốt: {p.total} điểm{was}).")
    for card, place in now.values():
        where = f" hạng {place_name(place)}" if place else ""
        lines.append(f"{card.name} nay được đề nghị{where} với {card.total} điểm nhưng chưa có trong danh sách "
                     "đã chốt.")
    return lines


def proposals(campaign: Campaign) -> list[YearEndProposal]:
    return _as_in_campaign(campaign, list(YearEndProposal.objects.filter(campaign=campaign).select_related("unit")))


def is_locked(campaign: Campaign) -> bool:
    return YearEndProposal.objects.filter(campaign=campaign).exists()


@dataclass(frozen=True)
class Quota:
    """How many individuals a unit may still nominate, and why."""

    label: str  # e.g. "Hạng Nhì: 4 cá nhân", "Ngành huyện: 15 cá nhân cho cả khối"
    limit: int
    used: int  # counted over the unit (places) or over the whole pool (collectives)
    own: int  # the unit's own nominations

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def quota_for(campaign: Campaign, unit: Unit) -> Quota | None:
    """The unit's nomination quota: its place's number (communes) or the shared pool of the
    collectives award (departments), from the recorded list once locked, else from the standing.
    None: the unit is not (yet) among the proposed collectives."""
    rubric = campaign.rubric
    own = Nomination.objects.filter(campaign=campaign, unit=unit).count()
    recorded = proposals(campaign)
    if recorded:
        mine = next((p for p in recorded if p.unit_id == unit.pk), None)
        if mine is None:
            return None
        if mine.individuals_quota is not None:
            return Quota(f"Hạng {place_name(mine.place or 0)}: {mine.individuals_quota} cá nhân",
                         mine.individuals_quota, own, own)
        award = next(a for a in rubric.awards.year_end if a.key == mine.award_key)
        pool_units = [p.unit_id for p in recorded if p.award_key == mine.award_key]
        used = Nomination.objects.filter(campaign=campaign, unit_id__in=pool_units).count()
        return Quota(f"{award.label}: {award.individuals} cá nhân cho cả khối", award.individuals, used, own)
    standing = year_end_standing(campaign)
    for place in standing.places:
        if unit.code in {c.code for c in place.cards}:
            if place.pending:
                return None
            return Quota(f"Hạng {place.name}: {place.individuals} cá nhân", place.individuals, own, own)
    for entry in standing.collectives:
        codes = {c.code for c in entry.certain + entry.pending}
        if unit.code in codes:
            used = Nomination.objects.filter(campaign=campaign, unit__code__in=codes).count()
            return Quota(f"{entry.label}: {entry.individuals} cá nhân cho cả khối", entry.individuals, used, own)
    return None


def nominations(campaign: Campaign, unit: Unit | None = None) -> list[Nomination]:
    qs = Nomination.objects.filter(campaign=campaign).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return _as_in_campaign(campaign, list(qs))


# ----- budget ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetRow:
    label: str
    quantity: int
    unit_vnd: int
    note: str

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_vnd


def budget(campaign: Campaign) -> tuple[list[BudgetRow], int]:
    """Every award with money: the monthly awards (all reporting months, per the plan) and the
    year-end places held by a unit (from the recorded list once locked, else the standing)."""
    rubric = campaign.rubric
    rows: list[BudgetRow] = []
    monthly = rubric.awards.monthly
    if monthly is not None:
        count = len(rubric.reports.months) * monthly.per_month
        decided = MonthlyAward.objects.in_force().filter(campaign=campaign).count()
        rows.append(BudgetRow(monthly.label, count, monthly.prize_vnd,
                              f"Dự kiến cho cả {count} tháng theo kế hoạch; đã quyết định {decided}"))
    recorded = {p.place: p for p in proposals(campaign) if p.place is not None}
    standing = None if recorded else year_end_standing(campaign)
    for award in rubric.awards.year_end:
        if not isinstance(award, PlacesAward):
            continue
        for spec in award.places:
            label = f"{award.label} — hạng {place_name(spec.place)}"
            if recorded:
                p = recorded.get(spec.place)
                rows.append(BudgetRow(label, 1 if p else 0, spec.prize_vnd,
                                      p.unit.name if p else "Không có đơn vị đạt"))
                continue
            entry = next((e for e in standing.places if e.place == spec.place), None)  # type: ignore[union-attr]
            if entry is None:
                covered = any(e.pending and e.place < spec.place < e.place + len(e.cards) for e in standing.places)  # type: ignore[union-attr]
                note = "Chờ phân định bằng điểm" if covered else "Không có đơn vị đạt"
                rows.append(BudgetRow(label, 0, spec.prize_vnd, note))
            elif entry.pending:
                rows.append(BudgetRow(label, 0, spec.prize_vnd, "Chờ phân định bằng điểm: "
                                      + ", ".join(c.name for c in entry.cards)))
            else:
                rows.append(BudgetRow(label, 1, spec.prize_vnd, entry.cards[0].name))
    return rows, sum(r.amount for r in rows)


# ----- dossier tracker ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    due: date
    days_left: int
    level: str  # ok | warn (≤ 7 days) | urgent (≤ 3 days) | overdue
    message: str


def dossier_deadline(campaign: Campaign, today: date | None = None) -> Deadline:
    """The reward dossier is due on the campaign's last day (18/12 for Plan 211)."""
    due = campaign.rubric.campaign.end
    today = today or clock.today()
    days = (due - today).days
    if days < 0:
        return Deadline(due, days, "overdue", f"Quá hạn {-days} ngày (hạn nộp hồ sơ {format_date(due)})")
    if days == 0:
        return Deadline(due, 0, "urgent", f"Hôm nay là hạn cuối nộp hồ sơ ({format_date(due)})")
    if days <= 3:
        return Deadline(due, days, "urgent", f"Chỉ còn {days} ngày đến hạn nộp hồ sơ ({format_date(due)})")
    if days <= 7:
        return Deadline(due, days, "warn", f"Còn {days} ngày đến hạn nộp hồ sơ ({format_date(due)})")
    return Deadline(due, days, "ok", f"Hạn nộp hồ sơ: {format_date(due)} (còn {days} ngày)")


@dataclass(frozen=True)
class DossierRow:
    proposal: YearEndProposal
    items: list[DossierItem]
    complete: bool


def dossier_rows(campaign: Campaign) -> list[DossierRow]:
    items: dict[int, list[DossierItem]] = {}
    for item in DossierItem.objects.filter(proposal__campaign=campaign).select_related("signed_by"):
        items.setdefault(item.proposal_id, []).append(item)
    order = [k for k, _ in DossierItem.Kind.choices]
    rows = []
    for p in proposals(campaign):
        mine = sorted(items.get(p.pk, []), key=lambda i: order.index(i.kind))
        rows.append(DossierRow(p, mine, all(i.signed_on for i in mine)))
    return rows


@dataclass(frozen=True)
class DossierNominees:
    """The nominees as the recorded list sees them. ``listed``: their unit is on the list, so the
    Tờ trình, the Quyết định and the dossier carry them (each has a Báo cáo thành tích and a Giấy
    khen); ``outside``: their unit dropped out of the list before it was recorded, so no document
    names them (the awards export notes "Đơn vị không thuộc danh sách")."""

    listed: list[Nomination]
    outside: list[Nomination]


def dossier_nominees(campaign: Campaign) -> DossierNominees:
    on_list = {p.unit_id for p in proposals(campaign)}
    listed: list[Nomination] = []
    outside: list[Nomination] = []
    for n in nominations(campaign):
        (listed if n.unit_id in on_list else outside).append(n)
    return DossierNominees(listed, outside)
