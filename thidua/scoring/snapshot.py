"""Reading and validating a results snapshot (the input of ``thidua score``).

``parse_snapshot`` turns decoded JSON (decoded with ``parse_float=Decimal``) into typed inputs,
collecting every problem, each as one Vietnamese line naming the unit and the field, e.g.
``đơn vị X-TAN-HOA, trường "due": resolved_on_time (60) lớn hơn due (50)``."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._gc import gc_paused
from .engine import NO_RATE, RawCard, _Scoring, _scoring, finish_campaign, rate_key, score_campaign
from .model import CampaignResult, ReportInput, TieBreak, UnitInput
from .rubric import PLAN_211_CODE, CountCriterion, Rubric, YesNoCriterion, builtin_rubrics
from .text import format_decimal, format_int

__all__ = ["Snapshot", "SnapshotError", "decode_snapshot", "evaluate_snapshot", "parse_snapshot"]

_TOP_KEYS = frozenset({"campaign", "as_of", "units", "tie_breaks"})
_UNIT_KEYS = frozenset({"code", "name", "group", "plan", "procedures", "accounts", "dossiers",
                        "resolution_rate", "resolved_on_time", "due", "reports"})
_REPORT_KEYS = frozenset({"month", "submitted", "untruthful"})
_COUNT_FIELDS = ("procedures", "accounts", "dossiers")
_NO_REPORTS: list[Any] = []
_UNIT_KEYS_EMPTY: frozenset[str] = frozenset()
_JSON_TYPES = {dict: "đối tượng", list: "mảng", str: "chuỗi", bool: "true/false", type(None): "null",
               int: "số", Decimal: "số", float: "số"}


class SnapshotError(ValueError):
    """Bad input: ``problems`` holds one Vietnamese line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Snapshot:
    rubric: Rubric
    as_of: date
    units: tuple[UnitInput, ...]
    tie_breaks: tuple[TieBreak, ...] = ()

    def score(self) -> CampaignResult:
        return score_campaign(self.rubric, self.units, self.as_of, self.tie_breaks)


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return format_int(value)
    if isinstance(value, Decimal) and value.is_finite():
        return format_decimal(value)
    return str(value)


def _parse_date(value: Any) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _count_problem(value: Any) -> str | None:
    if type(value) is int:
        return None if value >= 0 else f"không được âm ({format_int(value)})"
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return f"phải là số nguyên, nhận được {_show(value)}"
    return f"phải là số nguyên không âm, nhận được {_kind(value)} {_show(value)}"


