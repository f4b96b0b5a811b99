"""The campaign settings form, generated from the rubric data so any plan like Plan 211 can be edited."""

from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation

from django import forms

from thidua.campaigns.models import Campaign

NUMERIC_ATTRS = {
    "points_yes": "Điểm khi có",
    "threshold": "Ngưỡng",
    "base_points": "Điểm khi đạt ngưỡng",
    "step": "Bước tăng",
    "points_per_step": "Điểm cộng mỗi bước",
    "below_threshold_points": "Điểm khi dưới ngưỡng",
    "zero_points": "Điểm khi bằng 0",
}
# Our own wording: Django's Vietnamese catalogue reads "lớn hơn hoặc bằng với 1 ." here.
_INT_MSG = {
    "required": "Vui lòng nhập giá trị.",
    "invalid": "Vui lòng nhập một số.",
    "min_value": "Giá trị phải lớn hơn hoặc bằng %(limit_value)s.",
    "max_value": "Giá trị phải nhỏ hơn hoặc bằng %(limit_value)s.",
    "max_decimal_places": "Chỉ được nhập tối đa %(max)s chữ số thập phân.",
    "max_digits": "Chỉ được nhập tối đa %(max)s chữ số.",
}


class CampaignSettingsForm(forms.Form):
    deadline_day = forms.IntegerField(label="Hạn nộp báo cáo (ngày trong tháng)", min_value=1, max_value=31,
                                      error_messages=_INT_MSG)
    months = forms.CharField(label="Các tháng báo cáo (YYYY-MM, cách nhau bởi dấu phẩy)", max_length=500)
    missing_points = forms.IntegerField(label="Điểm trừ khi không báo cáo", max_value=0, error_messages=_INT_MSG)
    untruthful_points = forms.IntegerField(label="Điểm trừ khi báo cáo không trung thực", max_value=0,
                                           error_messages=_INT_MSG)
    min_total = forms.IntegerField(label="Điểm tối thiểu để được xếp hạng", error_messages=_INT_MSG)
    score_source = forms.ChoiceField(label="Nguồn số liệu chấm điểm", choices=Campaign.ScoreSource.choices)
    tolerance_percent = forms.DecimalField(label="Ngưỡng chênh lệch giữa báo cáo và Cổng (%)", min_value=0,
                                           max_value=100, decimal_places=2, error_messages=_INT_MSG)
    reason = forms.CharField(label="Lý do điều chỉnh (ghi vào nhật ký)", max_length=500, required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        self.campaign = campaign
        data = campaign.rubric_data
        initial = {
            "deadline_day": data["reports"]["deadline_day"],
            "months": ", ".join(data["reports"]["months"]),
            "missing_points": data["reports"]["missing_points"],
            "untruthful_points": data["reports"]["untruthful_points"],
            "min_total": data["eligibility"]["min_total"],
            "score_source": campaign.score_source,
            "tolerance_percent": campaign.tolerance_percent,
        }
        self.criterion_fields: list[tuple[str, str, list[str]]] = []
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
        for group_key, group in data["groups"].items():
            for index, criterion in enumerate(group["criteria"]):
                for attr, label in NUMERIC_ATTRS.items():
                    if attr in criterion and criterion[attr] is not None:
                        self.fields[f"c__{group_key}__{index}__{attr}"] = forms.CharField(
                            label=f"{criterion['label']} — {label}", max_length=20)

    def criterion_groups(self):
        return [(group, label, [self[name] for name in names]) for group, label, names in self.criterion_fields]

    def clean_months(self):
        months = [m.strip() for m in self.cleaned_data["months"].split(",") if m.strip()]
        if not months:
            raise forms.ValidationError("Cần ít nhất một tháng báo cáo.")
        bad = [m for m in months if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", m)]
        if bad:
            raise forms.ValidationError(
                f"«{bad[0]}» không phải là tháng hợp lệ; ghi theo dạng năm-tháng, ví dụ 2021-06.")
        return months

    def rubric_data(self) -> dict:
        """The campaign's rubric data with the edited values; load_rubric validates it afterwards."""
        data = copy.deepcopy(self.campaign.rubric_data)
        c = self.cleaned_data
        data["reports"]["deadline_day"] = c["deadline_day"]
        data["reports"]["months"] = c["months"]
        data["reports"]["missing_points"] = c["missing_points"]
        data["reports"]["untruthful_points"] = c["untruthful_points"]
        data["eligibility"]["min_total"] = c["min_total"]
        for name, value in c.items():
            if not name.startswith("c__"):
                continue
            _, group_key, index, attr = name.split("__")
            criterion = data["groups"][group_key]["criteria"][int(index)]
            criterion[attr] = _number(value, is_rate=criterion.get("type") == "rate")
        return data


def _number(text: str, *, is_rate: bool):
    text = text.strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(f"«{text}» không phải là số.") from None
    if value == value.to_integral_value():
        return int(value)
    if not is_rate:
        raise forms.ValidationError(f"«{text}» phải là số nguyên.")
    return str(value)
