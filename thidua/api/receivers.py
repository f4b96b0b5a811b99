"""An account deactivated (the admin's «Đang hoạt động» unticked, or any other save) loses its API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="thidua-api-tokens-end-when-inactive")
def end_tokens_of_inactive_user(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or created or instance.is_active:
        return
    from thidua.api.services import api_tokens_end_for_inactive

    api_tokens_end_for_inactive(user=instance)
