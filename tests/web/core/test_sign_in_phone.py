"""Signing in from a phone: its keyboard writes the first letter of a field in capitals («Alice»)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD, make_user
from thidua.units.models import User

pytestmark = pytest.mark.django_db


def test_the_user_name_field_asks_the_phone_not_to_capitalise_or_correct_it(client):
    html = client.get(reverse("login")).content.decode()
    field = html.split('id="id_username"', 1)[1].split(">", 1)[0]
    assert 'autocapitalize="none"' in field and 'autocorrect="off"' in field and 'spellcheck="false"' in field


def test_a_user_name_capitalised_by_the_keyboard_signs_in(personas, client):
    response = client.post(reverse("login"), {"username": "Alice", "password": PASSWORD})
    assert response.status_code == 302  # was «Tên đăng nhập hoặc mật khẩu không đúng», then a lockout
    assert client.session["_auth_user_id"] == str(personas["commune_reporter"].pk)


def test_the_exact_name_wins_and_two_names_differing_in_case_only_are_never_guessed(personas, client):
    other = make_user("Alice2", User.Role.LEADER)
    make_user("alice2", User.Role.LEADER)
    assert client.post(reverse("login"), {"username": "Alice2", "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
    client.logout()
    response = client.post(reverse("login"), {"username": "ALICE2", "password": PASSWORD})
    assert response.status_code == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
