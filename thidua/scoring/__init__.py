"""Scoring of Plan 211/KH-UBND style campaigns — pure Python, no Django.

See docs/ARCHITECTURE.md, "The scoring API"."""

from .awards import monthly_award_candidates, year_end_awards
from .engine import resolution_rate, score_campaign, score_unit
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
from .ranking import rank_scorecards
from .rubric import Rubric, RubricError, builtin_rubrics, get_rubric, load_rubric, plan_211, reporting_months
from .snapshot import Snapshot, SnapshotError, evaluate_snapshot, parse_snapshot

__all__ = [
    "CampaignResult",
    "CriterionScore",
    "Penalty",
    "ReportInput",
    "ReportStatus",
    "Rubric",
    "RubricError",
    "Scorecard",
    "Snapshot",
    "SnapshotError",
    "TieBreak",
    "UnitInput",
    "builtin_rubrics",
    "evaluate_snapshot",
    "get_rubric",
    "load_rubric",
    "monthly_award_candidates",
    "parse_snapshot",
    "plan_211",
    "rank_scorecards",
    "reporting_months",
    "resolution_rate",
    "score_campaign",
    "score_unit",
    "year_end_awards",
]
