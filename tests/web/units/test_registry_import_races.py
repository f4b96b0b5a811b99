"""The same registry file confirmed twice at the same moment (a double click, two tabs), each in its own connection.
PostgreSQL shows the race; the tests' in-memory SQLite database runs the two one after the other
(tests.web.conftest.at_once)."""

from __future__ import annotations

import pytest

from tests.web.conftest import at_once
from tests.web.units.conftest import unit
from thidua.units.models import Unit, User
from thidua.units.services import UnitImportOutcome, unit_registry_import

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_registry_file_adding_units_imported_twice_at_once_adds_them_once(registry, registry_csv):
    # Each planned the new unit against the registry without it: the second's insert failed on the unique code
    # (IntegrityError, an error 500 on the confirm page).
    path = registry_csv([unit("X-MOI", "Xã Mới", parent="CHAU-THANH-A"),
                         unit("X-TAN-HOA", "Xã Tân Hòa", parent="CHAU-THANH-A", head="Nguyễn Văn Mới")])

    first, second = at_once(lambda: unit_registry_import(path=path), lambda: unit_registry_import(path=path))
    assert isinstance(first, UnitImportOutcome) and isinstance(second, UnitImportOutcome), (first, second)
    assert sorted((o.created, o.updated, o.unchanged) for o in (first, second)) == [(0, 0, 2), (1, 1, 0)]
    assert Unit.objects.filter(code="X-MOI").count() == 1
    assert Unit.objects.get(code="X-TAN-HOA").head_name == "Nguyễn Văn Mới"


def test_the_reporter_accounts_created_twice_at_once_are_created_once(registry):
    # A double click on «Tạo tài khoản»: each listed the units without an account, neither saw the other's
    # uncommitted accounts, and the second's «x-tan-hoa» failed on the unique user name (IntegrityError, error 500).
    from thidua.units.accounts import reporter_accounts_create, units_without_reporter

    missing = len(units_without_reporter())
    first, second = at_once(lambda: reporter_accounts_create(actor=None), lambda: reporter_accounts_create(actor=None))
    assert sorted([len(first), len(second)]) == [0, missing], (first, second)
    assert User.objects.filter(role=User.Role.REPORTER).count() == missing
    assert units_without_reporter() == []
