"""What the bench scripts share: a fresh PostgreSQL database, gunicorn, and browser-like sessions.

    run = harness.start("race")          # checks DATABASE_URL, creates bench_race_<pid>_<hex>,
                                          # sets up Django on it and migrates
    with harness.Server(run) as server:   # collectstatic, gunicorn -w 4 on a free port, /healthz
        s = harness.Session(server.url)
        s.login("staff", "...")           # the real login form, CSRF included
        page = s.get("/sales/quick/")
        form = page.form(has="idempotency_key")
        response = s.post(form.action or "/sales/quick/", form.fill({"quantity": "1"}))
    run.finish()                          # drops the database (BENCH_KEEP_DB=1 keeps it)

Stdlib only (urllib, http.cookiejar, html.parser); psycopg comes with the project.
Everything listens on 127.0.0.1 and every wait is bounded.
"""

import contextlib
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETTINGS = "bench.settings"
PG_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")


def die(message: str, code: int = 2):
    print(f"bench: {message}", file=sys.stderr)
    raise SystemExit(code)


def say(message: str = "") -> None:
    print(message, flush=True)


def require_postgres() -> str:
    """Return DATABASE_URL, or exit with a clear message when it is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if urllib.parse.urlsplit(url).scheme not in PG_SCHEMES:
        die(
            "these scripts need PostgreSQL: set DATABASE_URL=postgres://... or run them "
            "through scripts/pg-tmp.sh, e.g. `scripts/pg-tmp.sh .venv/bin/python -m bench.race` "
            "(or `make race`)."
        )
    return url


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connect(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


def random_secret(length: int = 50) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def server_env(database_url: str, secret_key: str) -> dict:
    """The environment of a production-like server on plain http (HTTPS=0)."""
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "dummymail://",
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "WARNING",
    }


class Run:
    """One script run: its own database, Django set up on it, migrated."""

    def __init__(self, prefix: str, *, real_hashing: bool = False, env: dict | None = None):
        base_url = require_postgres()
        self.base_url = base_url
        self.name = f"bench_{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
        self.database_url = _with_database(base_url, self.name)
        self.secret_key = random_secret()
        self.env = {**server_env(self.database_url, self.secret_key), **(env or {})}
        self.logs: list[str] = []  # gunicorn logs, removed by finish() unless keep_logs
        self.keep_logs = os.environ.get("BENCH_KEEP_LOGS") == "1"
        if real_hashing:
            self.env["BENCH_REAL_HASHING"] = "1"
        with _admin_connect(base_url) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        os.environ.update(self.env)
        try:
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        except BaseException:
            self.finish()
            raise

    def vacuum(self) -> None:
        """VACUUM (ANALYZE) the run's database, as pgbench does to its tables before a run."""
        vacuum(self.database_url)

    def finish(self) -> None:
        from django.db import connections

        with contextlib.suppress(Exception):  # settings may have failed to load
            connections.close_all()
        for log in self.logs:
            if self.keep_logs:
                say(f"(gunicorn log kept: {log})")
            else:
                with contextlib.suppress(OSError):
                    os.unlink(log)
        if os.environ.get("BENCH_KEEP_DB") == "1":
            say(f"(database {self.name} kept: BENCH_KEEP_DB=1)")
            return
        try:
            with _admin_connect(self.base_url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except Exception as exc:  # the figures are printed already; a leftover db is harmless
            print(f"bench: could not drop {self.name}: {exc}", file=sys.stderr)


def vacuum(database_url: str) -> None:
    """VACUUM (ANALYZE) one database."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


@contextlib.contextmanager
def transaction_commands():
    """Record, as upper-case words, the commands psycopg sends on its own (BEGIN,
    COMMIT, ROLLBACK, DEALLOCATE): with the statements the code runs, the round trips.
    Django logs a BEGIN and a COMMIT for every transaction whether or not psycopg
    had anything to send, so its query log cannot tell."""
    from psycopg._connection_base import BaseConnection

    sent: list[str] = []
    original = BaseConnection._exec_command

    def recording(self, command, *args, **kwargs):
        text = command.decode() if isinstance(command, bytes) else str(command)
        sent.append(text.split()[0].upper())
        return original(self, command, *args, **kwargs)

    BaseConnection._exec_command = recording
    try:
        yield sent
    finally:
        BaseConnection._exec_command = original


def start(prefix: str, *, real_hashing: bool = False, env: dict | None = None) -> Run:
    """Create the run's database and set Django up on it; `env` overrides server_env()."""
    return Run(prefix, real_hashing=real_hashing, env=env)


# --- dataset -------------------------------------------------------------------------


def make_user(username: str, role: str = "Staff", password: str = ""):
    """Create (or reset) a user in a role group; return (user, password)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    password = password or f"{username}-bench-{secrets.token_hex(4)}"
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    return user, password


def make_catalog(*, items: int = 1, stores: int = 2, prefix: str = "BENCH", reorder_level=0):
    """Create stores, a category, a supplier, a customer and `items` items."""
    from decimal import Decimal

    from inventory.models import Category, Customer, Item, Store, Supplier

    store_rows = [
        Store.objects.create(code=f"{prefix}-S{n}", name=f"Bench store {n}")
        for n in range(1, stores + 1)
    ]
    category = Category.objects.create(name=f"{prefix} category")
    supplier = Supplier.objects.create(name=f"{prefix} supplier")
    customer = Customer.objects.create(name=f"{prefix} customer")
    Item.objects.bulk_create(
        Item(
            sku=f"{prefix}-{n:05d}",
            name=f"Bench item {n}",
            category=category,
            supplier=supplier,
            unit_cost=Decimal("2.00"),
            unit_price=Decimal("5.00"),
            reorder_level=Decimal(reorder_level),
        )
        for n in range(1, items + 1)
    )
    item_rows = list(Item.objects.filter(sku__startswith=f"{prefix}-").order_by("sku"))
    return store_rows, item_rows, supplier, customer


def verify_ledger() -> tuple[bool, str]:
    """Run verify_ledger's check; return (clean, the line to print)."""
    from inventory.management.commands.verify_ledger import ledger_drift
    from inventory.models import StockBalance

    drift = ledger_drift()
    if not drift:
        return True, f"OK, {StockBalance.objects.count()} balances match the ledger"
    return False, f"{len(drift)} balance(s) DRIFTED: {drift[:3]}"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# --- gunicorn ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collectstatic(env: dict) -> None:
    """Run collectstatic unless the manifest is newer than every file in static/."""
    manifest = REPO / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        newest = max(
            (p.stat().st_mtime for p in (REPO / "static").rglob("*") if p.is_file()), default=0
        )
        if manifest.stat().st_mtime >= newest:
            return
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env={**os.environ, **env},
        check=True,
        timeout=300,
    )


