"""Builders of realistic portal exports for the web import tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận",
          "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]


def dossier(code, *, unit="Xã Tân Hòa", received="03/07/2021 08:00", due="10/07/2021",
            resolved="08/07/2021 10:00", level="Mức độ 3", channel="Trực tuyến"):
    return ["", code, "Đăng ký khai sinh", level, channel, unit, received, due, resolved, "Đã trả kết quả"]


@pytest.fixture
def dossier_csv(tmp_path):
    """dossier_csv(rows, name=...) writes a UTF-8 (BOM) CSV with a title row, header, rows and a totals row."""

    def write(rows, *, name="ho-so.csv") -> Path:
        path = tmp_path / name
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            out = csv.writer(handle, delimiter=";")
            out.writerow(["DANH SÁCH HỒ SƠ TIẾP NHẬN TRỰC TUYẾN"])
            out.writerow([])
            out.writerow(HEADER)
            for i, row in enumerate(rows, start=1):
                out.writerow([i, *row[1:]])
            out.writerow(["Tổng cộng", len(rows)])
        return path

    return write


@pytest.fixture
def large_dossier_csv(dossier_csv):
    """large_dossier_csv(spanning_value=False) -> (path, rows): a CSV over the size the reader reads by
    columns (reader.COLUMNAR_MIN_BYTES); with spanning_value, a quoted value over two lines near the end."""
    from thidua.portal.parsing.reader import COLUMNAR_MIN_BYTES

    def write(*, spanning_value: bool = False):
        units = ["Xã Tân Hòa", "TT. Một Ngàn", "Phòng Tư pháp"]
        rows = [dossier(f"000.00.{i % 9:02d}.H29-2107{i:06d}", unit=units[i % 3],
                        received=f"{1 + i % 28:02d}/07/2021 {7 + i % 10:02d}:{i % 60:02d}",
                        due=f"{min(3 + i % 28, 31):02d}/07/2021", resolved="" if i % 5 == 0 else "30/07/2021",
                        channel=["Trực tuyến", "Trực tiếp"][i % 2])
                for i in range(COLUMNAR_MIN_BYTES // 90)]
        # texts the database's COPY must keep as they are: quotes, delimiters, backslashes, empty
        rows[7][2], rows[7][9] = ' "Cấp phép"; sửa, chữa \\N ', "\\."
        rows[8][2], rows[8][9] = "   ", ""
        rows[9][2], rows[9][9] = "Đăng ký\tkết hôn \\", 'Đã trả "một phần"'
        if spanning_value:
            rows[-3][2] = "Đăng ký khai sinh\n(bản sao)"
        path = dossier_csv(rows)
        assert path.stat().st_size >= COLUMNAR_MIN_BYTES
        return path, len(rows)

    return write
