"""Reads on campaigns: the list an administrator chooses from, with what each still lacks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.http import Http404

from thidua.campaigns.models import Campaign
from thidua.scoring.text import format_month
from thidua.units.models import Unit

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what Campaign.code (a SlugField) can hold


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


class UnknownCampaign(Http404):
    """A campaign code in an address (``?phong-trao=…``) that names no campaign: a Vietnamese 404."""

    def __init__(self, code: str) -> None:
        shown = code if len(code) <= 64 and code.isprintable() else code[:64].encode("unicode_escape").decode()
        super().__init__(f"Không có phong trào thi đua mã «{shown}».")


def campaign_by_code(code: str) -> Campaign:
    """The campaign of that code, applied or not (a past one is read from its pages); UnknownCampaign
    otherwise. A code that cannot be a campaign's (too long, not a slug) is not looked up."""
    campaign = None
    if len(code) <= Campaign._meta.get_field("code").max_length and _SLUG.fullmatch(code):
        campaign = Campaign.objects.filter(code=code).first()
    if campaign is None:
        raise UnknownCampaign(code)
    return campaign


def is_applied(campaign: Campaign) -> bool:
    """Whether ``campaign`` is the one applied for everyone (active_campaign()): more than one may be marked active
    (a campaign created active beside another), the newest of them is the one the pages show."""
    if not campaign.active:
        return False
    applied = Campaign.objects.filter(active=True).order_by("-created_at", "-pk").values_list("pk", flat=True)
    return applied.first() == campaign.pk


@dataclass(frozen=True)
class CampaignChoice:
    code: str
    name: str
    applied: bool
    start: date
    end: date


def campaign_choices() -> list[CampaignChoice]:
    """The campaigns a reader can open, the applied one first, then the newest: (code, name, window)."""
    choices = []
    # Meta.ordering: the active ones first, newest first (the first is the one applied), then the others
    for i, campaign in enumerate(Campaign.objects.all()):
        window = campaign.rubric.campaign
        choices.append(CampaignChoice(campaign.code, campaign.name, i == 0 and campaign.active, window.start,
                                      window.end))
    return choices


def active_group_names() -> dict[str, str]:
    """The active campaign's competition groups by key, as it names them ({"commune": "Xã, thị trấn"});
    empty without an active campaign."""
    campaign = active_campaign()
    return {key: group.label for key, group in campaign.rubric.groups.items()} if campaign else {}


def settings_shown(campaign: Campaign) -> str:
    """A digest of the campaign's settings as its settings page shows them (the rubric, the score source, the
    tolerance, the online wording): the page carries it, so that a page opened before another change to them is
    not saved over it (campaigns.services.campaign_settings_check)."""
    tolerance = Decimal(campaign.tolerance_percent).quantize(Decimal("0.01"))  # 5 as set, 5.00 as read back
    text = "\n".join([campaign.rubric_json, campaign.score_source, str(tolerance), campaign.online_wording])
    return hashlib.sha256(text.encode()).hexdigest()[:32]
