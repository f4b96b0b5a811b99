"""The admin's user page: the app's roles, not Django's groups and permissions, and no English."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from thidua.units.models import User

pytestmark = pytest.mark.django_db

ENGLISH = ("Choose", "Remove all", "Can add", "Can change", "Can delete", "Can view", "log entry", "superuser",
           "staff")
WIDGETS = ('name="groups"', 'name="user_permissions"', "selectfilter", "SelectFilter2.js")


def _text(html: str) -> str:
    """What the page shows: its text and its attributes' values a person reads."""
    html = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
    shown = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    return " ".join([re.sub(r"<[^>]+>", " ", html), *shown])


def test_the_user_page_has_no_django_groups_or_permissions_and_no_english(client):
    boss = User.objects.create_superuser(username="quan-tri", password="mat-khau-thu-nghiem")
    client.force_login(boss)
    html = client.get(f"/quan-tri/units/user/{boss.pk}/change/").content.decode()
    for widget in WIDGETS:
        assert widget not in html, widget
    text = _text(html)
    for english in ENGLISH:
        assert english not in text, english
    assert "Các nhóm" not in text and "Quyền của người sử dụng" not in text
    assert "Toàn quyền quản trị" in text and "Được vào trang quản trị" in text
    assert "Vai trò trong phong trào" in text


def test_saving_the_user_page_keeps_the_roles_and_the_full_rights(client, campaign):
    boss = User.objects.create_superuser(username="quan-tri", password="mat-khau-thu-nghiem")
    client.force_login(boss)
    other = User.objects.create_user(username="thamdinh", password="mat-khau-thu-nghiem", role="reporter")
    response = client.post(f"/quan-tri/units/user/{other.pk}/change/", {
        "username": "thamdinh", "last_name": "Lê", "first_name": "Văn An", "email": "",
        "is_active": "on", "is_staff": "on", "is_superuser": "on", "role": "reviewer", "unit": "", "position": "",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "01/01/2021", "date_joined_1": "08:00:00",
    })
    assert response.status_code == 302, response.content.decode()
    other.refresh_from_db()
    assert other.role == "reviewer" and other.is_superuser and other.is_staff


def test_no_admin_page_offers_django_groups_or_permissions(client):
    """Nothing in the app reads them (roles do), so no page sets them: no English permission names and no
    two-box chooser, whose words Django's Vietnamese catalog lacks."""
    assert Group not in admin.site._registry
    client.force_login(User.objects.create_superuser(username="quan-tri", password="mat-khau-thu-nghiem"))
    assert "/quan-tri/auth/group/" not in client.get("/quan-tri/").content.decode()
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_add_permission(_request(client)):
            form = model_admin.get_form(_request(client))
            many = [name for name, field in form.base_fields.items() if hasattr(field, "queryset")
                    and getattr(field.widget, "allow_multiple_selected", False)]
            assert not many, (model, many)


def _request(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/quan-tri/")
    request.user = User.objects.get(username="quan-tri")
    return request
