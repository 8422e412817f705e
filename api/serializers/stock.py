"""Stock figures, lots, movements, stock actions, the audit log and alerts."""

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from inventory.models import (
    Alert,
    AuditEvent,
    Item,
    LedgerEntry,
    Lot,
    Store,
)
from inventory.models.fields import NOTE_MAX_LENGTH

from .fields import (
    MONEY,
    QTY,
    TOTAL,
    BoundedDateField,
    DecimalField,
    IdField,
    ModelSerializer,
    Serializer,
)

ADJUST_REASONS = [
    (value, label)
    for value, label in LedgerEntry.Reason.choices
    if value != LedgerEntry.Reason.REVERSAL  # reversals have their own action
]
NOTE = {"max_length": NOTE_MAX_LENGTH, "required": False, "allow_blank": True, "default": ""}


class StockFiguresSerializer(Serializer):
    on_hand = DecimalField(**TOTAL)
    reserved = DecimalField(**TOTAL)
    available = DecimalField(
        **TOTAL, help_text="Stock of approved, unexpired lots less every reservation."
    )
    quarantined = DecimalField(**TOTAL, help_text="On hand in lots waiting for a QC decision.")
    rejected = DecimalField(
        **TOTAL, help_text="On hand in lots QC rejected: never available, leaves by an adjustment."
    )
    expired = DecimalField(**TOTAL, help_text="On hand in lots past their expiry date.")


class StockLevelSerializer(StockFiguresSerializer):
    """One item in one store."""

    item = serializers.IntegerField(source="item_id")
    sku = serializers.CharField(source="item__sku")
    item_name = serializers.CharField(source="item__name")
    unit = serializers.CharField(source="item__unit")
    reorder_level = DecimalField(**QTY, source="item__reorder_level")
    store = serializers.IntegerField(source="store_id")
    store_code = serializers.CharField(source="store__code")
    store_name = serializers.CharField(source="store__name")


class StoreFiguresSerializer(StockFiguresSerializer):
    store = serializers.IntegerField(source="store_id")
    store_code = serializers.CharField(source="store__code")
    store_name = serializers.CharField(source="store__name")


class ItemStockSerializer(Serializer):
    item = serializers.IntegerField()
    sku = serializers.CharField()
    totals = StockFiguresSerializer()
    stores = StoreFiguresSerializer(many=True)


class LotBalanceSerializer(Serializer):
    """One lot in one store."""

    item = serializers.IntegerField(source="item_id")
    sku = serializers.CharField(source="item.sku")
    store = serializers.IntegerField(source="store_id")
    store_code = serializers.CharField(source="store.code")
    lot = serializers.IntegerField(source="lot_id")
    lot_code = serializers.CharField(source="lot.code")
    qc_status = serializers.CharField(source="lot.qc_status")
    expires_on = serializers.DateField(source="lot.expires_on", allow_null=True)
    expired = serializers.BooleanField()
    on_hand = DecimalField(**QTY)
    reserved = DecimalField(**QTY)
    available = DecimalField(
        **QTY, source="sellable", help_text="On hand minus reserved if the lot is approved, else 0."
    )


class LotSerializer(ModelSerializer):
    sku = serializers.CharField(source="item.sku", read_only=True)
    on_hand = DecimalField(**TOTAL, read_only=True)

    class Meta:
        model = Lot
        fields = [
            "id",
            "item",
            "sku",
            "code",
            "qc_status",
            "expires_on",
            "unit_cost",
            "supplier",
            "received_at",
            "on_hand",
        ]
        read_only_fields = fields


class LotDecisionInput(Serializer):
    """Approve or quarantine: an optional note, kept with the decision."""

    note = serializers.CharField(**NOTE)


@extend_schema_serializer(deprecate_fields=["reason"])
class LotRejectInput(Serializer):
    """Reject: `note` says why (required, as on the QC screen). `reason`, its former name,
    is deprecated and read for one version more: alone, in place of `note`; with `note`,
    only when both say the same."""

    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, help_text="Why the lot is rejected.")
    reason = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text="Deprecated: the former name of `note`; send `note`.",
    )

    def to_internal_value(self, data):
        if not (isinstance(data, Mapping) and "reason" in data and "note" not in data):
            return super().to_internal_value(data)
        try:
            return super().to_internal_value({**data, "note": data["reason"]})
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):  # `reason` has the same errors: name it alone
                exc.detail.pop("note", None)
            raise

    def validate(self, attrs):
        reason = attrs.pop("reason", None)
        if reason is not None and reason != attrs["note"]:
            raise serializers.ValidationError(
                {"reason": ["Differs from `note`: send `note` only (`reason` is deprecated)."]}
            )
        return attrs


class LotExpiryInput(Serializer):
    """Correct a lot's expiry date (`null`: it never expires), saying why in `note`."""

    expires_on = BoundedDateField(allow_null=True)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text="Why the date changes (kept in the audit log)."
    )


