"""Awards: the monthly decision, the year-end proposal list and nominations, the dossier tracker."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models

from thidua.campaigns.models import Campaign
from thidua.documents.reward import ISSUER_KINDS
from thidua.units.models import Unit


class MonthlyAwardQuerySet(models.QuerySet):
    def in_force(self):
        """The awards not revoked: at most one per campaign and month."""
        return self.filter(revoked_at__isnull=True)


FLAG_FOLLOW_UP = "Cần Trưởng phòng Nội vụ xem xét."
_FINDING_PREFIX = re.compile(r"^\s*phúc\s+tra\s*[:.,–—-]?\s*", re.IGNORECASE)


def finding_without_prefix(reason: str) -> str:
    """A reviewer's finding without its leading «Phúc tra:» (the flag's sentence starts «Phúc tra kết luận…»)."""
    return _FINDING_PREFIX.sub("", reason.strip(), count=1)


def flag_reason_shown(stored: str) -> str:
    """A stored flag reason without the repetitions an older version wrote into it."""
    text = stored.strip()
    if text.endswith(" " + FLAG_FOLLOW_UP):
        text = text[: -len(FLAG_FOLLOW_UP)].rstrip()
    head, sep, finding = text.partition(" không trung thực: ")
    return head + sep + finding_without_prefix(finding) if sep else text


class MonthlyAward(models.Model):
    """The one collective awarded for a reporting month (khen thưởng đột xuất).

    A flagged award (its unit's report for the month later found untruthful) is answered by the
    Head of the Home Affairs Office: kept, with a conclusion, or revoked; a revoked award stays on
    record and the month may be decided again."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="monthly_awards")
    month = models.CharField("tháng", max_length=7)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="monthly_awards", verbose_name="đơn vị")
    # The unit's name when the award was decided: the month's Quyết định and Giấy khen print it, even after the unit
    # is renamed later in the campaign (a town become a ward in September keeps its June award's name).
    unit_name = models.CharField("tên đơn vị khi quyết định", max_length=200, blank=True)
    # What the system proposed when the decision was taken (None: no single proposal, e.g. a tie).
    proposed_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị được đề xuất"
    )
    override_reason = models.TextField("lý do chọn đơn vị khác", blank=True)
    ceremony_date = models.DateField("ngày trao tại lễ chào cờ")
    prize_vnd = models.PositiveIntegerField("tiền thưởng")
    total = models.IntegerField("tổng điểm khi xét")
    decided_at = models.DateTimeField("quyết định lúc")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    flagged = models.BooleanField("cần xem xét lại", default=False)
    flag_reason = models.TextField("lý do cần xem xét", blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)
    # The answer to a flag: kept (conclusion, who, when) ...
    flag_conclusion = models.TextField("kết luận xem xét", blank=True)
    flag_cleared_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    flag_cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    # ... or revoked (thu hồi).
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoke_reason = models.TextField("lý do thu hồi", blank=True)
    # The signed Quyết định, once the clerk has numbered it: printed on the month's documents.
    decision_number = models.CharField("số, ký hiệu quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày ký quyết định", null=True, blank=True)

    objects = MonthlyAwardQuerySet.as_manager()

    class Meta:
        ordering = ["month", "decided_at"]
        constraints = [models.UniqueConstraint(fields=["campaign", "month"],
                                               condition=models.Q(revoked_at__isnull=True),
                                               name="one_monthly_award_in_force_per_month")]
        verbose_name = "khen thưởng hằng tháng"
        verbose_name_plural = "khen thưởng hằng tháng"

    def __str__(self) -> str:
        return f"{self.month}: {self.unit.name}"

    @property
    def flag_text(self) -> str:
        """The flag's reason as the pages show it, under a heading that already asks for the Head of the
        Home Affairs Office: a reason stored before that was said by the heading (it ended with the same
        sentence, and repeated «Phúc tra» before the finding) is shown without the repetitions."""
        return flag_reason_shown(self.flag_reason)


class YearEndProposal(models.Model):
    """One collective on the recorded year-end proposal list (chốt danh sách đề nghị)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="year_end_proposals")
    award_key = models.CharField("hình thức", max_length=32)  # the rubric's year_end key
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="year_end_proposals")
    position = models.PositiveIntegerField("thứ tự")
    place = models.PositiveIntegerField("hạng", null=True, blank=True)
    prize_vnd = models.PositiveIntegerField("tiền thưởng", default=0)
    bonus_points = models.PositiveIntegerField("điểm cộng", default=0)
    individuals_quota = models.PositiveIntegerField("số cá nhân được đề nghị", null=True, blank=True)
    rank = models.PositiveIntegerField("xếp hạng")
    total = models.IntegerField("tổng điểm")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_year_end_proposal_per_unit")]
        verbose_name = "đề nghị khen thưởng cuối năm"
        verbose_name_plural = "đề nghị khen thưởng cuối năm"

    def __str__(self) -> str:
        return self.unit.name


class Nomination(models.Model):
    """An individual a unit proposes for the District Chairman's certificate."""

    class Gender(models.TextChoices):
        MALE = "Nam", "Nam"
        FEMALE = "Nữ", "Nữ"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="nominations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="nominations")
    full_name = models.CharField("họ và tên", max_length=120)
    position = models.CharField("chức vụ", max_length=160)
    achievement = models.TextField("thành tích tóm tắt", max_length=1000)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["unit__sort_order", "created_at", "pk"]
        verbose_name = "cá nhân được đề cử"
        verbose_name_plural = "cá nhân được đề cử"

    def __str__(self) -> str:
        return self.full_name

    @property
    def doc_key(self) -> str:
        """The key of this person's documents in /khen-thuong/van-ban/<kind>/<key>.<ext>."""
        return f"ca-nhan-{self.pk}"


