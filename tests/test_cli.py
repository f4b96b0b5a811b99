"""The `thidua` console script: what the README tells people to type."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest

from thidua.cli import main

EXAMPLE = str(resources.files("thidua.scoring") / "examples" / "chau-thanh-a-2021.json")


def test_thidua_score_prints_the_contract_json_through_the_console_script():
    done = subprocess.run([sys.executable, "-m", "thidua.cli", "score", EXAMPLE], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert output["campaign"] == "chau-thanh-a-2021"
    assert {u["code"] for u in output["units"]} >= {"TT-MOT-NGAN", "P-TU-PHAP"}
    assert "awards" in output


def test_an_unknown_command_exits_2_with_the_usage_in_vietnamese(capsys):
    assert main(["chấm-điểm"]) == 2
    err = capsys.readouterr().err
    assert "Lệnh không hợp lệ: chấm-điểm" in err and "thidua score" in err


def test_help_lists_every_command(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("score", "demo", "serve", "import", "units import", "units accounts", "campaign", "backup",
                    "manage"):
        assert f"thidua {command}" in out


def test_units_without_a_known_subcommand_is_refused(capsys):
    assert main(["units", "xoa"]) == 2
    assert "Lệnh không hợp lệ: units" in capsys.readouterr().err


def test_a_command_error_reads_loi_not_the_class_name(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["backup", "--keep", "0"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: Số bản sao lưu giữ lại phải từ 1 trở lên.") and "CommandError" not in err
