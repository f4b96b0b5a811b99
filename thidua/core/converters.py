"""URL converters shared by the apps' URL patterns."""

from __future__ import annotations

from django.urls import register_converter


class MonthConverter:
    """A calendar month as "YYYY-MM" (01–12): "2021-13" or "abcd-ef" match no page (404)."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MonthConverter, "month")
