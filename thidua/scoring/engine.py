"""Scoring a unit: criteria, report statuses and penalties, total, notes.

Exact arithmetic only (``int``; rates as integer ratios of ``Fraction``/``Decimal``).

Speed: a rubric is compiled once into plain closures; for a given ``as_of`` the outcome of a
report depends only on ``(month, submitted, untruthful)`` and the outcome of a criterion only on
its input value, so both are memoised and the resulting immutable objects are shared between
scorecards. A campaign of thousands of units thus builds few distinct notes.

``score_campaign`` goes further (``_Scoring.standings``): it computes points, penalties and
totals column by column with ``map`` over memo tables of plain integers, ranks, awards, and
leaves each card's explained parts (criteria, penalties, statuses, notes) to be built on first
access — by the same per-unit code as ``score_unit``. A leaderboard of thousands of units needs
totals and ranks; the explanations of one unit are read when someone opens its card.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import partial
from itertools import chain, repeat
from operator import add, and_, attrgetter, eq, floordiv, ge, mul, rshift, sub
from typing import Any

from ._gc import gc_paused
from .model import (
    CampaignResult,
    CriterionScore,
    Penalty,
    ReportInput,
    ReportStatus,
    Scorecard,
    TieBreak,
    UnitInput,
)
from .rubric import CountCriterion, RateCriterion, ReportRules, Rubric, YesNoCriterion
from .text import format_date, format_int, format_rate, format_ratio

__all__ = ["resolution_rate", "score_campaign", "score_unit"]

_MEMO_LIMIT = 200_000
_STANDARD_INPUTS = frozenset({"plan", "procedures", "accounts", "dossiers"})


def resolution_rate(resolved_on_time: int, due: int) -> Fraction | None:
    """The on-time resolution rate in percent, exactly: ``resolution_rate(49, 50) == 98``.

    ``None`` when nothing is due (the rate is undefined)."""
    for name, value in (("resolved_on_time", resolved_on_time), ("due", due)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int")
        if value < 0:
            raise ValueError(f"{name} must not be negative")
    if resolved_on_time > due:
        raise ValueError(f"resolved_on_time ({resolved_on_time}) exceeds due ({due})")
    if due == 0:
        return None
    return Fraction(100 * resolved_on_time, due)


def _pts(value: int) -> str:
    return f"{format_int(value)} điểm"


# ---------------------------------------------------------------------------------------------
# Criteria
# ---------------------------------------------------------------------------------------------

Build = Callable[[Any], CriterionScore]
NO_RATE: tuple[str] = ("none",)


class _Memo:
    """value → CriterionScore, built once per distinct value (the objects are immutable)."""

    __slots__ = ("build", "memo")

    def __init__(self, build: Build, memo: dict[Any, CriterionScore] | None = None):
        self.build = build
        self.memo: dict[Any, CriterionScore] = memo or {}

    def __call__(self, value: Any) -> CriterionScore:
        cs = self.memo.get(value)
        if cs is None:
            cs = self.fill(value)
        return cs

    def fill(self, value: Any) -> CriterionScore:
        memo = self.memo
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        cs = memo[value] = self.build(value)
        return cs


def _nat(value: int) -> str:
    """format_int for a known non-negative int (hot path of explanations)."""
    return str(value) if value < 1000 else f"{value:,}".replace(",", ".")


def _yes_no_get(c: YesNoCriterion) -> _Memo:
    no_milestone = f"cần {c.action_text} để được {_pts(c.points_yes)}" if c.action_text else None
    yes = CriterionScore(c.key, c.label, c.points_yes, f"{c.label}: {c.yes_text} → {_pts(c.points_yes)}", None)
    no = CriterionScore(c.key, c.label, c.points_no, f"{c.label}: {c.no_text} → {_pts(c.points_no)}",
                        no_milestone)
    return _Memo(lambda value: yes if value else no, {True: yes, False: no})


def count_points(c: CountCriterion, value: int) -> int:
    """Points of a count criterion for ``value`` (the formula, without text)."""
    if value == 0 and c.zero_points is not None:
        return c.zero_points
    if value < c.threshold:
        return c.below_threshold_points
    return c.base_points + c.points_per_step * ((value - c.threshold) // c.step)


def _count_get(c: CountCriterion) -> _Memo:
    word, label, t, step, pps, base = c.unit_word, c.label, c.threshold, c.step, c.points_per_step, c.base_points
    key = c.key
    head = f"{label}: "
    below = f" {word} < {format_int(t)} → {_pts(c.below_threshold_points)}"
    at_or_above = f" {word} ≥ {format_int(t)} → "
    formula_head = f"{format_int(base)} + {format_int(pps)} × "
    below_milestone_tail = f" {word} nữa để đạt {_pts(base)}"
    next_milestone_tail = f" {word} nữa để được thêm {_pts(pps)}"
    zero_expl = None
    if c.zero_points is not None:
        extra = f" ({c.zero_text})" if c.zero_text else ""
        zero_expl = f"{head}0 {word}{extra} → {_pts(c.zero_points)}"

    def build(v: int) -> CriterionScore:
        if v < t or (v == 0 and zero_expl is not None):
            milestone = f"còn {_nat(t - v)}{below_milestone_tail}" if v < t else (
                f"còn {_nat(step)}{next_milestone_tail}" if pps else None)
            if v == 0 and zero_expl is not None:
                return CriterionScore(key, label, c.zero_points, zero_expl, milestone)  # type: ignore[arg-type]
            return CriterionScore(key, label, c.below_threshold_points, f"{head}{_nat(v)}{below}", milestone)
        k, r = divmod(v - t, step)
        points = base + pps * k
        if k and pps:
            expl = f"{head}{_nat(v)}{at_or_above}{formula_head}{_nat(k)} = {format_int(points)} điểm"
        else:
            expl = f"{head}{_nat(v)}{at_or_above}{format_int(points)} điểm"
        milestone = f"còn {_nat(step - r)}{next_milestone_tail}" if pps else None
        return CriterionScore(key, label, points, expl, milestone)

    return _Memo(build)


def rate_points(c: RateCriterion, rate: Fraction | Decimal | int | None) -> int:
    """Points of a rate criterion for a percentage ``rate`` (``None`` = undefined)."""
    if rate is None:
        return c.undefined_points
    return _ratio_points(c, *rate.as_integer_ratio())


def _ratio_points(c: RateCriterion, num: int, den: int) -> int:
    """Points of a rate criterion for the percentage ``num/den``."""
    k = _rate_steps(c, num, den)
    return c.below_threshold_points if k is None else c.base_points + c.points_per_step * k


def _rate_steps(c: RateCriterion, num: int, den: int) -> int | None:
    """⌊(num/den − threshold) / step⌋, or None below the threshold (pure integer arithmetic)."""
    tn, td = c.threshold.as_integer_ratio()
    diff = num * td - tn * den  # (r − T) · den · td
    if diff < 0:
        return None
    sn, sd = c.step.as_integer_ratio()
    return (diff * sd) // (den * td * sn)


def rate_key(rate: Fraction | Decimal | int | None, resolved_on_time: int | None, due: int | None) -> tuple:
    """The memo key of a rate criterion's input: a given rate, counts, or nothing."""
    if rate is not None:
        return ("rate", rate)
    if due is not None:
        return ("counts", resolved_on_time, due)
    return NO_RATE


