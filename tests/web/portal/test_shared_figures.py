"""The portal's figures per unit × month are counted once per import for every worker process of the installation:
kept in the shared cache (thidua.portal.selectors), never served for another import, counted when the cache fails."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.core.test_shared_cache import installation, manage_shell
from tests.web.portal.conftest import dossier
from thidua.portal import selectors
from thidua.portal.selectors import portal_months_by_date, portal_months_on
from thidua.portal.services import portal_import

JULY = {"2021-07": date(2021, 7, 25)}

# Run in a process of its own: the figures of Xã Tân Hòa in July, and whether the dossiers were counted for them.
FIGURES = """
from datetime import date
from django.db import connection
from django.test.utils import CaptureQueriesContext
from thidua.portal.selectors import portal_months_on
from thidua.units.models import Unit
with CaptureQueriesContext(connection) as queries:
    figures = portal_months_on([date(2021, 7, 31)], ["2021-07"])[date(2021, 7, 31)]
counted = any("portal_dossier" in query["sql"] for query in queries.captured_queries)
july = figures[(Unit.objects.get(code="X-TAN-HOA").pk, "2021-07")]
print("counted" if counted else "shared", july.online, july.received)
"""


def _import(path: Path) -> str:
    return f"from pathlib import Path\nfrom thidua.portal.services import portal_import\n" \
           f"portal_import(path=Path({str(path)!r}), kind='dossiers')\n"


@pytest.mark.nodb
def test_one_worker_counts_the_figures_of_an_import_for_every_other_and_after_a_restart(tmp_path, dossier_csv):
    """Each `thidua manage shell` is a process of its own with the production settings (no REDIS_URL), as the
    workers of `thidua serve` are: the second reads what the first counted, until the next import."""
    env = installation(tmp_path)
    first = dossier_csv([dossier(f"HS-{i}") for i in range(3)], name="thang-7.csv")
    manage_shell(env, "from thidua.demo import _ensure_registry\n_ensure_registry()\n" + _import(first))
    assert manage_shell(env, FIGURES).split() == ["counted", "3", "3"]
    assert manage_shell(env, FIGURES).split() == ["shared", "3", "3"]  # another worker, or after a restart
    more = dossier_csv([dossier(f"HS-{i}") for i in range(3)] + [dossier("HS-9", channel="Trực tiếp")],
                       name="thang-7-them.csv")
    manage_shell(env, _import(more))
    assert manage_shell(env, FIGURES).split() == ["counted", "3", "4"]  # never the earlier import's
    assert manage_shell(env, FIGURES).split() == ["shared", "3", "4"]


def _dossier_queries(call) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, sum("portal_dossier" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_a_worker_with_nothing_in_memory_reads_the_figures_from_the_cache(registry, dossier_csv):
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)]), kind="dossiers")
    counted, queries = _dossier_queries(lambda: portal_months_by_date(JULY))
    assert queries == 1
    selectors._FIGURES.clear()  # another worker's memory, or this one restarted
    shared, queries = _dossier_queries(lambda: portal_months_by_date(JULY))
    assert queries == 0 and shared == counted
    assert shared[(registry["X-TAN-HOA"].pk, "2021-07")].online == 3


@pytest.mark.django_db
def test_figures_counted_while_an_import_was_made_are_kept_under_neither_import(registry, dossier_csv):
    """A worker reads the latest import, counts, and another import commits in between: what it counted may hold
    the new rows, so it is not kept for the import it read first, nor taken for the new one."""
    portal_import(path=dossier_csv([dossier("HS-1")], name="mot.csv"), kind="dossiers")
    more = dossier_csv([dossier("HS-1"), dossier("HS-2")], name="hai.csv")
    key = ("on", ("2021-07",), date(2021, 7, 31))

    def count_while_importing(keys):
        portal_import(path=more, kind="dossiers")
        return {key: selectors._on([date(2021, 7, 31)], ["2021-07"])[date(2021, 7, 31)]}

    assert selectors._remembered([key], count_while_importing)[key][(registry["X-TAN-HOA"].pk, "2021-07")].online == 2
    assert not selectors._FIGURES
    figures, queries = _dossier_queries(lambda: portal_months_on([date(2021, 7, 31)], ["2021-07"]))
    assert queries == 1 and figures[date(2021, 7, 31)][(registry["X-TAN-HOA"].pk, "2021-07")].online == 2


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "thidua.core.cache.SharedFileCache", "LOCATION": str(tmp_path / "cache")}}
    yield tmp_path / "cache"
    if (tmp_path / "cache").is_file():
        (tmp_path / "cache").unlink()  # the tests' own fixtures clear the cache after this one


@pytest.mark.django_db
def test_a_cache_that_fails_means_counting_never_an_error_page(registry, campaign, personas, dossier_csv, file_cache,
                                                               client_for, caplog):
    from thidua.campaigns.services import campaign_update_options

    campaign_update_options(campaign=campaign, actor=personas["admin"], score_source="portal", tolerance_percent=5)
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)]), kind="dossiers")
    file_cache.write_text("một tệp ở chỗ thư mục: không đọc, không ghi được")  # as a folder it cannot use
    reviewer = client_for(personas["reviewer"])
    for path in ("/tham-dinh/", "/don-vi/X-TAN-HOA/"):
        assert reviewer.get(path).status_code == 200
    assert "Không đọc được số liệu Cổng đã tính sẵn" in caplog.text
    assert "Không lưu được số liệu Cổng" in caplog.text
    selectors._FIGURES.clear()
    figures, queries = _dossier_queries(lambda: portal_months_by_date(JULY))
    assert queries == 1 and figures[(registry["X-TAN-HOA"].pk, "2021-07")].online == 3


@pytest.mark.django_db
def test_a_damaged_entry_is_counted_again_and_stored_anew(registry, dossier_csv, file_cache):
    portal_import(path=dossier_csv([dossier(f"HS-{i}") for i in range(3)]), kind="dossiers")
    counted = portal_months_by_date(JULY)
    (entry,) = file_cache.glob("*.djcache")
    entry.write_bytes(entry.read_bytes()[:20])  # cut short (a disk that filled while another program wrote)
    selectors._FIGURES.clear()
    figures, queries = _dossier_queries(lambda: portal_months_by_date(JULY))
    assert queries == 1 and figures == counted
    selectors._FIGURES.clear()
    figures, queries = _dossier_queries(lambda: portal_months_by_date(JULY))
    assert queries == 0 and figures == counted


@pytest.mark.django_db
def test_each_import_s_figures_replace_the_last_ones_in_the_cache(registry, dossier_csv, file_cache):
    """Figures of an earlier import are never read again: they are overwritten, not left to fill the folder."""
    portal_import(path=dossier_csv([dossier("HS-1")], name="mot.csv"), kind="dossiers")
    portal_months_by_date(JULY)
    (entry,) = file_cache.glob("*.djcache")
    portal_import(path=dossier_csv([dossier("HS-1"), dossier("HS-2")], name="hai.csv"), kind="dossiers")
    figures, queries = _dossier_queries(lambda: portal_months_by_date(JULY))
    assert queries == 1 and figures[(registry["X-TAN-HOA"].pk, "2021-07")].online == 2
    assert list(file_cache.glob("*.djcache")) == [entry]
