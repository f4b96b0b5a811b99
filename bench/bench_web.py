"""Benchmark of the public ranking page against the trivial health view, on the production server.

Seeds the Châu Thành A demo into a temporary data directory (SQLite, or the database named by
--database-url), starts the server exactly as ``thidua serve`` does (gunicorn, default workers and
threads), then loads with ``wrk -t2 -cN -dS --latency`` one after the other, on the same server:

- ``/suc-khoe/``: the health check, a trivial JSON view (the baseline);
- ``/cong-khai/``: the public leaderboard (scorecards from the per-data-version cache + templates).

Prints requests/s and the 99th-percentile latency of both, the ratio ranking/trivial and the
targets: ranking ≥ 0.5 × trivial requests/s and ranking p99 ≤ 50 ms.

Run: ``.venv/bin/python bench/bench_web.py [--duration 15] [--connections 32] [--database-url URL]``.
With --database-url the demo is seeded (idempotently) into that database; point it at a scratch one.
Exit status 0 when both targets are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
THIDUA = str(VENV_BIN / "thidua") if (VENV_BIN / "thidua").exists() else "thidua"

RATIO_TARGET = 0.5
P99_TARGET_MS = 50.0
TRIVIAL, RANKING = "/suc-khoe/", "/cong-khai/"

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir: str, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "THIDUA_NOW", "THIDUA_DEBUG"}}
    env["THIDUA_DATA_DIR"] = data_dir
    env["DJANGO_SETTINGS_MODULE"] = "thidua.config.settings"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server did not answer {url} within {timeout:.0f} s")


def parse_wrk(output: str) -> tuple[float, float]:
    """(requests/s, p99 latency in ms) from ``wrk --latency`` output."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\b", output, re.M)
    if not rps or not p99:
        raise SystemExit(f"could not parse wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if errors:
        raise SystemExit(f"wrk saw {errors.group(1)} error responses:\n{output}")
    return float(rps.group(1)), float(p99.group(1)) * _UNITS_MS[p99.group(2)]


def run_wrk(url: str, *, duration: int, connections: int, threads: int = 2) -> tuple[float, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page (default 15)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL; default: a temporary SQLite file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    data_dir = tempfile.mkdtemp(prefix="thidua-bench-web-")
    env = server_env(data_dir, args.database_url)
    server = None
    try:
        subprocess.run([THIDUA, "demo", "--no-serve"], env=env, check=True, cwd=data_dir,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([THIDUA, "serve", "--port", str(port)], env=env, cwd=data_dir,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        wait_for(base + TRIVIAL, server)
        for path in (TRIVIAL, RANKING):  # warm up: imports, templates, the scorecard cache of each worker
            for _ in range(20):
                urllib.request.urlopen(base + path, timeout=10).read()

        trivial_rps, trivial_p99 = run_wrk(base + TRIVIAL, duration=args.duration, connections=args.connections)
        ranking_rps, ranking_p99 = run_wrk(base + RANKING, duration=args.duration, connections=args.connections)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)

    ratio = ranking_rps / trivial_rps
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"bench_web: thidua serve (gunicorn), {database}, wrk -t2 -c{args.connections} -d{args.duration}s --latency")
    print(f"{'page':<22} {'requests/s':>12} {'p99 latency':>14}")
    print(f"{'trivial ' + TRIVIAL:<22} {trivial_rps:>12.1f} {trivial_p99:>11.2f} ms")
    print(f"{'ranking ' + RANKING:<22} {ranking_rps:>12.1f} {ranking_p99:>11.2f} ms")
    ratio_ok, p99_ok = ratio >= RATIO_TARGET, ranking_p99 <= P99_TARGET_MS
    print(f"ratio ranking/trivial: {ratio:.2f} (target ≥ {RATIO_TARGET}) {'OK' if ratio_ok else 'MISSED'}")
    print(f"ranking p99: {ranking_p99:.2f} ms (target ≤ {P99_TARGET_MS:.0f} ms) {'OK' if p99_ok else 'MISSED'}")
    return 0 if ratio_ok and p99_ok else 1


if __name__ == "__main__":
    sys.exit(main())
