"""Fixtures for the portal parsing tests: unit registry and file builders."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from thidua.portal.parsing import UnitMatcher

UNITS = [
    ("TT-MOT-NGAN", "Thị trấn Một Ngàn"), ("TT-BAY-NGAN", "Thị trấn Bảy Ngàn"),
    ("TT-RACH-GOI", "Thị trấn Rạch Gòi"), ("TT-CAI-TAC", "Thị trấn Cái Tắc"),
    ("X-NHON-NGHIA-A", "Xã Nhơn Nghĩa A"), ("X-TAN-HOA", "Xã Tân Hòa"),
    ("X-TAN-PHU-THANH", "Xã Tân Phú Thạnh"), ("X-THANH-XUAN", "Xã Thạnh Xuân"),
    ("X-TRUONG-LONG-A", "Xã Trường Long A"), ("X-TRUONG-LONG-TAY", "Xã Trường Long Tây"),
    ("VP-HDND-UBND", "Văn phòng HĐND và UBND huyện"), ("P-NOI-VU", "Phòng Nội vụ"),
    ("P-TU-PHAP", "Phòng Tư pháp"), ("P-TAI-CHINH-KH", "Phòng Tài chính - Kế hoạch"),
]
# Copies of ../shared/plan/samples, kept in the repo so the tests do not depend on the shared folder.
SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "portal"
HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận",
          "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]


@pytest.fixture
def unit_list() -> list[tuple[str, str]]:
    return list(UNITS)


@pytest.fixture
def dossier_header() -> list[str]:
    return list(HEADER)


@pytest.fixture
def dossier_row():
    return dossier


@pytest.fixture
def units() -> UnitMatcher:
    return UnitMatcher(UNITS)


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def dossier(code, level="Mức độ 3", channel="Trực tuyến", unit="Xã Tân Hòa",
            received="01/03/2021 08:00", due="05/03/2021 08:00", resolved="04/03/2021 10:00",
            status="Đã trả kết quả", stt=1, procedure="Đăng ký khai sinh"):
    return [stt, code, procedure, level, channel, unit, received, due, resolved, status]


@pytest.fixture
def write_csv(tmp_path):
    def _write(rows, *, name="ho-so.csv", delimiter=";", bom=True, header=HEADER, title=None,
               encoding="utf-8"):
        path = tmp_path / name
        with open(path, "w", encoding=("utf-8-sig" if bom else encoding), newline="") as f:
            w = csv.writer(f, delimiter=delimiter)
            if title:
                for line in title:
                    w.writerow(line)
            if header:
                w.writerow(header)
            w.writerows(rows)
        return path
    return _write


@pytest.fixture
def write_xlsx(tmp_path):
    def _write(rows, *, name="ho-so.xlsx", header=HEADER, title=("UBND HUYỆN CHÂU THÀNH A",
               "DANH SÁCH HỒ SƠ TIẾP NHẬN TRỰC TUYẾN"), totals=True):
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for line in title:
            ws.append([line])
        if title:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        if totals:
            ws.append(["Tổng cộng", "", "", "", "", "", "", "", "", ""])
        path = tmp_path / name
        wb.save(path)
        return path
    return _write
