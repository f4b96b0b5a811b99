"""The rubric of a campaign as typed data (pydantic v2).

A rubric says who competes (groups), how each criterion is scored, when monthly reports are
due and what lateness costs, the eligibility line and the awards. Everything a campaign may
choose is here, so a new campaign (or an administrator editing settings) needs no code change.

``load_rubric`` accepts a dict, a JSON string or a path, and raises :class:`RubricError` whose
message names the field path, e.g. ``groups.commune.criteria[3].threshold: phải ≥ 0``.
Numbers that may be fractional (rate thresholds and steps) are ``Decimal``; JSON is always read
with ``parse_float=Decimal``. ``Rubric.to_data()`` gives a JSON-able dict that round-trips.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    StrictInt,
    StrictStr,
    Tag,
    ValidationError,
)

from thidua.scoring.text import format_date, format_month

__all__ = [
    "CollectivesAward",
    "CountCriterion",
    "Criterion",
    "Group",
    "PlacesAward",
    "RateCriterion",
    "Rubric",
    "RubricError",
    "YesNoCriterion",
    "builtin_rubrics",
    "get_rubric",
    "load_rubric",
    "plan_211",
]

PLAN_211_CODE = "chau-thanh-a-2021"


class RubricError(ValueError):
    """An invalid rubric. ``problems`` lists ``(field_path, message)``; the message names them all."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{path}: {msg}" if path else msg for path, msg in self.problems))


# ---------------------------------------------------------------------------------------------
# Exact scalar types
# ---------------------------------------------------------------------------------------------


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("phải là số")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"không phải số thập phân: {value!r}") from None
    elif isinstance(value, float):
        # A float can only come from JSON decoded without parse_float=Decimal (e.g. a database
        # JSON column). repr() is the shortest text that round-trips, i.e. what was written.
        result = Decimal(repr(value))
    else:
        raise ValueError("phải là số")
    if not result.is_finite():
        raise ValueError("phải là số hữu hạn")
    return result


def _decimal_out(value: Decimal) -> int | str:
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


ExactDecimal = Annotated[Decimal, PlainValidator(_to_decimal), PlainSerializer(_decimal_out)]


def _to_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"ngày không hợp lệ {value!r} (cần dạng YYYY-MM-DD)")


IsoDate = Annotated[date, PlainValidator(_to_date), PlainSerializer(lambda d: d.isoformat())]

