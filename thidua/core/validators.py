"""Password rules in Vietnamese (Django's Vietnamese catalogue leaves the length rule in English)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.",
                                  code="password_too_short", params={"min_length": self.min_length})

    def get_help_text(self):
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."
