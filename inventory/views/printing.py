"""Print-ready documents: a purchase order for the supplier, a delivery note for the box.

Each page reads the figures its order's own page shows (the same selectors) and lays
them out as one document; static/css/app.css (@media print) leaves only the document on
paper, and the browser's Print or Save as PDF does the rest.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from accounts.permissions import role_required
from accounts.roles import Role
from inventory.models import PurchaseOrder, SalesOrder
from inventory.selectors.purchasing import (
    purchase_order_detail,
    purchase_order_lines,
    purchase_order_value,
)
from inventory.selectors.sales import sales_order_delivery_lines


@role_required(Role.STAFF)
def purchase_print(request, pk):
    """The purchase order as sent to its supplier: lines at cost, total, where to deliver."""
    try:
        order = purchase_order_detail(pk=pk)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None
    lines = purchase_order_lines(order=order)
    return render(
        request,
        "inventory/print/purchase_order.html",
        {
            "order": order,
            "lines": lines,
            "order_value": purchase_order_value(lines),
            "printable": True,
            "company_name": settings.COMPANY_NAME,
            "currency": settings.CURRENCY,
        },
    )


@role_required(Role.STAFF)
def sales_print(request, pk):
    """The delivery note of a sales order: what was shipped, by lot, without prices."""
    order = get_object_or_404(SalesOrder.objects.select_related("customer", "store"), pk=pk)
    lines = sales_order_delivery_lines(order=order)
    shipped_any = any(line.quantity_shipped > 0 for line in lines)
    # Net of returns, as the note lists it: all of it back means nothing to sign for.
    out_with_customer = any(line.returnable > 0 for line in lines)
    return render(
        request,
        "inventory/print/delivery_note.html",
        {
            "order": order,
            "lines": lines,
            # Nothing shipped yet, or all of it back: a note for goods the customer does
            # not hold is not offered for print.
            "printable": out_with_customer,
            "shipped_any": shipped_any,
            "out_with_customer": out_with_customer,
            "company_name": settings.COMPANY_NAME,
        },
    )


urlpatterns = [
    path("purchases/<int:pk>/print/", purchase_print, name="purchase_print"),
    path("sales/<int:pk>/print/", sales_print, name="sales_print"),
]
