"""Generate synthetic portal exports for the import benchmark (cached under bench/out/).

    python bench/gen_portal.py [--rows 1000000] [--xlsx-rows 100000] [--force]

Writes ``bench/out/dossiers-<rows>.csv`` (UTF-8 with BOM, ``;``-separated, one title line, a totals
line) and ``bench/out/dossiers-<rows>.xlsx`` (title rows, merged title, STT column, totals row), in
the layout of ``ho-so-mau.xlsx``. Deterministic (seeded). Codes are unique; every unit name is one
of the 2021 units of Châu Thành A, written in a few spellings.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thidua.units.chau_thanh_a import UNITS

OUT = Path(__file__).resolve().parent / "out"

SPELLINGS = {"Xã Tân Hòa": ["Xã Tân Hòa", "Xã Tân Hoà", "UBND xã Tân Hòa"],
             "Thị trấn Một Ngàn": ["Thị trấn Một Ngàn", "TT. Một Ngàn"]}
HEADER = ["STT", "Mã hồ sơ", "Tên thủ tục", "Mức độ", "Hình thức nộp", "Đơn vị tiếp nhận",
          "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trạng thái"]
PROCEDURES = ["Đăng ký khai sinh", "Đăng ký kết hôn", "Chứng thực bản sao từ bản chính",
              "Cấp giấy chứng nhận quyền sử dụng đất", "Cấp giấy phép xây dựng", "Đăng ký hộ kinh doanh"]
CHANNELS = ["Trực tuyến", "Trực tuyến", "Trực tiếp", "Bưu chính"]
LEVELS = ["Mức độ 2", "Mức độ 3", "Mức độ 4"]


def _fmt(dt: datetime) -> str:
    return f"{dt.day:02d}/{dt.month:02d}/{dt.year} {dt.hour:02d}:{dt.minute:02d}"


def dossier_rows(n: int, seed: int = 211):
    rng = random.Random(seed)
    start = datetime(2021, 1, 1, 7, 0)
    names = [SPELLINGS.get(name, [name]) for _, name in UNITS]
    for i in range(1, n + 1):
        received = start + timedelta(days=rng.randrange(365), hours=rng.randrange(10), minutes=rng.randrange(0, 60, 15))
        due = received + timedelta(days=rng.randrange(1, 15))
        resolved = "" if rng.random() < 0.1 else _fmt(received + timedelta(days=rng.randrange(0, 18)))
        spellings = names[rng.randrange(len(names))]
        yield [
            i, f"000.00.{i % 97:02d}.H29-2021{i:08d}", PROCEDURES[rng.randrange(len(PROCEDURES))],
            LEVELS[rng.randrange(3)], CHANNELS[rng.randrange(4)], spellings[rng.randrange(len(spellings))],
            _fmt(received), _fmt(due), resolved, "Đã trả kết quả" if resolved else "Đang xử lý",
        ]


def write_csv(path: Path, n: int) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["DANH SÁCH HỒ SƠ (số liệu giả lập cho đo hiệu năng)"])
        w.writerow(HEADER)
        w.writerows(dossier_rows(n))
        w.writerow(["", f"Tổng cộng: {n} hồ sơ"])
    tmp.replace(path)


def write_xlsx(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hồ sơ")
    ws.append(["UBND HUYỆN CHÂU THÀNH A"])
    ws.append(["DANH SÁCH HỒ SƠ (số liệu giả lập cho đo hiệu năng)"])
    ws.append(HEADER)
    for row in dossier_rows(n, seed=2021):
        ws.append(row)
    ws.append(["", f"Tổng cộng: {n} hồ sơ"])
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)


def ensure(rows: int = 1_000_000, xlsx_rows: int = 100_000, force: bool = False) -> tuple[Path, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"dossiers-{rows}.csv"
    xlsx_path = OUT / f"dossiers-{xlsx_rows}.xlsx"
    if force or not csv_path.exists():
        print(f"writing {csv_path} …", flush=True)
        write_csv(csv_path, rows)
    if force or not xlsx_path.exists():
        print(f"writing {xlsx_path} …", flush=True)
        write_xlsx(xlsx_path, xlsx_rows)
    return csv_path, xlsx_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--xlsx-rows", type=int, default=100_000)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    for p in ensure(a.rows, a.xlsx_rows, a.force):
        print(p, f"{p.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
