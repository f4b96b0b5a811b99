"""Reads on campaigns: the list an administrator chooses from, with what each still lacks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.http import Http404

from thidua.campaigns.models import Campaign
from thidua.scoring.text import format_month
from thidua.units.models import Unit


class NoActiveCampaign(Http404):
    """No campaign is applied yet (a new installation): the 404 page says so and points an
    administrator to the campaign list."""

    def __init__(self) -> None:
        super().__init__("Chưa có phong trào thi đua nào đang áp dụng.")


@dataclass(frozen=True)
class GroupCount:
    key: str
    label: str
    units: int  # active units of the registry in the group


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    document: str
    start: date
    end: date
    months: list[str]
    groups: list[GroupCount]

    @property
    def months_text(self) -> str:
        """"tháng 6/2021 – tháng 11/2021 (6 tháng)"."""
        if len(self.months) == 1:
            return format_month(self.months[0])
        return f"{format_month(self.months[0])} – {format_month(self.months[-1])} ({len(self.months)} tháng)"

    @property
    def empty_groups(self) -> list[GroupCount]:
        return [g for g in self.groups if not g.units]


def campaign_rows() -> list[CampaignRow]:
    """Every campaign, the one applied first, each with its window and the registry's units per group."""
    counts = dict(Unit.objects.competing().values("group")
                  .annotate(n=Count("pk")).values_list("group", "n"))
    rows = []
    for campaign in Campaign.objects.all():
        rubric = campaign.rubric
        rows.append(CampaignRow(
            campaign=campaign, document=rubric.document, start=rubric.campaign.start, end=rubric.campaign.end,
            months=list(rubric.reports.months),
            groups=[GroupCount(key, group.label, counts.get(key, 0)) for key, group in rubric.groups.items()],
        ))
    return rows


def active_campaign() -> Campaign | None:
    """The campaign the pages show: the newest of the active ones (activating one stops the others)."""
    return Campaign.objects.filter(active=True).order_by("-created_at", "-pk").first()


def active_group_names() -> dict[str, str]:
    """The active campaign's competition groups by key, as it names them ({"commune": "Xã, thị trấn"});
    empty without an active campaign."""
    campaign = active_campaign()
    return {key: group.label for key, group in campaign.rubric.groups.items()} if campaign else {}
