"""Benchmark: portal import parsing against baselines, in the same run (issue 4 item 7).

    python bench/bench_import.py [--rows 1000000] [--xlsx-rows 100000] [--databases sqlite,postgres]

Phases, each in a fresh subprocess so that peak RSS (ru_maxrss) is per phase:
  csv-parse     read_dossiers() over the CSV (validate + aggregate per unit × month): a file this
                large is read by the columnar scan (thidua/portal/parsing/columnar.py)
  csv-parse-rows  the same with engine="python", the row-by-row scan, for comparison
  csv-duckdb    DuckDB read_csv + GROUP BY unit, month computing the same five counts
  xlsx-parse    read_dossiers() over the xlsx
  xlsx-raw      python-calamine: open the workbook and iterate every row of the first sheet
  db            (--with-db only) the callable MODULE:FUNC(result, path) after a parse, e.g. the
                Django import service writing the rows; timed from after the scan
  import:DB     (--databases) the whole import into a fresh SQLite or PostgreSQL database, then
                its re-import, then the database's write floor: the imported rows copied by the
                database itself into an empty table with the same indexes (bench/portal_db.py)
Targets: CSV parse ≤ 5 × DuckDB, xlsx parse ≤ 1.5 × calamine raw, peak RSS ≤ 300 MB; the same
ratios for the whole imports, which the write floor shows against the same baseline.
Inputs come from bench/gen_portal.py (cached in bench/out/, generated outside the timed part).
Wall-clock seconds are the measure; CPU seconds are printed too since the machine may be shared.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from gen_portal import UNITS, ensure  # noqa: E402

AS_OF = date(2022, 1, 1)
NO_LIMIT = 1 << 40
TARGET_CSV, TARGET_XLSX, TARGET_RSS_MB = 5.0, 1.5, 300


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def time_parse(path: str | Path, *, kind: str = "dossiers", with_db: str | None = None,
               engine: str = "auto") -> dict:
    """Parse ``path`` with the portal reader; returns timings and counts (reusable by other benches).

    ``with_db``: "module:function" called as ``function(result, path)`` after the scan and timed
    separately (the hook for the database-writing part)."""
    from thidua.portal.parsing import UnitMatcher, read_accounts, read_dossiers

    options = {"engine": engine} if kind == "dossiers" else {}
    reader = read_dossiers if kind == "dossiers" else read_accounts
    t0, c0 = time.perf_counter(), _cpu()
    result = reader(path, units=UnitMatcher(UNITS), as_of=AS_OF, max_bytes=NO_LIMIT, **options)
    out = {
        "seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "rows": result.rows_read, "engine": result.engine,
        "valid": result.valid_rows, "errors": result.error_count, "groups": len(result.aggregates),
        "received": sum(f.received for f in result.aggregates.values()),
    }
    if with_db:
        module, _, func = with_db.partition(":")
        write = getattr(importlib.import_module(module), func)
        t1, c1 = time.perf_counter(), _cpu()
        write(result, path)
        out["db_seconds"], out["db_cpu"] = time.perf_counter() - t1, _cpu() - c1
    return out


def time_duckdb(path: str | Path) -> dict:
    import duckdb

    fmt = "%d/%m/%Y %H:%M"
    as_of = AS_OF.isoformat()
    query = f"""
    with src as (
        select * from read_csv('{path}', delim=';', skip=1, header=true, all_varchar=true, null_padding=true)
    ), t as (
        select "Đơn vị tiếp nhận" as unit, "Hình thức nộp" as channel, "Mức độ" as level,
               strptime("Ngày tiếp nhận", '{fmt}') as rec, strptime("Ngày hẹn trả", '{fmt}') as due,
               try_strptime("Ngày có kết quả", '{fmt}') as res
        from src where "Mã hồ sơ" not like 'Tổng%'
    )
    select unit, strftime(rec, '%Y-%m') as month, count(*) as received,
           count(*) filter (where channel = 'Trực tuyến' and level in ('Mức độ 3', 'Mức độ 4')) as online,
           count(res) as resolved,
           count(*) filter (where res::date <= due::date) as on_time,
           count(*) filter (where res is not null or due::date < date '{as_of}') as due
    from t group by all
    """
    t0, c0 = time.perf_counter(), _cpu()
    rows = duckdb.sql(query).fetchall()
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "groups": len(rows),
            "received": sum(r[2] for r in rows)}


def time_calamine_raw(path: str | Path) -> dict:
    from python_calamine import CalamineWorkbook

    t0, c0 = time.perf_counter(), _cpu()
    n = 0
    for _row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
        n += 1
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "rows": n}


def _phase(name: str, path: str, with_db: str | None) -> dict:
    if name in ("csv-parse", "xlsx-parse"):
        out = time_parse(path)
    elif name == "csv-parse-rows":
        out = time_parse(path, engine="python")
    elif name.startswith("import:"):
        from portal_db import time_import

        c0 = _cpu()
        out = time_import(path, name.split(":", 1)[1])
        out["cpu"] = _cpu() - c0
    elif name == "csv-duckdb":
        out = time_duckdb(path)
    elif name == "xlsx-raw":
        out = time_calamine_raw(path)
    else:
        raise SystemExit(f"unknown phase {name}")
    out["peak_rss_mb"] = _rss_mb()
    return out


def run_phase(name: str, path: Path, with_db: str | None = None) -> dict:
    """Run one phase in a fresh interpreter and return its JSON result."""
    cmd = [sys.executable, __file__, "--phase", name, "--path", str(path)]
    if with_db:
        cmd += ["--with-db", with_db]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _line(label: str, r: dict) -> str:
    return f"  {label:<40} {r['seconds']:7.2f} s wall {r['cpu']:7.2f} s cpu  peak RSS {r['peak_rss_mb']:6.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--xlsx-rows", type=int, default=100_000)
    ap.add_argument("--databases", default="sqlite,postgres",
                    help="full imports into fresh databases of these kinds (comma-separated; empty: none)")
    ap.add_argument("--with-db", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.phase:
        print(json.dumps(_phase(a.phase, a.path, a.with_db)))
        return

    csv_path, xlsx_path = ensure(a.rows, a.xlsx_rows)
    print(f"CSV  {csv_path.name}: {csv_path.stat().st_size / 1e6:.1f} MB, {a.rows} rows")
    print(f"XLSX {xlsx_path.name}: {xlsx_path.stat().st_size / 1e6:.1f} MB, {a.xlsx_rows} rows")
    csv_parse = run_phase("csv-parse", csv_path)
    csv_rows = run_phase("csv-parse-rows", csv_path)
    duck = run_phase("csv-duckdb", csv_path)
    xlsx_parse = run_phase("xlsx-parse", xlsx_path)
    raw = run_phase("xlsx-raw", xlsx_path)
    print(_line(f"csv parse+aggregate (thidua, {csv_parse['engine']})", csv_parse))
    print(_line("csv parse+aggregate (row by row)", csv_rows)
          + f"  ({csv_rows['seconds'] / csv_parse['seconds']:.2f}× the {csv_parse['engine']} scan)")
    print(_line("csv GROUP BY (duckdb)", duck))
    print(_line("xlsx parse+aggregate (thidua)", xlsx_parse))
    print(_line("xlsx raw iterate (python-calamine)", raw))
    # DuckDB groups by the raw unit name (several spellings per unit), thidua by the matched unit code
    same = "same" if csv_parse["received"] == duck["received"] else "DIFFERENT"
    print(f"  received dossiers: thidua {csv_parse['received']}, duckdb {duck['received']} ({same}); "
          f"groups: thidua {csv_parse['groups']} (unit codes), duckdb {duck['groups']} (raw names)")
    results = []
    csv_ratio = csv_parse["seconds"] / duck["seconds"]
    xlsx_ratio = xlsx_parse["seconds"] / raw["seconds"]
    peak = max(r["peak_rss_mb"] for r in (csv_parse, xlsx_parse))
    results.append(("CSV parse / DuckDB", csv_ratio, TARGET_CSV, "×"))
    results.append(("XLSX parse / calamine raw", xlsx_ratio, TARGET_XLSX, "×"))
    results.append(("peak RSS of parse phases", peak, TARGET_RSS_MB, " MB"))
    for database in [d for d in a.databases.split(",") if d]:
        for label, path, base, target in (("CSV", csv_path, duck, TARGET_CSV), ("XLSX", xlsx_path, raw, TARGET_XLSX)):
            imp = run_phase(f"import:{database}", path)
            print(_line(f"{label.lower()} import into {database}", imp)
                  + f"  (re-import {imp['reimport_seconds']:.2f} s)")
            print(f"  {'  its write floor (no parsing)':<40} {imp['floor_seconds']:7.2f} s wall"
                  f"  = {imp['floor_seconds'] / base['seconds']:.2f}× the baseline, "
                  f"{imp['floor_seconds'] / imp['seconds']:.0%} of the import")
            results.append((f"{label} import {database} / baseline", imp["seconds"] / base["seconds"], target, "×"))
            results.append((f"peak RSS {label} import {database}", imp["peak_rss_mb"], TARGET_RSS_MB, " MB"))
    print(f"  (cpu ratios: CSV {csv_parse['cpu'] / duck['cpu']:.2f}×, XLSX {xlsx_parse['cpu'] / raw['cpu']:.2f}×)")
    for label, value, target, unit in results:
        verdict = "OK" if value <= target else "OVER TARGET"
        print(f"{label:<36} {value:8.2f}{unit}  (target ≤ {target}{unit})  {verdict}")


if __name__ == "__main__":
    main()
