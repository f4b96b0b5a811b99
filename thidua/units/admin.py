"""The registry is managed in the admin: add, rename and retire units; create users and set roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from thidua.units.models import Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "group", "parent", "active", "sort_order")
    list_filter = ("level", "group", "active")
    search_fields = ("code", "name")
    list_editable = ("active", "sort_order")
    autocomplete_fields = ("parent",)

    def has_delete_permission(self, request, obj=None):
        return False  # units are retired (active = False), never deleted: their reports stay


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit__group")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Vai trò trong phong trào", {"fields": ("role", "unit", "position")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Vai trò trong phong trào", {"fields": ("role", "unit")}))
    autocomplete_fields = ("unit",)
