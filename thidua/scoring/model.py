"""Inputs and outputs of scoring: small immutable value objects (frozen dataclasses)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from .rubric import Rubric

__all__ = [
    "CampaignResult",
    "CriterionScore",
    "Penalty",
    "ReportInput",
    "ReportStatus",
    "Scorecard",
    "TieBreak",
    "UnitInput",
]

Rate = Fraction | Decimal | int
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _check_count(name: str, value: Any, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


class ReportInput(NamedTuple):
    """One monthly report: ``month`` ``"YYYY-MM"``, first submission date (``None`` = not
    submitted) and whether a reviewer found it untruthful.

    A named tuple, not a dataclass: scoring looks reports up in memo tables by the report
    itself, and a tuple's hash is computed in C."""

    month: str
    submitted: date | None
    untruthful: bool = False


@dataclass(frozen=True, slots=True)
class UnitInput:
    """A unit's figures. The resolution rate is ``resolution_rate`` (a percentage, exact) or is
    computed from ``resolved_on_time``/``due``; give one or the other, not both.

    ``extra`` carries figures for criteria of custom rubrics whose ``input`` is not one of the
    standard fields (an addition to the documented API).

    ``first_month`` (``"YYYY-MM"``): a unit that joined the campaign after it began owes no report for
    the reporting months before it (an addition to the documented API, for units set up mid-campaign)."""

    code: str
    name: str
    group: str
    plan: bool
    procedures: int
    accounts: int
    dossiers: int
    resolution_rate: Rate | None = None
    resolved_on_time: int | None = None
    due: int | None = None
    reports: tuple[ReportInput, ...] = ()
    extra: Mapping[str, int | bool] = field(default_factory=dict, hash=False)
    first_month: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.plan, bool):
            raise TypeError(f"plan must be a bool, got {type(self.plan).__name__}")
        _check_count("procedures", self.procedures)
        _check_count("accounts", self.accounts)
        _check_count("dossiers", self.dossiers)
        rate = self.resolution_rate
        if rate is not None:
            if isinstance(rate, float | bool) or not isinstance(rate, Fraction | Decimal | int):
                raise TypeError(f"resolution_rate must be Fraction, Decimal or int, got {type(rate).__name__}")
            if not (0 <= rate <= 100):
                raise ValueError(f"resolution_rate must be within 0–100, got {rate}")
            if self.resolved_on_time is not None or self.due is not None:
                raise ValueError("give resolution_rate or resolved_on_time/due, not both")
        if (self.resolved_on_time is None) != (self.due is None):
            raise ValueError("resolved_on_time and due go together")
        _check_count("resolved_on_time", self.resolved_on_time, optional=True)
        _check_count("due", self.due, optional=True)
        if self.due is not None and self.resolved_on_time > self.due:  # type: ignore[operator]
            raise ValueError(f"resolved_on_time ({self.resolved_on_time}) exceeds due ({self.due})")
        if type(self.reports) is not tuple:
            object.__setattr__(self, "reports", tuple(self.reports))
        if self.first_month is not None and not (
                isinstance(self.first_month, str) and _MONTH.fullmatch(self.first_month)):
            raise ValueError(f"first_month must be a month YYYY-MM, got {self.first_month!r}")


@dataclass(frozen=True, slots=True)
class CriterionScore:
    key: str
    label: str
    points: int
    explanation: str
    next_milestone: str | None = None


@dataclass(frozen=True, slots=True)
class Penalty:
    month: str
    kind: Literal["late", "missing", "untruthful"]
    points: int
    days_late: int | None
    explanation: str


@dataclass(frozen=True, slots=True)
class ReportStatus:
    """``days_late``: days after the due date of the submission (late), or days past the due
    date without submission (pending, missing); 0 when on time; ``None`` when not due or not
    required (a month before the unit's ``first_month``)."""

    month: str
    due_date: date
    state: Literal["on_time", "late", "missing", "pending", "not_due", "not_required"]
    days_late: int | None
    untruthful: bool