Key = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[StrictStr, Field(min_length=1)]
Month = Annotated[StrictStr, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
NonNegInt = Annotated[StrictInt, Field(ge=0)]
PosInt = Annotated[StrictInt, Field(ge=1)]
NonPosInt = Annotated[StrictInt, Field(le=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# Criteria
# ---------------------------------------------------------------------------------------------


class YesNoCriterion(_Model):
    """Points if the unit did it (e.g. issued its own plan), else other points."""

    type: Literal["yes_no"]
    key: Key
    label: Text
    input: Key | None = None
    description: StrictStr = ""
    points_yes: NonNegInt
    points_no: StrictInt = 0
    yes_text: Text = "có"
    no_text: Text = "không"
    action_text: StrictStr | None = None

    @property
    def input_name(self) -> str:
        return self.input or self.key


class CountCriterion(_Model):
    """``v == 0`` → ``zero_points`` (if set); ``v < threshold`` → ``below_threshold_points``;
    else ``base_points + points_per_step · ⌊(v − threshold) / step⌋``."""

    type: Literal["count"]
    key: Key
    label: Text
    input: Key | None = None
    description: StrictStr = ""
    unit_word: Text
    threshold: NonNegInt
    base_points: NonNegInt
    step: PosInt
    points_per_step: NonNegInt
    below_threshold_points: StrictInt = 0
    zero_points: StrictInt | None = None
    zero_text: StrictStr | None = None

    @property
    def input_name(self) -> str:
        return self.input or self.key


class RateCriterion(_Model):
    """A percentage ``r`` (0–100): ``r < threshold`` → ``below_threshold_points``; else
    ``base_points + points_per_step · ⌊(r − threshold) / step⌋``. Undefined ``r`` (nothing due)
    → ``undefined_points``. The rate comes from ``resolution_rate`` or ``resolved_on_time/due``."""

    type: Literal["rate"]
    key: Key
    label: Text
    description: StrictStr = ""
    unit_word: Text = "%"
    count_word: Text = "hồ sơ"
    threshold: ExactDecimal
    base_points: NonNegInt
    step: ExactDecimal = Decimal(1)
    points_per_step: NonNegInt
    below_threshold_points: StrictInt = 0
    undefined_points: StrictInt = 0


def _criterion_tag(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("type")
    return getattr(value, "type", None)


Criterion = Annotated[
    Annotated[YesNoCriterion, Tag("yes_no")]
    | Annotated[CountCriterion, Tag("count")]
    | Annotated[RateCriterion, Tag("rate")],
    Discriminator(_criterion_tag),
]


class Group(_Model):
    label: Text
    criteria: Annotated[list[Criterion], Field(min_length=1)]

    def criterion(self, key: str) -> YesNoCriterion | CountCriterion | RateCriterion:
        for crit in self.criteria:
            if crit.key == key:
                return crit
        raise KeyError(key)


# ---------------------------------------------------------------------------------------------
# Campaign, reports, eligibility
# ---------------------------------------------------------------------------------------------


class CampaignWindow(_Model):
    start: IsoDate
    end: IsoDate


class LateBand(_Model):
    min_days: PosInt
    max_days: PosInt | None = None
    points: NonPosInt


class ReportRules(_Model):
    months: Annotated[list[Month], Field(min_length=1)]
    deadline_day: Annotated[StrictInt, Field(ge=1, le=31)]
    deadline_shift: Literal["none", "next_working_day"] = "none"
    holidays: list[IsoDate] = []
    late_bands: Annotated[list[LateBand], Field(min_length=1)]
    missing_after_days: PosInt
    missing_points: NonPosInt
    untruthful_points: NonPosInt


class Eligibility(_Model):
    min_total: NonNegInt


class OnlineShareTarget(_Model):
    """The plan's target for the share of online dossiers, in percent (tracked, not scored): Plan 211's
    is 30–40%; ``max`` may be left out ("từ 50%")."""

    min: Annotated[StrictInt, Field(ge=0, le=100)]
    max: Annotated[StrictInt, Field(ge=0, le=100)] | None = None

    @property
    def text(self) -> str:
        return f"{self.min}–{self.max}%" if self.max is not None and self.max != self.min else f"từ {self.min}%"


# ---------------------------------------------------------------------------------------------
# Awards
# ---------------------------------------------------------------------------------------------


class MonthlyAward(_Model):
    label: Text = "Khen thưởng đột xuất hằng tháng"
    groups: Annotated[list[Key], Field(min_length=1)]
    prize_vnd: NonNegInt
    per_month: PosInt = 1


class Place(_Model):
    place: PosInt
    prize_vnd: NonNegInt
    bonus_points: NonNegInt = 0
    individuals: NonNegInt = 0


class PlacesAward(_Model):
    """Ranked places (1st, 2nd, 3rd…) in one group; contract key e.g. ``communes``."""

    type: Literal["places"]
    key: Key
    label: Text
    group: Key
    places: Annotated[list[Place], Field(min_length=1)]


class CollectivesAward(_Model):
    """Up to ``max_collectives`` best units of one group, plus a number of individuals."""

    type: Literal["collectives"]
    key: Key
    label: Text
    group: Key
    max_collectives: PosInt
    individuals: NonNegInt = 0


YearEndAward = Annotated[
    Annotated[PlacesAward, Tag("places")] | Annotated[CollectivesAward, Tag("collectives")],
    Discriminator(_criterion_tag),
]


class Awards(_Model):
    monthly: MonthlyAward | None = None
    year_end: list[YearEndAward] = []


# ---------------------------------------------------------------------------------------------
# The rubric
# ---------------------------------------------------------------------------------------------


class Rubric(_Model):
    schema_version: Literal[1] = 1
    code: Annotated[StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: Text
    document: StrictStr = ""
    campaign: CampaignWindow
    reports: ReportRules
    eligibility: Eligibility
    groups: Annotated[dict[Key, Group], Field(min_length=1)]
    awards: Awards = Awards()
    online_share_target: OnlineShareTarget | None = None  # none: the pages show the share without a target

    _cache: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __eq__(self, other: object) -> bool:  # private caches do not take part
        if not isinstance(other, Rubric):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    # -- convenience ------------------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """A JSON-able dict (ints, strings, lists, dicts) that ``load_rubric`` reads back equal."""
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, indent=2) + "\n"

    def group(self, name: str) -> Group:
        return self.groups[name]

    def due_date(self, month: str) -> date:
        """The due date of the report for ``month`` (``"YYYY-MM"``), shift applied."""
        dues = self._cache.get("due_dates")
        if dues is None:
            dues = {m: _due_date(self.reports, m) for m in self.reports.months}
            self._cache["due_dates"] = dues
        try:
            return dues[month]
        except KeyError:
            raise KeyError(f"{month} is not a reporting month of {self.code}") from None

    def is_final(self, as_of: date) -> bool:
        """True once the campaign's last day is reached (standings are no longer provisional)."""
        return as_of >= self.campaign.end


def _due_date(rules: ReportRules, month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, mon)[1]
    due = date(year, mon, min(rules.deadline_day, last))
    if rules.deadline_shift == "next_working_day":
        holidays = set(rules.holidays)
        while due.weekday() >= 5 or due in holidays:
            due += timedelta(days=1)
    return due


def reporting_months(rules: ReportRules, start: date, end: date) -> list[str]:
    """The months (``"YYYY-MM"``) whose report falls due between ``start`` and ``end`` inclusive:
    the reporting months of a campaign run over that window (Plan 211: June to November 2021)."""
    months: list[str] = []
    year, mon = start.year, start.month
    while (year, mon) <= (end.year, end.month):
        month = f"{year:04d}-{mon:02d}"
        if start <= _due_date(rules, month) <= end:
            months.append(month)
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return months


# ---------------------------------------------------------------------------------------------
# Loading and cross-field validation
# ---------------------------------------------------------------------------------------------

_TAGS = {"yes_no", "count", "rate", "places", "collectives"}


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    prev: Any = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(prev, int) and part in _TAGS:
            pass  # discriminator tag inserted by pydantic
        else:
            out += ("." if out else "") + str(part)
        prev = part
    return out


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    simple = {
        "missing": "thiếu trường bắt buộc",
        "extra_forbidden": "trường không được phép (không có trong lược đồ)",
        "int_type": "phải là số nguyên",
        "string_type": "phải là chuỗi",
        "bool_type": "phải là true hoặc false",
        "dict_type": "phải là đối tượng",
        "model_type": "phải là đối tượng",
        "model_attributes_type": "phải là đối tượng",
        "list_type": "phải là danh sách",
        "string_pattern_mismatch": "không đúng định dạng",
        "union_tag_not_found": 'thiếu trường "type"',
    }
    if kind in simple:
        return simple[kind]
    if kind == "greater_than_equal":
        return f"phải ≥ {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"phải ≤ {ctx.get('le')}"
    if kind == "string_too_short":
        return "không được để trống"
    if kind == "too_short":
        return f"phải có ít nhất {ctx.get('min_length')} phần tử"
    if kind == "literal_error":
        return f"phải là một trong: {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return f"loại {ctx.get('tag')!r} không hợp lệ; cần một trong: {ctx.get('expected_tags')}"
    if kind == "value_error":
        msg = str(err["msg"])
        return msg.removeprefix("Value error, ")
    return str(err["msg"])


def _cross_check(r: Rubric) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    add = problems.append
    if r.campaign.end < r.campaign.start:
        add(("campaign.end", f"ngày kết thúc {format_date(r.campaign.end)} trước ngày bắt đầu "
                             f"{format_date(r.campaign.start)}"))
    months = r.reports.months
    seen: set[str] = set()
    for i, m in enumerate(months):
        if m in seen:
            add((f"reports.months[{i}]", f"{format_month(m)} bị lặp"))
        seen.add(m)
        if i and m <= months[i - 1]:
            add((f"reports.months[{i}]", "các tháng phải theo thứ tự tăng dần"))
        due = _due_date(r.reports, m)
        if not (r.campaign.start <= due <= r.campaign.end):
            add((f"reports.months[{i}]", f"hạn báo cáo {format_date(due)} nằm ngoài thời gian thi đua"))
    bands = r.reports.late_bands
    expected = 1
    for i, band in enumerate(bands):
        path = f"reports.late_bands[{i}]"
        if band.min_days != expected:
            add((f"{path}.min_days", f"phải bằng {expected} (các mức trễ phải liền nhau, bắt đầu từ 1 ngày)"))
        last = i == len(bands) - 1
        if band.max_days is None:
            if not last:
                add((f"{path}.max_days", "chỉ mức cuối cùng được để trống (không giới hạn)"))
            break
        if band.max_days < band.min_days:
            add((f"{path}.max_days", f"phải ≥ số ngày trễ đầu của mức này ({band.min_days})"))
        if last:
            add((f"{path}.max_days", "mức cuối cùng phải để trống (không giới hạn trên)"))
        expected = band.max_days + 1
    for i in range(1, len(bands)):
        if bands[i].points > bands[i - 1].points:
            add((f"reports.late_bands[{i}].points", "trễ lâu hơn không được bị trừ ít điểm hơn"))
    for name, group in r.groups.items():
        keys: set[str] = set()
        inputs: set[str] = set()
        rates = 0
        for i, crit in enumerate(group.criteria):
            path = f"groups.{name}.criteria[{i}]"
            if crit.key in keys:
                add((f"{path}.key", f"khóa {crit.key!r} bị lặp trong nhóm"))
            keys.add(crit.key)
            if isinstance(crit, RateCriterion):
                rates += 1
                if rates > 1:
                    add((f"{path}.type", "mỗi nhóm chỉ có một tiêu chí tỷ lệ"))
                if not (0 <= crit.threshold <= 100):
                    add((f"{path}.threshold", f"phải trong khoảng 0–100 (đang là {crit.threshold})"))
                if crit.step <= 0:
                    add((f"{path}.step", "phải > 0"))
                if crit.below_threshold_points > crit.base_points:
                    add((f"{path}.below_threshold_points",
                         f"không được lớn hơn điểm khi đạt ngưỡng ({crit.base_points})"))
                continue
            if crit.input_name in inputs:
                add((f"{path}.input", f"số liệu {crit.input_name!r} đã dùng cho tiêu chí khác"))
            inputs.add(crit.input_name)
            if isinstance(crit, CountCriterion):
                if crit.threshold > 0 and crit.below_threshold_points > crit.base_points:
                    add((f"{path}.below_threshold_points",
                         f"không được lớn hơn điểm khi đạt ngưỡng ({crit.base_points})"))
                if crit.zero_points is not None:
                    floor = crit.base_points if crit.threshold <= 1 else crit.below_threshold_points
                    if crit.zero_points > floor:
                        add((f"{path}.zero_points", f"không được lớn hơn điểm khi có số liệu ({floor})"))
            elif crit.points_no > crit.points_yes:
                add((f"{path}.points_no", f"không được lớn hơn điểm khi có ({crit.points_yes})"))
    target = r.online_share_target
    if target is not None and target.max is not None and target.max < target.min:
        add(("online_share_target.max", f"không được nhỏ hơn mức tối thiểu ({target.min})"))
    monthly = r.awards.monthly
    if monthly is not None:
        for i, g in enumerate(monthly.groups):
            if g not in r.groups:
                add((f"awards.monthly.groups[{i}]", f"không có nhóm {g!r}"))
    award_keys: set[str] = set()
    for i, award in enumerate(r.awards.year_end):
        path = f"awards.year_end[{i}]"
        if award.key in award_keys:
            add((f"{path}.key", f"khóa {award.key!r} bị lặp"))
        award_keys.add(award.key)
        if award.group not in r.groups:
            add((f"{path}.group", f"không có nhóm {award.group!r}"))
        if isinstance(award, PlacesAward):
            for j, place in enumerate(award.places):
                if place.place != j + 1:
                    add((f"{path}.places[{j}].place", f"phải bằng {j + 1} (các hạng liên tiếp từ 1)"))
    return problems


def load_rubric(data: Mapping[str, Any] | str | Path) -> Rubric:
    """Validate a rubric given as a dict, a JSON string or a path to a JSON file."""
    if isinstance(data, Path) or (isinstance(data, str) and not data.lstrip().startswith("{")):
        try:
            text = Path(data).read_text(encoding="utf-8")
        except OSError as exc:
            raise RubricError([("", f"không đọc được tệp tiêu chí {str(data)!r}: {exc.strerror}")]) from None
        data = text
    if isinstance(data, str):
        try:
            data = json.loads(data, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise RubricError([("", f"JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}")]) from None
    if not isinstance(data, Mapping):
        raise RubricError([("", "tiêu chí phải là một đối tượng JSON")])
    try:
        rubric = Rubric.model_validate(dict(data))
    except ValidationError as exc:
        raise RubricError([(_path(e["loc"]), _message(e)) for e in exc.errors()]) from None
    problems = _cross_check(rubric)
    if problems:
        raise RubricError(problems)
    return rubric


# ---------------------------------------------------------------------------------------------
# Built-in rubrics
# ---------------------------------------------------------------------------------------------


@cache
def builtin_rubrics() -> dict[str, Rubric]:
    """The rubrics shipped in ``thidua/scoring/rubrics/*.json``, by campaign code."""
    out: dict[str, Rubric] = {}
    folder = resources.files("thidua.scoring") / "rubrics"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            rubric = load_rubric(entry.read_text(encoding="utf-8"))
            out[rubric.code] = rubric
    return out


def get_rubric(code: str) -> Rubric:
    """A built-in rubric by campaign code (``KeyError`` if unknown)."""
    return builtin_rubrics()[code]


def plan_211() -> Rubric:
    """The Plan 211/KH-UBND rubric (Châu Thành A, 2021), loaded once from its data file."""
    return get_rubric(PLAN_211_CODE)
