"""Purchase and sales order shapes: read as documents with lines; written as plain input.

Input serializers check types and shape only (ids exist, numbers are numbers); the
purchasing and sales services decide everything else.
"""

from rest_framework import serializers

from inventory.models import (
    Customer,
    Item,
    PurchaseOrder,
    PurchaseOrderLine,
    SalesOrder,
    SalesOrderLine,
    Store,
    Supplier,
)

from .fields import MONEY, QTY, DecimalField, IdField, IdIntegerField, ModelSerializer

MAX_LINES = 200
NOTE = {"max_length": 1000, "required": False, "allow_blank": True, "default": ""}


# --- purchase orders ---------------------------------------------------------------------


class PurchaseOrderLineSerializer(ModelSerializer):
    sku = serializers.CharField(source="item.sku", read_only=True)
    outstanding = DecimalField(**QTY, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id",
            "item",
            "sku",
            "quantity_ordered",
            "quantity_received",
            "outstanding",
            "unit_cost",
        ]
        read_only_fields = fields


class PurchaseOrderSerializer(ModelSerializer):
    number = serializers.CharField(read_only=True)
    lines = PurchaseOrderLineSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = PurchaseOrder
        fields = [
            "id",
            "number",
            "status",
            "supplier",
            "store",
            "expected_on",
            "note",
            "created_by",
            "created_at",
            "updated_at",
            "lines",
        ]
        read_only_fields = fields


class PurchaseLineInput(serializers.Serializer):
    item = IdField(queryset=Item.objects.all())
    quantity = DecimalField(**QTY)
    unit_cost = DecimalField(**MONEY, required=False, allow_null=True, default=None)


class PurchaseOrderInput(serializers.Serializer):
    supplier = IdField(queryset=Supplier.objects.all())
    store = IdField(queryset=Store.objects.all())
    expected_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(**NOTE)
    lines = PurchaseLineInput(many=True, max_length=MAX_LINES)


class ReceiptInput(serializers.Serializer):
    line = IdIntegerField()
    quantity = DecimalField(**QTY)
    lot_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReceiveInput(serializers.Serializer):
    receipts = ReceiptInput(
        many=True,
        required=False,
        max_length=MAX_LINES,
        help_text="Omit to receive everything outstanding (lot codes generated).",
    )


class DirectLineInput(PurchaseLineInput):
    lot_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class DirectPurchaseInput(serializers.Serializer):
    supplier = IdField(queryset=Supplier.objects.all())
    store = IdField(queryset=Store.objects.all())
    note = serializers.CharField(**NOTE)
    lines = DirectLineInput(many=True, max_length=MAX_LINES)


class ReceiptResultSerializer(serializers.Serializer):
    order = PurchaseOrderSerializer()
    operation = serializers.IntegerField(allow_null=True)
    movements = serializers.ListField(child=serializers.IntegerField())


# --- sales orders ------------------------------------------------------------------------


class SalesOrderLineSerializer(ModelSerializer):
    sku = serializers.CharField(source="item.sku", read_only=True)

    class Meta:
        model = SalesOrderLine
        fields = [
            "id",
            "item",
            "sku",
            "quantity",
            "unit_price",
            "quantity_reserved",
            "quantity_shipped",
            "quantity_returned",
        ]
        read_only_fields = fields


class SalesOrderSerializer(ModelSerializer):
    number = serializers.CharField(read_only=True)
    lines = SalesOrderLineSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = SalesOrder
        fields = [
            "id",
            "number",
            "status",
            "store",
            "customer",
            "note",
            "created_by",
            "created_at",
            "updated_at",
            "lines",
        ]
        read_only_fields = fields


class SalesLineInput(serializers.Serializer):
    item = IdField(queryset=Item.objects.all())
    quantity = DecimalField(**QTY)
    unit_price = DecimalField(
        **MONEY, required=False, allow_null=True, default=None, help_text="The item's by default."
    )


class SalesOrderInput(serializers.Serializer):
    store = IdField(queryset=Store.objects.all())
    customer = IdField(
        queryset=Customer.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(**NOTE)
    lines = SalesLineInput(many=True, max_length=MAX_LINES)


class ShipmentInput(serializers.Serializer):
    line = IdIntegerField()
    quantity = DecimalField(**QTY)


class ShipInput(serializers.Serializer):
    lines = ShipmentInput(
        many=True,
        required=False,
        max_length=MAX_LINES,
        help_text="Omit to ship everything each line has reserved.",
    )


class ReturnInput(serializers.Serializer):
    line = IdIntegerField()
    quantity = DecimalField(**QTY)
    note = serializers.CharField(**NOTE)


class SalesResultSerializer(serializers.Serializer):
    order = SalesOrderSerializer()
    operation = serializers.IntegerField(allow_null=True)
    movements = serializers.ListField(child=serializers.IntegerField())
