"""Two portal imports written at the same moment (two reviewers confirming overlapping exports, the same export
uploaded twice), each in its own connection. PostgreSQL shows the race; the tests' in-memory SQLite database runs
the two one after the other (tests.web.conftest.at_once)."""

from __future__ import annotations

import pytest

from tests.web.conftest import at_once
from tests.web.portal.conftest import dossier
from thidua.portal.models import Dossier, PortalImport
from thidua.portal.services import ImportOutcome, portal_import

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_imports_of_overlapping_dossiers_at_once_both_succeed(registry, dossier_csv):
    # Neither saw the other's uncommitted new dossiers: the second's insert of the same codes failed on the unique
    # index (IntegrityError), and the import failed with «lỗi hệ thống».
    july = dossier_csv([dossier(f"HS-{i}") for i in range(6)], name="thang-7.csv")
    again = dossier_csv([dossier(f"HS-{i}") for i in range(3, 9)], name="thang-7-bo-sung.csv")

    first, second = at_once(lambda: portal_import(path=july, kind="dossiers"),
                            lambda: portal_import(path=again, kind="dossiers"))
    assert isinstance(first, ImportOutcome) and isinstance(second, ImportOutcome), (first, second)
    assert sorted((o.created, o.unchanged) for o in (first, second)) == [(3, 3), (6, 0)]
    assert sorted(Dossier.objects.values_list("code", flat=True)) == [f"HS-{i}" for i in range(9)]
    assert PortalImport.objects.count() == 2
