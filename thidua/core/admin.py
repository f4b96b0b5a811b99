from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.utils import timezone

from thidua.core.audit import audit
from thidua.core.audit_display import action_label
from thidua.core.models import AuditEvent, LoginFailure

admin.site.site_header = "Thi Đua DVC — Quản trị"
admin.site.site_title = "Thi Đua DVC"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action_name", "summary")
    list_select_related = ("actor",)  # the actor is nullable: Django would not join it by itself
    search_fields = ("summary", "unit_code")

    @admin.display(description="Thao tác", ordering="action")
    def action_name(self, obj):
        return action_label(obj.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Wrong passwords in a row per user name and address; *Mở khóa* lifts a lock before it ends."""

    list_display = ("user_name", "address", "failures", "last_attempt", "state")
    list_display_links = None
    search_fields = ("username", "ip_address")
    ordering = ("-attempt_time",)
    actions = ["unlock"]

    @admin.display(description="Tên đăng nhập", ordering="username")
    def user_name(self, obj):
        return obj.username

    @admin.display(description="Địa chỉ", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="Số lần sai liên tiếp", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="Lần sai gần nhất", ordering="attempt_time")
    def last_attempt(self, obj):
        return f"{timezone.localtime(obj.attempt_time):%H:%M %d/%m/%Y}"

    @admin.display(description="Tình trạng")
    def state(self, obj):
        until = obj.attempt_time + settings.AXES_COOLOFF_TIME
        if obj.failures_since_start >= settings.AXES_FAILURE_LIMIT and until > timezone.now():
            return f"Đang tạm khóa đến {timezone.localtime(until):%H:%M %d/%m/%Y}"
        return "Chưa khóa"

    @admin.action(description="Mở khóa: xóa số lần sai của các dòng đã chọn", permissions=["delete"])
    def unlock(self, request, queryset):
        with transaction.atomic():
            rows = list(queryset.select_for_update().values_list("pk", "username", "ip_address"))
            LoginFailure.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
            for _, username, address in rows:
                audit("auth.unlocked", actor=request.user,
                      summary=f"Mở khóa đăng nhập «{username}» từ địa chỉ {address}",
                      after={"username": username, "ip_address": address})
        self.message_user(request, f"Đã mở khóa {len(rows)} dòng; các tên đăng nhập này đăng nhập lại được ngay.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # Mở khóa is the one way to remove a row, audited
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
