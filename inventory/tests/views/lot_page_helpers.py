"""Set-ups shared by the lot page's tests."""

from inventory.services.sales import sales_quick_sale


def sell(user, store, customer, item, quantity, key):
    """A quick sale of one line to `customer`; return its order."""
    return sales_quick_sale(
        actor=user, store=store, customer=customer, lines=[(item, quantity)], idempotency_key=key
    ).order
