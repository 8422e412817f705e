"""Every number and reference an API serializer reads goes through the strict fields."""

import inspect

from rest_framework import serializers

from api.serializers import catalog, orders, stock
from api.serializers.fields import DecimalField, IdField, IdIntegerField


def all_serializers():
    """Every serializer class the API defines (a ModelSerializer needs its model)."""
    for module in (catalog, orders, stock):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            defined_here = cls.__module__ == module.__name__
            if not (defined_here and issubclass(cls, serializers.Serializer)):
                continue
            meta = getattr(cls, "Meta", None)
            if issubclass(cls, serializers.ModelSerializer) and not hasattr(meta, "model"):
                continue  # a base (PartySerializer) whose subclasses are checked
            yield cls


def writable_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            yield from writable_fields(field.child, f"{prefix}{name}[].")
        elif isinstance(field, serializers.Serializer):
            yield from writable_fields(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def is_lenient(cls, field) -> bool:
    if isinstance(field, serializers.DecimalField):
        return not isinstance(field, DecimalField)
    if isinstance(field, serializers.RelatedField):
        return not isinstance(field, IdField)
    # Outputs declare plain IntegerFields (ids, counts); an input's integer is an id.
    if isinstance(field, serializers.IntegerField) and cls.__name__.endswith("Input"):
        return not isinstance(field, IdIntegerField)
    return False


def test_numbers_and_ids_are_read_strictly_by_every_serializer():
    checked, lenient = 0, []
    for cls in all_serializers():
        for name, field in writable_fields(cls()):
            checked += 1
            if is_lenient(cls, field):
                lenient.append(f"{cls.__name__}.{name}")

    assert checked > 20
    assert lenient == []
