"""Every lot QC action names its text `note`, as the QC screen and the services do; reject
still reads `reason`, its deprecated former name, for one version."""

import pytest

from inventory.models import AuditEvent, Lot, LotDecision
from inventory.services.stock import stock_receive

pytestmark = pytest.mark.django_db
V1 = "/api/v1"
PROBLEM = "application/problem+json"


@pytest.fixture
def lot(manager_user, store, qc_item):
    stock_receive(actor=manager_user, item=qc_item, store=store, quantity=5, lot_code="Q1")
    return Lot.objects.get(code="Q1")


def unchanged(lot) -> bool:
    """The refused call left the lot, its decisions and the audit log as they were."""
    lot.refresh_from_db()
    return (
        lot.qc_status == "QUARANTINE"
        and not LotDecision.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="lot.").exists()
    )


def reject(api, lot, body):
    return api.post(f"{V1}/lots/{lot.pk}/reject/", body)


def test_reject_takes_a_note_kept_with_the_decision(manager_api, lot):
    response = reject(manager_api, lot, {"note": "Torn seals"})

    assert response.status_code == 200, response.content
    assert response.json()["qc_status"] == "REJECTED"
    assert LotDecision.objects.get(lot=lot).note == "Torn seals"
    assert AuditEvent.objects.get(action="lot.rejected").details["note"] == "Torn seals"


@pytest.mark.parametrize(
    "body",
    [{"reason": "Torn seals"}, {"reason": "Torn seals", "note": "Torn seals"}],
    ids=["reason-alone", "both-the-same"],
)
def test_reject_still_reads_the_deprecated_reason(manager_api, lot, body):
    response = reject(manager_api, lot, body)

    assert response.status_code == 200, response.content
    assert Lot.objects.get(pk=lot.pk).qc_status == "REJECTED"
    assert LotDecision.objects.get(lot=lot).note == "Torn seals"


def test_a_note_and_a_reason_that_differ_are_refused_naming_reason(manager_api, lot):
    response = reject(manager_api, lot, {"note": "Torn seals", "reason": "Mould"})

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["reason"]
    assert "note" in response.json()["errors"]["reason"][0]
    assert unchanged(lot)


def test_a_reject_with_neither_names_note_as_required(manager_api, lot):
    response = reject(manager_api, lot, {})

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {"note": ["This field is required."]}
    assert unchanged(lot)


@pytest.mark.parametrize(
    ("body", "field"),
    [({"note": "  "}, "note"), ({"reason": ""}, "reason"), ({"reason": None}, "reason")],
)
def test_a_blank_note_or_reason_is_refused_naming_what_was_sent(manager_api, lot, body, field):
    response = reject(manager_api, lot, body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert unchanged(lot)


def test_approve_and_quarantine_take_a_note_and_not_reason(manager_api, lot):
    refused = manager_api.post(f"{V1}/lots/{lot.pk}/approve/", {"reason": "fine"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["reason"]
    assert unchanged(lot)

    approved = manager_api.post(f"{V1}/lots/{lot.pk}/approve/", {"note": "fine"})
    held = manager_api.post(f"{V1}/lots/{lot.pk}/quarantine/", {"note": "recall check"})

    assert (approved.status_code, held.status_code) == (200, 200)
    assert list(LotDecision.objects.order_by("pk").values_list("to_status", "note")) == [
        ("APPROVED", "fine"),
        ("QUARANTINE", "recall check"),
    ]


def test_the_schema_names_note_on_every_qc_action_and_marks_reason_deprecated(staff_api):
    schema = staff_api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    def body_of(action):
        post = schema["paths"][f"/api/v1/lots/{{id}}/{action}/"]["post"]
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return components[ref.rsplit("/", 1)[1]]

    rejected = body_of("reject")
    assert rejected["required"] == ["note"]
    assert rejected["properties"]["reason"]["deprecated"] is True
    assert "deprecated" not in rejected["properties"]["note"]
    for action in ("approve", "quarantine"):
        assert list(body_of(action)["properties"]) == ["note"]
