"""The administrator's campaign pages: the list (create one, choose the one applied) and the settings."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from thidua.campaigns.forms import CampaignCreateForm, CampaignSettingsForm
from thidua.campaigns.models import Campaign
from thidua.campaigns.selectors import active_campaign, campaign_rows, settings_shown
from thidua.campaigns.services import (
    SettingsMovedOn,
    campaign_activate,
    campaign_create_from,
    campaign_settings_check,
    campaign_update_options,
    campaign_update_rubric,
)
from thidua.reports.views.common import get_campaign
from thidua.units.permissions import admin_required


@admin_required
def campaign_settings(request):
    campaign = get_campaign()
    form = CampaignSettingsForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if "shown" in request.POST:  # a page of this site: checked against what it showed
                    campaign_settings_check(campaign=campaign, code=form.cleaned_data["campaign_code"],
                                            shown=form.cleaned_data["shown"])
                data = form.rubric_data()
                campaign_update_rubric(campaign=campaign, actor=request.user, data=data,
                                       reason=form.cleaned_data["reason"])
                campaign_update_options(campaign=campaign, actor=request.user,
                                        score_source=form.cleaned_data["score_source"],
                                        tolerance_percent=form.cleaned_data["tolerance_percent"],
                                        online_wording=form.cleaned_data["online_wording"])
        except SettingsMovedOn as exc:
            if exc.switched:  # the page's values were another campaign's: this one's settings are shown afresh
                messages.error(request, exc.messages[0])
                return redirect("campaign-settings")
            form.add_error(None, exc.messages[0])
            form.data = form.data.copy()  # sent again, the values typed are saved over the settings now in force
            form.data["shown"] = settings_shown(Campaign.objects.get(pk=campaign.pk))
        except (ValidationError, django_forms.ValidationError) as exc:
            form.add_rubric_errors(exc)
        else:
            messages.success(request, "Đã lưu cấu hình; điểm của các đơn vị được tính lại theo cấu hình mới.")
            return redirect("campaign-settings")
    return render(request, "campaigns/settings.html", {"campaign": campaign, "form": form})


@admin_required
def campaign_list(request):
    form = CampaignCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create_from(base=form.base_data, actor=request.user, **form.overrides())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if campaign.active:
                messages.success(request, f"Đã tạo và áp dụng phong trào «{campaign.name}». Hãy kiểm tra cấu hình "
                                          "(hạn báo cáo, điểm, ngưỡng) trước khi các đơn vị báo cáo.")
                return redirect("campaign-settings")
            messages.success(request, f"Đã tạo phong trào «{campaign.name}» (chưa áp dụng).")
            return redirect("campaign-list")
    return render(request, "campaigns/list.html", {"rows": campaign_rows(), "form": form, "current": active_campaign()})


@admin_required
@require_POST
def campaign_activate_view(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    campaign = campaign_activate(campaign=campaign, actor=request.user)
    messages.success(request, f"Đã áp dụng phong trào «{campaign.name}»: các trang, báo cáo và bảng xếp hạng từ nay "
                              "theo phong trào này.")
    return redirect("campaign-list")
