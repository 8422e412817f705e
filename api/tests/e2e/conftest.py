"""The browser fixtures of inventory/tests/e2e, shared with the API's browser tests."""

from inventory.tests.e2e.conftest import (  # noqa: F401 - fixtures and the e2e marker
    browser,
    demo_users,
    login,
    page,
    pytest_collection_modifyitems,
)
