"""`thidua serve` refuses to start on a database that is behind the code."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

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


@pytest.mark.postgres  # Django never closes the tests' in-memory SQLite database (it would be lost)
@pytest.mark.django_db(transaction=True)
def test_gunicorn_is_started_with_no_database_connection_for_its_workers_to_share():
    # gunicorn forks its workers from the process that checked the migrations (or seeded the demo): a
    # connection left open there was one socket for every worker (PostgreSQL: "lost synchronization with
    # server", errors 500). An address that cannot be bound stops gunicorn before it serves.
    from django.db import connection

    from thidua.core.management.commands.serve import run_gunicorn

    connection.ensure_connection()
    with pytest.raises(SystemExit):
        run_gunicorn(host="256.256.256.256", port=1, workers=2, threads=1)
    assert connection.connection is None


@pytest.mark.django_db(transaction=True)
def test_a_port_already_in_use_is_named_in_vietnamese_before_gunicorn_starts(monkeypatch):
    """The server still running (systemd's, or one started by hand) when another is started: gunicorn tried
    for five seconds with English errors, after «Đang phục vụ tại …» had been printed."""
    import io

    from thidua.core.management.commands import serve

    started = []
    monkeypatch.setattr(serve, "run_gunicorn", lambda **kwargs: started.append(kwargs))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = io.StringIO()
        with pytest.raises(CommandError) as excinfo:
            call_command("serve", "--port", str(port), stdout=out)
    assert str(excinfo.value) == (
        f"Cổng {port} trên 127.0.0.1 đang được một chương trình khác dùng (có thể là máy chủ Thi Đua DVC đang "
        "chạy: dừng nó trước, ví dụ «systemctl stop thidua»), hoặc chọn cổng khác bằng --port.")
    assert excinfo.value.returncode == 2
    assert out.getvalue() == "" and started == []  # gunicorn, with its five seconds of English retries, never ran
    with pytest.raises(CommandError, match=r"Không dùng được địa chỉ «may-chu-khong-co\.invalid»"):
        call_command("serve", "--host", "may-chu-khong-co.invalid", "--port", "8000")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.nodb
def test_gunicorn_serves_the_app_and_answers_a_long_address_in_vietnamese(tmp_path):
    """The real production server, as `thidua serve` starts it, on a migrated SQLite database of its own.

    gunicorn refuses a request line over its limit with its own English page; the limit is raised to
    gunicorn's maximum, so an address of a few kilobytes (a long pasted query) reaches the app's 404."""
    thidua = Path(sys.executable).with_name("thidua")
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "THIDUA_NOW"}}
    env["THIDUA_DATA_DIR"] = str(tmp_path)
    env["HOME"] = str(tmp_path / "home")  # the service account's home: gunicorn writes nothing there
    env.pop("XDG_RUNTIME_DIR", None)
    subprocess.run([thidua, "manage", "migrate", "--verbosity", "0"], env=env, check=True, timeout=300)
    port = _free_port()
    server = subprocess.Popen([thidua, "serve", "--port", str(port), "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = _get(port, "/dang-nhap/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start within 2 minutes"
                time.sleep(0.25)
        assert status == 200 and "Đăng nhập" in body
        assert _get(port, "/static/thidua/app.css")[0] == 200  # whitenoise serves the collected assets
        status, body = _get(port, "/dang-nhap/?next=/" + "a" * 7000)
        assert status == 200 and "Đăng nhập" in body, body[:300]
        status, body = _get(port, "/khong-co/" + "a" * 7000)
        assert status == 404 and "Không tìm thấy trang" in body
        assert not (tmp_path / "home").exists()  # no control socket in $HOME/.gunicorn
    finally:
        server.terminate()
        server.wait(timeout=30)