class MovementSerializer(ModelSerializer):
    sku = serializers.CharField(source="item.sku", read_only=True)
    store_code = serializers.CharField(source="store.code", read_only=True)
    lot_code = serializers.CharField(source="lot.code", read_only=True)
    user = serializers.CharField(source="actor.username", read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Adjustments only; else blank.")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "created_at",
            "kind",
            "item",
            "sku",
            "store",
            "store_code",
            "lot",
            "lot_code",
            "quantity",
            "on_hand_delta",
            "reserved_delta",
            "unit_cost",
            "reason",
            "note",
            "user",
            "operation",
            "reverses",
            "po_line",
            "so_line",
        ]
        read_only_fields = fields


class StockResultSerializer(Serializer):
    operation = serializers.IntegerField()
    movements = MovementSerializer(many=True)


class TransferLineInput(Serializer):
    item = IdField(queryset=Item.objects.all())
    quantity = DecimalField(**QTY)
    lot = IdField(
        queryset=Lot.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Move from this lot only; by default earliest expiry first.",
    )


class TransferInput(Serializer):
    """One item (`item`, `quantity`, `lot`) or several (`lines`), all or nothing."""

    item = IdField(queryset=Item.objects.all(), required=False, help_text="Or give `lines`.")
    from_store = IdField(queryset=Store.objects.all())
    to_store = IdField(queryset=Store.objects.all())
    quantity = DecimalField(**QTY, required=False, help_text="With `item`.")
    lot = IdField(
        queryset=Lot.objects.all(),
        required=False,
        allow_null=True,
        help_text="With `item`: move from this lot only; by default earliest expiry first.",
    )
    lines = TransferLineInput(
        many=True,
        required=False,
        allow_empty=False,
        max_length=200,
        help_text="Several items in one transfer, instead of `item`, `quantity` and `lot`.",
    )
    note = serializers.CharField(**NOTE)

    def validate(self, attrs):
        if "lines" in attrs:
            if given := [name for name in ("item", "quantity", "lot") if name in attrs]:
                raise serializers.ValidationError(
                    {given[0]: ['Give either "lines" or "item" and "quantity", not both.']}
                )
        elif "item" not in attrs:
            raise serializers.ValidationError({"item": ['Give "item" and "quantity", or "lines".']})
        elif "quantity" not in attrs:
            raise serializers.ValidationError({"quantity": ["This field is required."]})
        return attrs


class AdjustmentInput(Serializer):
    lot = IdField(queryset=Lot.objects.all())
    store = IdField(queryset=Store.objects.all())
    quantity = DecimalField(**QTY, help_text="Signed: negative takes stock away.")
    reason = serializers.ChoiceField(choices=ADJUST_REASONS)
    note = serializers.CharField(**NOTE)


class CountLineInput(Serializer):
    """One line of a count: a lot, or an item counted in bulk (loose goods: what was
    found of it in the store, all its approved lots together); exactly one of them."""

    lot = IdField(
        queryset=Lot.objects.select_related("item"),
        required=False,
        help_text="The lot counted; or give `item` instead.",
    )
    item = IdField(
        queryset=Item.objects.all(),
        required=False,
        help_text=(
            "The item counted by item (loose goods): `counted` is spread over its approved "
            "lots in the store, the oldest counted down first; or give `lot` instead."
        ),
    )
    counted = DecimalField(**QTY, help_text="What was found; 0 for an empty shelf.")
    expected = DecimalField(
        **QTY,
        required=False,
        allow_null=True,
        help_text=(
            "The figure the counter was shown (for an item, its total on the shelf); a lot "
            "or item whose stock moved since is refused."
        ),
    )

    def validate(self, attrs):
        if ("lot" in attrs) == ("item" in attrs):
            raise serializers.ValidationError(
                {"lot": ['Give exactly one of "lot" and "item" per line.']}
            )
        return attrs


class CountInput(Serializer):
    store = IdField(queryset=Store.objects.all())
    counts = CountLineInput(many=True, allow_empty=False, max_length=200)
    note = serializers.CharField(**NOTE)


class ReversalInput(Serializer):
    note = serializers.CharField(**NOTE)


class AuditEventSerializer(ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "details",
            "ip_address",
            "user_agent",
        ]
        read_only_fields = fields


class AlertSerializer(ModelSerializer):
    sku = serializers.CharField(source="item.sku", read_only=True)
    store_code = serializers.CharField(source="store.code", read_only=True)
    closed_by = serializers.CharField(
        source="closed_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "item",
            "sku",
            "store",
            "store_code",
            "status",
            "available_at_open",
            "reorder_level",
            "opened_at",
            "closed_at",
            "closed_by",
        ]
        read_only_fields = fields


__all__ = ["MONEY"]
