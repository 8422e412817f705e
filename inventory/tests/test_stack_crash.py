"""The crash test (bench/crash.py): SIGKILL gunicorn under a mixed load, restart, check.

It runs quick sales, purchase receipts, direct purchases and transfers through the
real forms, kills the master and workers in the middle, restarts, and proves the
ledger is clean, every acknowledged submission is recorded and no document is
half-made. Each run creates and drops its own database on the DATABASE_URL server.
"""

import re

import pytest

from .test_stack_race import ON_POSTGRES, figure, run_script

pytestmark = [
    pytest.mark.pg,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="bench.crash needs PostgreSQL and gunicorn: run `make test-pg` or `make crash`",
    ),
]


def test_killing_gunicorn_mid_load_loses_nothing_acknowledged_and_leaves_nothing_half_made():
    # given a mixed load through gunicorn, killed with SIGKILL in the middle and restarted
    code, output = run_script("bench.crash", "--before", "4", "--after", "4")

    # then every check passes and no request got a 5xx
    assert code == 0, output
    assert "RESULT: PASS" in output
    assert figure(output, "5xx") == "0", output
    assert int(figure(output, "successes")) > 0, output
    assert re.search(r"SIGKILL to the gunicorn process group", output), output
    checks = re.findall(r"^  (OK  |FAIL) (.+): (\d+)/(\d+)$", output, re.MULTILINE)
    assert len(checks) == 7, output
    assert all(mark == "OK  " for mark, *_ in checks), output
