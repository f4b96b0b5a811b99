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
