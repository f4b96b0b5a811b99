"""Upload form for portal exports."""

from django import forms

from thidua.portal.models import PortalImport


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại danh sách", choices=PortalImport.Kind.choices)
    file = forms.FileField(
        label="Tệp xuất từ Cổng dịch vụ công (.xlsx, .xls hoặc .csv)",
        error_messages={"required": "Vui lòng chọn tệp.", "empty": "Tệp rỗng."},
    )
