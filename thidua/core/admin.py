from django.contrib import admin

from thidua.core.models import AuditEvent

admin.site.site_header = "Thi Đua DVC — Quản trị"
admin.site.site_title = "Thi Đua DVC"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "unit_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
