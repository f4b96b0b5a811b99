"""Spreadsheet downloads (/xuat/…): staff only."""

from __future__ import annotations

from django.http import Http404

from thidua.awards import exports
from thidua.awards.views.common import campaign_shown
from thidua.core.downloads import SPREADSHEET_TYPES, attachment
from thidua.units.permissions import staff_view_required


@staff_view_required
def export(request, name: str, fmt: str):
    if name not in exports.EXPORTS or fmt not in SPREADSHEET_TYPES:
        raise Http404("Không có bảng xuất này.")
    return attachment(exports.render(campaign_shown(request), name, fmt), f"{name}.{fmt}", SPREADSHEET_TYPES[fmt])