def _rate_get(c: RateCriterion) -> _Memo:
    label, word, key_ = c.label, c.count_word, c.key
    t_text = format_rate(c.threshold)
    below_tail = f" < {t_text} → {_pts(c.below_threshold_points)}"
    below_milestone = f"cần đạt {t_text} để được {_pts(c.base_points)}"
    head = f"{label}: "
    tn, td = c.threshold.as_integer_ratio()
    sn, sd = c.step.as_integer_ratio()
    # per number of steps k: (explanation tail, milestone), built once
    per_k: dict[int, tuple[str, str | None]] = {}

    def tail(k: int) -> tuple[str, str | None]:
        out = per_k.get(k)
        if out is None:
            points = c.base_points + c.points_per_step * k
            formula = (f"{format_int(c.base_points)} + {format_int(c.points_per_step)} × {format_int(k)} = "
                       if k and c.points_per_step else "")
            nxt = c.threshold + c.step * (k + 1)
            milestone = (f"cần đạt {format_rate(nxt)} để được thêm {_pts(c.points_per_step)}"
                         if c.points_per_step and nxt <= 100 else None)
            out = per_k[k] = (f" ≥ {t_text} → {formula}{_pts(points)}", milestone)
        return out

    def build(key: tuple[Any, ...]) -> CriterionScore:
        if key[0] == "none":
            expl = f"{head}không có số liệu tỷ lệ giải quyết → {_pts(c.undefined_points)}"
            return CriterionScore(key_, label, c.undefined_points, expl, None)
        if key[0] == "counts":
            resolved, due = key[1], key[2]
            if due == 0:
                expl = (f"{head}chưa có {word} nào đến hạn giải quyết nên tỷ lệ không xác định "
                        f"→ {_pts(c.undefined_points)}")
                return CriterionScore(key_, label, c.undefined_points, expl, None)
            num, den = 100 * resolved, due
            rtext = f"{_nat(resolved)}/{_nat(due)} {word} đúng hạn = {format_ratio(num, den)}%"
        else:
            num, den = key[1].as_integer_ratio()
            rtext = f"{format_ratio(num, den)}%"
        diff = num * td - tn * den  # (r − T) · den · td, exact
        if diff < 0:
            return CriterionScore(key_, label, c.below_threshold_points, f"{head}{rtext}{below_tail}",
                                  below_milestone)
        k = (diff * sd) // (den * td * sn)
        text, milestone = tail(k)
        return CriterionScore(key_, label, c.base_points + c.points_per_step * k, f"{head}{rtext}{text}", milestone)

    return _Memo(build)


