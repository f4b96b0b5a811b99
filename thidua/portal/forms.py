"""Forms of the portal import: the upload, and the column layout for an export the aliases do not recognise."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from thidua.core.forms import ImportFileField
from thidua.portal.models import PortalImport
from thidua.portal.parsing import FieldSpec, PortalFileError, find_header, fold
from thidua.portal.parsing.headers import IGNORED_HEADERS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại danh sách", choices=PortalImport.Kind.choices)
    file = ImportFileField(
        label="Tệp xuất từ Cổng dịch vụ công (.xlsx, .xls hoặc .csv)",
        error_messages={"required": "Vui lòng chọn tệp.",
                        "empty": "Tệp rỗng (0 byte); hãy xuất lại danh sách từ cổng dịch vụ công."},
    )


def cell_text(cell) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def guess_header_row(head: Sequence[tuple[int, list]]) -> int | None:
    """The first row with the most text cells: title rows have one, data rows have numbers and dates."""
    best, best_count = None, 0
    for number, cells in head:
        count = sum(1 for c in cells if isinstance(c, str) and c.strip())
        if count > best_count:
            best, best_count = number, count
    return best


class HeaderRowForm(forms.Form):
    """Step 1 (GET): which row of the file holds the column names."""

    dong = forms.TypedChoiceField(label="Dòng tiêu đề cột", coerce=int)

    def __init__(self, *args, head: Sequence[tuple[int, list]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for number, cells in head:
            texts = [t for t in map(cell_text, cells) if t]
            if texts:
                shown = " | ".join(texts[:6])
                choices.append((number, f"Dòng {number}: {shown[:110]}{'…' if len(shown) > 110 else ''}"))
        self.fields["dong"].choices = choices


class HeaderMappingForm(forms.Form):
    """Step 2 (POST): for each field, the column of the chosen header row; saved under a name."""

    header_row = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="Tên mẫu cột", max_length=200,
                           error_messages={"required": "Vui lòng đặt tên cho mẫu cột."})

    def __init__(self, *args, specs: Sequence[FieldSpec], head: Sequence[tuple[int, list]], header_row: int,
                 what: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs, self.head, self.what = specs, head, what
        self.header_cells = next((cells for number, cells in head if number == header_row), [])
        # Only text cells can be matched as headers; "STT" and the like never feed a field.
        self.columns = {str(i): cell_text(c) for i, c in enumerate(self.header_cells)
                        if isinstance(c, str) and cell_text(c) and fold(c) not in IGNORED_HEADERS}
        options = [(i, f"{column_letter(int(i))}: {text}") for i, text in self.columns.items()]
        self.initial.setdefault("header_row", header_row)
        for spec in specs:
            aliases = {fold(a) for a in (spec.label, *spec.aliases)}
            guess = next((i for i, text in self.columns.items() if fold(text) in aliases), "")
            empty = "— chọn cột —" if spec.required else "— không có —"
            self.fields[f"col_{spec.key}"] = forms.ChoiceField(
                label=spec.label + (" *" if spec.required else ""), required=spec.required,
                choices=[("", empty), *options], initial=guess,
                error_messages={"required": f"Trường «{spec.label}» là bắt buộc: hãy chọn cột.",
                                "invalid_choice": f"Cột chọn cho «{spec.label}» không có ở dòng tiêu đề."},
            )

    def field_rows(self):
        return [self[f"col_{spec.key}"] for spec in self.specs]

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, list[str]] = {}
        for spec in self.specs:
            column = cleaned.get(f"col_{spec.key}")
            if column:
                chosen.setdefault(column, []).append(spec.label)
        for column, labels in chosen.items():
            if len(labels) > 1:
                raise forms.ValidationError(
                    f"Cột «{self.columns[column]}» được chọn cho nhiều trường ({', '.join(labels)}); "
                    "mỗi cột chỉ dùng cho một trường.")
        texts = [fold(text) for text in self.columns.values()]
        for column in chosen:
            if texts.count(fold(self.columns[column])) > 1:
                raise forms.ValidationError(
                    f"Dòng tiêu đề có nhiều cột cùng tên «{self.columns[column]}»; "
                    "hãy đổi tên cột trong tệp để phân biệt.")
        if self.errors:
            return cleaned
        mapping = self.mapping()
        try:
            found = find_header(self.head, self.specs, mapping, what=self.what)
        except PortalFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        if found.row != cleaned["header_row"]:
            raise forms.ValidationError(
                f"Các tên cột đã chọn cũng có ở dòng {found.row}, phía trên dòng tiêu đề đã chọn; "
                "hãy chọn dòng đó làm dòng tiêu đề.")
        return cleaned

    def mapping(self) -> dict[str, str]:
        """field -> header text, as stored in a HeaderMapping."""
        return {spec.key: self.columns[column] for spec in self.specs
                if (column := self.cleaned_data.get(f"col_{spec.key}"))}
