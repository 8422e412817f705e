"""The append-only triggers' SQL, as the migrations that installed it froze it."""

from inventory.migrations._append_only_v1 import (  # noqa: F401
    APPEND_ONLY_TABLES,
    create_statements,
    drop_statements,
)
