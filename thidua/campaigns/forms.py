"""The campaign settings form, generated from the rubric data so any plan like Plan 211 can be edited."""

from __future__ import annotations

import copy
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from thidua.campaigns.models import (
    DECREE_42_IN_FORCE,
    DECREE_42_ONLINE_WORDING,
    ONLINE_WORDING_MAX,
    PLAN_211_ONLINE_WORDING,
    Campaign,
)
from thidua.campaigns.selectors import settings_shown
from thidua.campaigns.services import rubric_file_data
from thidua.core.forms import VnDateField
from thidua.scoring import builtin_rubrics
from thidua.scoring.text import format_int, month_as_typed, parse_month

# Points, thresholds and steps beyond this are typing mistakes (a count of ten million dossiers a month).
MAX_VALUE = 10_000_000
NUMERIC_ATTRS = {
    "points_yes": "Điểm khi có",
    "threshold": "Ngưỡng",
    "base_points": "Điểm khi đạt ngưỡng",
    "step": "Bước tăng",
    "points_per_step": "Điểm cộng mỗi bước",
    "below_threshold_points": "Điểm khi dưới ngưỡng",
    "zero_points": "Điểm khi bằng 0",
}
# Points given and the lines they are given at are never negative; points taken away (below the threshold,
# at zero) are written as negatives. The step's own check (≥ 1, > 0 for a rate) is the rubric's.
NOT_NEGATIVE = frozenset({"points_yes", "threshold", "base_points", "points_per_step"})
# Our own wording: Django's Vietnamese catalogue reads "lớn hơn hoặc bằng với 1 ." here.
_INT_MSG = {
    "required": "Vui lòng nhập giá trị.",
    "invalid": "Vui lòng nhập một số.",
    "min_value": "Giá trị phải lớn hơn hoặc bằng %(limit_value)s.",
    "max_value": "Giá trị phải nhỏ hơn hoặc bằng %(limit_value)s.",
    "max_decimal_places": "Chỉ được nhập tối đa %(max)s chữ số thập phân.",
    "max_digits": "Chỉ được nhập tối đa %(max)s chữ số.",
}


_CRITERION_PATH = re.compile(r"groups\.([^.]+)\.criteria\[(\d+)\]\.(\w+)")  # a rubric path to a criterion's value


def parse_months(text: str, *, example: str = "06/2021") -> list[str]:
    """Reporting months typed as Vietnamese write them, "6/2021, 07/2021" (or "tháng 6/2021", "2021-06"; see
    parse_month); returned as "2021-06". A month in another form is refused, with ``example`` (e.g. the
    campaign's first month) as the form to write."""
    months, bad = [], []
    for typed in (m.strip() for m in text.split(",") if m.strip()):
        month = parse_month(typed)
        if month is not None:
            months.append(month)
        else:
            bad.append(typed)
    if bad:
        raise forms.ValidationError(f"«{bad[0]}» không phải là tháng hợp lệ; ghi theo dạng tháng/năm, ví dụ {example}.")
    return months


def format_months(months) -> str:
    """The reporting months as the form shows them: "06/2021, 07/2021"."""
    return ", ".join(map(month_as_typed, months))


def example_months(start: date | None = None) -> tuple[str, str]:
    """Two months to show as the example of the months field: the campaign's first month and the next
    ("01/2026", "02/2026"); Plan 211's June and July 2021 when there is no campaign yet."""
    if start is None:
        return "06/2021", "07/2021"
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start.strftime("%m/%Y"), following.strftime("%m/%Y")


def months_label(start: date | None = None) -> str:
    return "Các tháng báo cáo (tháng/năm, cách nhau bởi dấu phẩy, ví dụ {}, {})".format(*example_months(start))


MONTHS_LABEL = months_label()


# The plan's target for the share of online dossiers (tracked, not scored): whole percents, "từ" alone
# ("từ 50%") or "từ … đến …" (Plan 211: 30–40%); both empty, no target.
ONLINE_SHARE_MSG = {
    name: {"invalid": f"Mức «{word}» của mục tiêu tỷ lệ hồ sơ trực tuyến phải là một số nguyên, ví dụ {example}.",
           "range": f"Mức «{word}» của mục tiêu tỷ lệ hồ sơ trực tuyến phải từ 0 đến 100 (%)."}
    for name, word, example in (("online_share_min", "từ", 30), ("online_share_max", "đến", 40))
}


