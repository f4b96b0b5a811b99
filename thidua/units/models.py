"""The unit registry (2021 district structure or today's province → commune) and users with roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,62}$", "Mã đơn vị chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch ngang."
)
month_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "Tháng ghi theo dạng năm-tháng, ví dụ 2021-09.")


class UnitQuerySet(models.QuerySet):
    def competing(self):
        """The active units in a competition group: those that report, get reporter accounts and portal rows."""
        return self.filter(active=True).exclude(group="")


class Unit(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh, thành phố trực thuộc trung ương"
        DISTRICT = "district", "Huyện, quận, thị xã"
        DEPARTMENT = "department", "Cơ quan chuyên môn (phòng, sở, ban, ngành)"
        COMMUNE = "commune", "Xã, phường, thị trấn, đặc khu"

    code = models.CharField("mã", max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("tên", max_length=200)
    level = models.CharField("cấp", max_length=16, choices=Level.choices)
    # The competition group key of the campaign rubric ("commune", "department"); empty = not competing.
    group = models.CharField("nhóm thi đua", max_length=32, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name="đơn vị cấp trên", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField("đang hoạt động", default=True)
    head_name = models.CharField("thủ trưởng", max_length=120, blank=True)
    head_title = models.CharField("chức vụ thủ trưởng", max_length=120, blank=True)
    description = models.TextField("sơ lược đặc điểm, chức năng, nhiệm vụ", blank=True)
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    # "YYYY-MM": a unit set up (or merged) after the campaign began owes no report for the months before.
    first_month = models.CharField(
        "tham gia thi đua từ tháng", max_length=7, blank=True, validators=[month_validator],
        help_text="Tháng đầu tiên đơn vị phải báo cáo, dạng năm-tháng (ví dụ 2021-09), cho đơn vị thành lập "
                  "hoặc tham gia giữa chừng; để trống nếu đơn vị tham gia từ đầu.",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"

    def __str__(self) -> str:
        return self.name

    @property
    def competes(self) -> bool:
        """Whether the unit is one of :meth:`UnitQuerySet.competing`."""
        return self.active and bool(self.group)

    def owes_report(self, month: str) -> bool:
        """Whether the unit owes a report for ``month`` ("YYYY-MM"): not before the month it joined."""
        return not self.first_month or month >= self.first_month


class User(AbstractUser):
    class Role(models.TextChoices):
        ADMIN = "admin", "Quản trị hệ thống"
        REVIEWER = "reviewer", "Cán bộ thẩm định (Nội vụ)"
        LEADER = "leader", "Lãnh đạo (chỉ xem)"
        REPORTER = "reporter", "Cán bộ báo cáo của đơn vị"

    role = models.CharField("vai trò", max_length=16, choices=Role.choices, default=Role.REPORTER)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    position = models.CharField("chức vụ", max_length=120, blank=True)

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def get_full_name(self) -> str:
        """Vietnamese order: the family name (họ, ``last_name``) first, then the given names (tên,
        ``first_name``): "Trần Văn Minh"."""
        return " ".join(part for part in (self.last_name.strip(), self.first_name.strip()) if part)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def name_and_login(self) -> str:
        """"Võ Thị Thu (x-tan-hoa)", or the user name alone for an account without a name."""
        name = self.get_full_name()
        return f"{name} ({self.username})" if name else self.username

    @property
    def effective_role(self) -> str:
        """A superuser (from `thidua admin`, or Django's createsuperuser) acts as an administrator."""
        return self.Role.ADMIN if self.is_superuser else self.role

    @property
    def is_reviewer(self) -> bool:
        return self.is_active and self.effective_role in {self.Role.REVIEWER, self.Role.ADMIN}

    @property
    def is_admin_role(self) -> bool:
        return self.is_active and self.effective_role == self.Role.ADMIN

    @property
    def sees_all_units(self) -> bool:
        return self.is_active and self.effective_role in {self.Role.ADMIN, self.Role.REVIEWER, self.Role.LEADER}

    @property
    def is_reporter(self) -> bool:
        return self.is_active and self.effective_role == self.Role.REPORTER and self.unit_id is not None

    def can_view_unit(self, unit: Unit) -> bool:
        return self.sees_all_units or (self.is_reporter and self.unit_id == unit.pk)

    def can_report_for(self, unit: Unit) -> bool:
        return self.is_reporter and self.unit_id == unit.pk and unit.active
