import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from scoring_support import contract_unit, full_reports, snapshot

from thidua.scoring.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = resources.files("thidua.scoring") / "examples" / "chau-thanh-a-2021.json"
UNIT_KEYS = {"code", "group", "criteria", "penalty", "total", "eligible", "rank", "tie", "notes"}


def write(tmp_path, data, name="input.json"):
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(to_json(data), encoding="utf-8")
    return str(path)


def to_json(data) -> str:
    """JSON text with Decimal values written as JSON numbers, digit for digit."""
    text = json.dumps(data, ensure_ascii=False, default=lambda d: f"@@{d}@@")
    return re.sub(r'"@@(-?[0-9.]+)@@"', r"\1", text)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def bad(capsys, tmp_path, data):
    code, out, err = run(capsys, write(tmp_path, data))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    return err.splitlines()


def check_contract_schema(doc):
    assert set(doc) == {"campaign", "as_of", "units", "awards"}
    for u in doc["units"]:
        assert set(u) == UNIT_KEYS
        assert set(u["criteria"]) == {"plan", "procedures", "accounts", "dossiers", "resolution"}
        assert all(type(v) is int for v in u["criteria"].values())
        assert type(u["penalty"]) is int and u["penalty"] <= 0 and type(u["total"]) is int
        assert u["total"] == sum(u["criteria"].values()) + u["penalty"]
        assert u["rank"] is None or type(u["rank"]) is int
        assert (u["rank"] is not None) == u["eligible"] == (u["total"] >= 90)
        assert all(isinstance(n, str) and "\n" not in n for n in u["notes"])
    aw = doc["awards"]
    assert set(aw) <= {"communes", "departments", "provisional"} and {"communes", "departments"} <= set(aw)
    for e in aw["communes"]:
        assert set(e) in ({"place", "code", "prize_vnd", "bonus_points", "individuals"},
                          {"place", "codes", "pending"})
    assert set(aw["departments"]) <= {"collectives", "pending", "individuals"}


# -- success -------------------------------------------------------------------------------------


def test_the_contract_example_scores_121_with_a_penalty_of_minus_24(capsys, tmp_path):
    code, out, err = run(capsys, write(tmp_path, snapshot(contract_unit())))
    assert code == 0 and err == ""
    doc = json.loads(out)
    check_contract_schema(doc)
    assert doc["campaign"] == "chau-thanh-a-2021" and doc["as_of"] == "2021-12-18"
    (u,) = doc["units"]
    assert u["criteria"] == {"plan": 10, "procedures": 30, "accounts": 45, "dossiers": 45, "resolution": 15}
    assert (u["penalty"], u["total"], u["eligible"], u["rank"], u["tie"]) == (-24, 121, True, 1, False)
    assert u["notes"][5] == "2021-07: trễ 2 ngày (−2)"
    assert doc["awards"] == {
        "communes": [{"place": 1, "code": "TT-MOT-NGAN", "prize_vnd": 10000000, "bonus_points": 15,
                      "individuals": 5}],
        "departments": {"collectives": [], "individuals": 15},
    }


def test_json_output_is_indented_utf8_text_not_ascii_escapes(capsys, tmp_path):
    _, out, _ = run(capsys, write(tmp_path, snapshot(contract_unit())))
    assert "Tài khoản: 1.730 tài khoản" in out and "\\u" not in out
    assert out.startswith('{\n  "campaign"')


def test_a_rate_given_as_a_json_number_is_read_exactly(capsys, tmp_path):
    text = to_json(snapshot(contract_unit(resolution_rate="RATE"))).replace('"RATE"', "97.99999999999999999")
    _, out, _ = run(capsys, write(tmp_path, text))
    assert json.loads(out)["units"][0]["criteria"]["resolution"] == 0


def test_campaign_defaults_to_plan_211(capsys, tmp_path):
    data = snapshot(contract_unit())
    del data["campaign"]
    code, out, _ = run(capsys, write(tmp_path, data))
    assert code == 0 and json.loads(out)["campaign"] == "chau-thanh-a-2021"


