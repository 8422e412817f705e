"""Catalogue shapes. Output serializers read; input serializers only check types and shape,
the catalogue services decide (uniqueness, signs, deactivated references)."""

from rest_framework import serializers

from inventory.models import Category, Customer, Item, Store, Supplier

from .fields import MONEY, QTY, TOTAL, DecimalField, IdField, ModelSerializer


class CategorySerializer(ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "name", "description", "is_active", "item_count"]
        read_only_fields = ["id", "is_active", "item_count"]
        extra_kwargs = {"description": {"required": False}}


class StoreSerializer(ModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "code", "name", "kind", "address", "contact", "is_active"]
        read_only_fields = ["id", "is_active"]
        # Uniqueness is the service's rule (case-insensitive); no duplicate check here.
        extra_kwargs = {
            "code": {"validators": []},
            "address": {"required": False},
            "contact": {"required": False},
        }


class PartySerializer(ModelSerializer):
    # Bounded at any history: the date of the last order, not a count of all of them.
    last_order_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        fields = ["id", "name", "email", "phone", "address", "is_active", "last_order_at"]
        read_only_fields = ["id", "is_active", "last_order_at"]
        extra_kwargs = {
            "email": {"required": False},
            "phone": {"required": False},
            "address": {"required": False},
        }


class SupplierSerializer(PartySerializer):
    class Meta(PartySerializer.Meta):
        model = Supplier


class CustomerSerializer(PartySerializer):
    class Meta(PartySerializer.Meta):
        model = Customer


class ItemSerializer(ModelSerializer):
    # Declared, so that its uniqueness is the catalogue service's rule with its message;
    # DRF would check the barcode's constraint first, in words of its own.
    barcode = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=Item.barcode.field.help_text
    )
    category = IdField(queryset=Category.objects.all())
    supplier = IdField(queryset=Supplier.objects.all(), allow_null=True, required=False)
    unit_cost = DecimalField(**MONEY, required=False)
    unit_price = DecimalField(**MONEY, required=False)
    reorder_level = DecimalField(**QTY, required=False)
    on_hand = DecimalField(**TOTAL, read_only=True)
    reserved = DecimalField(**TOTAL, read_only=True)
    available = DecimalField(**TOTAL, read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "sku",
            "barcode",
            "name",
            "description",
            "category",
            "supplier",
            "unit",
            "unit_cost",
            "unit_price",
            "reorder_level",
            "qc_required",
            "is_active",
            "on_hand",
            "reserved",
            "available",
        ]
        read_only_fields = ["id", "is_active", "on_hand", "reserved", "available"]
        extra_kwargs = {"description": {"required": False}}
