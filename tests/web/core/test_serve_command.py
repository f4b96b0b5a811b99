"""`thidua serve` refuses to start on a database that is behind the code."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_serve_an_unmigrated_database():
    call_command("migrate", "portal", "0001", verbosity=0)
    try:
        with pytest.raises(CommandError) as excinfo:
            call_command("serve", "--port", "0")
        assert "thidua manage migrate" in str(excinfo.value)
        assert excinfo.value.returncode == 2
    finally:
        call_command("migrate", verbosity=0)