def decode_snapshot(text: str) -> Any:
    """JSON text → Python data, decimals exact; malformed JSON → SnapshotError with line/col."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise SnapshotError([f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise SnapshotError(["JSON lồng nhau quá sâu"]) from None
    except ValueError:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        raise SnapshotError([f"JSON không hợp lệ: có số dài quá {sys.get_int_max_str_digits()} chữ số"]) from None


class _ReportParser:
    """Validates report items. The outcome of a raw ``(month, submitted, untruthful)`` triple is
    memoised: ``(month index, ReportInput, scoring outcome or None)`` or a list of problems."""

    def __init__(self, rubric: Rubric | None, as_of: date | None):
        self.months = rubric.reports.months if rubric else None
        self.month_index = {m: i for i, m in enumerate(self.months)} if self.months else None
        self.as_of = as_of
        self.ctx = _scoring(rubric, as_of) if rubric is not None and as_of is not None else None
        self.memo: dict[tuple[Any, Any, Any], Any] = {}

    def build(self, month: Any, submitted: Any, untruthful: Any) -> Any:
        problems: list[tuple[str, str]] = []
        index = -1
        if not isinstance(month, str):
            problems.append(("month", "thiếu trường bắt buộc" if month is None
                             else f"phải là chuỗi YYYY-MM, nhận được {_kind(month)} {_show(month)}"))
        elif self.month_index is not None:
            if month not in self.month_index:
                assert self.months
                problems.append(("month", f"{_show(month)} không phải tháng báo cáo của chiến dịch "
                                          f"({self.months[0]} … {self.months[-1]})"))
            else:
                index = self.month_index[month]
        sub: date | None = None
        if submitted is not None:
            sub = _parse_date(submitted)
            if sub is None:
                problems.append(("submitted", f"ngày không hợp lệ {_show(submitted)} (cần dạng YYYY-MM-DD)"))
            elif self.as_of is not None and sub > self.as_of:
                problems.append(("submitted", f"ngày nộp {submitted} sau ngày tính điểm as_of "
                                              f"{self.as_of.isoformat()}"))
        if untruthful is None:
            untruthful = False
        elif not isinstance(untruthful, bool):
            problems.append(("untruthful", f"phải là true hoặc false, nhận được {_show(untruthful)}"))
        elif untruthful and submitted is None:
            problems.append(("untruthful", "báo cáo chưa nộp thì không thể bị kết luận không trung thực"))
        if problems:
            return problems
        report = ReportInput(month, sub, untruthful)
        outcome = self.ctx.outcome(month, sub, untruthful) if self.ctx is not None else None
        return (index, report, outcome)

    def get(self, month: Any, submitted: Any, untruthful: Any) -> Any:
        if not (type(month) is str and (submitted is None or type(submitted) is str)
                and (untruthful is None or untruthful is True or untruthful is False)):
            return self.build(month, submitted, untruthful)  # odd values: no memo (1 == True)
        key = (month, submitted, untruthful)
        out = self.memo.get(key)
        if out is None:
            out = self.memo[key] = self.build(month, submitted, untruthful)
        return out


def _rate_value(value: Any) -> tuple[Fraction | Decimal | int | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return None, f"phải là số từ 0 đến 100, nhận được {_kind(value)} {_show(value)}"
    if isinstance(value, float):
        value = Decimal(repr(value))  # decoded without parse_float: repr is the written text
    if isinstance(value, Decimal) and not value.is_finite():
        return None, f"phải là số hữu hạn, nhận được {value}"
    if not (0 <= value <= 100):
        return None, f"tỷ lệ {_show(value)} nằm ngoài khoảng 0–100"
    return value, None


# A validated unit: (raw dict, code, name, group, rate, resolved, due, extra, reports) where
# reports are (month index, ReportInput, outcome) with one entry per submitted month.
_Record = tuple[dict[str, Any], str, str, str, Any, Any, Any, dict[str, Any], list[tuple[int, ReportInput, Any]]]


def _validate(data: Any, rubrics: Mapping[str, Rubric] | None, evaluate: bool = False
              ) -> tuple[Rubric, date, list[Any], list[TieBreak]]:
    """Check everything; return records (or, with ``evaluate``, scored RawCards) and tie-breaks."""
    if rubrics is None:
        rubrics = builtin_rubrics()
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SnapshotError([f"dữ liệu vào phải là một đối tượng JSON {{…}}, nhận được {_kind(data)}"])
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"trường {_show(key)}: không có trong định dạng đầu vào "
                            f"(chỉ có: campaign, as_of, units, tie_breaks)")
    rubric: Rubric | None = None
    code = data.get("campaign", PLAN_211_CODE)
    if not isinstance(code, str):
        problems.append(f'trường "campaign": phải là chuỗi mã chiến dịch, nhận được {_kind(code)}')
    elif code not in rubrics:
        known = ", ".join(sorted(rubrics))
        problems.append(f'trường "campaign": không biết chiến dịch {_show(code)} (có: {known})')
    else:
        rubric = rubrics[code]
    as_of: date | None = None
    if "as_of" not in data:
        problems.append('trường "as_of": thiếu trường bắt buộc (ngày tính điểm, dạng YYYY-MM-DD)')
    else:
        as_of = _parse_date(data["as_of"])
        if as_of is None:
            problems.append(f'trường "as_of": ngày không hợp lệ {_show(data["as_of"])} (cần dạng YYYY-MM-DD)')
    raw_units = data.get("units")
    if raw_units is None:
        problems.append('trường "units": thiếu trường bắt buộc (danh sách đơn vị)')
        raw_units = []
    elif not isinstance(raw_units, list):
        problems.append(f'trường "units": phải là mảng, nhận được {_kind(raw_units)}')
        raw_units = []
    ctx = _scoring(rubric, as_of) if evaluate and rubric is not None and as_of is not None else None
    records = _parse_units(raw_units, rubric, as_of, problems, ctx)
    groups = {r[0]: r[2] for r in records} if ctx is not None else {r[1]: r[3] for r in records}
    tie_breaks = _parse_tie_breaks(data.get("tie_breaks", []), groups, problems)
    if problems:
        raise SnapshotError(problems)
    assert rubric is not None and as_of is not None
    return rubric, as_of, records, tie_breaks


def parse_snapshot(data: Any, rubrics: Mapping[str, Rubric] | None = None) -> Snapshot:
    """Validate decoded JSON against the contract into typed inputs; raise SnapshotError listing
    every problem. ``rubrics`` maps campaign codes to rubrics (default: the built-in ones)."""
    with gc_paused():
        rubric, as_of, records, tie_breaks = _validate(data, rubrics)
        units = tuple([
            UnitInput(code, name, group, raw["plan"], raw["procedures"], raw["accounts"], raw["dossiers"],
                      rate, resolved, due, tuple([r[1] for r in reports]), extra)
            for raw, code, name, group, rate, resolved, due, extra, reports in records
        ])
    return Snapshot(rubric, as_of, units, tuple(tie_breaks))


def evaluate_snapshot(data: Any, rubrics: Mapping[str, Rubric] | None = None) -> CampaignResult:
    """Validate and score decoded JSON in one pass — what ``thidua score`` does after reading.

    Same validation and the same result as ``parse_snapshot(data).score()``, without building
    intermediate UnitInput objects."""
    with gc_paused():
        rubric, as_of, raws, tie_breaks = _validate(data, rubrics, evaluate=True)
        return finish_campaign(rubric, as_of, raws, tie_breaks)


def _record_raw(ctx: _Scoring, record: _Record) -> RawCard:
    raw, code, name, group, rate, resolved, due, _extra, reports = record
    ratekey = rate_key(rate, resolved, due)
    criteria = tuple([memo[v] if v in memo else fill(v)
                      for memo, fill, v in ((m, f, ratekey if field is None else raw[field])
                                            for m, f, field in ctx.plans[group].entries)])
    outcomes = list(ctx.unsubmitted)
    for index, _report, outcome in reports:
        outcomes[index] = outcome
    return ctx.assemble(code, name, group, criteria, outcomes)


def _parse_units(raw_units: list[Any], rubric: Rubric | None, as_of: date | None,
                 problems: list[str], ctx: _Scoring | None = None) -> list[Any]:
    """Validate units into records; with a scoring context, score them into RawCards at once."""
    groups = rubric.groups if rubric else None
    group_names = ", ".join(groups) if groups else ""
    # custom rubrics may score other figures than the standard ones
    extra_inputs: dict[str, dict[str, str]] = {}
    allowed: dict[str, frozenset[str]] = {}
    if groups:
        for gname, g in groups.items():
            extra_inputs[gname] = {
                c.input_name: c.type for c in g.criteria
                if isinstance(c, YesNoCriterion | CountCriterion) and c.input_name not in _UNIT_KEYS
            }
            allowed[gname] = _UNIT_KEYS | frozenset(extra_inputs[gname])
    parser = _ReportParser(rubric, as_of)
    rget, rmemo = parser.get, parser.memo
    first_index: dict[str, int] = {}
    records: list[Any] = []
    no_extra: dict[str, Any] = {}
    if ctx is not None:
        entries = {g: plan.entries for g, plan in ctx.plans.items()}
        unsubmitted = ctx.unsubmitted
        assemble = ctx.assemble
    fast_groups = {g: keys for g, keys in allowed.items() if not extra_inputs[g]}
    report_keys = _REPORT_KEYS
    for index, raw in enumerate(raw_units):
        # Fast path: a well-formed unit is accepted with a handful of type checks; anything else
        # (including every problem) goes through the detailed checks below, which decide.
        if type(raw) is dict:
            get = raw.get
            code, group, rate, resolved, due = get("code"), get("group"), get("resolution_rate"), \
                get("resolved_on_time"), get("due")
            name = get("name", code)
            p, a, d = get("procedures"), get("accounts"), get("dossiers")
            reps = get("reports", _NO_REPORTS)
            if (type(code) is str and type(group) is str and type(name) is str
                    and code not in first_index
                    and raw.keys() <= fast_groups.get(group, _UNIT_KEYS_EMPTY)
                    and type(get("plan")) is bool
                    and type(p) is int and p >= 0 and type(a) is int and a >= 0 and type(d) is int and d >= 0
                    and ((rate is None and ((due is None and resolved is None)
                                            or (type(due) is int and type(resolved) is int and 0 <= resolved <= due)))
                         or (((type(rate) is Decimal and rate.is_finite()) or type(rate) is int)
                         and 0 <= rate <= 100 and due is None and resolved is None))
                    and type(reps) is list and code.strip()):
                outs = []
                seen = 0
                for item in reps:
                    if type(item) is not dict or not item.keys() <= report_keys:
                        break
                    u = item.get("untruthful")
                    if not (u is None or u is True or u is False):
                        break
                    out = rmemo.get((item.get("month"), item.get("submitted"), u))
                    if out is None:
                        out = rget(item.get("month"), item.get("submitted"), u)
                    if type(out) is not tuple or seen & (1 << out[0]):
                        break
                    seen |= 1 << out[0]
                    outs.append(out)
                else:
                    first_index[code] = index
                    if ctx is None:
                        records.append((raw, code, name, group, rate, resolved, due, no_extra, outs))
                        continue
                    ratekey = (NO_RATE if due is None else ("counts", resolved, due)) if rate is None \
                        else ("rate", rate)
                    criteria = []
                    for cmemo, fill, field in entries[group]:
                        v = ratekey if field is None else raw[field]
                        cs = cmemo.get(v)
                        criteria.append(fill(v) if cs is None else cs)
                    outcomes = list(unsubmitted)
                    for out in outs:
                        outcomes[out[0]] = out[2]
                    records.append(assemble(code, name, group, tuple(criteria), outcomes))
                    continue
        if type(raw) is not dict:
            problems.append(f"đơn vị thứ {index + 1}: phải là đối tượng JSON, nhận được {_kind(raw)}")
            continue
        get = raw.get
        code = get("code")
        bad: list[tuple[str, str]] = []
        if type(code) is str and code.strip():
            label = code
            if code in first_index:
                bad.append(("code", f"mã đơn vị trùng với đơn vị thứ {first_index[code] + 1}"))
            else:
                first_index[code] = index
        else:
            label = f"thứ {index + 1}"
            bad.append(("code", "thiếu trường bắt buộc" if code is None
                        else f"phải là chuỗi khác rỗng, nhận được {_kind(code)} {_show(code)}"))
        name = get("name", code)
        if type(name) is not str:
            bad.append(("name", f"phải là chuỗi, nhận được {_kind(name)}"))
        group = get("group")
        extra_keys = no_extra
        keys_ok = allowed.get(group) if type(group) is str else None
        if keys_ok is not None:
            extra_keys = extra_inputs[group]
        elif type(group) is not str:
            bad.append(("group", "thiếu trường bắt buộc" if group is None
                        else f"phải là chuỗi, nhận được {_kind(group)} {_show(group)}"))
        elif groups is not None:
            bad.append(("group", f"nhóm {_show(group)} không có trong chiến dịch (có: {group_names})"))
        if not raw.keys() <= (keys_ok or _UNIT_KEYS):
            for key in raw:
                if key not in _UNIT_KEYS and key not in extra_keys:
                    bad.append((key, "không có trong định dạng đầu vào"))
        plan = get("plan")
        if type(plan) is not bool:
            bad.append(("plan", "thiếu trường bắt buộc" if plan is None
                        else f"phải là true hoặc false, nhận được {_kind(plan)} {_show(plan)}"))
        for field in _COUNT_FIELDS:
            value = get(field)
            if type(value) is not int or value < 0:
                bad.append((field, "thiếu trường bắt buộc" if value is None else _count_problem(value) or ""))
        extra: dict[str, Any] = no_extra
        if extra_keys:
            extra = {}
            for key, kind in extra_keys.items():
                value = get(key)
                if kind == "yes_no":
                    if type(value) is not bool:
                        bad.append((key, "thiếu trường bắt buộc" if value is None
                                    else f"phải là true hoặc false, nhận được {_show(value)}"))
                    else:
                        extra[key] = value
                elif value is None:
                    bad.append((key, "thiếu trường bắt buộc"))
                else:
                    msg = _count_problem(value)
                    if msg:
                        bad.append((key, msg))
                    else:
                        extra[key] = value
        rate = get("resolution_rate")
        resolved = get("resolved_on_time")
        due = get("due")
        if rate is not None:
            if not (((type(rate) is Decimal and rate.is_finite()) or type(rate) is int) and 0 <= rate <= 100):
                rate, msg = _rate_value(rate)
                if msg:
                    bad.append(("resolution_rate", msg))
            if resolved is not None or due is not None:
                bad.append(("resolution_rate", "chỉ được cho một trong hai: resolution_rate hoặc "
                                               "resolved_on_time và due"))
        if resolved is not None or due is not None:
            ok = True
            for field, value in (("resolved_on_time", resolved), ("due", due)):
                if value is None:
                    other = "due" if field == "resolved_on_time" else "resolved_on_time"
                    bad.append((field, f"thiếu trường bắt buộc (đi kèm {other})"))
                    ok = False
                elif type(value) is not int or value < 0:
                    bad.append((field, _count_problem(value) or ""))
                    ok = False
            if ok and resolved > due:
                bad.append(("due", f"resolved_on_time ({format_int(resolved)}) lớn hơn due ({format_int(due)})"))
        raw_reports = get("reports", ())
        reports: list[tuple[int, ReportInput, Any]] = []
        if type(raw_reports) is not list:
            if raw_reports != ():
                bad.append(("reports", f"phải là mảng, nhận được {_kind(raw_reports)}"))
        else:
            seen_months: dict[str, int] = {}
            for j, item in enumerate(raw_reports):
                if type(item) is not dict:
                    bad.append((f"reports[{j}]", f"phải là đối tượng JSON, nhận được {_kind(item)}"))
                    continue
                if not item.keys() <= _REPORT_KEYS:
                    for key in item:
                        if key not in _REPORT_KEYS:
                            bad.append((f"reports[{j}].{key}", "không có trong định dạng đầu vào"))
                out = rget(item.get("month"), item.get("submitted"), item.get("untruthful"))
                if type(out) is tuple:
                    month = out[1].month
                    if month in seen_months:
                        bad.append((f"reports[{j}].month", f"tháng {month} đã có ở reports[{seen_months[month]}]"
                                                           " (chỉ ghi lần nộp đầu tiên)"))
                    else:
                        seen_months[month] = j
                        reports.append(out)
                else:
                    bad.extend((f"reports[{j}].{f}", m) for f, m in out)
        if bad:
            problems.extend(f'đơn vị {label}, trường "{f}": {m}' for f, m in bad)
            continue
        record = (raw, code, name, group, rate, resolved, due, extra, reports)
        records.append(record if ctx is None else _record_raw(ctx, record))
    return records


def _parse_tie_breaks(raw: Any, groups: dict[str, str], problems: list[str]) -> list[TieBreak]:
    if not isinstance(raw, list):
        problems.append(f'trường "tie_breaks": phải là mảng, nhận được {_kind(raw)}')
        return []
    out: list[TieBreak] = []
    for i, item in enumerate(raw):
        where = f'trường "tie_breaks[{i}]'
        if not isinstance(item, dict):
            problems.append(f'{where}": phải là đối tượng JSON')
            continue
        group, codes, reason = item.get("group"), item.get("codes"), item.get("reason")
        ok = True
        if not isinstance(group, str):
            problems.append(f'{where}.group": phải là chuỗi tên nhóm')
            ok = False
        if not (isinstance(codes, list) and len(codes) >= 2 and all(isinstance(c, str) for c in codes)
                and len(set(codes)) == len(codes)):
            problems.append(f'{where}.codes": phải là mảng từ 2 mã đơn vị khác nhau trở lên')
            ok = False
        else:
            for code in codes:
                if code not in groups:
                    problems.append(f'{where}.codes": không có đơn vị {_show(code)}')
                    ok = False
                elif isinstance(group, str) and groups[code] != group:
                    problems.append(f'{where}.codes": đơn vị {code} không thuộc nhóm {_show(group)}')
                    ok = False
        if not (isinstance(reason, str) and reason.strip()):
            problems.append(f'{where}.reason": cần ghi lý do của hội đồng')
            ok = False
        for key in item:
            if key not in ("group", "codes", "reason"):
                problems.append(f'{where}.{key}": không có trong định dạng đầu vào')
                ok = False
        if ok:
            out.append(TieBreak(group, tuple(codes), reason))
    return out