class _PointsMemo(dict):
    """key → points, computed on a miss by ``__missing__``: mapped over a column with
    ``map(memo.__getitem__, keys)``, the hits never leave C. :meth:`add` computes many keys at
    once (``compute_many``, or ``compute`` for each)."""

    __slots__ = ("compute", "compute_many")

    def __init__(self, compute: Callable[[Any], int],
                 compute_many: Callable[[set[Any]], Iterable[tuple[Any, int]]] | None = None):
        super().__init__()
        self.compute = compute
        self.compute_many = compute_many

    def __missing__(self, key: Any) -> int:
        if len(self) > _MEMO_LIMIT:
            self.clear()
        points = self[key] = self.compute(key)
        return points

    def add(self, keys: Iterable[Any]) -> None:
        """Make sure every key is in the memo."""
        new = set(keys).difference(self)
        if new:
            if len(self) + len(new) > _MEMO_LIMIT:
                self.clear()
            self.update(self.compute_many(new) if self.compute_many else zip(new, map(self.compute, new), strict=True))


def _count_points_many(c: CountCriterion, values: set[int]) -> Iterable[tuple[int, int]]:
    """``(value, count_points(c, value))`` for many values, in C loops: sorted and split at the
    threshold, the formula applied with ``operator`` functions."""
    ordered = sorted(values)
    cut = bisect_left(ordered, c.threshold)
    below, above = ordered[:cut], ordered[cut:]
    steps = map(floordiv, map(sub, above, repeat(c.threshold)), repeat(c.step))
    points = map(add, repeat(c.base_points), map(mul, repeat(c.points_per_step), steps))
    out = chain(zip(below, repeat(c.below_threshold_points)), zip(above, points, strict=True))
    if c.zero_points is not None and 0 in values:
        out = chain(out, ((0, c.zero_points),))  # a later pair wins in dict.update
    return out


_RATE_FIELDS = attrgetter("resolution_rate", "resolved_on_time", "due")


def _rate_fields_points(c: RateCriterion, fields: tuple[Any, Any, Any]) -> int:
    """Points of a rate criterion from ``(resolution_rate, resolved_on_time, due)``, as
    :func:`_rate_get` scores the same figures (without the text)."""
    rate, resolved, due = fields
    if rate is None and due:
        return _ratio_points(c, 100 * resolved, due)
    return rate_points(c, rate)


def _yes_no_points(c: YesNoCriterion, value: Any) -> int:
    return c.points_yes if value else c.points_no


def _column(c: YesNoCriterion | CountCriterion | RateCriterion
            ) -> tuple[Callable[[UnitInput], Any], _PointsMemo]:
    """A criterion's reader of its raw input from a UnitInput and its points memo."""
    if isinstance(c, RateCriterion):
        return _RATE_FIELDS, _PointsMemo(partial(_rate_fields_points, c))
    if isinstance(c, YesNoCriterion):
        memo = _PointsMemo(partial(_yes_no_points, c))
    else:
        memo = _PointsMemo(partial(count_points, c), partial(_count_points_many, c))
    return _reader(c.input_name), memo