class DossierItem(models.Model):
    """One required document of a proposal's dossier and where it stands."""

    class Kind(models.TextChoices):
        TO_TRINH = "to_trinh", "Tờ trình đề nghị khen thưởng"
        BIEN_BAN = "bien_ban", "Biên bản họp xét khen thưởng"
        BAO_CAO = "bao_cao", "Báo cáo thành tích"

    proposal = models.ForeignKey(YearEndProposal, on_delete=models.CASCADE, related_name="dossier_items")
    kind = models.CharField("văn bản", max_length=16, choices=Kind.choices)
    generated_at = models.DateTimeField("lập lúc", null=True, blank=True)
    signed_on = models.DateField("ngày ký, nộp", null=True, blank=True)
    number = models.CharField("số, ký hiệu văn bản", max_length=50, blank=True)  # as numbered by the clerk
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["proposal__position", "kind"]
        constraints = [models.UniqueConstraint(fields=["proposal", "kind"], name="one_dossier_item_per_kind")]
        verbose_name = "văn bản hồ sơ khen thưởng"
        verbose_name_plural = "văn bản hồ sơ khen thưởng"

    @property
    def state(self) -> str:
        if self.signed_on:
            return "signed"
        return "generated" if self.generated_at else "missing"

    @property
    def state_label(self) -> str:
        return {"signed": "Đã ký, nộp", "generated": "Đã lập", "missing": "Chưa lập"}[self.state]


class YearEndDecision(models.Model):
    """The signed year-end Quyết định khen thưởng, once the clerk has numbered it: printed on the
    Quyết định and on every year-end Giấy khen; the recorded list cannot be reopened after it."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="year_end_decision")
    number = models.CharField("số, ký hiệu quyết định", max_length=50)
    signed_on = models.DateField("ngày ký quyết định")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "quyết định khen thưởng cuối năm"
        verbose_name_plural = "quyết định khen thưởng cuối năm"


class DistrictOfficials(models.Model):
    """The issuer of the award documents (a district's or a province's People's Committee) and the
    names and wording printed on them (editable by the reviewer)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="district_officials")
    issuer_kind = models.CharField("cơ quan ban hành", max_length=20, default="district",
                                   choices=[(key, label) for key, (_, _, label) in ISSUER_KINDS.items()])
    chairman_name = models.CharField("Chủ tịch UBND", max_length=120)
    head_of_home_affairs_name = models.CharField("Trưởng phòng Nội vụ / Giám đốc Sở Nội vụ", max_length=120)
    # the district's name (a district-level issuer); blank for a province-level one
    district = models.CharField("huyện, thị xã, thành phố thuộc tỉnh", max_length=80, blank=True,
                                default="Châu Thành A")
    province = models.CharField("tỉnh, thành phố trực thuộc Trung ương", max_length=80, default="Hậu Giang")
    # The plan the documents cite, and the legal basis of the Quyết định; blank: taken from the
    # campaign's rubric (Plan 211's own wording for Plan 211).
    plan_number = models.CharField("số, ký hiệu kế hoạch", max_length=50, blank=True)
    plan_date = models.DateField("ngày ban hành kế hoạch", null=True, blank=True)
    plan_title = models.TextField("trích yếu kế hoạch", blank=True)
    movement = models.TextField("tên phong trào", blank=True)
    movement_short = models.CharField("tên ngắn của phong trào", max_length=300, blank=True)
    legal_basis = models.TextField("căn cứ pháp lý của Quyết định", blank=True)  # one "Căn cứ …;" a line

    class Meta:
        verbose_name = "thông tin trên văn bản khen thưởng"
        verbose_name_plural = "thông tin trên văn bản khen thưởng"


class AwardMeeting(models.Model):
    """The review meeting (họp xét khen thưởng) recorded for the Biên bản."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="award_meeting")
    date = models.DateField("ngày họp")
    time_start = models.TimeField("bắt đầu")
    time_end = models.TimeField("kết thúc")
    place = models.CharField("địa điểm", max_length=200)
    chair_name = models.CharField("chủ trì", max_length=120)
    chair_position = models.CharField("chức vụ chủ trì", max_length=160)
    secretary_name = models.CharField("thư ký", max_length=120)
    secretary_position = models.CharField("chức vụ thư ký", max_length=160)
    # One person a line: "Họ tên - Chức vụ" (absent: "Họ tên - Chức vụ (lý do)").
    members_present = models.TextField("thành viên có mặt", blank=True)
    members_absent = models.TextField("thành viên vắng mặt", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cuộc họp xét khen thưởng"
        verbose_name_plural = "cuộc họp xét khen thưởng"
