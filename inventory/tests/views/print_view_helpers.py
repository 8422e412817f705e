"""Shared by the print view tests: a company name, a store and a supplier with every
contact field, and readers of a printed page's lines and mark."""

import re

import pytest

from inventory.tests.factories import StoreFactory, SupplierFactory

COMPANY = "Harbour Hardware Ltd"


@pytest.fixture(name="company")
def company_fixture(settings):
    settings.COMPANY_NAME = COMPANY
    return COMPANY


@pytest.fixture(name="depot")
def depot_fixture(db):
    return StoreFactory(
        code="DEPOT", name="North Depot", address="12 Quay Road\nPortside", contact="Jo 0111 222"
    )


@pytest.fixture(name="acme")
def acme_fixture(db):
    return SupplierFactory(
        name="Acme Fasteners", email="orders@acme.example", phone="0999 123", address="1 Mill St"
    )


def row(html: str, sku: str) -> dict:
    """The cells of a printed line by their data-testid, as text, and its lots' texts."""
    found = html.split(f'data-testid="print-line-{sku}"', 1)[1].split("</tr>", 1)[0]
    cells: dict = dict(re.findall(r'<td[^>]*data-testid="([\w-]+)">([^<]*)<', found))
    cells["lots"] = [
        re.sub(r"<[^>]+>", "", lot)
        for lot in re.findall(r'<li data-testid="lot">(.*?)</li>', found)
    ]
    return cells


def mark(html: str) -> str | None:
    """The page's mark (DRAFT, CANCELLED, Nothing shipped yet), or None."""
    found = re.search(r'data-testid="doc-mark">([^<]*)<', html)
    return found[1] if found else None


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]
