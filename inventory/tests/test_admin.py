"""The Django admin is locked down: each point proven against the admin's own URLs."""

from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role, user_role
from accounts.tests.factories import PASSWORD, UserFactory
from inventory.models import (
    AuditEvent,
    Category,
    Item,
    LedgerEntry,
    Lot,
    LotDecision,
    Operation,
    PurchaseOrder,
    QCStatus,
    StockBalance,
    Store,
)
from inventory.services.qc import lot_reject
from inventory.services.stock import stock_receive
from inventory.tests.factories import CategoryFactory, ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(manager_user, qc_item, store):
    """A QC item received once: a quarantined lot, a balance, a ledger row, an audit event."""
    stock_receive(actor=manager_user, item=qc_item, store=store, quantity=5, lot_code="L1")
    return Lot.objects.get(item=qc_item)


@pytest.fixture(params=["superuser", "admin_role"])
def admin_user_client(request, client, admin_user, admin_role_user):
    """The admin as a superuser, and as an Admin-role user without is_staff."""
    client.force_login(admin_user if request.param == "superuser" else admin_role_user)
    return client


def _admin_url(model, view, *args):
    return reverse(f"admin:inventory_{model._meta.model_name}_{view}", args=args)


def _first(model):
    return model.objects.order_by("pk").first()


READ_ONLY = [LedgerEntry, StockBalance, AuditEvent, Operation, LotDecision, Lot, PurchaseOrder]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_read_only_models_list_and_show_but_never_save(admin_user_client, received, model):
    # given
    if model is LotDecision:
        admin_user_client.post(
            _admin_url(Lot, "changelist"),
            {"action": "approve_selected", ACTION_CHECKBOX_NAME: [received.pk], "index": 0},
        )
    if model is PurchaseOrder:
        PurchaseOrder.objects.create(
            supplier=received.item.supplier,
            store=Store.objects.get(),
            created_by=_first(LedgerEntry).actor,
        )
    row = _first(model)
    before = model.objects.filter(pk=row.pk).values().get()
    # when
    listing = admin_user_client.get(_admin_url(model, "changelist"))
    change = admin_user_client.get(_admin_url(model, "change", row.pk))
    posted = admin_user_client.post(_admin_url(model, "change", row.pk), {"note": "edited"})
    add = admin_user_client.get(_admin_url(model, "add"))
    delete = admin_user_client.post(_admin_url(model, "delete", row.pk), {"post": "yes"})
    # then
    assert listing.status_code == 200
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert posted.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    assert model.objects.filter(pk=row.pk).values().get() == before


def test_ledger_list_offers_no_delete_action(admin_client, received):
    # when
    response = admin_client.get(_admin_url(LedgerEntry, "changelist"))
    # then
    assert "delete_selected" not in response.content.decode()
    assert LedgerEntry.objects.count() == 1


def test_item_admin_shows_stock_read_only_and_no_stock_input(admin_client, received):
    # when
    response = admin_client.get(_admin_url(Item, "change", received.item_id))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "On hand" in page
    for name in ("on_hand", "available", "reserved", "is_active"):
        assert f'name="{name}"' not in page


def _item_form(item, **overrides):
    data = {
        "sku": item.sku,
        "name": item.name,
        "description": item.description,
        "category": item.category_id,
        "supplier": item.supplier_id or "",
        "unit": item.unit,
        "unit_cost": str(item.unit_cost),
        "unit_price": str(item.unit_price),
        "reorder_level": str(item.reorder_level),
        "_save": "Save",
    }
    data.update(overrides)
    return data


def test_item_change_in_admin_goes_through_the_service(admin_client, admin_user, item):
    # when
    response = admin_client.post(
        _admin_url(Item, "change", item.pk), _item_form(item, unit_price="6.50")
    )
    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.unit_price == Decimal("6.50")
    event = AuditEvent.objects.get(action="item.update")
    assert event.actor == admin_user
    assert event.details == {"unit_price": ["4.00", "6.50"]}


def test_item_add_in_admin_goes_through_the_service(admin_client, item):
    # when
    response = admin_client.post(
        _admin_url(Item, "add"), _item_form(item, sku="ADM-1", name="From admin")
    )
    # then
    assert response.status_code == 302
    created = Item.objects.get(sku="ADM-1")
    assert AuditEvent.objects.get(action="item.create").object_id == str(created.pk)


@pytest.mark.parametrize(("field", "value"), [("sku", "sku-0042"), ("unit_price", "-1")])
def test_bad_item_input_in_admin_is_a_field_error(admin_client, item, field, value):
    # given
    other = ItemFactory(sku="OTHER-1")
    # when
    response = admin_client.post(
        _admin_url(Item, "change", other.pk), _item_form(other, **{field: value})
    )
    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    other.refresh_from_db()
    assert (other.sku, other.unit_price) == ("OTHER-1", Decimal("4.00"))
    assert not AuditEvent.objects.filter(action__startswith="item.").exists()


@pytest.mark.parametrize("model", [Item, Category, Store], ids=lambda m: m.__name__)
def test_catalogue_delete_is_refused(admin_client, item, store, model):
    # given
    row = _first(model)
    # when
    response = admin_client.post(_admin_url(model, "delete", row.pk), {"post": "yes"})
    listing = admin_client.get(_admin_url(model, "changelist"))
    # then
    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
    assert "delete_selected" not in listing.content.decode()


