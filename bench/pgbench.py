"""`pgbench -b tpcb-like` in a database of its own on the bench's server: the yardstick
of bench.posting."""

import os
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

from . import harness
from .harness import say


def pgbench_bin() -> str | None:
    candidates = [os.environ.get("PGBIN", ""), *sorted(Path("/usr/lib/postgresql").glob("*/bin"))]
    for directory in candidates:
        if directory and (Path(directory) / "pgbench").exists():
            return str(Path(directory) / "pgbench")
    return shutil.which("pgbench")


class PgBench:
    """`pgbench -b tpcb-like` in its own database on the same server (scale 1)."""

    def __init__(self, run, clients: int):
        self.run, self.clients, self.jobs = run, clients, max(1, min(2, clients))
        self.binary = pgbench_bin()
        parts = urllib.parse.urlsplit(run.base_url)
        self.name = f"{run.name}_pgbench"
        self.env = {**os.environ}
        if parts.password:
            self.env["PGPASSWORD"] = urllib.parse.unquote(parts.password)
        self.args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
        if parts.username:
            self.args += ["-U", urllib.parse.unquote(parts.username)]

    def __enter__(self):
        if self.binary is None:
            say("pgbench: not found (set PGBIN to the PostgreSQL bin directory); ratio skipped")
            return self
        with harness._admin_connect(self.run.base_url) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self._pgbench(["-i", "-s", "1", "-q"], timeout=300)
        return self

    def __exit__(self, *exc):
        if self.binary is not None:
            with harness._admin_connect(self.run.base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def command(self, seconds: int) -> str:
        return f"pgbench -b tpcb-like -c {self.clients} -j {self.jobs} -T {seconds}"

    def tps(self, seconds: int) -> float | None:
        if self.binary is None:
            return None
        done = self._pgbench(
            ["-b", "tpcb-like", "-c", str(self.clients), "-j", str(self.jobs), "-T", str(seconds)],
            timeout=seconds + 300,
        )
        # Clean up after its own run, so that autovacuum does not do it during the
        # next round of ours (pgbench vacuums again before its next run).
        harness.vacuum(harness._with_database(self.run.base_url, self.name))
        match = re.search(r"tps = ([0-9.]+)", done.stdout)
        if not match:
            say(f"pgbench: could not read tps from:\n{done.stdout}")
            return None
        return float(match.group(1))

    def _pgbench(self, args, *, timeout):
        return subprocess.run(
            [self.binary, *self.args, *args, self.name],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
