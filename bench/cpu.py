"""CPU used so far by gunicorn, by a local PostgreSQL cluster and by the machine."""

import os

from . import harness

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """Fields 3.. of /proc/<pid>/stat (after the command name, which may hold spaces)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _children(ppid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) and int(fields[1]) == ppid:
            pids.append(int(entry))
    return pids


def _ticks(pid: int, *, reaped: bool = False) -> int:
    """utime + stime of a process (plus its reaped children's when `reaped`), in ticks."""
    fields = _stat(pid)
    if fields is None:
        return 0
    total = int(fields[11]) + int(fields[12])
    return total + (int(fields[13]) + int(fields[14]) if reaped else 0)


class CpuCounters:
    """CPU seconds used so far by gunicorn, by the PostgreSQL cluster and by the machine.

    PostgreSQL's processes are the postmaster's children (found from a backend's parent);
    a backend that exited was reaped by the postmaster, so its CPU is in the postmaster's
    cutime/cstime and the sum stays right when CONN_MAX_AGE=0 closes connections."""

    def __init__(self, gunicorn_pid: int, database_url: str):
        import psycopg

        self.gunicorn_pid = gunicorn_pid
        with psycopg.connect(database_url) as conn:
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        fields = _stat(backend)
        if fields is None:
            harness.die("PostgreSQL must run on this machine to count its CPU (scripts/pg-tmp.sh)")
        self.postmaster = int(fields[1])

    def read(self) -> dict:
        app = sum(_ticks(p) for p in _children(self.gunicorn_pid)) + _ticks(self.gunicorn_pid)
        db = _ticks(self.postmaster, reaped=True) + sum(
            _ticks(p) for p in _children(self.postmaster)
        )
        clients = _ticks(os.getpid(), reaped=True) + sum(_ticks(p) for p in _children(os.getpid()))
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:]]
        busy = sum(cpu) - cpu[3] - (cpu[4] if len(cpu) > 4 else 0)  # less idle and iowait
        return {
            "app": app / CLK_TCK,
            "db": db / CLK_TCK,
            "clients": clients / CLK_TCK,
            "machine": busy / CLK_TCK,
        }