# The name fields of the usual groups; a province writes e.g. "Sở, ban, ngành tỉnh", "Xã, phường, đặc khu".
GROUP_NAME_LABELS = {
    "department": "Tên nhóm các cơ quan, đơn vị (vd: Phòng, ban, ngành huyện; Sở, ban, ngành tỉnh)",
    "commune": "Tên nhóm các xã (vd: Xã, thị trấn; Xã, phường, đặc khu)",
}


class DeductionField(forms.IntegerField):
    """Points taken off a unit: typed as 5 or −5, both mean a deduction of 5, kept as −5 (the rubric's sign)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -MAX_VALUE)
        too_large = f"Số điểm trừ quá lớn: tối đa {format_int(MAX_VALUE)}."
        kwargs.setdefault("error_messages", {**_INT_MSG, "min_value": too_large})
        kwargs.setdefault("help_text", "Nhập số điểm bị trừ, ví dụ 5 hoặc −5: cả hai đều được hiểu là trừ 5 điểm.")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u2212", "-")  # the real minus sign, as the app shows negatives
        value = super().to_python(value)
        return None if value is None else -abs(value)


class PercentField(forms.IntegerField):
    """A whole percent, typed as 30, 30% or 30 %."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        return super().to_python(value)


class CampaignSettingsForm(forms.Form):
    deadline_day = forms.IntegerField(label="Hạn nộp báo cáo (ngày trong tháng)", min_value=1, max_value=31,
                                      error_messages=_INT_MSG)
    months = forms.CharField(label=MONTHS_LABEL, max_length=500)
    missing_points = DeductionField(label="Điểm trừ khi không báo cáo")
    untruthful_points = DeductionField(label="Điểm trừ khi báo cáo không trung thực")
    min_total = forms.IntegerField(label="Điểm tối thiểu để được xếp hạng", min_value=0,
                                   max_value=MAX_VALUE, error_messages=_INT_MSG)
    score_source = forms.ChoiceField(label="Nguồn số liệu chấm điểm", choices=Campaign.ScoreSource.choices)
    tolerance_percent = forms.DecimalField(label="Ngưỡng chênh lệch giữa báo cáo và Cổng (%)", min_value=0,
                                           max_value=100, decimal_places=2, error_messages=_INT_MSG)
    online_wording = forms.CharField(
        label="Cách gọi dịch vụ công trực tuyến (đứng sau «Hồ sơ …»)", max_length=ONLINE_WORDING_MAX,
        help_text="Ví dụ «trực tuyến mức độ 3, 4» (Kế hoạch 211 năm 2021) hoặc «trực tuyến toàn trình, một phần» "
                  "(theo Nghị định 42/2022/NĐ-CP). Dùng trên mẫu báo cáo tháng, trang thẩm định, tổng quan, bảng "
                  "tính và văn bản khen thưởng: «Hồ sơ trực tuyến toàn trình, một phần tiếp nhận trong tháng».",
        error_messages={"required": "Nhập cách gọi dịch vụ công trực tuyến, ví dụ «trực tuyến toàn trình, một phần».",
                        "max_length": f"Cách gọi dịch vụ công trực tuyến dài tối đa {ONLINE_WORDING_MAX} ký tự "
                                      "(hiện có %(show_value)s ký tự)."})
    online_share_min = PercentField(label="Mục tiêu tỷ lệ hồ sơ trực tuyến — từ (%)", required=False,
                                    error_messages=ONLINE_SHARE_MSG["online_share_min"])
    online_share_max = PercentField(label="Mục tiêu tỷ lệ hồ sơ trực tuyến — đến (%)", required=False,
                                    error_messages=ONLINE_SHARE_MSG["online_share_max"])
    reason = forms.CharField(label="Lý do điều chỉnh (ghi vào nhật ký)", max_length=500, required=False)
    # what the page was opened on: the campaign applied and its settings (campaigns.services.campaign_settings_check)
    campaign_code = forms.CharField(required=False, widget=forms.HiddenInput)
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        self.campaign = campaign
        data = campaign.rubric_data
        initial = {
            "campaign_code": campaign.code, "shown": settings_shown(campaign),
            "deadline_day": data["reports"]["deadline_day"],
            "months": format_months(data["reports"]["months"]),
            "missing_points": data["reports"]["missing_points"],
            "untruthful_points": data["reports"]["untruthful_points"],
            "min_total": data["eligibility"]["min_total"],
            "score_source": campaign.score_source,
            "tolerance_percent": campaign.tolerance_percent,
            "online_wording": campaign.online_wording,
            "online_share_min": (data.get("online_share_target") or {}).get("min"),
            "online_share_max": (data.get("online_share_target") or {}).get("max"),
        }
        self.criterion_fields: list[tuple[str, str, list[str]]] = []
        for group_key, group in data["groups"].items():
            initial[f"g__{group_key}"] = group["label"]
        for name, _, label in _award_labels(data):
            initial[name] = label
        for group_key, group in data["groups"].items():
            for index, criterion in enumerate(group["criteria"]):
                names = []
                for attr in NUMERIC_ATTRS:
                    if attr in criterion and criterion[attr] is not None:
                        name = f"c__{group_key}__{index}__{attr}"
                        names.append(name)
                        initial[name] = criterion[attr]
                self.criterion_fields.append((group["label"], criterion["label"], names))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.months_start = campaign.rubric.campaign.start
        self.fields["months"].label = months_label(self.months_start)
        for group_key in data["groups"]:
            self.fields[f"g__{group_key}"] = forms.CharField(
                label=GROUP_NAME_LABELS.get(group_key, f"Tên nhóm «{group_key}»"), max_length=120,
                error_messages={"required": "Nhập tên nhóm thi đua."})
        for name, words, _ in _award_labels(data):
            self.fields[name] = forms.CharField(label=words, max_length=200,
                                                error_messages={"required": "Nhập tên hình thức khen thưởng."})
        for group_key, group in data["groups"].items():
            for index, criterion in enumerate(group["criteria"]):
                for attr, label in NUMERIC_ATTRS.items():
                    if attr in criterion and criterion[attr] is not None:
                        self.fields[f"c__{group_key}__{index}__{attr}"] = RubricNumberField(
                            label=f"{criterion['label']} — {label}", fraction=criterion.get("type") == "rate",
                            minimum=0 if attr in NOT_NEGATIVE else None)

    def group_name_fields(self):
        return [self[name] for name in self.fields if name.startswith("g__")]

    def award_name_fields(self):
        return [self[name] for name in self.fields if name.startswith("a__")]

    def criterion_groups(self):
        return [(group, label, [self[name] for name in names]) for group, label, names in self.criterion_fields]

    def clean_online_wording(self):
        return " ".join(self.cleaned_data["online_wording"].split())

    def clean_months(self):
        months = parse_months(self.cleaned_data["months"], example=example_months(self.months_start)[0])
        if not months:
            raise forms.ValidationError("Cần ít nhất một tháng báo cáo.")
        return months

    def _clean_share(self, name: str):
        value = self.cleaned_data[name]
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(ONLINE_SHARE_MSG[name]["range"])
        return value

    def clean_online_share_min(self):
        return self._clean_share("online_share_min")

    def clean_online_share_max(self):
        return self._clean_share("online_share_max")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("online_share_min"), cleaned.get("online_share_max")
        if high is not None and low is None and "online_share_min" not in self.errors:
            self.add_error("online_share_min", "Nhập cả mức «từ» của mục tiêu tỷ lệ hồ sơ trực tuyến (hoặc để "
                                               "trống cả hai ô khi kế hoạch không đặt mục tiêu).")
        elif low is not None and high is not None and high < low:
            self.add_error("online_share_max", f"Mức «đến» của mục tiêu tỷ lệ hồ sơ trực tuyến ({high}%) không "
                                               f"được nhỏ hơn mức «từ» ({low}%).")
        return cleaned

    def online_share_fields(self):
        return [self["online_share_min"], self["online_share_max"]]

    def add_rubric_errors(self, error) -> None:
        """The rubric's problems (campaign_update_rubric) at the fields they concern, in their words."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return
        for problem in error.error_list:
            params = problem.params or {}
            field = self.field_for(params.get("path", "")) if "path" in params else None
            if field is not None:
                self.add_error(field, params["problem"][:1].upper() + params["problem"][1:] + ".")
            elif "path" in params:  # a value the form does not show: named in words, not by its rubric path
                self.add_error(None, f"{self.describe(params['path'])}: {params['problem']}.")
            else:
                self.add_error(None, problem.messages[0])

    def describe(self, path: str) -> str:
        """A rubric path in the words of the page: "groups.commune.criteria[0].points_no" → "Khối xã, thị
        trấn — Kế hoạch — Điểm khi không có"."""
        found = _CRITERION_PATH.fullmatch(path)
        groups = self.campaign.rubric_data["groups"]
        if found and found[1] in groups and int(found[2]) < len(groups[found[1]]["criteria"]):
            group = groups[found[1]]
            criterion = group["criteria"][int(found[2])]
            words = {**NUMERIC_ATTRS, "points_no": "Điểm khi không có"}.get(found[3], "giá trị")
            return f"{group.get('label', found[1])} — {criterion['label']} — {words}"
        return "Cấu hình tiêu chí không hợp lệ"

    def field_for(self, path: str) -> str | None:
        """The form field of a rubric path: "groups.commune.criteria[2].step" → "c__commune__2__step"."""
        found = _CRITERION_PATH.fullmatch(path)
        if found:
            name = f"c__{found[1]}__{found[2]}__{found[3]}"
        elif found := re.fullmatch(r"groups\.([^.]+)\.label", path):
            name = f"g__{found[1]}"
        elif found := re.fullmatch(r"awards\.(monthly|year_end\[(\d+)\])\.label", path):
            name = "a__monthly" if found[2] is None else f"a__year_end__{found[2]}"
        else:
            name = {"reports.deadline_day": "deadline_day", "reports.missing_points": "missing_points",
                    "reports.untruthful_points": "untruthful_points", "eligibility.min_total": "min_total",
                    "online_share_target.min": "online_share_min", "online_share_target.max": "online_share_max",
                    }.get(re.sub(r"\[\d+\]$", "", path), "months" if path.startswith("reports.months") else None)
        return name if name in self.fields else None

    def rubric_data(self) -> dict:
        """The campaign's rubric data with the edited values; load_rubric validates it afterwards."""
        data = copy.deepcopy(self.campaign.rubric_data)
        c = self.cleaned_data
        data["reports"]["deadline_day"] = c["deadline_day"]
        data["reports"]["months"] = c["months"]
        data["reports"]["missing_points"] = c["missing_points"]
        data["reports"]["untruthful_points"] = c["untruthful_points"]
        data["eligibility"]["min_total"] = c["min_total"]
        low, high = c["online_share_min"], c["online_share_max"]
        data["online_share_target"] = None if low is None else {"min": low, "max": high}
        for name, value in c.items():
            if name.startswith("g__"):
                data["groups"][name[3:]]["label"] = " ".join(value.split())
            elif name == "a__monthly":
                data["awards"]["monthly"]["label"] = " ".join(value.split())
            elif name.startswith("a__year_end__"):
                data["awards"]["year_end"][int(name.rsplit("__", 1)[1])]["label"] = " ".join(value.split())
        for name, value in c.items():
            if not name.startswith("c__"):
                continue
            _, group_key, index, attr = name.split("__")
            data["groups"][group_key]["criteria"][int(index)][attr] = value
        return data


