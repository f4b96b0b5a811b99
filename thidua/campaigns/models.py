"""A campaign keeps its rubric as validated data; tie-breaks and closed months hang off it."""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.db import models

from thidua.core import clock
from thidua.scoring import Rubric, load_rubric

# Keyed by creation time too: a database recreated (demo reset, test rollback) reuses pk and version.
# Parsed rubrics by their JSON text: a rubric is immutable, so the text is the whole key. Keying by
# the text (not by data_version, which every report write bumps) keeps the compiled scorers warm and
# the cache small.
_RUBRIC_CACHE: dict[str, Rubric] = {}
_RUBRIC_CACHE_MAX = 16

# How Plan 211 (2021) names the online public services its figures count; since Decree 42/2022 a plan
# says "trực tuyến toàn trình, một phần". Printed after "Hồ sơ …", "Thủ tục … giải quyết …".
PLAN_211_ONLINE_WORDING = "trực tuyến mức độ 3, 4"
DECREE_42_ONLINE_WORDING = "trực tuyến toàn trình, một phần"
DECREE_42_IN_FORCE = date(2022, 8, 1)  # Decree 42/2022/NĐ-CP replaced the levels 3 and 4 by these words
ONLINE_WORDING_MAX = 80


def default_online_wording(start: date) -> str:
    """The words a campaign counts its online services by when its creator gives none: Plan 211's for a
    campaign that starts before Decree 42/2022/NĐ-CP was in force, the decree's from then on."""
    return PLAN_211_ONLINE_WORDING if start < DECREE_42_IN_FORCE else DECREE_42_ONLINE_WORDING


def online_dossiers_label(wording: str) -> str:
    """The online dossiers in a campaign's words: ``"trực tuyến mức độ 3, 4"`` -> ``"Hồ sơ trực tuyến mức độ 3, 4"``."""
    return f"Hồ sơ {wording}"


def online_procedures_label(wording: str) -> str:
    """The procedures registered for online handling, in a campaign's words."""
    return f"Thủ tục đã đăng ký giải quyết {wording}"


class Campaign(models.Model):
    class ScoreSource(models.TextChoices):
        REPORTED = "reported", "Số liệu đơn vị tự báo cáo"
        PORTAL = "portal", "Số liệu từ Cổng dịch vụ công"
        PORTAL_WHERE_PRESENT = "portal_where_present", "Số liệu Cổng nếu có, nếu không thì số liệu báo cáo"

    code = models.SlugField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=300)
    # Kept as JSON text, not a JSON column: PostgreSQL's jsonb does not keep key order, and the
    # order of the rubric's groups and criteria is the order users see.
    rubric_json = models.TextField("tiêu chí (dữ liệu JSON)")
    active = models.BooleanField("đang áp dụng", default=True)
    score_source = models.CharField(
        "nguồn số liệu chấm điểm", max_length=32, choices=ScoreSource.choices, default=ScoreSource.REPORTED
    )
    # Reported vs portal figures differing by more than this share are flagged for the reviewer.
    tolerance_percent = models.DecimalField("ngưỡng chênh lệch (%)", max_digits=5, decimal_places=2, default=5)
    # The campaign's words for the online services its figures count (labels, exports, documents).
    online_wording = models.CharField("cách gọi dịch vụ công trực tuyến", max_length=ONLINE_WORDING_MAX,
                                      default=PLAN_211_ONLINE_WORDING)
    # Bumped by every write that can change a score; scorecards are cached per version.
    data_version = models.PositiveIntegerField(default=1)
    # Real time, not the application clock: with the pk it tells apart, in the results cache, a campaign
    # recreated under the same pk (a demo reset, a test rollback).
    created_at = models.DateTimeField(auto_now_add=True)
    # When the units that took part were kept (CampaignUnit), the first time the registry changed after the
    # campaign ended; None: the campaign reads the registry as it is.
    roster_kept_at = models.DateTimeField("chốt danh sách đơn vị lúc", null=True, blank=True)

    class Meta:
        ordering = ["-active", "-created_at", "-pk"]
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"

    def __str__(self) -> str:
        return self.name

    @property
    def online_dossiers_label(self) -> str:
        """"Hồ sơ trực tuyến mức độ 3, 4": the online dossiers as this campaign's pages name them."""
        return online_dossiers_label(self.online_wording)

    @property
    def online_procedures_label(self) -> str:
        """"Thủ tục đã đăng ký giải quyết trực tuyến mức độ 3, 4": the procedures registered, as this campaign
        names them."""
        return online_procedures_label(self.online_wording)

    @property
    def rubric_data(self) -> dict:
        return json.loads(self.rubric_json)

    @rubric_data.setter
    def rubric_data(self, data: dict) -> None:
        self.rubric_json = json.dumps(data, ensure_ascii=False)

    @property
    def rubric(self) -> Rubric:
        key = self.rubric_json
        cached = _RUBRIC_CACHE.get(key)
        if cached is None:
            cached = load_rubric(self.rubric_data)
            if len(_RUBRIC_CACHE) >= _RUBRIC_CACHE_MAX:
                _RUBRIC_CACHE.clear()
            _RUBRIC_CACHE[key] = cached
        return cached


class TieBreak(models.Model):
    """The council's order for units with equal totals, and its written reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tie_breaks")
    group = models.CharField("nhóm", max_length=32)
    codes = models.JSONField("thứ tự do Hội đồng quyết định")
    total = models.IntegerField("tổng điểm bằng nhau")
    reason = models.TextField("lý do")
    decided_at = models.DateTimeField(default=clock.now, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = "quyết định phân định bằng điểm"
        verbose_name_plural = "quyết định phân định bằng điểm"


class MonthSnapshot(models.Model):
    """A closed month: the scorecards as they stood, frozen; later changes show as recalculations."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    month = models.CharField("tháng", max_length=7)
    as_of = models.DateField("tính đến ngày")
    result = models.JSONField("kết quả")
    closed_at = models.DateTimeField(default=clock.now, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["campaign", "month"], name="one_snapshot_per_month")]
        verbose_name = "tháng đã chốt"
        verbose_name_plural = "tháng đã chốt"


class CampaignUnit(models.Model):
    """A unit as it took part in a campaign that is over: its name, group, head and the month it joined, kept
    before the registry changed (a unit renamed, merged, retired or added in a later year), so that the
    campaign's rankings, scorecards, pages and documents keep saying what they said."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="roster")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    name = models.CharField("tên", max_length=200)
    group = models.CharField("nhóm thi đua", max_length=32)
    first_month = models.CharField("tham gia thi đua từ tháng", max_length=7, blank=True)
    head_name = models.CharField("thủ trưởng", max_length=120, blank=True)
    head_title = models.CharField("chức vụ thủ trưởng", max_length=120, blank=True)
    description = models.TextField("sơ lược đặc điểm, chức năng, nhiệm vụ", blank=True)
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_roster_row_per_unit")]
        verbose_name = "đơn vị tham gia phong trào"
        verbose_name_plural = "đơn vị tham gia phong trào"

    # The registry fields a roster row keeps, in the Unit's own names.
    KEPT = ("name", "group", "first_month", "head_name", "head_title", "description", "sort_order")
