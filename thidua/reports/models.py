"""A monthly report is a header row plus immutable versions; the first submission time counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from thidua.campaigns.models import Campaign
from thidua.units.models import Unit


class Report(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Chờ thẩm định"
        VERIFIED = "verified", "Đã xác nhận"
        RETURNED = "returned", "Trả lại để bổ sung"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    month = models.CharField("tháng", max_length=7)
    first_submitted_at = models.DateTimeField("nộp lần đầu")
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    current = models.ForeignKey(
        "ReportVersion", null=True, on_delete=models.PROTECT, related_name="+", verbose_name="phiên bản hiện hành"
    )
    return_reason = models.TextField("lý do trả lại", blank=True)
    reviewed_at = models.DateTimeField("thẩm định lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    untruthful = models.BooleanField("không trung thực", default=False)
    untruthful_reason = models.TextField("lý do kết luận không trung thực", blank=True)
    untruthful_at = models.DateTimeField(null=True, blank=True)
    untruthful_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["month", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "month"], name="one_report_per_unit_month")
        ]
        verbose_name = "báo cáo tháng"
        verbose_name_plural = "báo cáo tháng"

    def __str__(self) -> str:
        return f"{self.unit.name} — {self.month}"


class ReportVersion(models.Model):
    """Never updated after creation: a correction is a new version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    submitted_at = models.DateTimeField("nộp lúc")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    new_accounts = models.PositiveIntegerField("tài khoản tạo mới trong tháng")
    procedures = models.JSONField("thủ tục đã đăng ký mức độ 3, 4 (lũy kế)", default=list)
    dossiers_online = models.PositiveIntegerField("hồ sơ trực tuyến mức độ 3, 4 tiếp nhận trong tháng")
    resolved_on_time = models.PositiveIntegerField("hồ sơ trực tuyến giải quyết đúng hạn")
    due = models.PositiveIntegerField("hồ sơ trực tuyến đến hạn giải quyết")
    dossiers_in_person = models.PositiveIntegerField("hồ sơ tiếp nhận trực tiếp, bưu chính trong tháng")
    has_plan = models.BooleanField("đơn vị đã ban hành kế hoạch")
    plan_file = models.FileField("tệp kế hoạch", upload_to="plans/%Y/%m/", blank=True)
    initiatives = models.TextField("giải pháp, sáng kiến", blank=True)
    note = models.TextField("ghi chú / lý do điều chỉnh", blank=True)
    created_by_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_version_number")]
        verbose_name = "phiên bản báo cáo"
        verbose_name_plural = "phiên bản báo cáo"

    @property
    def dossiers_total(self) -> int:
        return self.dossiers_online + self.dossiers_in_person

    def stated(self) -> dict:
        """What the unit states in this version (STATED_FIELDS): what a correction must change."""
        return {name: getattr(self, name) for name in STATED_FIELDS}


# The figures, lists and texts of a version that a correction changes (besides its files and its note).
STATED_FIELDS = ("new_accounts", "dossiers_online", "resolved_on_time", "due", "dossiers_in_person", "has_plan",
                 "procedures", "initiatives")


class Attachment(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"
