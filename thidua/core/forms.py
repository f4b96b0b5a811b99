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
