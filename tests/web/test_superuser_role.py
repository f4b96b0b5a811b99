"""A superuser made with `thidua manage createsuperuser` administers the campaign without a role edit."""

import pytest
from django.urls import reverse

from thidua.units.models import User


@pytest.mark.django_db
def test_a_superuser_acts_as_an_administrator(campaign, client):
    admin = User.objects.create_superuser("root", password="mat-khau-thu-nghiem")  # role keeps its default
    assert admin.role == User.Role.REPORTER and admin.is_admin_role and admin.is_reviewer
    assert not admin.is_reporter
    client.force_login(admin)
    assert client.get(reverse("campaign-settings")).status_code == 200
    assert client.get(reverse("review-matrix")).status_code == 200
