"""The form that makes a personal access token."""

from __future__ import annotations

from django import forms

from thidua.api.services import EXPIRY_CHOICES


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="Tên gợi nhớ", max_length=100,
                           help_text="Dùng mã này ở đâu, để nhận ra sau này, ví dụ «Bảng điều khiển tỉnh», «Excel "
                                     "tổng hợp của phòng».",
                           error_messages={"required": "Đặt tên cho mã để nhận ra nó sau này.",
                                           "max_length": "Tên dài tối đa 100 ký tự."})
    expires_in_days = forms.TypedChoiceField(
        label="Thời hạn", coerce=int, empty_value=None, initial="90", required=False,  # "": never expires
        choices=[*[(str(days), f"{days} ngày") for days in EXPIRY_CHOICES], ("", "Không hết hạn")],
        help_text="Hết thời hạn, mã không dùng được nữa; mã không hết hạn vẫn thôi hiệu lực khi bị thu hồi, khi "
                  "đổi mật khẩu hoặc khi tài khoản bị khóa.")
