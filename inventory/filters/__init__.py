"""django-filter FilterSets, one module per area."""