def test_counts_give_the_rate_and_the_awards_are_provisional_before_the_end(capsys, tmp_path):
    u = contract_unit(resolution_rate=None, resolved_on_time=49, due=50, reports=full_reports()[:4])
    del u["resolution_rate"]
    code, out, _ = run(capsys, write(tmp_path, snapshot(u, as_of="2021-10-27")))
    doc = json.loads(out)
    assert code == 0 and doc["units"][0]["criteria"]["resolution"] == 10
    assert doc["awards"]["provisional"] is True
    assert any("2021-10: chưa nộp báo cáo" in n for n in doc["units"][0]["notes"])


def test_tie_breaks_in_the_input_resolve_a_pending_place(capsys, tmp_path):
    a = contract_unit(code="A", reports=full_reports())
    b = contract_unit(code="B", reports=full_reports())
    _, out, _ = run(capsys, write(tmp_path, snapshot(a, b)))
    assert json.loads(out)["awards"]["communes"] == [{"place": 1, "codes": ["A", "B"], "pending": True}]
    data = snapshot(a, b, tie_breaks=[{"group": "commune", "codes": ["B", "A"], "reason": "Hội đồng xét"}])
    _, out, _ = run(capsys, write(tmp_path, data))
    doc = json.loads(out)
    assert [(e["place"], e["code"]) for e in doc["awards"]["communes"]] == [(1, "B"), (2, "A")]
    assert [(u["code"], u["rank"], u["tie"]) for u in doc["units"]] == [("B", 1, True), ("A", 2, True)]


def test_the_shipped_example_scores_and_matches_the_contract(capsys):
    code, out, err = run(capsys, str(EXAMPLE))
    assert code == 0 and err == ""
    doc = json.loads(out)
    check_contract_schema(doc)
    units = {u["code"]: u for u in doc["units"]}
    assert len(units) == 22
    assert sum(u["group"] == "commune" for u in units.values()) == 10
    assert any(not u["eligible"] for u in units.values() if u["group"] == "commune")
    assert any(u["tie"] and u["eligible"] for u in units.values() if u["group"] == "commune")
    notes = [n for u in units.values() for n in u["notes"]]
    assert any("trễ" in n for n in notes) and any("không nộp báo cáo" in n for n in notes)
    assert any("không trung thực" in n for n in notes)
    assert {"TT-MOT-NGAN", "X-TRUONG-LONG-TAY", "BP-MOT-CUA", "P-Y-TE"} <= set(units)


def test_the_table_format_shows_each_group_aligned_and_the_awards(capsys):
    code, out, err = run(capsys, str(EXAMPLE), "--format", "table")
    assert code == 0 and err == ""
    assert "Xã, thị trấn (10 đơn vị)" in out and "Phòng, ban, ngành huyện (12 đơn vị)" in out
    assert "đồng hạng" in out and "10.000.000 đ" in out and "Khen thưởng cuối năm" in out
    from wcwidth import wcswidth
    block = out.split("Xã, thị trấn (10 đơn vị)\n")[1].split("\n\n")[0].splitlines()
    header, rows = block[0], block[2:]
    total_col_end = wcswidth(header[: header.index("Tổng") + len("Tổng")])
    for row in rows:  # numbers are right-aligned under their header
        assert row[:total_col_end] and wcswidth(row[:total_col_end].rstrip()) <= total_col_end


def test_format_equals_sign_and_help(capsys):
    code, out, _ = run(capsys, "--format=json", str(EXAMPLE))
    assert code == 0 and json.loads(out)
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "thidua score" in out


def test_running_the_module_in_a_subprocess_prints_json():
    proc = subprocess.run([sys.executable, "-m", "thidua.scoring.cli", str(EXAMPLE)], capture_output=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(json.loads(proc.stdout.decode("utf-8"))["units"]) == 22


def test_bad_input_in_a_subprocess_exits_2_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "thidua.scoring.cli", str(tmp_path / "none.json")],
                          capture_output=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and proc.stdout == b""
    assert "không tìm thấy tệp" in proc.stderr.decode("utf-8") and b"Traceback" not in proc.stderr


# -- bad input: one test per class ---------------------------------------------------------------