def _reader(name: str) -> Callable[[UnitInput], Any]:
    return attrgetter(name) if name in _STANDARD_INPUTS else lambda u: u.extra.get(name, 0)


class _GroupPlan:
    """A group's criteria compiled: for each criterion its input name (``None`` for the rate,
    whose input is a :func:`rate_key`), its memo, and a reader of the value from a UnitInput;
    ``columns``: per criterion a reader of its raw input and a points memo (no text), for
    :meth:`_Scoring.standings`."""

    __slots__ = ("columns", "entries", "pairs")

    def __init__(self, criteria: Sequence[YesNoCriterion | CountCriterion | RateCriterion]):
        entries: list[tuple[dict[Any, CriterionScore], Callable[[Any], CriterionScore], str | None]] = []
        pairs: list[tuple[_Memo, Callable[[UnitInput], Any]]] = []
        for c in criteria:
            if isinstance(c, RateCriterion):
                memo = _rate_get(c)
                entries.append((memo.memo, memo.fill, None))
                pairs.append((memo, lambda u: rate_key(u.resolution_rate, u.resolved_on_time, u.due)))
                continue
            name = c.input_name
            memo = _yes_no_get(c) if isinstance(c, YesNoCriterion) else _count_get(c)
            entries.append((memo.memo, memo.fill, name))
            pairs.append((memo, _reader(name)))
        self.entries = tuple(entries)
        self.pairs = tuple(pairs)
        self.columns = tuple(_column(c) for c in criteria)

    def score_unit(self, unit: UnitInput) -> tuple[CriterionScore, ...]:
        return tuple([get(read(unit)) for get, read in self.pairs])


# ---------------------------------------------------------------------------------------------
# Reports and penalties
# ---------------------------------------------------------------------------------------------

_Outcome = tuple[ReportStatus, tuple[Penalty, ...], tuple[str, ...], int]


def late_points(rules: ReportRules, days_late: int) -> int:
    """Penalty for a report submitted ``days_late`` (≥ 1) days after its due date."""
    for band in rules.late_bands:
        if band.min_days <= days_late and (band.max_days is None or days_late <= band.max_days):
            return band.points
    return rules.late_bands[-1].points


def _report_outcome(rules: ReportRules, month: str, due: date, as_of: date,
                    submitted: date | None, untruthful: bool) -> _Outcome:
    penalties: list[Penalty] = []
    notes: list[str] = []
    if submitted is not None:
        days = (submitted - due).days
        if days <= 0:
            status = ReportStatus(month, due, "on_time", 0, untruthful)
        else:
            status = ReportStatus(month, due, "late", days, untruthful)
            points = late_points(rules, days)
            text = f"{month}: trễ {days} ngày ({format_int(points)})"
            penalties.append(Penalty(month, "late", points, days, text))
        if untruthful:
            points = rules.untruthful_points
            text = f"{month}: báo cáo không trung thực ({format_int(points)})"
            penalties.append(Penalty(month, "untruthful", points, None, text))
    else:
        past = (as_of - due).days
        if past <= 0:
            status = ReportStatus(month, due, "not_due", None, False)
        elif past < rules.missing_after_days:
            status = ReportStatus(month, due, "pending", past, False)
            from_day = due + timedelta(days=rules.missing_after_days)
            notes.append(
                f"{month}: chưa nộp báo cáo, đã quá hạn {past} ngày (hạn {format_date(due)}) — chưa trừ điểm; "
                f"nếu đến ngày {format_date(from_day)} vẫn chưa nộp sẽ bị trừ "
                f"{format_int(-rules.missing_points)} điểm"
            )
        else:
            status = ReportStatus(month, due, "missing", past, False)
            points = rules.missing_points
            text = f"{month}: không nộp báo cáo, đã quá hạn {past} ngày ({format_int(points)})"
            penalties.append(Penalty(month, "missing", points, past, text))
    notes[:0] = [p.explanation for p in penalties]
    return status, tuple(penalties), tuple(notes), sum(p.points for p in penalties)


# A scored unit before ranking: (code, name, group, criteria, penalties, statuses, total, eligible, notes);
# from _Scoring.standings: (code, name, group, unit, scoring context, None, total, eligible, None).
RawCard = tuple[str, str, str, tuple[CriterionScore, ...], tuple[Penalty, ...], tuple[ReportStatus, ...],
                int, bool, tuple[str, ...]]


