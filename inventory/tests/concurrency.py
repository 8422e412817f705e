"""Run service calls or requests from real threads, released together by a barrier."""

import threading

from django.db import connection


def run_together(calls, *, timeout: float = 120) -> list:
    """Run each call in its own thread, released at once; return a result or error per call.

    Each thread closes its own database connection, as a request worker would.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - returned to the test, which asserts on it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return outcomes


class _Deadlock(Exception):
    sqlstate = "40P01"  # what psycopg's DeadlockDetected carries


def deadlocking_lock(times: int):
    """Patch Posting.lock to fail with a deadlock `times` times, then lock for real.

    Return (the patch, {"n": calls so far}).
    """
    from unittest import mock

    from django.db import OperationalError

    from inventory.services.posting import Posting

    real = Posting.lock
    calls = {"n": 0}

    def lock(self, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise OperationalError("deadlock detected") from _Deadlock()
        return real(self, **kwargs)

    return mock.patch.object(Posting, "lock", lock), calls
