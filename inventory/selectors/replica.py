"""Where reports read: the read replica when one is configured, the primary otherwise.

The dashboard (`replica_reads()` around its figures) and the CSV exports
(`.using(read_alias())`) read here: figures that may lag the primary by the replication
delay. Pages that show what a user just did, and every service, read the primary.
"""

from django.db import DEFAULT_DB_ALIAS

from inventory_system.db_router import REPLICA, replica_configured, replica_reads

__all__ = ["read_alias", "replica_reads"]


def read_alias() -> str:
    """Return the database alias reports read from."""
    return REPLICA if replica_configured() else DEFAULT_DB_ALIAS