_new = object.__new__
_set = object.__setattr__


class _NotScorable(Exception):
    """Raised inside :meth:`_Scoring.standings` for input that :meth:`_Scoring.raw` refuses."""


_REPORTS = attrgetter("reports")
_CODE, _NAME = attrgetter("code"), attrgetter("name")
_FIRST_MONTH = attrgetter("first_month")


def make_card(raw: RawCard, rank: int | None, tie: bool, tie_resolved: bool) -> Scorecard:
    """Scorecard(*fields) without the frozen dataclass ``__init__`` (twelve ``object.__setattr__``
    calls): the instance dict is set in one step. Same object, same equality/repr/hash.

    A raw card from :meth:`_Scoring.standings` carries, instead of its explained parts, the unit
    and the scoring context that explain it on first access (``model._Explained``)."""
    card = _new(Scorecard)
    if raw[8] is None:
        _set(card, "__dict__", {
            "code": raw[0], "name": raw[1], "group": raw[2], "total": raw[6], "eligible": raw[7],
            "rank": rank, "tie": tie, "tie_resolved": tie_resolved, "_unit": raw[3], "_scoring": raw[4],
        })
        return card
    _set(card, "__dict__", {
        "code": raw[0], "name": raw[1], "group": raw[2], "criteria": raw[3], "penalties": raw[4],
        "statuses": raw[5], "total": raw[6], "eligible": raw[7], "rank": rank, "tie": tie,
        "tie_resolved": tie_resolved, "notes": raw[8],
    })
    return card


