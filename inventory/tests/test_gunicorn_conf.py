"""gunicorn.conf.py reads its variables as Django's settings do: the environment first,
then the .env next to it, an empty value meaning the default; os.environ, which the
workers inherit, stays as it was."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VARIABLES = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG")
LOAD = """
import json, os, runpy, sys
conf = runpy.run_path("gunicorn.conf.py")
found = {name: conf[name] for name in ("workers", "threads", "timeout", "accesslog")}
found["environ"] = {name: os.environ.get(name) for name in sys.argv[1:]}
print(json.dumps(found))
"""


def _load(tmp_path, env_file: str, **variables) -> dict:
    """gunicorn.conf.py's settings, run from a copy beside `env_file`'s text as .env."""
    shutil.copy(BASE_DIR / "gunicorn.conf.py", tmp_path / "gunicorn.conf.py")
    (tmp_path / ".env").write_text(env_file)
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env.update(variables, PYTHONPATH=str(BASE_DIR))
    result = subprocess.run(
        [sys.executable, "-c", LOAD, *VARIABLES],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_env_file_sets_workers_threads_and_timeout(tmp_path):
    found = _load(tmp_path, "WEB_CONCURRENCY=3\nGUNICORN_THREADS=\nGUNICORN_TIMEOUT=90\n")

    # an empty GUNICORN_THREADS= means the default
    assert (found["workers"], found["threads"], found["timeout"]) == (3, 4, 90)
    assert found["accesslog"] == "-"  # stdout
    # what .env said is not passed on to the workers' environment
    assert found["environ"] == dict.fromkeys(VARIABLES)


def test_a_variable_of_the_environment_wins_over_the_env_file(tmp_path):
    found = _load(tmp_path, "WEB_CONCURRENCY=3\n", WEB_CONCURRENCY="5")

    assert found["workers"] == 5


def test_the_access_log_can_go_to_a_file_or_be_off(tmp_path):
    to_file = _load(tmp_path, "GUNICORN_ACCESS_LOG=/var/log/inventory/access.log\n")
    off = _load(tmp_path, "", GUNICORN_ACCESS_LOG="off")

    assert to_file["accesslog"] == "/var/log/inventory/access.log"
    assert off["accesslog"] is None
