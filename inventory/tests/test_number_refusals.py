"""Found by a QA pass: "+5", "1e3" and "−1" (U+2212, the minus sign) typed in a quantity
box were refused with a bare "Enter a number.", while "1,5" said how to type it. Each is
now refused saying how to type it, and nothing is recorded. The API says the same
(api/tests/test_strict_input.py)."""

import pytest
from django import forms
from django.urls import reverse

from inventory.forms.common import MoneyField, QuantityField
from inventory.models import Lot
from inventory.services.stock import stock_receive
from inventory.tests.services.stock_helpers import snapshot
from inventory.tests.views.transfer_view_helpers import field_errors, one_line

ADJUST = reverse("inventory:adjustment_new")
TRANSFER = reverse("inventory:transfer_new")

SAID_HOW = [
    ("+5", "Type the number without a plus sign: 5."),
    ("1e3", "Type the number in digits, without an exponent: 1000."),
    ("\u22121", "Type the minus sign as - (the hyphen key): -1."),
    ("\u22122.5", "Type the minus sign as - (the hyphen key): -2.5."),
    ("2.5E-1", "Type the number in digits, without an exponent: 0.25."),
    ("1,5", "Type the number without a comma: 1.5 with a point, or 1500."),
]


@pytest.mark.parametrize(("typed", "message"), SAID_HOW)
def test_a_number_typed_another_way_says_how_to_type_it(typed, message):
    for field in (QuantityField(allow_negative=True), MoneyField()):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(typed)

        assert refused.value.messages == [message], field
        assert refused.value.code == "invalid"


@pytest.mark.parametrize("typed", ["abc", "1_000", "١٢", "--1", "+-1", "1e999999999"])
def test_anything_else_keeps_its_plain_refusal(typed):
    with pytest.raises(forms.ValidationError) as refused:
        QuantityField(allow_negative=True).clean(typed)

    expected = "Type the number in digits, without an exponent, such as 1000."
    assert refused.value.messages == [expected if "e" in typed else "Enter a number."]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "message"), SAID_HOW[:3])
def test_the_adjustment_and_transfer_forms_say_how_and_record_nothing(
    manager_client, manager_user, store, other_store, item, typed, message
):
    # given a lot of 10 in the store
    stock_receive(actor=manager_user, item=item, store=store, quantity=10, lot_code="A")
    lot = Lot.objects.get(item=item, code="A")
    before = snapshot()

    # when the quantity is typed with a plus, an exponent or a minus sign
    adjusted = manager_client.post(
        ADJUST,
        {
            "item": item.pk,
            "lot": lot.pk,
            "store": store.pk,
            "quantity": typed,
            "reason": "COUNT",
            "idempotency_key": "adjust-number-1",
        },
    )
    moved = manager_client.post(
        TRANSFER, one_line(item, store, other_store, typed, idempotency_key="transfer-number-1")
    )

    # then each form says how to type it beside the box, and nothing is recorded
    for response in (adjusted, moved):
        assert response.status_code == 200
        assert field_errors(response, "quantity") == [message]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "Enter an amount of 0 or more."),
        ("12345678901", "That amount is too large."),
        ("2.505", "Use at most 2 decimal places (cents)."),
    ],
)
def test_a_price_out_of_bounds_is_refused_in_the_counters_words(typed, message):
    # Found by a QA pass: "Ensure this value is greater than or equal to 0."
    with pytest.raises(forms.ValidationError) as refused:
        MoneyField().clean(typed)

    assert refused.value.messages == [message]
