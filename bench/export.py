"""The full movements CSV export through gunicorn as `make serve` starts it (for bench.pages).

gunicorn runs from the repository root with make serve's flags (--bind, --workers 4, no
--timeout), so gunicorn.conf.py applies; a manager logs in through the real form and
downloads GET /ledger/export.csv to the end. Lines, megabytes, seconds and the serving
worker's peak resident memory (VmHWM, from /proc) are reported.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request

from . import harness


def _peak_rss_kb(pids) -> dict[int, int]:
    peaks = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1])
        except OSError:
            pass
    return peaks


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def measure_export(run, database_url: str, password: str) -> str:
    """Serve as `make serve` does and download the full movements CSV; return a summary."""
    harness.collectstatic(run.env)
    port = harness.free_port()
    # make serve: gunicorn inventory_system.wsgi --bind HOST:PORT --workers 4, from the
    # repository root, so gunicorn.conf.py applies (no --timeout flag).
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "inventory_system.wsgi"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "4"],
        cwd=harness.REPO,
        env={**os.environ, **run.env, "DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        session = harness.Session(url, timeout=900)
        session.login("bench-manager", password)
        workers = _children(proc.pid)
        request = urllib.request.Request(f"{url}/ledger/export.csv")
        started = time.perf_counter()
        lines = size = 0
        with session.opener.open(request, timeout=900) as response:
            status = response.status
            while chunk := response.read(1 << 16):
                size += len(chunk)
                lines += chunk.count(b"\n")
        seconds = time.perf_counter() - started
        peaks = sorted(_peak_rss_kb(workers).values()) or [0]
        return (
            f"status {status}, {lines:,} lines ({lines - 1:,} movements), "
            f"{size / 1e6:.0f} MB in {seconds:.1f} s ({(lines - 1) / seconds:,.0f} rows/s); "
            f"peak RSS of the serving worker {peaks[-1] / 1024:.0f} MB "
            f"(the others {peaks[0] / 1024:.0f} MB)"
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
