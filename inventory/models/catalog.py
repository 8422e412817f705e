"""Reference data: stores, categories, suppliers, customers and items."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from .fields import MoneyField, QuantityField


class Store(models.Model):
    class Kind(models.TextChoices):
        STORE = "STORE", "Store"
        WAREHOUSE = "WAREHOUSE", "Warehouse"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STORE)
    address = models.TextField(blank=True)
    contact = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = [Lower("code"), "pk"]  # "main" beside "MAIN2", not after "WH1"
        constraints = [
            # Store menus show the name alone: two "Main Store"s could not be told apart.
            models.UniqueConstraint(
                Lower("name"),
                name="store_name_ci_unique",
                violation_error_code="unique_name",
                violation_error_message="Another store already has this name (names ignore case).",
            ),
        ]

    def __str__(self):
        return self.name


class Category(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = [Lower("name"), "pk"]  # "abc" beside "ABD", not after "Z"
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="category_name_ci_unique",
                violation_error_code="unique_name",
                violation_error_message="A category with this name already exists "
                "(names ignore case).",
            ),
        ]

    def __str__(self):
        return self.name


class Party(models.Model):
    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = [Lower("name"), "pk"]  # "abc" beside "ABD", not after "Z"

    def __str__(self):
        return self.name


class Supplier(Party):
    class Meta(Party.Meta):
        pass


class Customer(Party):
    class Meta(Party.Meta):
        pass


class Item(models.Model):
    class Unit(models.TextChoices):
        PCS = "pcs", "pcs"
        KG = "kg", "kg"
        L = "l", "l"
        M = "m", "m"
        BOX = "box", "box"

    sku = models.CharField("SKU", max_length=40)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.PROTECT,
        related_name="items",
        null=True,
        blank=True,
        verbose_name="default supplier",
    )
    barcode = models.CharField(
        max_length=64,
        blank=True,
        help_text="What a scanner reads off the pack (EAN, UPC, Code 128); optional.",
    )
    unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.PCS)
    unit_cost = MoneyField()
    unit_price = MoneyField()
    reorder_level = QuantityField(help_text="Minimum stock per store; below it an alert opens.")
    qc_required = models.BooleanField(
        "QC required", default=False, help_text="Receipts wait in quarantine until approved."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sku"]
        # The item list's order: its first page reads 25 index entries, not the catalogue.
        indexes = [models.Index(fields=["sku"], name="item_sku_order")]
        constraints = [
            models.UniqueConstraint(
                Lower("sku"),
                name="item_sku_ci_unique",
                violation_error_code="unique_sku",
                violation_error_message="Another item already uses this SKU (SKUs ignore case).",
            ),
            # Unique when given; its index also finds the item a scanner names.
            models.UniqueConstraint(
                fields=["barcode"],
                condition=~models.Q(barcode=""),
                name="item_barcode_unique",
                violation_error_code="unique_barcode",
                violation_error_message="Another item already has this barcode.",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0),
                name="item_cost_gte_0",
                violation_error_code="negative_unit_cost",
                violation_error_message="Unit cost cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0),
                name="item_price_gte_0",
                violation_error_code="negative_unit_price",
                violation_error_message="Unit price cannot be negative.",
            ),
            models.CheckConstraint(
                condition=models.Q(reorder_level__gte=0),
                name="item_reorder_gte_0",
                violation_error_code="negative_reorder_level",
                violation_error_message="Reorder level cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.sku} {self.name}"

    def get_absolute_url(self):
        return reverse("inventory:item_detail", args=[self.pk])