def _award_labels(data: dict) -> list[tuple[str, str, str]]:
    """(field name, what the page calls it, the rubric's label) of each award the rubric names: a campaign made
    from Plan 211's rubric keeps «Giấy khen của Chủ tịch UBND huyện» until renamed here."""
    awards = data.get("awards") or {}
    fields = []
    if awards.get("monthly"):
        fields.append(("a__monthly", "Khen thưởng hằng tháng", awards["monthly"].get("label", "")))
    for index, award in enumerate(awards.get("year_end", [])):
        group = data["groups"].get(award["group"], {}).get("label", award["group"])
        fields.append((f"a__year_end__{index}", f"Khen thưởng cuối năm ({group})", award["label"]))
    return fields


class RubricNumberField(forms.CharField):
    """A number of the rubric as typed ("98,5"): whole unless ``fraction`` (a rate's), not below ``minimum``.
    Cleaned to an int, or the decimal's text for a fractional rate value, as the rubric data holds it."""

    def __init__(self, *, fraction: bool, minimum: int | None, **kwargs):
        super().__init__(max_length=20, **kwargs)
        self.fraction, self.minimum = fraction, minimum

    def clean(self, value):
        number = _number(super().clean(value), is_rate=self.fraction)
        if self.minimum is not None and Decimal(number) < self.minimum:
            raise forms.ValidationError(_INT_MSG["min_value"] % {"limit_value": self.minimum})
        return number


