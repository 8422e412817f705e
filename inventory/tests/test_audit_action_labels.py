"""Every action code the services record has words for people (AuditEvent.action_label)."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from inventory.models import QCStatus
from inventory.models.audit import ACTION_LABELS, action_label

CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
FAMILIES = {code.split(".")[0] for code in ACTION_LABELS}
RECORDERS = ["inventory/services", "accounts", "api/services.py"]


def recorded_codes() -> set[str]:
    """The action code literals in the modules that record audit events."""
    base = Path(settings.BASE_DIR)
    files = []
    for name in RECORDERS:
        path = base / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    codes = set()
    for path in files:
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.match(node.value)
                and node.value.split(".")[0] in FAMILIES
            ):
                codes.add(node.value)
    return codes


def test_every_literal_code_has_a_label():
    codes = recorded_codes()

    assert {"sales_order.quick_sale", "purchase_order.direct", "auth.login"} <= codes
    assert sorted(codes - ACTION_LABELS.keys()) == []


@pytest.mark.parametrize("model", ["item", "store", "category", "supplier", "customer"])
@pytest.mark.parametrize("change", ["create", "update", "activate", "deactivate"])
def test_catalog_codes_have_labels(model, change):
    assert f"{model}.{change}" in ACTION_LABELS


@pytest.mark.parametrize("status", QCStatus.values)
def test_qc_decision_codes_have_labels(status):
    assert f"lot.{status.lower()}" in ACTION_LABELS


def test_labels_are_words_and_an_unknown_code_still_reads_as_words():
    assert action_label("sales_order.quick_sale") == "Quick sale"
    assert action_label("purchase_order.direct") == "Direct purchase"
    assert action_label("widget.spun_round") == "Widget spun round"
    assert all("." not in label and "_" not in label for label in ACTION_LABELS.values())
