"""The race through the real stack (bench/race.py) as a test: gunicorn -w 4 on PostgreSQL.

100 sessions log in through the login form and compete for 50 units, by quick sale
and by confirming their own sales orders. Each run creates and drops its own database
on the server DATABASE_URL points at, so the pytest test database is not involved.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.pg,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="bench.race needs PostgreSQL and gunicorn: run `make test-pg` or `make race`",
    ),
]


def run_script(*args: str, timeout: int = 420) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.returncode, done.stdout + done.stderr


def figure(output: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)}: (\S+)", output, re.MULTILINE)
    assert match, f"{label!r} not printed:\n{output}"
    return match.group(1)


@pytest.mark.parametrize("mode", ["quick", "confirm"])
def test_hundred_sessions_race_for_fifty_units_and_exactly_fifty_win(mode):
    # given 50 units and 100 logged-in staff sessions released together
    code, output = run_script("bench.race", "--mode", mode, "--sessions", "100", "--stock", "50")

    # then exactly half succeed, the other half see the form error, and nothing drifts
    assert code == 0, output
    assert figure(output, "requests") == "100", output
    assert figure(output, "successes") == "50", output
    assert figure(output, "clean refusals") == "50", output
    assert figure(output, "5xx") == "0", output
    assert figure(output, "other") == "0", output
    assert figure(output, "available after") == "0", output
    assert figure(output, "sales recorded") == "50", output
    assert figure(output, "verify_ledger") == "OK,", output
    assert "RESULT: PASS" in output