def test_deactivate_selected_action_calls_the_service(admin_client):
    # given
    first, second = CategoryFactory(), CategoryFactory()
    # when
    response = admin_client.post(
        _admin_url(Category, "changelist"),
        {"action": "deactivate_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "index": 0},
    )
    # then
    assert response.status_code == 302
    assert not Category.objects.filter(is_active=True).exists()
    assert AuditEvent.objects.filter(action="category.deactivate").count() == 2


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 item deactivated."), (2, "2 items deactivated.")]
)
def test_deactivate_selected_action_counts_in_words(admin_client, count, said):
    # Found by a QA pass: one item deactivated read "1 items deactivated."
    items = [ItemFactory() for _ in range(count)]

    response = admin_client.post(
        _admin_url(Item, "changelist"),
        {"action": "deactivate_selected", ACTION_CHECKBOX_NAME: [i.pk for i in items], "index": 0},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [said]


def test_lot_approve_action_approves_through_qc(admin_client, admin_user, received):
    # when
    response = admin_client.post(
        _admin_url(Lot, "changelist"),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [received.pk], "index": 0},
    )
    # then
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.qc_status == QCStatus.APPROVED
    decision = LotDecision.objects.get()
    assert (decision.from_status, decision.to_status, decision.actor) == (
        "QUARANTINE",
        "APPROVED",
        admin_user,
    )


def test_lot_action_refusal_is_reported_as_an_error(admin_client, admin_user, received):
    # given a lot rejected in the QC queue (the admin offers no reject: it has no reason)
    lot_reject(actor=admin_user, lot=received, note="Seals broken")
    # when: a rejected lot cannot be approved
    response = admin_client.post(
        _admin_url(Lot, "changelist"),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [received.pk], "index": 0},
        follow=True,
    )
    # then
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    received.refresh_from_db()
    assert received.qc_status == QCStatus.REJECTED
    assert LotDecision.objects.count() == 1


@pytest.mark.parametrize("role", ["Staff", "Manager"])
def test_staff_and_managers_cannot_reach_the_admin_even_with_is_staff(client, role):
    # given
    user = UserFactory(role=role, is_staff=True)
    client.force_login(user)
    # when
    response = client.get("/admin/")
    # then
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_admin_role_user_reaches_the_admin_without_is_staff(admin_role_client, admin_role_user):
    # when
    response = admin_role_client.get("/admin/")
    # then
    assert not admin_role_user.is_staff
    assert response.status_code == 200


def test_admin_login_form_accepts_admins_only(client, staff_user, admin_role_user):
    # when
    refused = client.post("/admin/login/", {"username": "staff1", "password": PASSWORD})
    accepted = client.post(
        "/admin/login/?next=/admin/", {"username": "admin1", "password": PASSWORD}
    )
    # then
    assert refused.status_code == 200
    assert "Admin account" in refused.content.decode()
    assert (accepted.status_code, accepted.url) == (302, "/admin/")


def test_user_admin_shows_roles_and_sets_them_through_the_service(
    admin_role_client, admin_role_user, roleless_user
):
    # when
    listing = admin_role_client.get(reverse("admin:auth_user_changelist"))
    response = admin_role_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "make_manager", ACTION_CHECKBOX_NAME: [roleless_user.pk], "index": 0},
    )
    # then
    assert listing.status_code == 200
    assert "No role" in listing.content.decode()
    assert response.status_code == 302
    roleless_user.refresh_from_db()
    assert user_role(roleless_user) is Role.MANAGER
    event = AuditEvent.objects.get(action="user.set_role")
    assert (event.actor, event.details) == (admin_role_user, {"role": ["No role", "Manager"]})


def test_user_groups_cannot_be_edited_or_deleted_in_admin(admin_role_client, staff_user):
    # when
    change = admin_role_client.get(reverse("admin:auth_user_change", args=[staff_user.pk]))
    delete = admin_role_client.post(
        reverse("admin:auth_user_delete", args=[staff_user.pk]), {"post": "yes"}
    )
    group_add = admin_role_client.get(reverse("admin:auth_group_add"))
    # then
    page = change.content.decode()
    assert 'name="groups"' not in page
    assert 'name="is_superuser"' not in page
    assert delete.status_code == 403
    assert group_add.status_code == 403
    assert list(staff_user.groups.values_list("name", flat=True)) == ["Staff"]
    assert Group.objects.count() == 3


def test_the_admin_offers_no_rejection_without_a_reason(admin_client, received):
    response = admin_client.post(
        _admin_url(Lot, "changelist"),
        {"action": "reject_selected", ACTION_CHECKBOX_NAME: [received.pk], "index": 0},
        follow=True,
    )

    assert "reject_selected" not in response.content.decode()
    received.refresh_from_db()
    assert received.qc_status == QCStatus.QUARANTINE
    assert not LotDecision.objects.exists()


def test_item_add_in_admin_starts_blank_and_reads_blank_money_as_zero(admin_client, item):
    # found in stop 24: the admin's boxes showed "0" and a blank one was "required"
    page = admin_client.get(_admin_url(Item, "add")).content.decode()
    response = admin_client.post(
        _admin_url(Item, "add"),
        _item_form(item, sku="ADM-2", name="Blank figures", unit_cost="", unit_price=""),
    )

    assert 'name="unit_cost" value="0' not in page
    assert 'inputmode="decimal"' in page
    assert response.status_code == 302
    created = Item.objects.get(sku="ADM-2")
    assert (created.unit_cost, created.unit_price) == (Decimal("0"), Decimal("0"))


def test_a_comma_in_an_admin_price_is_refused_in_words(admin_client, item):
    response = admin_client.post(
        _admin_url(Item, "change", item.pk), _item_form(item, unit_price="2,50")
    )

    assert response.status_code == 200
    assert "without a comma" in str(response.context["adminform"].form.errors["unit_price"])
    item.refresh_from_db()
    assert item.unit_price == Decimal("4.00")
