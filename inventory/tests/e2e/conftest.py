"""Browser tests: Playwright for Python driving Debian's chromium against live_server.

CHROMIUM_PATH overrides the executable (default /usr/bin/chromium); `playwright
install` is never needed. The tests are skipped with a clear reason when no
chromium is installed (.ci/run installs it).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"chromium not found at {CHROMIUM}; apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, base_url, **options):
    """A page in a context of its own (Playwright's new_context options: viewport,
    java_script_enabled...), its script errors and console errors in page.js_errors."""
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.js_errors = errors
    return page


@pytest.fixture
def new_page(browser, live_server, transactional_db):
    """Open pages with open_page's options against live_server; closed after the test."""
    pages = []

    def make(**options):
        pages.append(open_page(browser, live_server.url, **options))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, username, password):
    """Sign in through the real login form."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def demo_users(transactional_db):
    """Users for each role with known passwords (the demo ones, without the demo data)."""
    from inventory.demo.catalog_stock import create_users
    from inventory.management.commands.seed_demo import DEMO_USERS

    users = create_users(DEMO_USERS)
    return {role: (users[role].username, pw) for _, pw, role in DEMO_USERS}


@pytest.fixture
def bolts_in_stock(demo_users):
    """12 pcs of one item (with a long name) received into Main Store by the Manager: a
    stock row, a lot and a movement."""
    from django.contrib.auth import get_user_model

    from inventory.services.stock import stock_receive
    from inventory.tests.factories import ItemFactory, StoreFactory

    manager = get_user_model().objects.get(username=demo_users["Manager"][0])
    item = ItemFactory(sku="BOLT-M8", name="Hex bolt M8 x 40, zinc plated, box of fifty")
    store = StoreFactory(code="MAIN", name="Main Store")
    stock_receive(actor=manager, item=item, store=store, quantity="12", lot_code="L-1")
    return item
