"""The cache every worker process of one installation shares (thidua.core.cache, settings.CACHES without REDIS_URL):
the production default, run for real in separate processes (the tests themselves keep an in-process cache)."""

from __future__ import annotations

import http.cookiejar
import os
import pickle
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.web.conftest import _free_port

THIDUA = Path(sys.executable).with_name("thidua")


def installation(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh installation in tmp_path (SQLite, no Redis, the real clock), migrated."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL", "THIDUA_NOW", "DJANGO_SETTINGS_MODULE"}}
    env |= {"THIDUA_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path / "home"), **extra}
    env.pop("XDG_RUNTIME_DIR", None)
    subprocess.run([THIDUA, "manage", "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)
    return env


def manage_shell(env: dict[str, str], code: str) -> str:
    """Run `code` in a process of its own (`thidua manage shell`), with the installation's settings; its output."""
    done = subprocess.run([THIDUA, "manage", "shell", "--no-imports", "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Server:
    """`thidua serve` with one worker: two of them on one data folder are two worker processes of one installation
    that a test can address one by one (gunicorn gives a request to whichever worker is free)."""

    def __init__(self, env: dict[str, str]):
        self.env, self.port = env, _free_port()
        self.process = subprocess.Popen([THIDUA, "serve", "--port", str(self.port), "--workers", "1"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url("/suc-khoe/"), timeout=10).read()
                break
            except OSError:
                assert self.process.poll() is None, self.process.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start within 2 minutes"
                time.sleep(0.25)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        """GET the form (its CSRF cookie and token, in a browser of its own), then POST it; the page answered."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(self.url(path), timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        return opener.open(urllib.request.Request(self.url(path), data=data), timeout=60).read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


@pytest.mark.nodb
def test_an_hourly_count_keeps_its_hour_and_counts_from_where_it_is(tmp_path):
    """Django's own FileBasedCache.incr writes the value back with the default timeout: an hour's limit was then
    forgotten five minutes after each request."""
    from thidua.core.cache import SharedFileCache

    cache = SharedFileCache(str(tmp_path / "cache"), {})
    assert cache.add("gioi-han", 0, timeout=3600)
    assert not cache.add("gioi-han", 0, timeout=3600)  # a count already started is kept
    assert [cache.incr("gioi-han") for _ in range(3)] == [1, 2, 3]
    with open(cache._key_to_file("gioi-han"), "rb") as stored:
        expiry = pickle.load(stored)
    assert expiry > time.time() + 3500  # still the hour from the first request
    with pytest.raises(ValueError):
        cache.incr("chua-dem")
    cache.set("da-het-han", 5, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("da-het-han")  # an expired count is not counted on
    cache.clear()
    assert cache.get("gioi-han") is None and (tmp_path / "cache" / SharedFileCache.lock_name).exists()


@pytest.mark.nodb
def test_counts_from_processes_at_once_are_all_kept(tmp_path):
    """Four processes each counting 50 times into the same key: every one counted (a read-then-write incr loses
    the increments of processes writing between its read and its write)."""
    script = ("import sys\nfrom thidua.core.cache import SharedFileCache\n"
              "cache = SharedFileCache(sys.argv[1], {})\ncache.add('dem', 0, timeout=3600)\n"
              "for _ in range(50):\n    cache.incr('dem')\n")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "cache")]) for _ in range(4)]
    assert [process.wait(timeout=120) for process in processes] == [0] * 4
    from thidua.core.cache import SharedFileCache

    assert SharedFileCache(str(tmp_path / "cache"), {}).get("dem") == 200


@pytest.mark.nodb
def test_the_password_reset_limit_is_one_for_every_worker_and_outlives_a_restart(tmp_path, smtp_server,
                                                                                 smtp_settings):
    """«Quên mật khẩu» sends one address at most three links an hour, however many workers answer the requests
    and across a restart: with an in-process cache each worker counted its own three, from zero when restarted."""
    env = installation(tmp_path, THIDUA_EMAIL_HOST="127.0.0.1", THIDUA_EMAIL_PORT=str(smtp_settings.EMAIL_PORT),
                       THIDUA_EMAIL_SECURITY="none", THIDUA_RESET_EMAIL_AFTER_RESPONSE="false")
    manage_shell(env, "from thidua.units.models import User\n"
                      "User.objects.create_user(username='x-tan-hoa', password='Mat-khau-2026', email='lan@tanhoa.vn',"
                      " role=User.Role.REPORTER)")
    first, second = Server(env), Server(env)
    try:
        for server in (first, second, first, second, second):
            assert "Hãy kiểm tra hộp thư" in server.post_form("/quen-mat-khau/", {"email": "lan@tanhoa.vn"})
        assert len(smtp_server.messages) == 3  # not three from each worker
    finally:
        first.stop()
        second.stop()
    assert (tmp_path / "data" / "cache").is_dir()  # the default cache: files in the data folder
    restarted = Server(env)
    try:
        assert "Hãy kiểm tra hộp thư" in restarted.post_form("/quen-mat-khau/", {"email": "lan@tanhoa.vn"})
        assert len(smtp_server.messages) == 3  # the hour's count survived the restart
    finally:
        restarted.stop()


@pytest.fixture
def broken_cache(settings, tmp_path):
    """The production default, where a file stands in the cache folder's place (as a folder the server's account
    cannot write, or a full disk): every read and write of the cache fails."""
    (tmp_path / "cache").write_text("không phải thư mục")
    settings.CACHES = {"default": {"BACKEND": "thidua.core.cache.SharedFileCache", "LOCATION": str(tmp_path / "cache")}}
    from django.core.cache import cache

    with pytest.raises(OSError):
        cache.set("thu", 1)
    yield cache
    (tmp_path / "cache").unlink()  # the tests' own fixtures clear the cache after this one


@pytest.mark.django_db
def test_a_cache_that_fails_does_not_turn_forgotten_passwords_into_an_error_page(broken_cache, client, personas,
                                                                                 smtp_server, caplog):
    from thidua.units.models import User

    User.objects.filter(username="alice").update(email="lan@tanhoa.example")
    response = client.post("/quen-mat-khau/", {"email": "lan@tanhoa.example"}, follow=True)
    assert response.status_code == 200 and "Hãy kiểm tra hộp thư" in response.content.decode()
    assert len(smtp_server.messages) == 1  # the limit cannot be counted: the link is sent rather than refused
    assert "Bộ nhớ đệm (cache) không đếm được" in caplog.text


@pytest.mark.django_db
def test_a_cache_that_fails_does_not_turn_the_email_change_into_an_error_page(broken_cache, client_for, personas,
                                                                              caplog):
    from tests.web.conftest import PASSWORD

    client = client_for(personas["commune_reporter"])
    wrong = client.post("/tai-khoan/", {"first_name": "alice", "email": "moi@example.com", "current_password": "sai"})
    assert wrong.status_code == 200 and "Mật khẩu hiện tại chưa đúng; email chưa được đổi." in wrong.content.decode()
    right = client.post("/tai-khoan/", {"first_name": "alice", "email": "moi@example.com",
                                        "current_password": PASSWORD})
    assert right.status_code == 302
    personas["commune_reporter"].refresh_from_db()
    assert personas["commune_reporter"].email == "moi@example.com"
    assert "Bộ nhớ đệm (cache) không" in caplog.text


@pytest.mark.nodb
def test_a_damaged_count_is_counted_afresh(settings, tmp_path):
    """A count's file cut short or overwritten (a disk that filled while it was written by another program): the
    count starts again rather than failing every request of the hour."""
    from thidua.core.cache import SharedFileCache, count_in_window

    settings.CACHES = {"default": {"BACKEND": "thidua.core.cache.SharedFileCache", "LOCATION": str(tmp_path)}}
    assert count_in_window("dem") == 1
    Path(SharedFileCache(str(tmp_path), {})._key_to_file("dem")).write_bytes(b"\x80\x04hong")
    assert count_in_window("dem") == 1
    assert count_in_window("dem") == 2
    Path(SharedFileCache(str(tmp_path), {})._key_to_file("dem")).write_bytes(b"")
    assert count_in_window("dem") == 1


@pytest.mark.nodb
def test_a_full_cache_drops_what_has_expired_before_anything_live(tmp_path):
    """Django's cull removes a third of the entries at random, a live hourly count with them, and leaves the
    expired ones nobody reads again."""
    from thidua.core.cache import SharedFileCache

    cache = SharedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    for n in range(9):
        cache.set(f"cu-{n}", n, timeout=0)  # expired at once
    cache.add("gioi-han", 0, timeout=3600)
    cache.set("moi", 1, timeout=3600)  # the eleventh: the folder is full
    assert sorted(cache.get(key) for key in ("gioi-han", "moi")) == [0, 1]
    assert len(list(tmp_path.glob("*.djcache"))) == 2


@pytest.mark.django_db
def test_a_cache_that_fails_does_not_turn_a_wrong_api_token_into_an_error_500(broken_cache, client, caplog):
    """The API counts wrong tokens per address in the cache: one that cannot count answers the token's 401, the
    limit not applied (logged), rather than a 500."""
    response = client.get("/api/v1/reports/matrix", HTTP_AUTHORIZATION="Bearer tdv_khong_dung")
    assert response.status_code == 401
    assert response.json() == {"detail": "Mã truy cập API không đúng."}
    assert "Bộ nhớ đệm (cache) không" in caplog.text


@pytest.mark.django_db
def test_a_cache_that_fails_does_not_turn_making_an_api_token_into_an_error_page(broken_cache, client_for, personas):
    """Making a token asks for the password again, its wrong tries counted in the cache, as the email change."""
    client = client_for(personas["reviewer"])
    wrong = client.post("/tai-khoan/ma-truy-cap-api/", {"name": "Bảng điều khiển", "expiry": "90",
                                                         "current_password": "sai"})
    assert wrong.status_code == 400 and "Mật khẩu hiện tại chưa đúng; mã chưa được tạo." in wrong.content.decode()
