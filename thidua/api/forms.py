"""The form that makes a personal access token."""

from __future__ import annotations

from django import forms

from thidua.api.services import EXPIRY_CHOICES
from thidua.core.cache import count_in_window, count_so_far


class ApiTokenForm(forms.Form):
    """A token outlives the session it is made in, so its owner's password is asked again (as Thông tin cá nhân
    asks it to change the email): a session left open on a shared computer must not hand out lasting access."""

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
    current_password = forms.CharField(
        label="Mật khẩu hiện tại", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Mã truy cập dùng được cả khi bạn đã đăng xuất, nên tạo mã phải nhập lại mật khẩu.",
        error_messages={"required": "Nhập mật khẩu hiện tại để tạo mã."})

    # Wrong passwords typed here before the form is held off for an hour (as ProfileForm's email change).
    PASSWORD_TRIES = 5

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def tries_key(self) -> str:
        return f"api-token-password-tries:{self.user.pk}:{self.user.date_joined.timestamp()}"

    def clean_current_password(self):
        key, password = self.tries_key(), self.cleaned_data["current_password"]
        if count_so_far(key) >= self.PASSWORD_TRIES:
            raise forms.ValidationError(f"Đã nhập sai mật khẩu {self.PASSWORD_TRIES} lần; hãy thử lại sau một giờ.")
        if not self.user.check_password(password):
            count_in_window(key)  # a cache that cannot count: logged, no limit (never an error page)
            raise forms.ValidationError("Mật khẩu hiện tại chưa đúng; mã chưa được tạo.")
        return password
