"""Fixtures shared by the test modules below, registered once here (pytest's own way)
rather than imported into each module that uses them."""

from inventory.tests.alerts_helpers import low_item_fixture  # noqa: F401 (low_item)
from inventory.tests.db_roles_helpers import roles_fixture  # noqa: F401 (roles)
from inventory.tests.url_guards_helpers import seeded_fixture  # noqa: F401 (seeded)
