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
from inventory.models.fields import NOTE_MAX_LENGTH

from .fields import (
    MONEY,
    QTY,
    BoundedDateField,
    DecimalField,
    IdField,
    IdIntegerField,
    ModelSerializer,
    Serializer,
    StrictBooleanField,
)

MAX_LINES = 200
NOTE = {"max_length": NOTE_MAX_LENGTH, "required": False, "allow_blank": True, "default": ""}


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


class PurchaseLineInput(Serializer):
    item = IdField(queryset=Item.objects.all())
    quantity = DecimalField(**QTY)
    unit_cost = DecimalField(**MONEY, required=False, allow_null=True, default=None)


class PurchaseOrderInput(Serializer):
    supplier = IdField(queryset=Supplier.objects.all())
    store = IdField(queryset=Store.objects.all())
    expected_on = BoundedDateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(**NOTE)
    lines = PurchaseLineInput(many=True, max_length=MAX_LINES)


class ReceiptInput(Serializer):
    line = IdIntegerField()
    quantity = DecimalField(**QTY)
    lot_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expires_on = BoundedDateField(required=False, allow_null=True, default=None)


class ReceiveInput(Serializer):
    """What arrived: the `receipts` line by line, or `"all": true` for everything outstanding.

    Receiving everything is asked for by name: a body that says neither (`{}`, or a
    misspelt key) must not receive the whole order.
    """

    receipts = ReceiptInput(
        many=True,
        required=False,
        allow_empty=False,
        max_length=MAX_LINES,
        help_text='What arrived, line by line; or leave out and send "all": true.',
    )
    all = StrictBooleanField(
        required=False,
        default=False,
        help_text="Receive everything outstanding (lot codes generated), instead of receipts.",
    )

    def validate(self, attrs):
        if attrs.get("all") and "receipts" in attrs:
            raise serializers.ValidationError(
                {"all": ['Send either "receipts" or "all": true, not both.']}
            )
        if not attrs.get("all") and "receipts" not in attrs:
            raise serializers.ValidationError(
                {
                    "receipts": [
                        'Name what arrived in "receipts", or send "all": true to '
                        "receive everything outstanding."
                    ]
                }
            )
        return attrs


class DirectLineInput(PurchaseLineInput):
    lot_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expires_on = BoundedDateField(required=False, allow_null=True, default=None)


class DirectPurchaseInput(Serializer):
    supplier = IdField(queryset=Supplier.objects.all())
    store = IdField(queryset=Store.objects.all())
    note = serializers.CharField(**NOTE)
    lines = DirectLineInput(many=True, allow_empty=False, max_length=MAX_LINES)


class ReceiptResultSerializer(Serializer):
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


class SalesLineInput(Serializer):
    item = IdField(queryset=Item.objects.all())
    quantity = DecimalField(**QTY)
    unit_price = DecimalField(
        **MONEY, required=False, allow_null=True, default=None, help_text="The item's by default."
    )


class SalesOrderInput(Serializer):
    store = IdField(queryset=Store.objects.all())
    customer = IdField(
        queryset=Customer.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(**NOTE)
    lines = SalesLineInput(many=True, allow_empty=False, max_length=MAX_LINES)


class ShipmentInput(Serializer):
    line = IdIntegerField()
    quantity = DecimalField(**QTY)


class ShipInput(Serializer):
    lines = ShipmentInput(
        many=True,
        required=False,
        allow_empty=False,
        max_length=MAX_LINES,
        help_text="Omit to ship everything each line has reserved.",
    )


class ReturnInput(Serializer):
    line = IdIntegerField()
    quantity = DecimalField(**QTY)
    note = serializers.CharField(**NOTE)
    damaged = StrictBooleanField(
        required=False,
        default=False,
        help_text="Hold the returned stock in quarantine for a QC decision before it can be "
        "sold again (always so for an item that needs QC).",
    )


class SalesResultSerializer(Serializer):
    order = SalesOrderSerializer()
    operation = serializers.IntegerField(allow_null=True)
    movements = serializers.ListField(child=serializers.IntegerField())