def test_malformed_json_names_line_and_column(capsys, tmp_path):
    (line,) = bad(capsys, tmp_path, '{\n  "as_of": "2021-12-18",\n  "units": [,]\n}')
    assert line.startswith("JSON không hợp lệ ở dòng 3, cột 13")


def test_a_number_too_long_to_read_is_named_not_an_internal_error(capsys, tmp_path):
    (line,) = bad(capsys, tmp_path, '{"as_of": "2021-12-18", "units": ' + "1" * 5000 + "}")
    assert line == "JSON không hợp lệ: có số dài quá 4300 chữ số"


def test_missing_as_of(capsys, tmp_path):
    data = snapshot(contract_unit())
    del data["as_of"]
    assert bad(capsys, tmp_path, data) == ['trường "as_of": thiếu trường bắt buộc (ngày tính điểm, dạng YYYY-MM-DD)']


def test_bad_dates(capsys, tmp_path):
    u = contract_unit(reports=[{"month": "2021-06", "submitted": "2021-06-31"}])
    lines = bad(capsys, tmp_path, snapshot(u, as_of="18/12/2021"))
    assert lines == [
        'trường "as_of": ngày không hợp lệ "18/12/2021" (cần dạng YYYY-MM-DD)',
        'đơn vị TT-MOT-NGAN, trường "reports[0].submitted": ngày không hợp lệ "2021-06-31" (cần dạng YYYY-MM-DD)',
    ]


def test_negative_counts(capsys, tmp_path):
    lines = bad(capsys, tmp_path, snapshot(contract_unit(accounts=-3, dossiers=2.5)))
    assert lines == ['đơn vị TT-MOT-NGAN, trường "accounts": không được âm (−3)',
                     'đơn vị TT-MOT-NGAN, trường "dossiers": phải là số nguyên, nhận được 2,5']


def test_resolved_on_time_greater_than_due(capsys, tmp_path):
    u = contract_unit(code="X-TAN-HOA", resolved_on_time=60, due=50)
    del u["resolution_rate"]
    assert bad(capsys, tmp_path, snapshot(u)) == [
        'đơn vị X-TAN-HOA, trường "due": resolved_on_time (60) lớn hơn due (50)']


def test_rate_outside_0_to_100(capsys, tmp_path):
    text = to_json(snapshot(contract_unit(resolution_rate="R"))).replace('"R"', "100.5")
    assert bad(capsys, tmp_path, text) == [
        'đơn vị TT-MOT-NGAN, trường "resolution_rate": tỷ lệ 100,5 nằm ngoài khoảng 0–100']


def test_unknown_group(capsys, tmp_path):
    assert bad(capsys, tmp_path, snapshot(contract_unit(group="ward"))) == [
        'đơn vị TT-MOT-NGAN, trường "group": nhóm "ward" không có trong chiến dịch (có: department, commune)']


def test_unknown_month(capsys, tmp_path):
    u = contract_unit(reports=[{"month": "2021-12", "submitted": "2021-12-01"}])
    assert bad(capsys, tmp_path, snapshot(u)) == [
        'đơn vị TT-MOT-NGAN, trường "reports[0].month": "2021-12" không phải tháng báo cáo của chiến dịch '
        "(2021-06 … 2021-11)"]


def test_submission_after_as_of(capsys, tmp_path):
    u = contract_unit(reports=[{"month": "2021-10", "submitted": "2021-10-28"}])
    assert bad(capsys, tmp_path, snapshot(u, as_of="2021-10-27")) == [
        'đơn vị TT-MOT-NGAN, trường "reports[0].submitted": ngày nộp 2021-10-28 sau ngày tính điểm as_of 2021-10-27']


def test_duplicate_unit_code(capsys, tmp_path):
    assert bad(capsys, tmp_path, snapshot(contract_unit(), contract_unit())) == [
        'đơn vị TT-MOT-NGAN, trường "code": mã đơn vị trùng với đơn vị thứ 1']


def test_unknown_campaign(capsys, tmp_path):
    data = snapshot(contract_unit(group="ward"))
    data["campaign"] = "ha-noi-2030"
    assert bad(capsys, tmp_path, data) == [
        'trường "campaign": không biết chiến dịch "ha-noi-2030" (có: chau-thanh-a-2021)']


