"""Schemathesis: property-based requests generated from the OpenAPI schema, against a live
server, for every operation, as each role. 0 server errors, 0 responses that break the schema.

The example budget per operation and role is API_SCHEMATHESIS_EXAMPLES (default 4, so
`make test` stays quick); raise it for a deeper run by hand.
"""

import os
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from inventory.services.purchasing import purchase_order_create
from inventory.services.sales import sales_order_create
from inventory.services.stock import stock_receive
from inventory.tests.factories import (
    CustomerFactory,
    ItemFactory,
    StoreFactory,
    SupplierFactory,
    UserFactory,
)

EXAMPLES = int(os.environ.get("API_SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Invalid input (negative mode) must be refused cleanly: a problem, never a 5xx.
NEGATIVE_CHECKS = [not_a_server_error, content_type_conformance, status_code_conformance]

pytestmark = pytest.mark.django_db(transaction=True)


def seed():
    """A little of everything, so that generated ids (small numbers) often hit real rows."""
    manager = UserFactory(role="Manager", username="st-seed")
    stores = [StoreFactory(code=f"ST{n}") for n in range(2)]
    items = [ItemFactory(sku=f"ST-{n}", reorder_level=Decimal("20")) for n in range(3)]
    items.append(ItemFactory(sku="ST-QC", qc_required=True))
    for item in items:
        stock_receive(actor=manager, item=item, store=stores[0], quantity=10)
    supplier, customer = SupplierFactory(), CustomerFactory()
    for n in range(3):
        purchase_order_create(
            actor=manager, supplier=supplier, store=stores[0], lines=[(items[n], 5, None)]
        )
        sales_order_create(
            actor=manager, store=stores[0], customer=customer, lines=[(items[n], 1, None)]
        )


def run_operation(operation, base_url: str, headers: dict, mode=GenerationMode.POSITIVE):
    """Run the operation's examples; return the first failure, or None."""
    checks = CHECKS if mode is GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: CI is repeatable
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report the example as is
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def examples(case):
        response = case.call(base_url=base_url, headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    try:
        examples()
    except Exception as exc:  # noqa: BLE001 - collected and reported per operation
        return f"{operation.label}: {exc}"[:2000]
    return None


@pytest.mark.parametrize("role", ["Staff", "Manager", "Admin"])
def test_every_operation_as_each_role_gives_no_server_error_and_matches_the_schema(
    live_server, role
):
    seed()
    user = UserFactory(role=role, username=f"st-{role.lower()}")
    headers = {"Authorization": f"Bearer {api_token_create(actor=user, name='st').raw}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=headers
    )

    failures, ran = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        ran += 1
        failure = run_operation(operation, live_server.url, headers)
        if failure:
            failures.append(failure)

    assert ran >= 60
    assert failures == [], "\n\n".join(failures)


def test_invalid_input_to_every_operation_is_refused_without_a_server_error(live_server):
    seed()
    user = UserFactory(role="Admin", username="st-negative")
    headers = {"Authorization": f"Bearer {api_token_create(actor=user, name='st').raw}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json", headers=headers
    )

    failures = [
        failure
        for result in schema.get_all_operations()
        if (
            failure := run_operation(
                result.ok(), live_server.url, headers, mode=GenerationMode.NEGATIVE
            )
        )
    ]

    assert failures == [], "\n\n".join(failures)
