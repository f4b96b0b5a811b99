"""Portal exports for the demo, made from the demo's own reports, for the reviewer to import.

They look like real exports (title rows, STT, Vietnamese headers, a totals row, spelling variants
of unit names, one name the registry does not know) and agree with the units' reports as of each
reporting deadline, except where a unit over-reported: Thị trấn Cái Tắc's August report claims
more online dossiers than the portal lists, which the reconciliation then flags.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from thidua.reports.models import Report

HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận", "Ngày tiếp nhận",
          "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
ACCOUNT_HEADER = ["STT", "Tên đăng nhập", "Loại tài khoản", "Đơn vị hướng dẫn", "Ngày tạo"]
SPELLING = {"TT-MOT-NGAN": "TT. Một Ngàn", "X-TAN-HOA": "Xã Tân Hoà", "P-TU-PHAP": "Tư pháp"}
UNKNOWN_NAME = {"X-TRUONG-LONG-A": "UBND xã Trường Long A (Bộ phận một cửa)"}
OVER_REPORTED = {("TT-CAI-TAC", "2021-08"): (3, 5)}  # the portal lists only 3/5 of the reported dossiers
PROCEDURES = ["Đăng ký khai sinh", "Chứng thực bản sao từ bản chính", "Đăng ký kết hôn",
              "Cấp giấy chứng nhận quyền sử dụng đất", "Đăng ký hộ kinh doanh", "Cấp giấy phép xây dựng nhà ở"]


def _unit_name(unit, i: int) -> str:
    if unit.code in UNKNOWN_NAME and i % 4 == 0:
        return UNKNOWN_NAME[unit.code]
    if unit.code in SPELLING and i % 3 == 0:
        return SPELLING[unit.code]
    return unit.name


def _fmt(day: date, hour: int | None = None) -> str:
    return day.strftime("%d/%m/%Y") + (f" {hour:02d}:{(hour * 7) % 60:02d}" if hour is not None else "")


def _dossier_rows(report):
    """Rows that reproduce the report's online figures as of the reporting deadline (the 25th)."""
    v, unit = report.current, report.unit
    year, month = int(report.month[:4]), int(report.month[5:])
    first = date(year, month, 1)
    online = v.dossiers_online
    num, den = OVER_REPORTED.get((unit.code, report.month), (1, 1))
    online = online * num // den
    for i in range(online):
        received = first + timedelta(days=i % 17)
        if i < min(v.due, online):
            due = received + timedelta(days=5)
            resolved = received + timedelta(days=3) if i < v.resolved_on_time else due + timedelta(days=1)
            status = "Đã trả kết quả"
        else:  # received but not yet due on the 25th
            due, resolved, status = date(year, month, 28), None, "Đang xử lý"
        yield (f"{report.month.replace('-', '')}-{unit.code}-TT-{i + 1:04d}", PROCEDURES[i % len(PROCEDURES)],
               "Mức độ 4" if i % 3 == 0 else "Mức độ 3", "Trực tuyến", _unit_name(unit, i),
               _fmt(received, 8 + i % 9), _fmt(due), _fmt(resolved, 15) if resolved else "", status)
    for i in range(v.dossiers_in_person):
        received = first + timedelta(days=i % 20)
        yield (f"{report.month.replace('-', '')}-{unit.code}-TD-{i + 1:04d}", PROCEDURES[i % len(PROCEDURES)],
               "Mức độ 2", "Trực tiếp" if i % 5 else "Bưu chính", _unit_name(unit, i), _fmt(received, 9),
               _fmt(received + timedelta(days=4)), _fmt(received + timedelta(days=2), 16), "Đã trả kết quả")


def write_demo_exports(campaign, directory: Path) -> tuple[Path, Path]:
    """Write the dossier list (.xlsx) and the account list (.csv); overwrites earlier copies."""
    directory.mkdir(parents=True, exist_ok=True)
    reports = list(
        Report.objects.filter(campaign=campaign, current__isnull=False).select_related("current", "unit")
        .order_by("month", "unit__sort_order")
    )
    dossiers_path = directory / "ho-so-truc-tuyen-chau-thanh-a-2021.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách hồ sơ")
    sheet.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN TRÊN CỔNG DỊCH VỤ CÔNG TỈNH HẬU GIANG"])
    sheet.append(["Đơn vị: huyện Châu Thành A — Từ ngày 01/06/2021 đến ngày 30/11/2021"])
    sheet.append([])
    sheet.append(HEADER)
    n = 0
    for report in reports:
        for row in _dossier_rows(report):
            n += 1
            sheet.append([n, *row])
    sheet.append(["Tổng cộng", n])
    workbook.save(dossiers_path)

    accounts_path = directory / "tai-khoan-chau-thanh-a-2021.csv"
    with open(accounts_path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["DANH SÁCH TÀI KHOẢN ĐĂNG KÝ MỚI"])
        out.writerow(ACCOUNT_HEADER)
        n = 0
        for report in reports:
            year, month = int(report.month[:4]), int(report.month[5:])
            for i in range(report.current.new_accounts):
                n += 1
                kind = "Doanh nghiệp" if i % 11 == 0 else "Công dân"
                account = f"0{(n * 7919) % 10**11:011d}" if kind == "Công dân" else f"63{n:08d}"
                out.writerow([n, account, kind, _unit_name(report.unit, i + 1),
                              _fmt(date(year, month, 1 + i % 24), 10)])
    return dossiers_path, accounts_path
