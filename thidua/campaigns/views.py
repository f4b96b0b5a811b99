"""The administrator's campaign settings page."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render

from thidua.campaigns.forms import CampaignSettingsForm
from thidua.campaigns.services import campaign_update_options, campaign_update_rubric
from thidua.reports.views.common import get_campaign
from thidua.units.permissions import admin_required


@admin_required
def campaign_settings(request):
    campaign = get_campaign()
    form = CampaignSettingsForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = form.rubric_data()
                campaign_update_rubric(campaign=campaign, actor=request.user, data=data,
                                       reason=form.cleaned_data["reason"])
                campaign_update_options(campaign=campaign, actor=request.user,
                                        score_source=form.cleaned_data["score_source"],
                                        tolerance_percent=form.cleaned_data["tolerance_percent"])
        except (ValidationError, django_forms.ValidationError) as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Đã lưu cấu hình; điểm của các đơn vị được tính lại theo cấu hình mới.")
            return redirect("campaign-settings")
    return render(request, "campaigns/settings.html", {"campaign": campaign, "form": form})
