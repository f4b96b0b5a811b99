"""Helpers for the scoring tests: unit factories, a made-up second rubric, snapshot files."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from thidua.scoring import ReportInput, UnitInput, load_rubric, plan_211

MONTHS = ("2021-06", "2021-07", "2021-08", "2021-09", "2021-10", "2021-11")
END = date(2021, 12, 18)


def on_time_reports(months=MONTHS) -> tuple[ReportInput, ...]:
    return tuple(ReportInput(m, date(int(m[:4]), int(m[5:]), 20)) for m in months)


def unit(code: str = "U", group: str = "commune", *, plan: bool = True, procedures: int = 1,
         accounts: int = 1500, dossiers: int | None = None, rate: Any = 98, resolved: int | None = None,
         due: int | None = None, reports: Any = None, name: str | None = None, **extra: Any) -> UnitInput:
    """A unit that scores exactly 100 in its group by default (example 1), reports on time."""
    if dossiers is None:
        dossiers = 200 if group == "commune" else 150
    if resolved is not None or due is not None:
        rate = None
    elif isinstance(rate, str):
        rate = Decimal(rate)
    elif isinstance(rate, tuple):
        rate = Fraction(*rate)
    return UnitInput(code, name or f"Đơn vị {code}", group, plan, procedures, accounts, dossiers, rate, resolved,
                     due, on_time_reports() if reports is None else tuple(reports), extra)


def contract_unit(**over: Any) -> dict[str, Any]:
    """The unit of the contract example in RULES.md, as decoded JSON."""
    data: dict[str, Any] = {
        "code": "TT-MOT-NGAN", "name": "Thị trấn Một Ngàn", "group": "commune",
        "plan": True, "procedures": 4, "accounts": 1730, "dossiers": 262,
        "resolution_rate": Decimal("99.2"),
        "reports": [
            {"month": "2021-06", "submitted": "2021-06-24"},
            {"month": "2021-07", "submitted": "2021-07-27", "untruthful": True},
        ],
    }
    data.update(over)
    return data


def full_reports() -> list[dict[str, Any]]:
    return [{"month": m, "submitted": f"{m}-20"} for m in MONTHS]


def snapshot(*units: dict[str, Any], as_of: str = "2021-12-18", **top: Any) -> dict[str, Any]:
    return {"campaign": "chau-thanh-a-2021", "as_of": as_of, "units": list(units), **top}


def other_rubric_data() -> dict[str, Any]:
    """A made-up campaign with other numbers: three groups, deadline day 10 shifted to the next
    working day, other thresholds and steps, a fractional rate threshold, custom late bands."""
    data = copy.deepcopy(plan_211().to_data())
    data["code"] = "thu-nghiem-2022"
    data["name"] = "Phong trào thi đua thử nghiệm năm 2022"
    data["campaign"] = {"start": "2022-01-01", "end": "2022-06-30"}
    data["reports"] = {
        "months": ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05"],
        "deadline_day": 10, "deadline_shift": "next_working_day", "holidays": ["2022-02-10"],
        "late_bands": [{"min_days": 1, "max_days": 2, "points": -1},
                       {"min_days": 3, "max_days": 6, "points": -3},
                       {"min_days": 7, "max_days": None, "points": -6}],
        "missing_after_days": 7, "missing_points": -8, "untruthful_points": -4,
    }
    data["eligibility"] = {"min_total": 70}
    base = data["groups"]["commune"]["criteria"]
    groups = {}
    for name, label, dossier_threshold in (("ward", "Phường", 300), ("commune", "Xã", 120),
                                          ("agency", "Cơ quan huyện", 80)):
        crits = copy.deepcopy(base)
        crits[1].update(threshold=2, base_points=12, step=2, points_per_step=3, zero_points=-10)
        crits[2].update(threshold=1000, base_points=25, step=250, points_per_step=4)
        crits[3].update(threshold=dossier_threshold, base_points=20, step=25, points_per_step=2)
        crits[4].update(threshold="95.5", base_points=8, step="0.5", points_per_step=1)
        groups[name] = {"label": label, "criteria": crits}
    data["groups"] = groups
    data["awards"] = {
        "monthly": {"groups": ["ward", "commune"], "prize_vnd": 2000000, "per_month": 1},
        "year_end": [
            {"type": "places", "key": "wards", "label": "Khen thưởng phường", "group": "ward",
             "places": [{"place": 1, "prize_vnd": 8000000, "bonus_points": 6, "individuals": 2},
                        {"place": 2, "prize_vnd": 4000000, "bonus_points": 3, "individuals": 1}]},
            {"type": "places", "key": "communes", "label": "Khen thưởng xã", "group": "commune",
             "places": [{"place": 1, "prize_vnd": 6000000}]},
            {"type": "collectives", "key": "agencies", "label": "Khen thưởng cơ quan", "group": "agency",
             "max_collectives": 2, "individuals": 4},
        ],
    }
    return data


def other_rubric():
    return load_rubric(other_rubric_data())
