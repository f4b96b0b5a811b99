"""Benchmark of ``thidua score``: scoring a 10,000-unit snapshot against a plain ``json.load``.

Generates a deterministic snapshot (seed 211; six monthly reports per unit, some late, missing
or untruthful; rates given as decimals or as counts) into a temporary file, then times, best of
several repeats with ``time.perf_counter``:

- ``json.load``: reading the file with the standard library (the baseline);
- ``score``: ``score_campaign`` on typed inputs already built — every unit's points per
  criterion, penalties, total, eligibility, rank and tie flag, and the awards. The cards'
  explained parts (criteria, penalties, statuses, notes) are built on first access, so not here;
- ``validate+score``: what ``thidua score`` does after reading the JSON — validate the decoded
  snapshot into typed inputs, score, rank, award, building every explanation as it goes;
- ``score+explain``: ``score`` plus building every unit's explained parts through
  ``result.to_contract()`` (what a full report of all units costs).

The target (≤ 1.0) is for ``score``; the other two lines are printed so that the whole cost of
a full explained report is never hidden.

Run: ``.venv/bin/python bench/bench_scoring.py [--units N] [--repeats R]``. Target ratio ≤ 1.0.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thidua.scoring import evaluate_snapshot, parse_snapshot, score_campaign

MONTHS = [f"2021-{m:02d}" for m in range(6, 12)]


def make_snapshot(n_units: int, seed: int = 211) -> dict:
    rnd = random.Random(seed)
    units = []
    for i in range(n_units):
        reports = []
        for month in MONTHS:
            if rnd.random() < 0.04:
                continue  # missing
            due = date(2021, int(month[5:]), 25)
            shift = rnd.choice([-9, -6, -4, -2, -1, 0, 0, 0, 1, 2, 3, 4, 6])
            report = {"month": month, "submitted": (due + timedelta(days=shift)).isoformat()}
            if rnd.random() < 0.02:
                report["untruthful"] = True
            reports.append(report)
        group = "commune" if rnd.random() < 0.45 else "department"
        unit = {
            "code": f"U{i:05d}", "name": f"Đơn vị thử nghiệm số {i}", "group": group,
            "plan": rnd.random() < 0.9, "procedures": rnd.randint(0, 12),
            "accounts": rnd.randint(600, 4200), "dossiers": rnd.randint(80, 650),
        }
        if rnd.random() < 0.7:
            unit["resolution_rate"] = Decimal(rnd.randint(950, 1000)) / 10
        else:
            due_count = rnd.randint(0, 400)
            unit["resolved_on_time"] = due_count - min(due_count, rnd.choice([0, 0, 1, 2, 3, 8]))
            unit["due"] = due_count
        unit["reports"] = reports
        units.append(unit)
    return {"campaign": "chau-thanh-a-2021", "as_of": "2021-12-18", "units": units}


def _default(o: object) -> object:
    if isinstance(o, Decimal):
        return float(o)  # only to write the file; the reader parses decimals exactly
    raise TypeError(type(o))


def best_of(repeats: int, fn) -> float:
    best = float("inf")
    for _ in range(repeats):
        gc.collect()  # every measure starts from the same collector state (not the previous one's garbage)
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=9)
    opts = ap.parse_args()

    snapshot = make_snapshot(opts.units)
    fd, name = tempfile.mkstemp(suffix=".json", prefix="thidua-bench-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(snapshot, fh, ensure_ascii=False, indent=2, default=_default)
        size = Path(name).stat().st_size

        def load_plain():
            with open(name, encoding="utf-8") as fh:
                return json.load(fh)

        def load_exact():
            with open(name, encoding="utf-8") as fh:
                return json.load(fh, parse_float=Decimal)

        decoded = load_exact()
        parsed = parse_snapshot(decoded)

        def fresh(rubric):
            rubric._cache.clear()  # no warm memo tables between repeats: every run starts cold

        def score_only():
            fresh(parsed.rubric)
            return score_campaign(parsed.rubric, parsed.units, parsed.as_of, parsed.tie_breaks)

        def validate_and_score():
            fresh(parsed.rubric)
            return evaluate_snapshot(decoded)

        def score_and_explain():
            return score_only().to_contract()

        result = validate_and_score()
        assert len(result.scorecards) == opts.units
        assert result.to_contract() == parsed.score().to_contract()

        # interleaved so that every measure sees the same machine load; best of the repeats
        best: dict[str, list[float]] = {"load": [], "load_exact": [], "score": [], "full": [], "explain": []}
        for _ in range(opts.repeats):
            for key, fn in (("load", load_plain), ("load_exact", load_exact), ("score", score_only),
                            ("full", validate_and_score), ("explain", score_and_explain)):
                best[key].append(best_of(1, fn))
        t_load, t_load_exact, t_score, t_full, t_explain = (
            min(best[k]) for k in ("load", "load_exact", "score", "full", "explain"))
    finally:
        os.unlink(name)

    print(f"snapshot: {opts.units:,} units, 6 reporting months, {size / 1e6:.1f} MB; best of {opts.repeats}")
    print(f"json.load (parse_float=Decimal, as thidua score reads): {t_load_exact * 1e3:.1f} ms")
    for label, t in (("score", t_score), ("validate+score", t_full), ("score+explain", t_explain)):
        ratio = t / t_load
        verdict = (f"target ≤ 1.0: {'met' if ratio <= 1.0 else 'NOT met'}" if label == "score"
                   else "no target: the whole cost, shown")
        print(f"json.load: {t_load * 1e3:.1f} ms | {label}: {t * 1e3:.1f} ms | ratio {ratio:.2f} ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
