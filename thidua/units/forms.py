"""The registry file upload form."""

from __future__ import annotations

from django import forms


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh mục đơn vị (.xlsx, .xls, .ods hoặc .csv)",
        error_messages={"required": "Vui lòng chọn tệp danh mục đơn vị.", "empty": "Tệp rỗng (0 byte).",
                        "invalid": "Không nhận được tệp; hãy chọn lại tệp."},
    )
