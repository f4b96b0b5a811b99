"""Spreadsheet downloads (/xuat/…): staff only."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from thidua.awards import exports
from thidua.awards.views.common import get_campaign
from thidua.units.permissions import staff_view_required

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@staff_view_required
def export(request, name: str, fmt: str):
    if name not in exports.EXPORTS or fmt not in CONTENT_TYPES:
        raise Http404("Không có bảng xuất này.")
    content = exports.render(get_campaign(), name, fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
