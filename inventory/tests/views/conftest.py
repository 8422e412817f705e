"""Fixtures shared by the view tests, registered once here (pytest's own way) rather than
imported into each module that uses them."""

from inventory.tests.views.ledger_view_helpers import history_fixture  # noqa: F401 (history)
from inventory.tests.views.print_view_helpers import (  # noqa: F401 (company, depot, acme)
    acme_fixture,
    company_fixture,
    depot_fixture,
)
from inventory.tests.views.purchasing_view_helpers import (  # noqa: F401 (draft, ordered)
    draft_fixture,
    ordered_fixture,
)
