"""Benchmark: the full year-end reward dossier of the demo district as .docx and .pdf.

Builds the set from plain data (3 communes + 7 departments, 27 individuals): Tờ trình, Biên bản,
Bảng tổng hợp, a Báo cáo thành tích per collective and per individual, the Quyết định and a Giấy
khen per collective, then renders every document in both formats. The target is ≤ 5 s for the
whole set; the first run is cold (ReportLab import, Liberation Serif loading, the .docx template),
the second warm, as in a running web process.

    .venv/bin/python bench/bench_documents.py [--out DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from time import perf_counter, process_time

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thidua.documents import render_all, render_docx, render_pdf, year_end_dossier
from thidua.documents.demo import (
    demo_district,
    demo_meeting,
    demo_plan,
    demo_proposals,
    demo_ranking,
)

TARGET_S = 5.0


def build():
    ranking = demo_ranking()
    return year_end_dossier(
        demo_district(),
        demo_plan(),
        demo_proposals(ranking),
        ranking,
        demo_meeting(),
        as_of=date(2021, 12, 18),
        to_trinh_date=date(2021, 12, 16),
        decision_number="1520/QĐ-UBND",
        decision_date=date(2021, 12, 20),
    )


def run(label: str, out: Path | None) -> float:
    t0 = perf_counter()
    c0 = process_time()
    docs = build()
    t_build = perf_counter() - t0
    t_docx = t_pdf = 0.0
    size = 0
    pages_slowest = ("", 0.0)
    for stem, doc in docs:
        a = perf_counter()
        docx = render_docx(doc)
        b = perf_counter()
        pdf = render_pdf(doc)
        c = perf_counter()
        t_docx += b - a
        t_pdf += c - b
        if c - b > pages_slowest[1]:
            pages_slowest = (stem, c - b)
        size += len(docx) + len(pdf)
        if out is not None:
            (out / f"{stem}.docx").write_bytes(docx)
            (out / f"{stem}.pdf").write_bytes(pdf)
    total = perf_counter() - t0
    cpu = process_time() - c0
    files = 2 * len(docs)
    print(
        f"{label} year-end set: {files} files, {total:.2f} s "
        f"(target ≤ {TARGET_S:g} s, ratio {total / TARGET_S:.2f}); CPU {cpu:.2f} s"
    )
    print(
        f"    build {t_build * 1000:.0f} ms | docx {len(docs)} files {t_docx:.2f} s "
        f"({t_docx / len(docs) * 1000:.0f} ms each) | pdf {len(docs)} files {t_pdf:.2f} s "
        f"({t_pdf / len(docs) * 1000:.0f} ms each) | slowest pdf {pages_slowest[0]} "
        f"{pages_slowest[1] * 1000:.0f} ms | {size / 1024:.0f} KiB"
    )
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the files to this folder")
    parser.add_argument("--runs", type=int, default=2, help="runs (the first is cold)")
    args = parser.parse_args()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    totals = [run("cold" if i == 0 else "warm", args.out if i == 0 else None) for i in range(args.runs)]
    worst = max(totals)
    print(f"worst sequential run {worst:.2f} s, ratio to the 5 s target {worst / TARGET_S:.2f}")
    workers = os.cpu_count() or 1
    t0 = perf_counter()
    files = render_all(build(), workers=workers)
    parallel = perf_counter() - t0
    print(
        f"parallel year-end set ({workers} processes): {len(files)} files, {parallel:.2f} s "
        f"(target ≤ {TARGET_S:g} s, ratio {parallel / TARGET_S:.2f})"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {workers} CPUs, load average {load:.1f} (other jobs inflate wall times)")
    return 0 if min(worst, parallel) <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
