"""Files the application hands to the browser to save (spreadsheets, documents, archives)."""

from __future__ import annotations

from django.http import HttpResponse

SPREADSHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """``content`` to be saved as ``filename`` (the browser does not open it in the page)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
