"""The registry is managed in the admin: add, rename and retire units; create users and set roles."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from thidua.campaigns.selectors import active_group_names
from thidua.scoring.text import month_as_typed, parse_month
from thidua.units.models import Unit, User


class MonthField(forms.CharField):
    """A month typed as Vietnamese offices write it (09/2021, tháng 9/2021, or 2021-09), stored as "2021-09" and
    shown as "09/2021" — as the registry file and the campaign's months are written."""

    def prepare_value(self, value):
        return month_as_typed(value) if isinstance(value, str) and parse_month(value) == value else value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return ""
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(f"«{text}» không phải là tháng hợp lệ; ghi theo dạng tháng/năm, ví dụ 09/2021.")
        return month


class GroupFilter(admin.SimpleListFilter):
    """The competition group by the name the active campaign gives it ("Xã, thị trấn"), not its key."""

    title = "nhóm thi đua"
    parameter_name = "nhom"
    field = "group"

    def lookups(self, request, model_admin):
        labels = active_group_names()
        keys = Unit.objects.exclude(group="").order_by("group").values_list("group", flat=True).distinct()
        return [(key, labels.get(key, key)) for key in keys]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class UserGroupFilter(GroupFilter):
    field = "unit__group"


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ("code", "name", "level", "group", "parent", "active", "head_name", "head_title", "description",
                  "sort_order", "first_month")

    def clean_code(self):
        code = self.cleaned_data["code"]
        old = self.instance.code if self.instance.pk else None
        if old and code != old:
            from thidua.reports.selectors import unit_code_in_use

            if unit_code_in_use(old):
                raise forms.ValidationError(
                    "Không đổi được mã của đơn vị đã có báo cáo hoặc đã có tên trong kết quả tháng đã chốt, quyết "
                    f"định phân định bằng điểm (mã «{old}»): các kết quả đó ghi đơn vị theo mã này. Tên đơn vị "
                    "thì đổi được; đơn vị mới (như sau sáp nhập) thì thêm đơn vị với «Tham gia thi đua từ tháng».")
        return code


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ("code", "name", "level", "group", "parent", "active", "sort_order")
    list_select_related = ("parent",)  # nullable: Django would not join it by itself
    list_filter = ("level", GroupFilter, "active")
    search_fields = ("code", "name")
    list_editable = ("active", "sort_order")
    autocomplete_fields = ("parent",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "group":  # chosen by name, as the registry file writes it, not typed as a key
            from thidua.units.selectors import registry_groups

            labels = active_group_names()
            groups = {key: labels.get(key, names[0]) for key, names in registry_groups().items()}
            for key in Unit.objects.exclude(group="").values_list("group", flat=True).distinct():
                groups.setdefault(key, key)  # a group no campaign names any more stays choosable
            return forms.ChoiceField(label="Nhóm thi đua", required=False,
                                     choices=[("", "(không tham gia thi đua)"), *groups.items()],
                                     help_text=db_field.help_text)
        if db_field.name == "first_month":
            return MonthField(label="Tham gia thi đua từ tháng", required=False, max_length=20,
                              help_text="Tháng đầu tiên đơn vị phải báo cáo, dạng tháng/năm (ví dụ 09/2021), cho đơn vị"
                                        " thành lập hoặc tham gia giữa chừng; để trống nếu đơn vị tham gia từ đầu.")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_list_display(self, request):
        labels = active_group_names()  # once a page

        @admin.display(description="Nhóm thi đua", ordering="group")
        def group_name(obj):
            return labels.get(obj.group, obj.group) or "—"

        return [group_name if name == "group" else name for name in super().get_list_display(request)]

    def save_model(self, request, obj, form, change):
        from thidua.units.services import unit_save

        unit_save(unit=obj, actor=request.user)  # audited; the standing is recomputed

    def has_delete_permission(self, request, obj=None):
        return False  # units are retired (active = False), never deleted: their reports stay


# What a user may do comes from their role (User.role; a superuser acts as an administrator), never from
# Django's groups and per-model permissions: nothing reads those, so no page sets them (their names are
# stored in English, "Can add log entry", and their two-box chooser is worded by Django's script catalog,
# which lacks Vietnamese for it). The admin pages themselves are for superusers.
NOT_SHOWN = {"groups", "user_permissions"}
admin.site.unregister(Group)


def _family_name_first(fieldsets):
    """Django's fieldsets with họ (last_name) before tên (first_name), as Vietnamese names are written, and
    without Django's groups and permissions."""
    swap = {"first_name": "last_name", "last_name": "first_name"}
    return [(title, {**options, "fields": tuple(swap.get(f, f) for f in options["fields"] if f not in NOT_SHOWN)})
            for title, options in fieldsets]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_select_related = ("unit",)  # nullable: Django would not join it by itself
    list_filter = ("role", "is_active", UserGroupFilter)
    fieldsets = (*_family_name_first(BaseUserAdmin.fieldsets),
                 ("Vai trò trong phong trào", {"fields": ("role", "unit", "position")}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Vai trò trong phong trào", {"fields": ("role", "unit")}))
    autocomplete_fields = ("unit",)
    filter_horizontal = ()

    @admin.display(description="Họ và tên", ordering="last_name")
    def full_name(self, obj):
        return obj.get_full_name()
