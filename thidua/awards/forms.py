"""Forms of the awards screens; dates are typed as dd/mm/yyyy."""

from __future__ import annotations

from django import forms

from thidua.awards.models import Nomination
from thidua.awards.services import KEEP, REVOKE
from thidua.core.forms import VnDateField
from thidua.documents import ISSUER_KINDS


class DocumentNumberField(forms.CharField):
    """A document's number and symbol as typed ("125/QĐ-UBND"); the services check its form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("error_messages", {"required": "Cần nhập số, ký hiệu văn bản.",
                                             "max_length": "Số, ký hiệu văn bản dài tối đa 50 ký tự."})
        super().__init__(**kwargs)


class TimeField(forms.TimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%H:%M", "%Hg%M", "%Hh%M"])
        # shown as it is typed (a TextInput showed a time as 14:00:00, which the field then refused)
        kwargs.setdefault("widget", forms.TimeInput(format="%H:%M", attrs={"placeholder": "14:00"}))
        kwargs.setdefault("error_messages", {"invalid": "Nhập giờ theo dạng 14:00.", "required": "Cần nhập giờ."})
        super().__init__(**kwargs)


class MonthlyDecisionForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị được khen thưởng",
                             error_messages={"invalid_choice": "Đơn vị không thuộc danh sách đủ điều kiện."})
    ceremony_date = VnDateField(label="Ngày trao tại lễ chào cờ (dd/mm/yyyy)")
    reason = forms.CharField(label="Lý do (bắt buộc khi chọn đơn vị khác với đề xuất)", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    shown = forms.CharField(required=False, widget=forms.HiddenInput)  # the award the page showed (award_shown)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = choices


class FlagAnswerForm(forms.Form):
    """The Head of the Home Affairs Office's answer to a flagged monthly award."""

    outcome = forms.ChoiceField(label="Kết luận", widget=forms.RadioSelect, choices=[
        (KEEP, "Giữ nguyên khen thưởng"), (REVOKE, "Thu hồi khen thưởng (tháng được xét lại)")],
        error_messages={"required": "Vui lòng chọn giữ nguyên hoặc thu hồi khen thưởng.",
                        "invalid_choice": "Vui lòng chọn giữ nguyên hoặc thu hồi khen thưởng."})
    conclusion = forms.CharField(label="Nội dung kết luận xem xét", max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": "Cần ghi rõ kết luận xem xét."})


class NominationForm(forms.ModelForm):
    birth_date = VnDateField(label="Ngày sinh (dd/mm/yyyy, không bắt buộc)", required=False)

    class Meta:
        model = Nomination
        fields = ["full_name", "position", "achievement", "birth_date", "gender"]
        widgets = {"achievement": forms.Textarea(attrs={"rows": 3, "maxlength": 1000})}
        labels = {"achievement": "Thành tích tóm tắt", "gender": "Giới tính (không bắt buộc)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", "— Không ghi —"), *self.fields["gender"].choices[1:]]


class DistrictOfficialsForm(forms.Form):
    issuer_kind = forms.ChoiceField(
        label="Cơ quan ban hành Quyết định khen thưởng",
        choices=[(key, label) for key, (_, _, label) in ISSUER_KINDS.items()],
        help_text="Cấp huyện: Phòng Nội vụ trình, Chủ tịch tặng Giấy khen. Cấp tỉnh: Sở Nội vụ trình, "
                  "Chủ tịch tặng Bằng khen.")
    district = forms.CharField(label="Tên huyện, thị xã hoặc thành phố thuộc tỉnh (bỏ trống nếu do cấp tỉnh ban hành)",
                               max_length=80, required=False)
    province = forms.CharField(label="Tên tỉnh, thành phố trực thuộc Trung ương", max_length=80)
    chairman_name = forms.CharField(label="Chủ tịch UBND (ký Quyết định, Giấy khen hoặc Bằng khen)", max_length=120)
    head_of_home_affairs_name = forms.CharField(
        label="Trưởng phòng Nội vụ hoặc Giám đốc Sở Nội vụ (ký Tờ trình, Bảng tổng hợp)", max_length=120)
    plan_number = DocumentNumberField(label="Số, ký hiệu kế hoạch phát động (vd: 211/KH-UBND)", required=False)
    plan_date = VnDateField(label="Ngày ban hành kế hoạch (dd/mm/yyyy)", required=False)
    plan_title = forms.CharField(label="Trích yếu kế hoạch (phần sau chữ «về»)", max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    movement = forms.CharField(label="Tên đầy đủ của phong trào (trong nội dung văn bản)", max_length=1000,
                               required=False, widget=forms.Textarea(attrs={"rows": 2}))
    movement_short = forms.CharField(label="Tên ngắn của phong trào (trong trích yếu văn bản)", max_length=300,
                                     required=False)
    legal_basis = forms.CharField(label="Căn cứ pháp lý của Quyết định khen thưởng (mỗi dòng một căn cứ)",
                                  max_length=6000, required=False, widget=forms.Textarea(attrs={"rows": 6}))


class MeetingForm(forms.Form):
    date = VnDateField(label="Ngày họp (dd/mm/yyyy)")
    time_start = TimeField(label="Giờ bắt đầu")
    time_end = TimeField(label="Giờ kết thúc")
    place = forms.CharField(label="Địa điểm", max_length=200)
    chair_name = forms.CharField(label="Chủ trì: họ và tên", max_length=120)
    chair_position = forms.CharField(label="Chủ trì: chức vụ", max_length=160)
    secretary_name = forms.CharField(label="Thư ký: họ và tên", max_length=120)
    secretary_position = forms.CharField(label="Thư ký: chức vụ", max_length=160)
    members_present = forms.CharField(
        label="Thành viên có mặt (mỗi dòng một người: Họ tên - Chức vụ)", required=False,
        widget=forms.Textarea(attrs={"rows": 5}))
    members_absent = forms.CharField(
        label="Thành viên vắng mặt (mỗi dòng: Họ tên - Chức vụ (lý do))", required=False,
        widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        start, end = data.get("time_start"), data.get("time_end")
        if start and end and end <= start:
            self.add_error("time_end", "Giờ kết thúc phải sau giờ bắt đầu.")
        return data


class SignedForm(forms.Form):
    signed_on = VnDateField(label="Ngày ký, nộp")
    number = DocumentNumberField(label="Số, ký hiệu (không bắt buộc)", required=False)


class DecisionNumberForm(forms.Form):
    decision_number = DocumentNumberField(label="Số, ký hiệu Quyết định (vd: 125/QĐ-UBND)")
    decision_date = VnDateField(label="Ngày ký Quyết định (dd/mm/yyyy)")
    decided = forms.CharField(required=False, widget=forms.HiddenInput)  # the decision shown (award_decided)