@dataclass(frozen=True, slots=True)
class TieBreak:
    """The council's order for a set of tied units of one group, with its written reason; ``total``: the
    total they were tied at when it decided (``None``: at whatever total they tie)."""

    group: str
    codes: tuple[str, ...]
    reason: str
    total: int | None = None

    def __post_init__(self) -> None:
        if type(self.codes) is not tuple:
            object.__setattr__(self, "codes", tuple(self.codes))
        if len(set(self.codes)) != len(self.codes) or len(self.codes) < 2:
            raise ValueError("a tie-break orders at least two distinct unit codes")
        if not self.reason.strip():
            raise ValueError("a tie-break needs the council's written reason")


@dataclass(frozen=True)
class Scorecard:
    """A unit's standing. ``criteria``, ``penalties``, ``statuses`` and ``notes`` are the
    explained parts; a card made by ``score_campaign`` builds them on first access (from the
    unit's input, with the same rules), since ranking thousands of units needs only totals."""

    code: str
    name: str
    group: str
    criteria: tuple[CriterionScore, ...]
    penalties: tuple[Penalty, ...]
    statuses: tuple[ReportStatus, ...]
    total: int
    eligible: bool
    rank: int | None
    tie: bool
    tie_resolved: bool
    notes: tuple[str, ...]

    @property
    def penalty(self) -> int:
        """Sum of all penalties (≤ 0)."""
        return sum(p.points for p in self.penalties)

    @property
    def criteria_points(self) -> dict[str, int]:
        return {c.key: c.points for c in self.criteria}

    def status(self, month: str) -> ReportStatus:
        for s in self.statuses:
            if s.month == month:
                return s
        raise KeyError(month)

    def to_contract(self) -> dict[str, Any]:
        """This unit as in the ``units`` list of the ``thidua score`` JSON contract."""
        return {
            "code": self.code,
            "group": self.group,
            "criteria": {c.key: c.points for c in self.criteria},
            "penalty": self.penalty,
            "total": self.total,
            "eligible": self.eligible,
            "rank": self.rank,
            "tie": self.tie,
            "notes": list(self.notes),
        }


class _Explained:
    """A card's explained part (criteria, penalties, statuses or notes) not built yet: a
    non-data descriptor, so once built (or given to ``__init__``) the instance's own value is
    read directly. Building stores all four parts at once."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __get__(self, card: Scorecard | None, owner: type | None = None) -> Any:
        if card is None:
            return self
        values = card.__dict__
        unit = values.get("_unit")  # read before "_scoring", which a finished build pops first
        scoring = values.get("_scoring")
        if scoring is None:
            if self.name in values:  # built meanwhile by another thread
                return values[self.name]
            raise AttributeError(f"'Scorecard' object has no attribute {self.name!r}")
        criteria, penalties, statuses, notes = scoring.explain(unit)
        values.update(criteria=criteria, penalties=penalties, statuses=statuses, notes=notes)
        values.pop("_scoring", None)
        values.pop("_unit", None)
        return values[self.name]


for _name in ("criteria", "penalties", "statuses", "notes"):
    setattr(Scorecard, _name, _Explained(_name))


@dataclass(frozen=True, slots=True)
class CampaignResult:
    rubric: Rubric
    as_of: date
    scorecards: tuple[Scorecard, ...]
    awards: dict[str, Any]

    def card(self, code: str) -> Scorecard:
        for c in self.scorecards:
            if c.code == code:
                return c
        raise KeyError(code)

    def to_contract(self) -> dict[str, Any]:
        """Exactly the JSON output contract of ``thidua score`` (RULES.md)."""
        return {
            "campaign": self.rubric.code,
            "as_of": self.as_of.isoformat(),
            "units": [c.to_contract() for c in self.scorecards],
            "awards": self.awards,
        }
