"""Builders of unit registry files (.csv with a title row, .xlsx through openpyxl) for the import tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "Cấp", "Nhóm thi đua", "Mã đơn vị cấp trên", "Thủ trưởng",
          "Chức vụ thủ trưởng", "Thứ tự", "Đang hoạt động", "Sơ lược"]

# A province after the 2025 reform: no district, its departments (sở) and communes (xã, phường) under it.
PROVINCE_ROWS = [
    ["CAN-THO", "Thành phố Cần Thơ", "Thành phố trực thuộc TW", "", "", "Trần Văn Lâu", "Chủ tịch UBND"],
    ["S-NOI-VU", "Sở Nội vụ", "Sở", "Khối sở, ban, ngành", "CAN-THO", "Lê Thị Hoa", "Giám đốc Sở"],
    ["S-TU-PHAP", "Sở Tư pháp", "Sở", "department", "CAN-THO", "", ""],
    ["VP-UBND-TP", "Văn phòng UBND thành phố", "Văn phòng", "Khối sở, ban, ngành", "CAN-THO", "", ""],
    ["P-NINH-KIEU", "Phường Ninh Kiều", "Phường", "Khối xã, phường", "CAN-THO", "Phạm Minh Tâm", "Chủ tịch UBND"],
    ["X-PHONG-DIEN", "Xã Phong Điền", "Xã", "commune", "CAN-THO", "", ""],
    ["X-THANH-AN", "Xã Thạnh An", "xã", "Khối xã, phường, đặc khu", "can-tho", "", ""],
]


def unit(code, name, level="Xã", group="Khối xã, phường, thị trấn", parent="", head="", title="", order="",
         active="", description=""):
    return [code, name, level, group, parent, head, title, order, active, description]


@pytest.fixture
def registry_csv(tmp_path):
    """registry_csv(rows, name=...) writes a UTF-8 (BOM) CSV: a title row, a blank row, the header, the rows
    (each given without its STT, which is added). Row numbers: the first unit is on line 4."""

    def write(rows, *, name="danh-muc.csv", header=HEADER) -> Path:
        path = tmp_path / name
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["DANH MỤC ĐƠN VỊ THAM GIA PHONG TRÀO THI ĐUA"])
            out.writerow([])
            out.writerow(header)
            for number, row in enumerate(rows, start=1):
                out.writerow([number, *row] if header is HEADER else row)
        return path

    return write


@pytest.fixture
def registry_xlsx(tmp_path):
    """registry_xlsx(rows) writes a real workbook with openpyxl: two title rows, the header on row 3, a blank
    row 4, then the rows from row 5 (numbers as numbers)."""
    from openpyxl import Workbook

    def write(rows, *, name="danh-muc.xlsx") -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = "Danh mục"
        ws.append(["UBND TỈNH HẬU GIANG"])
        ws.append(["DANH MỤC ĐƠN VỊ"])
        ws.append(HEADER)
        ws.append([])
        for number, row in enumerate(rows, start=1):
            ws.append([number, *row])
        path = tmp_path / name
        wb.save(path)
        return path

    return write
