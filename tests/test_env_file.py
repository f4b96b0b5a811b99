"""The installation's `.env` (README: copy .env.example to .env), read by every `thidua` command typed on the
command line, and the Vietnamese refusal of a database that is unreachable or not yet migrated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from thidua.cli import EnvFileError, installation_env_file, load_env_file, main

ROOT = Path(__file__).resolve().parents[1]
THIDUA = Path(sys.executable).with_name("thidua")


@pytest.fixture
def environ():
    saved = dict(os.environ)
    yield os.environ
    os.environ.clear()
    os.environ.update(saved)


@pytest.mark.nodb
def test_the_env_file_is_read_and_the_environment_wins(environ, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "# cấu hình\n\nTHIDUA_T_PLAIN=1\nexport THIDUA_T_EXPORTED=2\n"
        'THIDUA_T_QUOTED="Phòng Nội vụ <thidua@example.gov.vn>"\nTHIDUA_T_SET=from-file\n', encoding="utf-8")
    environ["THIDUA_T_SET"] = "from-environment"
    assert load_env_file() == ".env"
    assert environ["THIDUA_T_PLAIN"] == "1" and environ["THIDUA_T_EXPORTED"] == "2"
    assert environ["THIDUA_T_QUOTED"] == "Phòng Nội vụ <thidua@example.gov.vn>"
    assert environ["THIDUA_T_SET"] == "from-environment"


@pytest.mark.nodb
def test_thidua_env_file_names_another_file_and_a_bad_line_is_named(environ, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    other = tmp_path / "thidua.env"
    other.write_text("THIDUA_T_OTHER=yes\nkhông có dấu bằng\n", encoding="utf-8")
    environ["THIDUA_ENV_FILE"] = str(other)
    with pytest.raises(EnvFileError) as caught:
        load_env_file()
    assert str(caught.value) == f"Tệp cấu hình {other}, dòng 2: cần dạng TÊN=GIÁ_TRỊ, gặp 'không có dấu bằng'."
    assert "THIDUA_T_OTHER" not in environ  # a file with a bad line sets nothing


@pytest.mark.nodb
def test_without_a_file_in_the_folder_the_installations_own_is_read(environ, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    environ.pop("THIDUA_ENV_FILE", None)
    expected = installation_env_file()
    if sys.prefix != sys.base_prefix:
        assert expected == str(Path(sys.prefix).parent / ".env")
    assert load_env_file() == (expected if expected and os.path.isfile(expected) else None)


@pytest.mark.nodb
def test_the_example_env_file_reads_as_its_own_documentation_says(environ, tmp_path):
    environ.pop("THIDUA_SECURE_COOKIES", None)
    environ.pop("THIDUA_DATA_DIR", None)
    assert load_env_file(str(ROOT / ".env.example")) == str(ROOT / ".env.example")
    assert environ["THIDUA_SECURE_COOKIES"] == "1" and environ["THIDUA_DATA_DIR"] == "/var/lib/thidua"


@pytest.mark.nodb
def test_in_process_calls_with_arguments_read_no_env_file(environ, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("THIDUA_T_UNREAD=1\n", encoding="utf-8")
    assert main(["--help"]) == 0
    assert "THIDUA_T_UNREAD" not in environ and "tệp .env" in capsys.readouterr().out


def _run(args, cwd, env):
    return subprocess.run([THIDUA, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.mark.nodb
def test_a_command_in_the_installations_folder_uses_its_env_and_refuses_an_unmigrated_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DATABASE_URL", "DJANGO_"))}
    data = tmp_path / "du-lieu"
    (tmp_path / ".env").write_text(f"THIDUA_DATA_DIR={data}\nDATABASE_URL=sqlite:///{data}/csdl.sqlite3\n",
                                   encoding="utf-8")
    refused = _run(["campaign", "list"], tmp_path, env)
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.strip() == ("Lỗi: Cơ sở dữ liệu chưa được tạo hoặc chưa cập nhật theo phiên bản phần mềm "
                                      "này; hãy chạy `thidua manage migrate` trước.")
    assert "Traceback" not in refused.stderr
    migrated = _run(["manage", "migrate", "--verbosity", "0"], tmp_path, env)
    assert migrated.returncode == 0, migrated.stderr
    assert (data / "csdl.sqlite3").exists() and (data / "secret_key").exists()
    listed = _run(["campaign", "list"], tmp_path, env)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr


@pytest.mark.nodb
def test_an_unreachable_database_is_named_without_a_traceback(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DATABASE_URL", "DJANGO_"))}
    env.update(THIDUA_DATA_DIR=str(tmp_path), DATABASE_URL="postgres://thidua:sai@127.0.0.1:9/thidua",
               THIDUA_ENV_FILE=os.devnull)
    done = _run(["units", "accounts", "--dry-run"], tmp_path, env)
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: Không kết nối được cơ sở dữ liệu thidua (kiểm tra DATABASE_URL trong .env")
    assert "Traceback" not in done.stderr


@pytest.mark.nodb
def test_a_bad_value_in_the_env_file_is_one_vietnamese_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DATABASE_URL", "DJANGO_"))}
    env_file = tmp_path / ".env"
    env_file.write_text(f"THIDUA_DATA_DIR={tmp_path}\nTHIDUA_SECURE_COOKIES=có\n", encoding="utf-8")
    done = _run(["campaign", "list"], tmp_path, env)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == ("Lỗi: cấu hình chưa đúng (tệp .env hoặc biến môi trường): THIDUA_SECURE_COOKIES phải là 1 "
                           "hoặc 0 (hoặc true/false, yes/no, on/off), gặp 'có'.\n")
    # .env.example's placeholder secret is long enough, but public: refused
    env_file.write_text(f"THIDUA_DATA_DIR={tmp_path}\nTHIDUA_SECRET_KEY=change-me-to-a-long-random-string\n",
                        encoding="utf-8")
    done = _run(["manage", "migrate"], tmp_path, env)
    assert done.returncode == 2 and "THIDUA_SECRET_KEY vẫn là giá trị mẫu của .env.example" in done.stderr
    assert not (tmp_path / "thidua.sqlite3").exists() and "Traceback" not in done.stderr


@pytest.mark.nodb
def test_the_env_file_is_read_as_a_shell_reads_it(environ, tmp_path, monkeypatch):
    """A comment after a value (as administrators write them) is not part of the value (python-dotenv)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("THIDUA_T_HSTS=31536000  # một năm\nTHIDUA_T_SINGLE='a # b'\n", encoding="utf-8")
    load_env_file()
    assert environ["THIDUA_T_HSTS"] == "31536000" and environ["THIDUA_T_SINGLE"] == "a # b"


@pytest.mark.nodb
def test_the_demo_never_reads_the_installations_env(tmp_path):
    """The demo seeds accounts with a published password: typed in a production folder, it must not follow
    the .env to the production database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DATABASE_URL", "DJANGO_"))}
    env["THIDUA_DATA_DIR"] = str(tmp_path / "demo")
    (tmp_path / ".env").write_text("DATABASE_URL=postgres://thidua:sai@127.0.0.1:9/san-xuat\n", encoding="utf-8")
    done = _run(["demo", "--no-serve"], tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert f"Cơ sở dữ liệu: {tmp_path / 'demo'}" in done.stdout and "san-xuat" not in done.stdout
