"""Form fields shared by the apps: dates are typed as dd/mm/yyyy; uploads of data files have a size limit."""

from __future__ import annotations

import threading

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from thidua.scoring.text import format_size_over

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

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # written right but not a day of the calendar (31/02/1990): say so, not "use dd/mm/yyyy"
            parts = str(value).strip().split("/")
            if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
                message = f"Ngày {value.strip()} không có trên lịch; hãy kiểm tra lại ngày và tháng."
                raise forms.ValidationError(message, code="invalid") from None
            raise


class ImportFileField(forms.FileField):
    """An uploaded data file (registry, portal export): refused over THIDUA_MAX_IMPORT_BYTES, or as a workbook
    whose sheet spans more cells than can be read (thidua.portal.parsing.check_sheet_extent)."""

    def validate(self, value):
        super().validate(value)
        from django.conf import settings

        limit = settings.THIDUA_MAX_IMPORT_BYTES
        if value and value.size > limit:
            size_text, limit_text = format_size_over(value.size, limit)
            raise forms.ValidationError(f"Tệp quá lớn ({size_text}), vượt giới hạn {limit_text}.")
        if value:
            # a workbook whose cells lie far apart would be laid out whole when read, and kill the server's worker
            from thidua.portal.parsing import PortalFileError, check_sheet_extent

            try:
                check_sheet_extent(value, name=value.name)
            except PortalFileError as exc:
                raise forms.ValidationError(exc.message) from None


class SignInForm(AuthenticationForm):
    """The sign-in form with its refusals worded plainly."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng (mật khẩu phân biệt chữ hoa, chữ thường). "
                         "Nhập sai nhiều lần liên tiếp, tài khoản sẽ bị tạm khóa trên máy này.",
        "inactive": "Tài khoản này đã ngừng hoạt động; đề nghị quản trị hệ thống kiểm tra.",
    }

    def clean_username(self):
        # AuthenticationForm sets the field's max_length without checking it; a longer name is no account's,
        # and the lockout's record of the attempt could not hold it (PostgreSQL: an error 500)
        username = self.cleaned_data["username"]
        limit = self.fields["username"].max_length
        if limit and len(username) > limit:
            raise forms.ValidationError(f"dài tối đa {limit} ký tự (hiện có {len(username)}).")
        # a phone's keyboard writes «X-tan-hoa» for «x-tan-hoa»: the one account whose name differs only in case
        # is meant (the exact name first; two such accounts are never guessed between)
        model = get_user_model()
        if not model.objects.filter(username=username).exists():
            names = list(model.objects.filter(username__iexact=username).values_list("username", flat=True)[:2])
            if len(names) == 1:
                username = names[0]
        return username


class ProfileForm(forms.Form):
    """What a user keeps up to date about themselves: the name printed on documents and lists, and the
    address that deadline reminders go to."""

    last_name = forms.CharField(label="Họ", max_length=150, required=False)
    first_name = forms.CharField(label="Tên đệm và tên", max_length=150, required=False)
    position = forms.CharField(label="Chức vụ", max_length=120, required=False)
    email = forms.EmailField(label="Email", required=False,
                             error_messages={"invalid": "Địa chỉ email chưa đúng, ví dụ canbo@example.gov.vn."})
    current_password = forms.CharField(
        label="Mật khẩu hiện tại (chỉ cần khi đổi email)", required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Email dùng để lấy lại mật khẩu khi quên, nên đổi email phải nhập mật khẩu của tài khoản.")

    # Wrong passwords typed here before a user is held off for an hour: the form would otherwise let whoever
    # finds a session left open on a shared computer guess the password, then move the account to their email.
    PASSWORD_TRIES = 5

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def tries_key(self) -> str:
        # the account's creation time too: an id used again (a database restored, the tests' rollbacks) starts afresh
        return f"profile-password-tries:{self.user.pk}:{self.user.date_joined.timestamp()}"

    def email_changed(self) -> bool:
        """A new address (not the same one in other letter case)."""
        email = (self.cleaned_data.get("email") or "").strip()
        return email.lower() != (self.user.email or "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned and cleaned["email"] and self.email_changed():
            from thidua.core.cache import count_in_window, count_so_far

            key, password = self.tries_key(), cleaned.get("current_password") or ""
            if count_so_far(key) >= self.PASSWORD_TRIES:
                self.add_error("current_password", f"Đã nhập sai mật khẩu {self.PASSWORD_TRIES} lần; hãy thử lại sau "
                                                   "một giờ, hoặc nhờ quản trị hệ thống đổi email giúp.")
            elif not password:
                self.add_error("current_password", "Nhập mật khẩu hiện tại để đổi email.")
            elif not self.user.check_password(password):
                count_in_window(key)
                self.add_error("current_password", "Mật khẩu hiện tại chưa đúng; email chưa được đổi.")
        return cleaned


class PasswordResetRequestForm(PasswordResetForm):
    """"Quên mật khẩu": the address the account gave on Thông tin cá nhân.

    The email goes out in a thread (THIDUA_RESET_EMAIL_AFTER_RESPONSE), so that the page answers as soon for an
    address with an account as for one without: the mail server's time would tell them apart. Django's
    ``send_mail`` logs a mail server that fails, in the thread as in the request."""

    def send_mail(self, *args, **kwargs):
        from django.conf import settings

        if not settings.THIDUA_RESET_EMAIL_AFTER_RESPONSE:
            return super().send_mail(*args, **kwargs)
        send = super().send_mail
        threading.Thread(target=send, args=args, kwargs=kwargs, name="thidua-reset-email", daemon=True).start()
        return None

    email = forms.EmailField(label="Email của tài khoản", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"required": "Vui lòng nhập email của tài khoản.",
                                             "invalid": "Địa chỉ email chưa đúng, ví dụ canbo@example.gov.vn."})
