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


def _refused(capsys, *argv) -> str:
    """What `thidua ARGV` prints on stderr when its arguments are refused (exit status 2)."""
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    for english in ("usage", "error", "invalid", "argument", "required", "unrecognized", "choose", "expected"):
        assert english not in captured.err.lower(), (english, captured.err)
    return captured.err


def test_an_invalid_number_is_refused_in_vietnamese_with_the_usage(capsys):
    err = _refused(capsys, "backup", "--keep", "abc")
    assert err.startswith("Lỗi: tham số --keep: «abc» không phải số nguyên.\nCách dùng: thidua backup [-h]")
    assert "--keep" in err.split("\n", 1)[1]


def test_a_missing_argument_is_named_with_its_choices(capsys):
    assert _refused(capsys, "units", "import").startswith(
        "Lỗi: thiếu tham số bắt buộc: TỆP.\nCách dùng: thidua units import ")
    assert _refused(capsys, "import").startswith(
        "Lỗi: thiếu tham số bắt buộc: LOẠI (dossiers hoặc accounts), TỆP.\nCách dùng: thidua import ")
    assert _refused(capsys, "campaign").startswith(
        "Lỗi: thiếu tham số bắt buộc: LỆNH (list, create hoặc activate).\nCách dùng: thidua campaign ")
    # a sub-command's parser is ours too
    assert _refused(capsys, "campaign", "create").startswith(
        "Lỗi: thiếu tham số bắt buộc: --code.\nCách dùng: thidua campaign create ")
    assert _refused(capsys, "serve", "--port").startswith("Lỗi: tham số --port: cần một giá trị.\n")


def test_an_unknown_argument_is_refused_in_vietnamese(capsys):
    assert _refused(capsys, "backup", "--bogus", "x").startswith(
        "Lỗi: tham số không hợp lệ: --bogus x.\nCách dùng: thidua backup ")
    assert _refused(capsys, "units", "accounts", "--out", "a.csv", "--them").startswith(
        "Lỗi: tham số không hợp lệ: --them.\nCách dùng: thidua units accounts ")


def test_an_invalid_choice_is_refused_with_the_choices(capsys):
    assert _refused(capsys, "import", "ho-so", "tep.xlsx").startswith(
        "Lỗi: tham số LOẠI: «ho-so» không hợp lệ; chọn dossiers hoặc accounts.\nCách dùng: thidua import ")
    assert _refused(capsys, "campaign", "xoa").startswith(
        "Lỗi: tham số LỆNH: «xoa» không hợp lệ; chọn list, create hoặc activate.\n")
    assert _refused(capsys, "remind", "-v", "7").startswith(
        "Lỗi: tham số -v/--verbosity: «7» không hợp lệ; chọn 0, 1, 2 hoặc 3.\n")


def test_called_from_code_a_refused_argument_raises_the_same_sentence():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as exc:
        call_command("backup", "--keep", "abc")
    assert str(exc.value) == "tham số --keep: «abc» không phải số nguyên." and type(exc.value).__name__ == "Lỗi"


def test_every_command_of_ours_has_the_vietnamese_parser():
    from django.core.management import get_commands, load_command_class

    from thidua.core.management.base import BaseCommand

    ours = {name: app for name, app in get_commands().items() if app.startswith("thidua.")}
    assert {"backup", "demo", "serve", "campaign", "import_portal", "import_units", "create_reporters",
            "remind"} <= set(ours)
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), BaseCommand), name


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("argument --out: expected one argument", "tham số --out: cần một giá trị."),
    ("argument --x: expected at least one argument", "tham số --x: cần ít nhất một giá trị."),
    ("argument --x: expected at most one argument", "tham số --x: chỉ nhận nhiều nhất một giá trị."),
    ("argument --x: expected 2 arguments", "tham số --x: cần 2 giá trị."),
    ("argument --a: not allowed with argument --b", "tham số --a: không dùng được cùng tham số --b."),
    ("argument --dry-run: ignored explicit argument 'x'", "tham số --dry-run: không nhận giá trị 'x'."),
    ("one of the arguments --a --b is required", "cần một trong các tham số --a --b."),
    ("ambiguous option: --d could match --dry-run, --debug", "tham số --d chưa rõ, có thể là --dry-run, --debug."),
    ("the following arguments are required: --code, TỆP", "thiếu tham số bắt buộc: --code, TỆP."),
    ("unrecognized arguments: --x y", "tham số không hợp lệ: --x y."),
])
def test_argparse_messages_are_reworded(english, vietnamese):
    from thidua.core.management.base import vietnamese_message

    assert vietnamese_message(english) == vietnamese


def test_a_commands_help_is_in_vietnamese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["backup", "-h"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: thidua backup [-h] [--out THƯ_MỤC] [--keep N]")
    assert "tùy chọn:" in out and "-h, --help            hiện hướng dẫn này rồi thoát" in out


ENGLISH_HELP = ("usage", "options:", "positional arguments", "show this help", "Show program", "Verbosity level",
                "settings module", "Python path", "stack trace", "colorize", "colorization", "Skip system checks")


def test_every_command_of_ours_explains_itself_in_vietnamese():
    """The help of each command and sub-command: no English heading or option, and every value an option
    takes named in Vietnamese (not argparse's DEST in capitals)."""
    from argparse import _SubParsersAction

    from django.core.management import get_commands, load_command_class

    def parsers(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, _SubParsersAction):
                for sub in action.choices.values():
                    yield from parsers(sub)

    for name, app in get_commands().items():
        if not app.startswith("thidua."):
            continue
        for parser in parsers(load_command_class(app, name).create_parser("thidua", name)):
            text = parser.format_help()
            for english in ENGLISH_HELP:
                assert english not in text, (parser.prog, english)
            for action in parser._actions:
                if action.option_strings and action.nargs != 0 and not action.choices:
                    assert action.metavar, (parser.prog, action.option_strings)



@pytest.mark.nodb
def test_the_help_piped_into_a_reader_that_stops_early_ends_quietly():
    """`thidua --help | head -1`: the reader closes the pipe before the help is written (here at once, while
    the command is still starting), which ended in a BrokenPipeError traceback."""
    import subprocess
    import sys
    from pathlib import Path

    thidua = Path(sys.executable).with_name("thidua")
    proc = subprocess.Popen([str(thidua), "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader has gone before a byte is written
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err, err.decode()
