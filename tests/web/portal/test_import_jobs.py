"""A confirmed import runs after the response, in a thread, and its page shows the progress."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.portal.conftest import dossier
from thidua.portal import jobs
from thidua.portal.models import Dossier, PendingUpload, PortalImport


def _upload(client, path, name="ho-so.csv"):
    response = client.post(reverse("portal-upload"),
                           {"kind": "dossiers", "file": SimpleUploadedFile(name, path.read_bytes())})
    assert response.status_code == 302
    return PendingUpload.objects.latest("pk")


def _token(response) -> str:
    assert response.status_code == 302
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_a_thread_and_its_page_follows_it(client_for, personas, dossier_csv, settings):
    settings.THIDUA_IMPORT_IN_BACKGROUND = True
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier(f"HS-{i}") for i in range(1, 31)]))
    token = _token(client.post(reverse("portal-confirm", args=[pending.pk])))
    jobs.wait_for(token, timeout=60)
    status = client.get(reverse("portal-job-status", args=[token])).json()
    assert status == {"state": "done", "done": 30, "total": 30, "percent": 100, "writing": False,
                      "text": "Đã nhập xong 30 dòng."}
    page = client.get(reverse("portal-job", args=[token])).content.decode()
    assert "Đã nhập «ho-so.csv»: thêm 30, cập nhật 0, không đổi 0." in page
    assert Dossier.objects.count() == 30 and PortalImport.objects.count() == 1
    assert not PendingUpload.objects.exists()
    # the form sent again (a stale tab, the back button): the finished job's page, nothing imported twice
    again = client.post(reverse("portal-confirm", args=[pending.pk]))
    assert _token(again) == token
    page = client.get(again["Location"]).content.decode()
    assert "Tệp này đã nhập xong." in page and "thêm 30, cập nhật 0, không đổi 0" in page
    assert PortalImport.objects.count() == 1
    other = client_for(personas["admin"])  # another user who may import: not theirs to see
    assert other.post(reverse("portal-confirm", args=[pending.pk])).status_code == 404
    assert client.post(reverse("portal-confirm", args=[pending.pk + 1000])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_rejected_file_in_the_thread_imports_nothing_and_can_be_retried(client_for, personas, dossier_csv,
                                                                          settings):
    settings.THIDUA_IMPORT_IN_BACKGROUND = True
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1"), dossier("HS-2", received="31/02/2021")]))
    token = _token(client.post(reverse("portal-confirm", args=[pending.pk])))
    jobs.wait_for(token, timeout=60)
    page = client.get(reverse("portal-job", args=[token])).content.decode()
    assert "ngày tiếp nhận" in page and "Chưa nhập dòng nào" in page
    assert reverse("portal-preview", args=[pending.pk]) in page  # back to the preview to fix and retry
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0
    retry = _token(client.post(reverse("portal-confirm", args=[pending.pk])))
    assert retry != token  # a failed import may be started again
    jobs.wait_for(retry, timeout=60)


@pytest.mark.django_db
def test_a_second_click_while_importing_starts_nothing(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1")]))
    running = "a" * 32
    jobs._write(running, {"state": jobs.RUNNING, "user": personas["reviewer"].pk, "pending": pending.pk,
                          "name": "ho-so.csv", "done": 100, "total": 400, "writing": False})
    PendingUpload.objects.filter(pk=pending.pk).update(job=running)
    response = client.post(reverse("portal-confirm", args=[pending.pk]))
    assert _token(response) == running
    assert PortalImport.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Tệp này đang được nhập hoặc đã nhập xong." in page
    assert "Đang đọc và kiểm tra: 100 dòng (25%)" in page and 'value="25"' in page


@pytest.mark.django_db
def test_a_job_without_a_heartbeat_shows_as_interrupted_and_can_be_restarted(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1")]))
    token = "b" * 32
    jobs._write(token, {"state": jobs.RUNNING, "user": personas["reviewer"].pk, "pending": pending.pk,
                        "name": "ho-so.csv", "done": 10, "total": None, "writing": False})
    long_ago = time.time() - jobs.STALE_SECONDS - 5  # the worker died mid-import: no heartbeat since
    os.utime(jobs.job_path(token), (long_ago, long_ago))
    PendingUpload.objects.filter(pk=pending.pk).update(job=token)
    assert client.get(reverse("portal-job-status", args=[token])).json()["state"] == "interrupted"
    assert "bị gián đoạn" in client.get(reverse("portal-job", args=[token])).content.decode()
    restarted = _token(client.post(reverse("portal-confirm", args=[pending.pk])))
    assert restarted != token and Dossier.objects.count() == 1


@pytest.mark.django_db
def test_a_job_is_visible_only_to_the_reviewer_who_started_it(client_for, personas, dossier_csv, registry):
    from tests.web.conftest import make_user

    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1")]))
    token = _token(client.post(reverse("portal-confirm", args=[pending.pk])))
    other = client_for(make_user("noivu2", "reviewer"))
    assert other.get(reverse("portal-job", args=[token])).status_code == 404
    assert other.get(reverse("portal-job-status", args=[token])).status_code == 404
    for bad in ("khong-co", "../../etc", "0" * 31):
        assert client.get(f"/cong-dvc/nhap/tien-do/{bad}/").status_code == 404


def test_the_heartbeat_keeps_a_long_silent_step_alive(monkeypatch, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(jobs, "BEAT_SECONDS", 0.05)
    token = "c" * 32
    jobs._write(token, {"state": jobs.RUNNING, "user": 1, "pending": 1, "name": "x.csv", "done": 0, "total": None})
    long_ago = time.time() - jobs.STALE_SECONDS - 5
    os.utime(jobs.job_path(token), (long_ago, long_ago))
    assert jobs.job_state(token)["state"] == jobs.INTERRUPTED
    stop = threading.Event()
    beat = threading.Thread(target=jobs._heartbeat, args=(token, stop))
    beat.start()
    try:
        deadline = time.time() + 5
        while jobs.job_state(token)["state"] != jobs.RUNNING and time.time() < deadline:
            time.sleep(0.02)
        assert jobs.job_state(token)["state"] == jobs.RUNNING
    finally:
        stop.set()
        beat.join()


@pytest.mark.django_db
def test_only_a_reviewer_may_start_or_follow_an_import(client, client_for, personas, dossier_csv):
    reviewer = client_for(personas["reviewer"])
    pending = _upload(reviewer, dossier_csv([dossier("HS-1")]))
    token = "d" * 32
    jobs._write(token, {"state": jobs.RUNNING, "user": personas["reviewer"].pk, "pending": pending.pk,
                        "name": "ho-so.csv", "done": 0, "total": None, "writing": False})
    pages = [reverse("portal-job", args=[token]), reverse("portal-job-status", args=[token])]
    assert reviewer.get(pages[1]).json()["text"] == "Đang bắt đầu…"
    for persona in ("commune_reporter", "department_reporter", "leader"):
        other = client_for(personas[persona])
        assert other.post(reverse("portal-confirm", args=[pending.pk])).status_code == 403
        assert [other.get(url).status_code for url in pages] == [403, 403]
    client.logout()
    for url in pages:
        assert "/dang-nhap/" in client.get(url)["Location"]
    assert PortalImport.objects.count() == 0


# The preview's dry-run scan: in a thread for a large upload, kept with the upload, redone when stale.


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_scanned_in_a_thread_while_the_preview_shows_the_progress(client_for, personas,
                                                                                    dossier_csv, settings):
    settings.THIDUA_IMPORT_IN_BACKGROUND = True
    settings.THIDUA_PREVIEW_INLINE_BYTES = 100  # every upload here is "large"
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier(f"HS-{i}") for i in range(1, 41)]))
    first = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    pending.refresh_from_db()
    token = pending.scan_job
    status_url = reverse("portal-job-status", args=[token])
    jobs.wait_for(token, timeout=60)
    if "data-import-job" in first:  # the thread had not finished when the page was drawn (see the next test)
        assert f'data-import-job="{status_url}"' in first
    assert client.get(status_url).json()["text"] == "Đã đọc xong 40 dòng."
    page = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    assert "Đọc 40 dòng hồ sơ; 40 dòng hợp lệ." in page and "Nhập 40 dòng" in page
    pending.refresh_from_db()
    assert pending.scan_job == token  # shown again from the kept scan, not scanned again
    # the job page of a scan is its preview; and the import's "already imported" lookup skips scans
    assert client.get(reverse("portal-job", args=[token]))["Location"] == reverse("portal-preview",
                                                                                  args=[pending.pk])
    assert jobs.job_of_pending(pending.pk, personas["reviewer"].pk) is None
    assert Dossier.objects.count() == 0 and PortalImport.objects.count() == 0


@pytest.mark.django_db
def test_while_the_scan_runs_the_preview_shows_its_progress_and_starts_no_second_scan(client_for, personas,
                                                                                      dossier_csv):
    from thidua.core import clock
    from thidua.portal.services import portal_scan_key

    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1")]))
    running = "e" * 32
    jobs._write(running, {"kind": jobs.SCAN, "state": jobs.RUNNING, "user": personas["reviewer"].pk,
                          "pending": pending.pk, "name": "ho-so.csv", "done": 300_000, "total": 1_000_000})
    key = portal_scan_key(kind="dossiers", mapping=None, as_of=clock.today())
    PendingUpload.objects.filter(pk=pending.pk).update(scan_job=running, scan_key=key)
    page = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    assert f'data-import-job="{reverse("portal-job-status", args=[running])}"' in page
    assert "Đang đọc và kiểm tra: 300.000 dòng (30%)…" in page and 'value="30"' in page
    assert "Nhập 1 dòng" not in page
    pending.refresh_from_db()
    assert pending.scan_job == running


@pytest.mark.django_db
def test_a_preview_is_scanned_once_and_again_when_a_unit_name_is_mapped(client_for, personas, dossier_csv,
                                                                        registry):
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1"), dossier("HS-2", unit="Xa Tan Hoa Moi"),
                                           dossier("HS-3", unit="Xa Tan Hoa Moi")]))
    page = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    assert "«Xa Tan Hoa Moi» (2 dòng, ví dụ dòng 5)" in page and "Chưa thể nhập" in page
    pending.refresh_from_db()
    first = pending.scan_job
    client.get(reverse("portal-preview", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.scan_job == first
    client.post(reverse("portal-map-unit", args=[pending.pk]), {"raw_name": "Xa Tan Hoa Moi",
                                                                "unit": registry["X-TAN-HOA"].code})
    page = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    pending.refresh_from_db()
    assert pending.scan_job != first and "Nhập 3 dòng" in page and "chưa có trong danh mục" not in page


@pytest.mark.django_db
def test_a_scan_that_fails_says_so_without_a_traceback_and_retries_on_reload(client_for, personas, dossier_csv,
                                                                             monkeypatch):
    client = client_for(personas["reviewer"])
    pending = _upload(client, dossier_csv([dossier("HS-1")]))

    def broken(**kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(jobs, "portal_scan", broken)
    page = client.get(reverse("portal-preview", args=[pending.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert jobs.SYSTEM_ERROR in text and "Đọc lại tệp" in text and "disk gone" not in text
    monkeypatch.undo()
    again = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    assert "Nhập 1 dòng" in again


@pytest.mark.django_db
def test_a_preview_names_at_most_a_hundred_unknown_units(client_for, personas, dossier_csv):
    client = client_for(personas["reviewer"])
    rows = [dossier(f"HS-{i}", unit=f"Ấp lạ số {i}") for i in range(1, 131)]
    pending = _upload(client, dossier_csv(rows))
    page = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    assert page.count('name="raw_name"') == 100
    assert "Ấp lạ số 100" in page and "Ấp lạ số 101" not in page
    assert "… và 30 tên đơn vị khác chưa có trong danh mục." in page


@pytest.mark.django_db(transaction=True)
def test_a_province_sized_csv_is_previewed_and_imported_in_the_background(client_for, personas, large_dossier_csv,
                                                                          settings):
    """A CSV the reader reads by columns, through the web: preview scan and import each in a thread."""
    settings.THIDUA_IMPORT_IN_BACKGROUND = True
    client = client_for(personas["reviewer"])
    path, n = large_dossier_csv()
    pending = _upload(client, path)
    client.get(reverse("portal-preview", args=[pending.pk]))
    pending.refresh_from_db()
    jobs.wait_for(pending.scan_job, timeout=120)
    page = client.get(reverse("portal-preview", args=[pending.pk])).content.decode()
    shown = f"{n:,}".replace(",", ".")
    assert f"Đọc {shown} dòng hồ sơ; {shown} dòng hợp lệ." in page
    token = _token(client.post(reverse("portal-confirm", args=[pending.pk])))
    jobs.wait_for(token, timeout=120)
    status = client.get(reverse("portal-job-status", args=[token])).json()
    assert status["state"] == "done" and status["done"] == n
    assert Dossier.objects.count() == n and PortalImport.objects.get().created == n