class Server:
    """gunicorn -w N on 127.0.0.1:<free port>, in its own process group."""

    def __init__(self, run: Run, *, workers: int = 4, timeout: int = 60):
        self.run = run
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        fd, name = tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")
        self.log = os.fdopen(fd, "w")
        self.log_path = name
        run.logs.append(name)
        collectstatic(run.env)

    def start(self, wait: float = 60) -> "Server":
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "inventory_system.wsgi",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                str(self.timeout),
                "--graceful-timeout",
                "5",
                "--backlog",
                "2048",
            ],
            cwd=REPO,
            # No access log: the figures compare with runs made before there was one.
            env={**os.environ, "GUNICORN_ACCESS_LOG": "off", **self.run.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                die(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        self.stop()
        die(f"gunicorn did not answer /healthz within {wait:.0f}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (they share the process group)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reap_group()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            self._reap_group()
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        except ProcessLookupError:
            pass
        self._reap_group()

    def _reap_group(self) -> None:
        """Make sure no worker of this group outlives its master."""
        if self.proc is None:
            return
        for _ in range(50):
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.1)

    def log_tail(self, lines: int = 40) -> str:
        self.log.flush()
        text = Path(self.log_path).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def errors_logged(self) -> int:
        """Count tracebacks gunicorn's error log holds (Django logs 5xx there); keep the log
        for reading when there are any."""
        self.log.flush()
        count = Path(self.log_path).read_text(errors="replace").count("Traceback")
        if count:
            self.run.keep_logs = True
        return count

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# The browser-like session lives in http_client.py; the benches reach it through here.
from .http_client import Form, Response, Session, parse_page  # noqa: E402, F401
