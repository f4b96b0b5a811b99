"""Portal data: dossiers keyed by dossier code, accounts by account id, imports, remembered names and layouts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from thidua.core import clock
from thidua.units.models import Unit


class PortalImport(models.Model):
    class Kind(models.TextChoices):
        DOSSIERS = "dossiers", "Danh sách hồ sơ"
        ACCOUNTS = "accounts", "Danh sách tài khoản"

    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("dung lượng")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("thời điểm", default=clock.now, editable=False)
    rows_read = models.PositiveIntegerField("số dòng", default=0)
    created = models.PositiveIntegerField("thêm mới", default=0)
    updated = models.PositiveIntegerField("cập nhật", default=0)
    unchanged = models.PositiveIntegerField("không đổi", default=0)
    first_date = models.DateField(null=True)
    last_date = models.DateField(null=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "lần nhập dữ liệu Cổng"
        verbose_name_plural = "lần nhập dữ liệu Cổng"


class Dossier(models.Model):
    """One dossier of the portal's one-stop system; re-imports update it in place."""

    # Unique by a constraint rather than unique=True: on PostgreSQL that one index is all; unique=True
    # adds a second, LIKE-pattern index on the code that nothing queries and every import row feeds.
    code = models.CharField("mã hồ sơ", max_length=100)
    # The (unit, month) index below serves unit lookups; fewer indexes keep million-row imports fast.
    # No database-level constraint either: only the import's merge writes rows, and it finds each unit id by
    # joining the registry on the unit code, so the id exists; deleting a unit that has dossiers is refused by
    # PROTECT (Django checks it before deleting, constraint or not; units are deactivated, never deleted).
    # PostgreSQL would otherwise check every row at commit: 5.7 s of a million-row import (bench_import.py).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="portal_dossiers", db_index=False,
                             db_constraint=False)
    procedure = models.CharField("thủ tục", max_length=500, blank=True)
    level = models.PositiveSmallIntegerField("mức độ")
    channel = models.CharField("hình thức nộp", max_length=16)  # online | in_person | postal
    received_on = models.DateField("ngày tiếp nhận")
    received_month = models.CharField(max_length=7)
    due_on = models.DateField("ngày hẹn trả")
    resolved_on = models.DateField("ngày có kết quả", null=True, blank=True)
    on_time = models.BooleanField("đúng hạn", default=False)
    status = models.CharField("trạng thái", max_length=200, blank=True)
    source_row = models.PositiveIntegerField("dòng trong tệp", default=0)
    # No database-level constraint: only the import's own merge writes this column, with the id of the
    # PortalImport it has just created in the same transaction, and imports are never deleted (PROTECT).
    # PostgreSQL would otherwise check it once per row at commit: seconds for a million-row file.
    last_import = models.ForeignKey(PortalImport, on_delete=models.PROTECT, related_name="+", db_index=False,
                                    db_constraint=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code"], name="dossier_code_unique")]
        indexes = [models.Index(fields=["unit", "received_month"], name="dossier_unit_month")]
        verbose_name = "hồ sơ trên Cổng"
        verbose_name_plural = "hồ sơ trên Cổng"


class PortalAccount(models.Model):
    account = models.CharField("tài khoản", max_length=200)  # unique by a constraint, as Dossier.code
    kind = models.CharField("loại", max_length=16, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="portal_accounts", db_index=False,
                             db_constraint=False)  # as Dossier.unit
    created_on = models.DateField("ngày tạo")
    created_month = models.CharField(max_length=7)
    source_row = models.PositiveIntegerField("dòng trong tệp", default=0)
    last_import = models.ForeignKey(PortalImport, on_delete=models.PROTECT, related_name="+", db_index=False,
                                    db_constraint=False)  # as Dossier.last_import

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account"], name="account_unique")]
        indexes = [models.Index(fields=["unit", "created_month"], name="account_unit_month")]
        verbose_name = "tài khoản trên Cổng"
        verbose_name_plural = "tài khoản trên Cổng"


class UnitAlias(models.Model):
    """A unit name as written in exports, mapped once by a user and remembered."""

    raw_key = models.CharField("tên chuẩn hóa", max_length=300, unique=True)
    raw_name = models.CharField("tên trong tệp", max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = "tên đơn vị trong tệp Cổng"
        verbose_name_plural = "tên đơn vị trong tệp Cổng"


class PendingUpload(models.Model):
    """An uploaded export waiting for its preview to be confirmed; deleted once imported."""

    kind = models.CharField(max_length=16, choices=PortalImport.Kind.choices)
    file = models.FileField(upload_to="portal-uploads/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    job = models.CharField(max_length=32, blank=True)  # token of the latest import started (portal.jobs)
    scan_job = models.CharField(max_length=32, blank=True)  # token of the latest preview scan (portal.jobs)
    scan_key = models.CharField(max_length=64, blank=True)  # what that scan read (services.portal_scan_key)


class HeaderMapping(models.Model):
    """A reviewer's column layout for an export the aliases do not recognise: field -> header text.

    Active mappings of a kind are tried, newest first, whenever the aliases alone find no header."""

    kind = models.CharField("loại", max_length=16, choices=PortalImport.Kind.choices)
    name = models.CharField("tên mẫu", max_length=200)
    mapping = models.JSONField("cột", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("thời điểm", default=clock.now, editable=False)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "mẫu cột tệp Cổng"
        verbose_name_plural = "mẫu cột tệp Cổng"

    def __str__(self) -> str:
        return self.name
