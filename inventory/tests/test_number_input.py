"""Numbers as a person types them, in every form (inventory.forms.fields): plain ASCII
digits with one optional point and minus. Python's Decimal also reads "1_000", "1e3",
"+1" and other scripts' digits, so the typo "1_0" used to become 10. Stored figures come
back into a form as the pages show them: 5, not 5.000. Found by the QA passes."""

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from inventory.forms.common import MoneyField, QuantityField
from inventory.forms.fields import FiniteDecimalField
from inventory.models import LedgerEntry
from inventory.tests.views.sales_view_helpers import Status, make_order

D = Decimal


@pytest.mark.parametrize(
    "typed", ["1_000", "1_0", "١٢", "+1", "1e3", "1E3", "0x10", "1.2.3", "--1"]
)
def test_a_number_written_otherwise_than_plainly_is_refused(typed):
    for field in (QuantityField(), MoneyField(), FiniteDecimalField()):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(typed)
        assert refused.value.code == "invalid", (field, typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12", D("12")), (" 12 ", D("12")), ("2.5", D("2.5")), (".5", D("0.5")), ("3.", D("3"))],
)
def test_plain_numbers_are_read(typed, value):
    assert QuantityField().clean(typed) == value


@pytest.mark.parametrize(
    ("typed", "codes"), [("0.0001", ["max_decimal_places"]), ("0", ["min_value"])]
)
def test_a_quantity_with_too_many_places_is_not_told_it_is_zero(typed, codes):
    # found by a QA pass: 0.0001 was told "Enter a quantity greater than zero." as well
    with pytest.raises(forms.ValidationError) as refused:
        QuantityField().clean(typed)
    assert [e.code for e in refused.value.error_list] == codes


@pytest.mark.parametrize("typed", ["-0", "-0.00", "-.0"])
def test_negative_zero_is_zero_without_its_sign(typed):
    price = MoneyField().clean(typed)

    assert price == 0 and not price.is_signed()
    assert str(price.quantize(D("0.01"))) == "0.00"


def test_a_stored_quantity_is_offered_as_the_pages_show_it():
    assert QuantityField().prepare_value(D("5.000")) == "5"
    assert QuantityField().prepare_value(D("2.500")) == "2.5"
    assert MoneyField().prepare_value(D("4.00")) == D("4.00")  # money keeps its cents


@pytest.mark.django_db
def test_the_item_form_offers_the_reorder_level_as_20(manager_client, item):
    item.reorder_level = D("20.000")
    item.save()

    html = manager_client.get(reverse("inventory:item_edit", args=[item.pk])).content.decode()

    assert 'name="reorder_level" value="20"' in html
    assert "20.000" not in html


@pytest.mark.django_db
def test_the_ship_form_offers_5_and_refuses_1_0_with_an_underscore(
    staff_client, staff_user, store, item
):
    order = make_order(staff_user, store, item, quantity="5", status=Status.CONFIRMED)
    line = order.lines.get()
    url = reverse("inventory:sales_ship", args=[order.pk])

    page = staff_client.get(url).content.decode()
    refused = staff_client.post(url, {"idempotency_key": "s1", f"line_{line.pk}": "1_0"})

    assert f'name="line_{line.pk}"' in page and 'value="5"' in page and "5.000" not in page
    assert refused.status_code == 200
    assert LedgerEntry.objects.filter(kind="ISSUE").count() == 0
    line.refresh_from_db()
    assert line.quantity_shipped == 0
