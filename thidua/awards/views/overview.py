"""The awards overview: flags first, the monthly awards, the year-end standing and the budget."""

from __future__ import annotations

from django.shortcuts import render

from thidua.awards import dossier, selectors
from thidua.awards.views.common import campaign_shown
from thidua.units.permissions import staff_view_required


@staff_view_required
def awards_home(request):
    campaign = campaign_shown(request)
    budget_rows, budget_total = selectors.budget(campaign)
    return render(request, "awards/home.html", {
        "campaign": campaign, "months": selectors.monthly_overview(campaign),
        "flagged": selectors.flagged_awards(campaign), "standing": selectors.year_end_standing(campaign),
        "locked": selectors.is_locked(campaign), "budget_rows": budget_rows, "budget_total": budget_total,
        "deadline": selectors.dossier_deadline(campaign), "monthly": campaign.rubric.awards.monthly,
        "issuer": dossier.district_info(campaign),
    })
