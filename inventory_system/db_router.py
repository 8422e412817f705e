"""Send the reports' reads to a read replica; everything else stays on the primary.

Installed only when READ_REPLICA_URL is set (settings.py adds the "replica" alias and
this router). Routing is explicit: a read goes to the replica only inside
`replica_reads()` or through a queryset's `.using(read_alias())`
(inventory.selectors.replica), which the dashboard and the CSV exports use. A router
that sent every read to the replica would break read-your-writes (a sale recorded, then
its page read from a replica that has not replayed it yet) and the services' locked
reads, which must run on the primary inside the writing transaction.
"""

import contextlib
import contextvars

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading_replica = contextvars.ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def replica_reads():
    """Read from the replica, when there is one, inside this block (also a decorator)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # Inside a transaction on the primary a read belongs to that transaction: it may
        # lock (SELECT ... FOR UPDATE) or need to see what the transaction wrote.
        if (
            _reading_replica.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None  # Django's default: the primary, or the alias an instance came from

    def db_for_write(self, model, **hints):
        """Every write goes to the primary, even of an object read from the replica."""
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """The replica holds the primary's rows: objects of both may be related."""
        both = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in both and obj2._state.db in both:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """The replica gets its schema by replication, never by migrate."""
        if db == REPLICA:
            return False
        return None