def _number(text: str, *, is_rate: bool):
    text = text.strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(f"«{text}» không phải là số.") from None
    if not value.is_finite() or abs(value) > MAX_VALUE:
        raise forms.ValidationError(f"Giá trị quá lớn: tối đa {format_int(MAX_VALUE)}.")
    if value == value.to_integral_value():
        return int(value)
    if not is_rate:
        raise forms.ValidationError(f"«{text}» phải là số nguyên.")
    return str(value)


FROM_FILE = "file"
MAX_RUBRIC_BYTES = 1024 * 1024


class CampaignCreateForm(forms.Form):
    """A new campaign: a built-in plan's rubric or an uploaded rubric file, with its own code, name,
    founding document and window; other blank fields keep the rubric's values (see campaign_create_from)."""

    source = forms.ChoiceField(label="Tiêu chí chấm điểm theo", error_messages={
        "required": "Hãy chọn tiêu chí theo mẫu hoặc tệp tiêu chí tự soạn.",
        "invalid_choice": "Hãy chọn tiêu chí theo mẫu hoặc tệp tiêu chí tự soạn."})
    rubric_file = forms.FileField(label="Tệp tiêu chí (.json)", required=False,
                                  error_messages={"empty": "Tệp tiêu chí rỗng (0 byte)."})
    code = forms.CharField(
        label="Mã phong trào", max_length=64,
        help_text="Chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ dvc-2026; không đổi được về sau.",
        error_messages={"required": "Cần đặt mã cho phong trào.", "max_length": "Mã phong trào dài tối đa 64 ký tự."})
    name = forms.CharField(label="Tên phong trào", max_length=300, required=False,
                           help_text="Bắt buộc khi theo mẫu; với tệp tự soạn, để trống thì giữ tên trong tệp.")
    document = forms.CharField(label="Văn bản phát động", max_length=300, required=False,
                               help_text="Ví dụ: Kế hoạch số 15/KH-UBND ngày 10/01/2026 của Ủy ban nhân dân tỉnh …")
    start = VnDateField(label="Ngày bắt đầu thi đua", required=False)
    end = VnDateField(label="Ngày kết thúc thi đua", required=False)
    months = forms.CharField(
        label=MONTHS_LABEL, max_length=500, required=False,
        help_text="Để trống: mọi tháng có hạn báo cáo nằm trong thời gian thi đua.")
    online_wording = forms.CharField(
        label="Cách gọi dịch vụ công trực tuyến (đứng sau «Hồ sơ …»)", max_length=ONLINE_WORDING_MAX, required=False,
        help_text=f"Để trống: «{PLAN_211_ONLINE_WORDING}» (như Kế hoạch 211) nếu thi đua bắt đầu trước ngày "
                  f"{DECREE_42_IN_FORCE:%d/%m/%Y}, «{DECREE_42_ONLINE_WORDING}» (Nghị định 42/2022/NĐ-CP) từ ngày "
                  "đó. Sửa được về sau trên trang Cấu hình.",
        error_messages={"max_length": f"Cách gọi dịch vụ công trực tuyến dài tối đa {ONLINE_WORDING_MAX} ký tự "
                                      "(hiện có %(show_value)s ký tự)."})
    activate = forms.BooleanField(label="Áp dụng ngay (các trang hiển thị phong trào này)", required=False,
                                  initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(code, f"Mẫu: {rubric.document or rubric.name}") for code, rubric in builtin_rubrics().items()]
        self.fields["source"].choices = [*choices, (FROM_FILE, "Tệp tiêu chí tự soạn (.json)")]
        self.base_data: dict | None = None

    def clean_code(self):
        code = self.cleaned_data["code"].strip().lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", code):
            raise forms.ValidationError(
                "Mã phong trào chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ dvc-2026.")
        return code

    def clean_months(self):
        # the window's first month as the example once typed (start is cleaned before the months)
        return parse_months(self.cleaned_data["months"], example=example_months(self.cleaned_data.get("start"))[0])

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == FROM_FILE:
            upload = cleaned.get("rubric_file")
            if upload is None:
                self.add_error("rubric_file", "Hãy chọn tệp tiêu chí (.json).")
            elif upload.size > MAX_RUBRIC_BYTES:
                self.add_error("rubric_file", "Tệp tiêu chí quá lớn (tối đa 1 MB).")
            else:
                try:
                    self.base_data = rubric_file_data(upload.read())
                except ValidationError as exc:
                    self.add_error("rubric_file", exc)
        elif source:
            self.base_data = builtin_rubrics()[source].to_data()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
        return cleaned

    def overrides(self) -> dict:
        c = self.cleaned_data
        return {"code": c["code"], "name": c["name"], "document": c["document"], "start": c["start"],
                "end": c["end"], "months": c["months"] or None, "online_wording": c["online_wording"],
                "activate": c["activate"]}