class _Scoring:
    """A rubric compiled for one ``as_of`` date, with its memo tables."""

    def __init__(self, rubric: Rubric, as_of: date):
        self.rubric = rubric
        self.as_of = as_of
        self.plans: dict[str, _GroupPlan] = _compiled(rubric)
        self.min_total = rubric.eligibility.min_total
        rules = rubric.reports
        self.rules = rules
        self.months = [(m, rubric.due_date(m)) for m in rules.months]
        self.month_index = {m: i for i, m in enumerate(rules.months)}
        self.report_memo: dict[tuple[str, date | None, bool], _Outcome] = {}
        self.total_memo: dict[tuple[int, int], tuple[str, bool]] = {}
        self.exempt_memo: dict[tuple[str, str], _Outcome] = {}
        self.unsubmitted: tuple[_Outcome, ...] = tuple(self.outcome(m, None, False) for m in rules.months)
        # For standings(): a report's points relative to its month left unsubmitted, packed with
        # its month's bit as ``delta · 2^shift + 2^index``; summed over a unit's reports this gives
        # the unit's delta and, if no month repeats (no carry), the set of its months.
        self.unsubmitted_points = sum(o[3] for o in self.unsubmitted)
        self.shift = len(self.months) + 32
        self.report_points = _PointsMemo(self._packed_points)

    def outcome(self, month: str, submitted: date | None, untruthful: bool) -> _Outcome:
        """The status, penalties and notes of the report for ``month`` (a reporting month),
        first submitted on ``submitted`` (``None``, or a date after ``as_of``: not submitted)."""
        key = (month, submitted, untruthful)
        out = self.report_memo.get(key)
        if out is None:
            if len(self.report_memo) > _MEMO_LIMIT:
                self.report_memo.clear()
            due = self.rubric.due_date(month)
            sub = submitted if submitted is not None and submitted <= self.as_of else None
            out = _report_outcome(self.rules, month, due, self.as_of, sub, untruthful and sub is not None)
            self.report_memo[key] = out
        return out

    def total_note(self, points: int, penalty: int) -> tuple[str, bool]:
        key = (points, penalty)
        out = self.total_memo.get(key)
        if out is None:
            total = points + penalty
            eligible = total >= self.min_total
            line = (f"Tổng: {format_int(points)} − {format_int(-penalty)} = {_pts(total)}" if penalty
                    else f"Tổng: {_pts(total)}")
            line += (f" (đạt từ {format_int(self.min_total)} điểm trở lên: được xếp hạng)" if eligible
                     else f" (dưới {format_int(self.min_total)} điểm: không được xếp hạng)")
            out = self.total_memo[key] = (line, eligible)
        return out

    def plan(self, group: str, code: str) -> _GroupPlan:
        plan = self.plans.get(group)
        if plan is None:
            raise ValueError(f"unit {code}: unknown group {group!r}")
        return plan

    def unit_outcomes(self, unit: UnitInput) -> list[_Outcome]:
        outcomes = self._report_outcomes(unit)
        first = unit.first_month
        if first is not None:  # joined mid-campaign: the months before are not owed
            for i, (month, due) in enumerate(self.months):
                if month >= first:
                    break
                outcomes[i] = self.not_required(month, due, first)
        return outcomes

    def not_required(self, month: str, due: date, first: str) -> _Outcome:
        key = (month, first)
        out = self.exempt_memo.get(key)
        if out is None:
            note = f"{month}: đơn vị tham gia thi đua từ {first}, không phải báo cáo tháng này"
            out = self.exempt_memo[key] = (ReportStatus(month, due, "not_required", None, False), (), (note,), 0)
        return out

    def _report_outcomes(self, unit: UnitInput) -> list[_Outcome]:
        outcomes = list(self.unsubmitted)
        index = self.month_index
        memo = self.report_memo
        seen = 0
        for r in unit.reports:
            i = index.get(r.month)
            if i is None:
                raise ValueError(f"unit {unit.code}: {r.month!r} is not a reporting month")
            if seen & (1 << i):
                return self._merged_outcomes(unit)
            seen |= 1 << i
            out = memo.get((r.month, r.submitted, r.untruthful))
            outcomes[i] = self.outcome(r.month, r.submitted, r.untruthful) if out is None else out
        return outcomes

    def _merged_outcomes(self, unit: UnitInput) -> list[_Outcome]:
        """Several versions of a report: the first submission counts; untruthful if any was."""
        outcomes = list(self.unsubmitted)
        firsts: dict[str, ReportInput] = {}
        for r in unit.reports:
            prev = firsts.get(r.month)
            if prev is not None:
                subs = [s for s in (prev.submitted, r.submitted) if s is not None]
                r = ReportInput(r.month, min(subs) if subs else None, prev.untruthful or r.untruthful)
            firsts[r.month] = r
        for month, r in firsts.items():
            outcomes[self.month_index[month]] = self.outcome(month, r.submitted, r.untruthful)
        return outcomes

    def assemble(self, code: str, name: str, group: str, criteria: tuple[CriterionScore, ...],
                 outcomes: Sequence[_Outcome]) -> RawCard:
        notes = [c.explanation for c in criteria]
        points = sum([c.points for c in criteria])
        penalties: tuple[Penalty, ...] = ()
        penalty = 0
        for o in outcomes:
            if o[2]:
                penalties += o[1]
                penalty += o[3]
                notes += o[2]
        line, eligible = self.total_note(points, penalty)
        notes.append(line)
        return (code, name, group, criteria, penalties, tuple([o[0] for o in outcomes]), points + penalty,
                eligible, tuple(notes))

    def _packed_points(self, report: ReportInput) -> int:
        i = self.month_index.get(report[0])
        if i is None:
            raise _NotScorable
        delta = self.outcome(report[0], report[1], report[2])[3] - self.unsubmitted[i][3]
        return (delta << self.shift) + (1 << i)

    def standings(self, units: Sequence[UnitInput]) -> list[RawCard]:
        """Score many units at once, column by column: totals and eligibility now, the explained
        parts (criteria, penalties, statuses, notes) on first access of each card.

        Each step maps a memo or a reader over a whole column (``map``/``zip``), so the per-unit
        work runs in the interpreter's C loops. Gives the same scores as :meth:`raw`; a unit with
        a repeated month, or anything :meth:`raw` refuses, goes through :meth:`raw` itself."""
        plans = self.plans
        batches: dict[str, list[UnitInput]] = {}
        for unit in units:
            batch = batches.get(unit.group)
            if batch is None:
                batch = batches[unit.group] = []
                if unit.group not in plans:
                    self.plan(unit.group, unit.code)  # unknown group: ValueError naming the unit
            batch.append(unit)
        out: list[RawCard] = []
        for group, batch in batches.items():
            try:
                out += self._standings(group, batch)
            except _NotScorable:
                for unit in batch:
                    self.raw(unit)  # raises the error naming the unit
                raise AssertionError("a unit refused by standings() was scored by raw()") from None
        return out

    def _standings(self, group: str, units: list[UnitInput]) -> list[RawCard]:
        points = [0] * len(units)
        for read, memo in self.plans[group].columns:
            values = list(map(read, units))
            memo.add(values)  # computed once per distinct value, many at once
            points = list(map(add, points, map(memo.__getitem__, values)))
        reports = list(map(_REPORTS, units))
        getter = self.report_points.__getitem__
        packed = list(map(sum, map(map, repeat(getter), reports)))
        shift = self.shift
        penalty = list(map(add, map(rshift, packed, repeat(shift)), repeat(self.unsubmitted_points)))
        months = map(and_, packed, repeat((1 << shift) - 1))
        repeated = not all(map(eq, map(int.bit_count, months), map(len, reports)))
        if repeated or any(map(_FIRST_MONTH, units)):
            # through raw, once each: a unit with a repeated month (the first submission counts), or one that
            # joined mid-campaign (the months before are not owed)
            for i, unit in enumerate(units):
                own = unit.reports
                if unit.first_month is not None or (repeated and len({r[0] for r in own}) != len(own)):
                    penalty[i] = self.raw(unit)[6] - points[i]
        totals = list(map(add, points, penalty))
        min_total = self.min_total
        # one group string shared by the group's cards (compared by identity first, and in cache)
        return list(zip(map(_CODE, units), map(_NAME, units), repeat(group),
                        units, repeat(self), repeat(None),
                        totals, map(ge, totals, repeat(min_total)), repeat(None)))

    def explain(self, unit: UnitInput) -> tuple[Any, ...]:
        """The explained parts of a unit's card: (criteria, penalties, statuses, notes)."""
        raw = self.raw(unit)
        return raw[3], raw[4], raw[5], raw[8]

    def raw(self, unit: UnitInput) -> RawCard:
        criteria = self.plan(unit.group, unit.code).score_unit(unit)
        return self.assemble(unit.code, unit.name, unit.group, criteria, self.unit_outcomes(unit))

    def score(self, unit: UnitInput) -> Scorecard:
        return make_card(self.raw(unit), None, False, False)


