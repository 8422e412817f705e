"""DESIGN.md's layers, held by a test: services write, selectors read, the rest calls them.

Views, the API, the admin and forms call services to change anything; services own the
transaction and the locks. Models and the rules module sit below everything else.
"""

import ast

import pytest

from inventory.tests.code_graph import MODULES, imported_modules


def in_layer(name: str, *prefixes: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


APP_MODULES = {name: path for name, path in MODULES.items() if ".tests" not in name}

# What each layer may not import, whatever it imports besides.
FORBIDDEN = {
    ("inventory.models",): (
        "inventory.services",
        "inventory.selectors",
        "inventory.views",
        "inventory.forms",
        "api",
        "accounts.services",
    ),
    # The rules decide from values they are given: no query, no service, no page.
    ("inventory.rules",): (
        "inventory.services",
        "inventory.selectors",
        "inventory.views",
        "inventory.forms",
        "api",
    ),
    # Selectors read; the rules they show (which actions a status allows) live with the
    # models or in inventory.rules, never in a service.
    ("inventory.selectors",): ("inventory.services", "inventory.views", "inventory.forms", "api"),
    ("inventory.services", "accounts.services"): (
        "inventory.views",
        "inventory.forms",
        "inventory.selectors",
        "api",
        "accounts.views",
    ),
}

# Who may write rows, take locks or open a transaction (besides migrations, management
# commands, the demo seeder and the database setup, which run outside any request).
WRITERS = (
    "inventory.services",
    "accounts.services",
    "inventory.migrations",
    "accounts.migrations",
    "inventory.management",
    "accounts.management",
    "inventory.demo",
    "inventory.tasks",
    "accounts.signals",
)
REQUEST_LAYERS = (
    "inventory.views",
    "inventory.selectors",
    "inventory.forms",
    "inventory.admin",
    "inventory.admin_base",
    "inventory.templatetags",
    "api.views",
    "api.serializers",
    "api.filters",
    "accounts.views",
    "accounts.admin",
    "accounts.forms",
)
WRITE_CALLS = {
    "save",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "select_for_update",
    "atomic",
}
QUERYSET_WRITES = {"create", "update"}


def write_calls(source: str) -> list[str]:
    """The ORM writes, locks and transactions a module's source calls, as `line: call`.

    `create` and `update` count only on a manager or queryset (`X.objects.create`,
    `qs.filter(...).update`), so that `dict.update` and the like are not flagged.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, ast.unparse(node.func.value)
        on_queryset = "objects" in receiver or any(
            f".{step}(" in receiver for step in ("filter", "exclude", "all", "select_related")
        )
        if method in WRITE_CALLS or (method in QUERYSET_WRITES and on_queryset):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
    return found


@pytest.mark.parametrize("layers", list(FORBIDDEN), ids=lambda layers: "+".join(layers))
def test_layers_import_only_downwards(layers):
    wrong = {
        name: sorted(m for m in imported_modules(name, path) if in_layer(m, *FORBIDDEN[layers]))
        for name, path in APP_MODULES.items()
        if in_layer(name, *layers)
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_only_services_write_lock_or_open_transactions():
    writers = {
        name: write_calls(path.read_text())
        for name, path in APP_MODULES.items()
        if in_layer(name, *REQUEST_LAYERS)
    }
    assert {name: calls for name, calls in writers.items() if calls} == {}


def test_every_request_layer_is_read():
    """The prefixes above name real modules, so a rename cannot empty the check."""
    for prefix in REQUEST_LAYERS + tuple(p for layers in FORBIDDEN for p in layers):
        assert any(in_layer(name, prefix) for name in APP_MODULES), prefix


@pytest.mark.parametrize(
    ("source", "calls"),
    [
        ("Item.objects.create(sku='A')", ["1: Item.objects.create"]),
        ("qs.filter(pk=1).update(name='b')", ["1: qs.filter(pk=1).update"]),
        ("with transaction.atomic():\n    pass", ["1: transaction.atomic"]),
        ("form.save()", ["1: form.save"]),
        ("Lot.objects.select_for_update().get(pk=1)", ["1: Lot.objects.select_for_update"]),
        ("context.update(title='x')", []),
        ("totals.update(other)", []),
    ],
)
def test_write_calls_are_recognised(source, calls):
    assert write_calls(source) == calls
