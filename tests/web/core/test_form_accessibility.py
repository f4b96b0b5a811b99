"""What a screen reader reads with a field: Django points each field at its help text and its errors
(aria-describedby="id_x_helptext id_x_error"); the page must hold elements with those ids, or the
reader announces the field alone and the reporter never hears what is wrong with it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for target in (attrs.get("aria-describedby") or "").split():
            self.described.append((attrs.get("name") or tag, target))


def dangling(html: str) -> list[tuple[str, str]]:
    parser = _Ids()
    parser.feed(html)
    return [(name, target) for name, target in parser.described if target not in parser.ids]


def described(html: str) -> int:
    parser = _Ids()
    parser.feed(html)
    return len(parser.described)


BAD_REPORT = {"new_accounts": "1.234", "procedures": "", "dossiers_online": "", "due": "98,5",
              "resolved_on_time": "", "dossiers_in_person": "12", "initiatives": "", "note": ""}


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_report_form_points_each_field_at_its_help_and_its_errors(campaign, personas, client_for, settings,
                                                                      method):
    settings.THIDUA_NOW = "2021-07-20T09:00:00+07:00"
    client = client_for(personas["commune_reporter"])
    url = reverse("report-submit", args=["2021-07"])
    html = (client.get(url) if method == "get" else client.post(url, BAD_REPORT)).content.decode()
    assert described(html) >= (4 if method == "get" else 7)
    assert dangling(html) == []
    if method == "post":
        parser = _Ids()
        parser.feed(html)
        assert {"id_due_error", "id_due_helptext", "id_resolved_on_time_error"} <= parser.ids


def test_the_reviewers_entry_form_points_each_field_at_its_help_and_its_errors(campaign, personas, client_for,
                                                                              settings):
    settings.THIDUA_NOW = "2021-07-28T09:00:00+07:00"
    client = client_for(personas["reviewer"])
    html = client.post(reverse("report-enter", args=["X-TAN-HOA", "2021-07"]), BAD_REPORT).content.decode()
    assert described(html) >= 7
    assert dangling(html) == []


def test_the_password_change_shows_the_rules_under_the_new_password_and_points_at_them(campaign, personas,
                                                                                      client_for):
    client = client_for(personas["commune_reporter"])
    html = client.post(reverse("password-change"),
                       {"old_password": "sai", "new_password1": "123", "new_password2": "456"}).content.decode()
    assert dangling(html) == []
    assert 'id="id_new_password1_helptext"' in html and "Mật khẩu cần ít nhất 8 ký tự." in html


def test_the_campaign_settings_point_each_field_at_its_help(campaign, personas, client_for):
    client = client_for(personas["admin"])
    for name in ("campaign-settings", "campaign-list"):
        html = client.get(reverse(name)).content.decode()
        assert described(html) >= 1
        assert dangling(html) == [], name