def _compiled(rubric: Rubric) -> dict[str, _GroupPlan]:
    cache = rubric._cache
    plans = cache.get("plans")
    if plans is None:
        plans = cache["plans"] = {name: _GroupPlan(g.criteria) for name, g in rubric.groups.items()}
    return plans


def _scoring(rubric: Rubric, as_of: date) -> _Scoring:
    contexts: dict[date, _Scoring] = rubric._cache.setdefault("contexts", {})
    ctx = contexts.get(as_of)
    if ctx is None:
        if len(contexts) > 64:
            contexts.clear()
        ctx = contexts[as_of] = _Scoring(rubric, as_of)
    return ctx


def score_unit(rubric: Rubric, unit: UnitInput, as_of: date) -> Scorecard:
    """Score one unit as of ``as_of`` (rank ``None``, tie ``False``).

    Submissions dated after ``as_of`` are not yet known on that day and count as not submitted."""
    return _scoring(rubric, as_of).score(unit)


def finish_campaign(rubric: Rubric, as_of: date, raws: Sequence[RawCard],
                    tie_breaks: Sequence[TieBreak] = ()) -> CampaignResult:
    """Rank scored units, build their scorecards once, and award."""
    from .awards import year_end_awards
    from .ranking import rank_order

    cards = rank_order(rubric, raws, tie_breaks, fields=(2, 6, 0, None), make=make_card)
    return CampaignResult(rubric, as_of, tuple(cards), year_end_awards(rubric, cards, as_of))


def score_campaign(rubric: Rubric, units: Iterable[UnitInput], as_of: date,
                   tie_breaks: Sequence[TieBreak] = ()) -> CampaignResult:
    """Score, rank and award every unit: the whole standing as of ``as_of``.

    Unit codes must be unique (``ValueError`` otherwise)."""
    with gc_paused():
        units = units if isinstance(units, list | tuple) else list(units)
        codes = list(map(_CODE, units))
        if len(set(codes)) != len(codes):
            seen: set[str] = set()
            dup = next(c for c in codes if c in seen or seen.add(c))  # type: ignore[func-returns-value]
            raise ValueError(f"duplicate unit code {dup!r}")
        return finish_campaign(rubric, as_of, _scoring(rubric, as_of).standings(units), tie_breaks)