def test_non_object_input(capsys, tmp_path):
    assert bad(capsys, tmp_path, [1, 2]) == ["dữ liệu vào phải là một đối tượng JSON {…}, nhận được mảng"]


def test_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, str(tmp_path / "absent.json"))
    assert (code, out) == (2, "")
    assert err == f'không tìm thấy tệp "{tmp_path / "absent.json"}"\n'


def test_all_problems_are_collected_before_exiting(capsys, tmp_path):
    units = [contract_unit(procedures=-1), {"name": "Không mã", "group": "commune"},
             contract_unit(code="B", plan="có", reports=[{"month": "2021-07", "submitted": "2021-07-20",
                                                         "untruthful": "yes"}, {"monthh": "x"}]),
             "not a unit"]
    data = snapshot(*units, extra_key=1)
    lines = bad(capsys, tmp_path, data)
    assert lines[0].startswith('trường "extra_key"')
    assert 'đơn vị TT-MOT-NGAN, trường "procedures": không được âm (−1)' in lines
    assert 'đơn vị thứ 2, trường "code": thiếu trường bắt buộc' in lines
    assert 'đơn vị thứ 2, trường "plan": thiếu trường bắt buộc' in lines
    assert 'đơn vị B, trường "plan": phải là true hoặc false, nhận được chuỗi "có"' in lines
    assert 'đơn vị B, trường "reports[0].untruthful": phải là true hoặc false, nhận được "yes"' in lines
    assert 'đơn vị B, trường "reports[1].monthh": không có trong định dạng đầu vào' in lines
    assert "đơn vị thứ 4: phải là đối tượng JSON, nhận được chuỗi" in lines
    assert len(lines) >= 10


def test_other_field_problems(capsys, tmp_path):
    u1 = contract_unit(code="A", resolved_on_time=5)
    u2 = contract_unit(code="C", reports=[{"month": "2021-06", "submitted": "2021-06-20"},
                                          {"month": "2021-06", "submitted": "2021-06-21"},
                                          {"month": "2021-07", "untruthful": True}])
    u3 = contract_unit(code="D", accounts=None, reports={})
    lines = bad(capsys, tmp_path, snapshot(u1, u2, u3, tie_breaks=[{"group": "commune", "codes": ["A"]}]))
    assert 'đơn vị A, trường "resolution_rate": chỉ được cho một trong hai: resolution_rate hoặc ' \
           'resolved_on_time và due' in lines
    assert 'đơn vị A, trường "due": thiếu trường bắt buộc (đi kèm resolved_on_time)' in lines
    assert 'đơn vị C, trường "reports[1].month": tháng 2021-06 đã có ở reports[0] (chỉ ghi lần nộp đầu tiên)' in lines
    assert 'đơn vị C, trường "reports[2].untruthful": báo cáo chưa nộp thì không thể bị kết luận không trung thực' \
        in lines
    assert 'đơn vị D, trường "accounts": thiếu trường bắt buộc' in lines
    assert 'đơn vị D, trường "reports": phải là mảng, nhận được đối tượng' in lines
    assert 'trường "tie_breaks[0].codes": phải là mảng từ 2 mã đơn vị khác nhau trở lên' in lines
    assert 'trường "tie_breaks[0].reason": cần ghi lý do của hội đồng' in lines


@pytest.mark.parametrize(("argv", "message"), [
    ([], "thiếu tệp INPUT.json"),
    (["a.json", "--format", "xml"], "định dạng 'xml' không hợp lệ; chọn json hoặc table"),
    (["a.json", "--bogus"], "tham số không hợp lệ: --bogus"),
    (["a.json", "b.json"], "thừa tham số: b.json (chỉ nhận một tệp INPUT.json)"),
])
def test_usage_errors_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == message


def test_a_file_that_is_not_utf8_is_bad_input(capsys, tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"as_of": "Tân Hòa"}'.encode("latin-1"))
    code, out, err = run(capsys, str(path))
    assert (code, out) == (2, "") and "UTF-8" in err
