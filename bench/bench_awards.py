"""Benchmark: the whole year-end reward set of the demo district, assembled from the database.

Seeds the Châu Thành A demo into a temporary SQLite database (``thidua demo --no-serve``), then in
this process adds the demo awards (``seed_demo_awards``), records the council's order for any tie
that holds a place and locks the proposal list as the reviewer would, and times the generation of
every year-end document as .docx and .pdf plus the .zip that carries them (target ≤ 5 s).

    .venv/bin/python bench/bench_awards.py [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="thidua-bench-awards-"))
    env = {**os.environ, "THIDUA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "thidua.config.settings"}
    env.pop("DATABASE_URL", None)
    t0 = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/thidua"), "demo", "--no-serve"], env=env, check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    print(f"demo seeded in {time.perf_counter() - t0:.1f} s ({data_dir})")
    os.environ.update({"THIDUA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "thidua.config.settings"})
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from thidua.awards import dossier, selectors
    from thidua.awards.demo import seed_demo_awards
    from thidua.awards.services import year_end_list_record
    from thidua.campaigns.selectors import active_campaign
    from thidua.campaigns.services import tie_break_record
    from thidua.units.models import User

    campaign = active_campaign()
    seed_demo_awards(campaign)
    reviewer = User.objects.filter(role=User.Role.REVIEWER).first()
    standing = selectors.year_end_standing(campaign)
    ties = [p.cards for p in standing.places if p.pending] + [e.pending for e in standing.collectives if e.pending]
    for tied in ties:
        tie_break_record(campaign=campaign, actor=reviewer, group=tied[0].group, codes=[c.code for c in tied],
                         total=tied[0].total, reason="Hội đồng xét khâu tổ chức thực hiện (benchmark)")
    if not selectors.is_locked(campaign):
        year_end_list_record(campaign=campaign, actor=reviewer)

    cpu0, t0 = time.process_time(), time.perf_counter()
    content, names = dossier.year_end_zip(campaign)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    files = len(names) + 1  # the documents and the .zip itself
    print(f"year-end set: {files} files, {elapsed:.2f} s (target ≤ {TARGET_S:g} s, ratio {elapsed / TARGET_S:.2f})")
    print(f"    {len(names)} documents (.docx + .pdf) in a {len(content) // 1024} KiB .zip; CPU {cpu:.2f} s; "
          f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    if args.keep:
        print(f"kept {data_dir}")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
