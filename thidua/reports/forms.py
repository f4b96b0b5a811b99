"""Forms of the monthly report and of the review actions, with Vietnamese labels and messages."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from thidua.core.forms import VnDateField
from thidua.reports.photos import HEIC_EXTENSIONS
from thidua.reports.services import (
    ALLOWED_EVIDENCE_TYPES,
    EVIDENCE_TYPES,
    MAX_ATTACHMENTS,
    PLAN_TYPES,
    ReportData,
    check_uploads,
)
from thidua.scoring.text import format_size_over

NUMBER_ERRORS = {
    "required": "Vui lòng nhập số liệu (nhập 0 nếu không có).",
    "invalid": "Vui lòng nhập một số nguyên, ví dụ 1050 hoặc 1.050.",
    "min_value": "Số liệu không được âm.",
    "max_value": "Số liệu quá lớn, vui lòng kiểm tra lại.",
}


# Thousands grouped by spaces ("1 050", "2 000 000"; a no-break or thin space as a word processor or a
# spreadsheet copies them): the groups after the first are of three digits.
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+")


class CountField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, str) and _SPACE_GROUPED.fullmatch(value.strip()):
            value = re.sub(r"[ \u00a0\u202f]", "", value)
        return super().to_python(value)


def _count(label: str, help_text: str = "") -> forms.IntegerField:
    """A count typed as Vietnamese write it: "1.050" (the dot groups thousands), "1 050" or "1050". A text
    box with the phone's number pad, so that the browser neither drops what it does not take for a number
    nor reads "1.050" as one point zero five."""
    return CountField(
        label=label, min_value=0, max_value=10_000_000, help_text=help_text, error_messages=NUMBER_ERRORS,
        localize=True, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _accept(extensions: tuple[str, ...]) -> str:
    """The file types a phone's picker offers (its camera among them, for images): the extensions the
    server takes and their content types, and HEIC where JPG is taken (stored as JPG, see photos.py). No
    "image/*": an iPhone then sends its camera's photos as JPG."""
    types = dict.fromkeys([*extensions, *(ALLOWED_EVIDENCE_TYPES[ext] for ext in extensions)])
    if ".jpg" in extensions:
        types.update(dict.fromkeys([*HEIC_EXTENSIONS, "image/heic", "image/heif"]))
    return ",".join(types)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once. Every file is checked and each problem is reported naming its file, in
    one round: an empty file is let through here (Django's own message names no file and stops at the
    first) so that the form's file checks (services.check_uploads) name it with the others."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not isinstance(data, list | tuple):
            return [super().clean(data, initial)] if data else []
        cleaned, errors = [], []
        for item in data:
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as exc:
                name = getattr(item, "name", "") or ""
                errors.extend(f"Tệp «{name}»: {message}" if name else message for message in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ReportForm(forms.Form):
    """A month's report for ``campaign``: the online dossiers and procedures are named in its words
    (Campaign.online_dossiers_label, online_procedures_label), the online share's target is its rubric's."""

    new_accounts = _count(
        "Tài khoản tạo mới trong tháng", "Tài khoản công dân, doanh nghiệp được hướng dẫn tạo trên Cổng."
    )
    procedures = forms.CharField(
        label="{procedures} (lũy kế, mỗi dòng một thủ tục)", required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ghi tên từng thủ tục; danh sách là lũy kế từ đầu phong trào.",
    )
    dossiers_online = _count("{dossiers} tiếp nhận trong tháng")
    due = _count("Hồ sơ trực tuyến đến hạn giải quyết trong tháng", "Hồ sơ đã giải quyết hoặc đã quá hạn hẹn trả.")
    resolved_on_time = _count("Hồ sơ trực tuyến giải quyết đúng hạn trong tháng")
    dossiers_in_person = _count("Hồ sơ tiếp nhận trực tiếp, qua bưu chính trong tháng",
                                "Để tính tỷ lệ hồ sơ trực tuyến.")
    has_plan = forms.BooleanField(label="Đơn vị đã ban hành kế hoạch thực hiện", required=False)
    # an empty plan file is named by the form's file checks, as the evidence are
    plan_file = forms.FileField(label="Tệp kế hoạch (PDF, Word hoặc ảnh chụp JPG, PNG)", required=False,
                                allow_empty_file=True,
                                widget=forms.ClearableFileInput(attrs={"accept": _accept(PLAN_TYPES)}))
    initiatives = forms.CharField(label="Giải pháp, sáng kiến", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    evidence = MultipleFileField(label=f"Minh chứng (tối đa {MAX_ATTACHMENTS} tệp PDF, ảnh, Word, Excel)",
                                 required=False, widget=MultipleFileInput(attrs={"accept": _accept(EVIDENCE_TYPES)}))
    note = forms.CharField(label="Ghi chú / lý do điều chỉnh", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    # the version the form was opened on (0: none yet): a report that has moved on since is not overwritten
    based_on = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        # the size limit, for the page to name a file over it when it is chosen (app.js), not after its upload
        limit = settings.THIDUA_MAX_ATTACHMENT_BYTES
        for name in ("plan_file", "evidence"):
            self.fields[name].widget.attrs.update({"data-max-bytes": str(limit),
                                                   "data-max-text": format_size_over(limit + 1, limit)[1]})
        words = {"procedures": campaign.online_procedures_label, "dossiers": campaign.online_dossiers_label}
        for name in ("procedures", "dossiers_online"):
            self.fields[name].label = self.fields[name].label.format(**words)
        target = campaign.rubric.online_share_target
        if target is not None:  # the plan's target, when its rubric sets one
            self.fields["dossiers_in_person"].help_text = f"Để tính tỷ lệ hồ sơ trực tuyến (mục tiêu {target.text})."

    def clean(self):
        cleaned = super().clean()
        # the service's file checks, run here too so that their errors show beside their fields in the
        # same round as the others
        try:
            files = check_uploads(cleaned.get("evidence") or [], cleaned.get("plan_file") or None)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        else:  # as they are to be stored (a HEIC photo converted once, here)
            if "evidence" in cleaned:
                cleaned["evidence"] = [upload for upload, _ in files.evidence]
            if cleaned.get("plan_file"):
                cleaned["plan_file"] = files.plan_file
        on_time, due = cleaned.get("resolved_on_time"), cleaned.get("due")
        if on_time is not None and due is not None and on_time > due:
            self.add_error(
                "resolved_on_time",
                f"Số hồ sơ giải quyết đúng hạn ({on_time}) không được lớn hơn số hồ sơ đến hạn ({due}).",
            )
        names = [line.strip() for line in (cleaned.get("procedures") or "").splitlines() if line.strip()]
        if len({n.casefold() for n in names}) != len(names):
            self.add_error("procedures", "Danh sách thủ tục có tên bị trùng.")
        cleaned["procedure_names"] = tuple(names)
        return cleaned

    def report_data(self) -> ReportData:
        c = self.cleaned_data
        return ReportData(
            new_accounts=c["new_accounts"], dossiers_online=c["dossiers_online"],
            resolved_on_time=c["resolved_on_time"], due=c["due"], dossiers_in_person=c["dossiers_in_person"],
            has_plan=c["has_plan"], procedures=c["procedure_names"], initiatives=c.get("initiatives", ""),
            note=c.get("note", ""),
        )


class ReportEntryForm(ReportForm):
    """A report the unit sent in writing, entered by the reviewer: when it arrived and its number first."""

    based_on = None  # only a month the unit has not reported is entered

    received_on = VnDateField(label="Ngày Phòng Nội vụ nhận báo cáo (dùng để tính đúng hạn)")
    reference = forms.CharField(label="Số, ký hiệu văn bản báo cáo của đơn vị", max_length=100,
                                error_messages={"required": "Ghi số, ký hiệu văn bản báo cáo của đơn vị."})
    field_order = ["received_on", "reference"]

    def __init__(self, *args, **kwargs):
        from thidua.awards.dossier import district_info  # the office that receives it: the documents' issuer's

        super().__init__(*args, **kwargs)
        office = district_info(self.campaign).home_affairs  # «Sở Nội vụ» for a province
        self.fields["received_on"].label = f"Ngày {office} nhận báo cáo (dùng để tính đúng hạn)"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), min_length=5, max_length=2000,
        error_messages={"required": "Vui lòng ghi lý do.", "min_length": "Lý do quá ngắn, vui lòng ghi rõ hơn."},
    )


class UntruthfulForm(ReasonForm):
    """Kết luận không trung thực: the finding's reason and, when the re-examination found them, the true figures
    (a new version of the report, RULES.md «Re-inspection»). The figures are filled with the current ones."""

    FIGURES = ("new_accounts", "dossiers_online", "due", "resolved_on_time", "dossiers_in_person")
    correct = forms.BooleanField(label="Ghi số liệu đúng theo kết quả phúc tra (thành phiên bản mới của báo cáo)",
                                 required=False)
    new_accounts = _count("Tài khoản tạo mới trong tháng")
    dossiers_online = _count("{dossiers} tiếp nhận trong tháng")
    due = _count("Hồ sơ trực tuyến đến hạn giải quyết trong tháng")
    resolved_on_time = _count("Hồ sơ trực tuyến giải quyết đúng hạn trong tháng")
    dossiers_in_person = _count("Hồ sơ tiếp nhận trực tiếp, qua bưu chính trong tháng")

    def __init__(self, *args, report, **kwargs):
        current = report.current
        kwargs.setdefault("initial", {name: getattr(current, name) for name in self.FIGURES} if current else {})
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["reason"].label = "Căn cứ kết luận (kể cả khi phúc tra)"
        self.fields["dossiers_online"].label = self.fields["dossiers_online"].label.format(
            dossiers=report.campaign.online_dossiers_label)
        for name in self.FIGURES:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("correct"):
            for name in self.FIGURES:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, NUMBER_ERRORS["required"])
        return cleaned

    def corrected(self) -> ReportData | None:
        """The true figures as a report's data (its plan, procedures and texts as the unit stated them), or None."""
        current = self.report.current
        if not self.cleaned_data.get("correct") or current is None:
            return None
        return ReportData.true_figures(current, self.cleaned_data)


class TieBreakForm(forms.Form):
    # Hidden: the page fills them; missing or wrong only if the page is stale or the request was made by hand.
    _RELOAD = "Trang Xếp hạng đã cũ; hãy tải lại trang rồi ghi nhận lại quyết định của Hội đồng."
    group = forms.CharField(widget=forms.HiddenInput, error_messages={"required": _RELOAD})
    total = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": _RELOAD, "invalid": _RELOAD})
    order = forms.CharField(
        label="Thứ tự do Hội đồng quyết định (mã đơn vị, cách nhau bởi dấu phẩy, đơn vị xếp trên trước)",
        max_length=1000, error_messages={"required": "Vui lòng nhập thứ tự các đơn vị."},
    )
    reason = forms.CharField(
        label="Lý do",  # the rankings page words it after the issuer (standings._recognised_by)
        widget=forms.Textarea(attrs={"rows": 3}), min_length=10, max_length=4000,
        error_messages={"required": "Vui lòng ghi lý do của Hội đồng.",
                        "min_length": "Lý do quá ngắn (ít nhất 10 ký tự)."},
    )

    def codes(self) -> list[str]:
        return [c.strip().upper() for c in self.cleaned_data["order"].replace(";", ",").split(",") if c.strip()]
