import io

import pytest
from django.core.management import call_command
from django.db import connection

from inventory.models import StockBalance
from inventory.services.stock import stock_receive, stock_reserve

pytestmark = pytest.mark.django_db


def _run():
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("verify_ledger", stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_a_clean_ledger_passes_with_exit_0(staff_user, item, store, other_store):
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, lot_code="A")
    stock_receive(actor=staff_user, item=item, store=other_store, quantity=2, lot_code="A")
    stock_reserve(actor=staff_user, item=item, store=store, quantity=1)

    code, out, err = _run()

    assert code == 0
    assert out == "verify_ledger: OK, 2 balances match the ledger.\n"
    assert err == ""


def test_an_empty_database_passes(db):
    code, out, _ = _run()

    assert code == 0
    assert "OK, 0 balances" in out


def test_a_balance_changed_behind_the_ledger_is_reported_with_exit_1(staff_user, item, store):
    # given a clean ledger
    stock_receive(actor=staff_user, item=item, store=store, quantity=5, lot_code="A")
    stock_reserve(actor=staff_user, item=item, store=store, quantity=2)
    balance = StockBalance.objects.get()
    # when someone edits the balance row with raw SQL
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inventory_stockbalance SET on_hand = 9 WHERE id = %s", [balance.pk])
    # then the command names the store, lot, expected and actual figures and exits 1
    code, out, err = _run()

    assert code == 1
    assert out == (
        "DRIFT store=MAIN lot=A item=SKU-0042: on_hand expected 5 actual 9; "
        "reserved expected 2 actual 2\n"
    )
    assert "1 balance(s) drifted" in err
    # and nothing was repaired
    assert StockBalance.objects.get().on_hand == 9


def test_verify_ledger_has_no_repair_option():
    from inventory.management.commands.verify_ledger import Command

    parser = Command().create_parser("manage.py", "verify_ledger")

    assert not any("repair" in a.dest or "fix" in a.dest for a in parser._actions)


def test_ledger_rows_whose_balance_row_is_missing_are_reported(staff_user, item, store):
    # given a receipt whose balance row is then deleted behind the services' back
    stock_receive(actor=staff_user, item=item, store=store, quantity=3, lot_code="B")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM inventory_stockbalance")
    # then the command reports the ledger figures with a missing balance and exits 1
    code, out, _ = _run()

    assert code == 1
    assert out == (
        "DRIFT store=MAIN lot=B item=SKU-0042: on_hand expected 3 actual missing; "
        "reserved expected 0 actual missing\n"
    )


def test_fractional_quantities_do_not_report_false_drift(staff_user, item, store):
    item.unit = "kg"
    item.save(update_fields=["unit"])
    for quantity in ["0.1", "0.2", "0.3", "0.001"]:
        stock_receive(actor=staff_user, item=item, store=store, quantity=quantity, lot_code="F")

    code, out, _ = _run()

    assert code == 0, out
