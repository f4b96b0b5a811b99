"""The registry file upload form and the confirmation of new reporter accounts."""

from __future__ import annotations

from django import forms

from thidua.core.forms import ImportFileField


class RegistryUploadForm(forms.Form):
    file = ImportFileField(
        label="Tệp danh mục đơn vị (.xlsx, .xls, .ods hoặc .csv)",
        error_messages={"required": "Vui lòng chọn tệp danh mục đơn vị.", "empty": "Tệp rỗng (0 byte).",
                        "invalid": "Không nhận được tệp; hãy chọn lại tệp."},
    )


class ReporterAccountsForm(forms.Form):
    """The confirmation of "create the missing reporter accounts". ``listed`` fingerprints the units the
    administrator saw (units.accounts.units_fingerprint), so that a page opened before the list changed
    creates nothing."""

    listed = forms.CharField(max_length=64, widget=forms.HiddenInput, error_messages={
        "required": "Thiếu danh sách đơn vị cần tạo tài khoản; hãy tải lại trang.",
        "max_length": "Danh sách đơn vị cần tạo tài khoản không hợp lệ; hãy tải lại trang.",
    })
