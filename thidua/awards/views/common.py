"""Helpers shared by the awards views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from thidua.reports.views.common import (
    campaign_redirect,
    campaign_shown,
    campaign_to_change,
    form_errors_as_messages,
    get_campaign,
)

__all__ = ["campaign_redirect", "campaign_shown", "campaign_to_change", "form_errors_as_messages", "get_campaign",
           "report_errors"]


def report_errors(request, exc: ValidationError, form=None) -> None:
    """Show a service's ValidationError: on the form's fields when it names them, else as messages."""
    if form is not None and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    for message in exc.messages:
        if form is not None:
            form.add_error(None, message)
        else:
            messages.error(request, message)
