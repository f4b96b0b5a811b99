"""Form fields shared by the apps: dates are typed as dd/mm/yyyy."""

from __future__ import annotations

from django import forms

DATE_FORMATS = ["%d/%m/%Y"]
DATE_ERROR = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/07/2021."


class VnDateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        # A DateInput (a text box) shows a prefilled date as typed, dd/mm/yyyy, so that sending the form
        # back unchanged parses; a plain TextInput showed it as 2021-07-05, which the field then refused.
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={
            "placeholder": "dd/mm/yyyy", "inputmode": "numeric", "pattern": r"\d{1,2}/\d{1,2}/\d{4}"}))
        kwargs.setdefault("error_messages", {"invalid": DATE_ERROR, "required": "Cần nhập ngày."})
        super().__init__(**kwargs)


def upload_too_large(file) -> str | None:
    """The refusal of an upload over THIDUA_MAX_IMPORT_BYTES, or None when it fits."""
    from django.conf import settings

    limit = settings.THIDUA_MAX_IMPORT_BYTES
    if file.size > limit:
        return f"Tệp quá lớn ({file.size // 1_048_576} MB); tối đa {limit // 1_048_576} MB."
    return None
