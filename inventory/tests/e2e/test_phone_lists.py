"""List pages on a phone (390x844): each row is a card, so the figure a person came for
is on the screen with its caption beside it, not behind a sideways scroll. On a desktop
(1280x800) the same tables keep their header row and right-aligned figures."""

import pytest

from .conftest import login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# (page, table's data-testid, heading of the figure that matters on it)
LISTS = [
    pytest.param("/stock/", "stock-levels", "Available", id="stock-available"),
    pytest.param("/ledger/", "movements", "Quantity", id="ledger-quantity"),
    pytest.param("/items/", "item-list", "On hand", id="items-on-hand"),
    pytest.param("/items/{item}/", "movements", "On hand change", id="item-movements-on-hand"),
]

# The geometry and captions of the first row's cell under `label`, found by its column
# heading (not its data-label) so the test reads the same table a person sees.
FIRST_ROW_CELL = """(table, label) => {
  const headings = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const cell = table.querySelector('tbody tr').cells[headings.indexOf(label)];
  const box = cell.getBoundingClientRect();
  return {
    left: box.left, right: box.right,
    scrollWidth: table.scrollWidth, clientWidth: table.clientWidth,
    caption: getComputedStyle(cell, '::before').content,
    align: getComputedStyle(cell).textAlign,
    text: cell.textContent.trim(),
  };
}"""


@pytest.mark.parametrize(("path", "testid", "label"), LISTS)
def test_phone_list_shows_the_key_figure_with_its_caption(
    new_page, demo_users, bolts_in_stock, path, testid, label
):
    # given a phone and a list with one row
    page = new_page(viewport=PHONE)
    login(page, *demo_users["Manager"])

    # when the list is shown
    page.goto(path.format(item=bolts_in_stock.pk))
    table = page.get_by_test_id(testid)
    cell = table.evaluate(FIRST_ROW_CELL, label)

    # then the figure is on the screen, captioned, and the table does not scroll sideways
    assert cell["text"].startswith("12")
    assert cell["left"] >= 0 and cell["right"] <= PHONE["width"], cell
    assert cell["scrollWidth"] <= cell["clientWidth"], cell
    assert label in cell["caption"], cell
    assert table.locator("thead").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.js_errors == []


@pytest.mark.parametrize(("path", "testid", "label"), LISTS)
def test_desktop_list_keeps_its_header_row_and_right_aligned_figures(
    new_page, demo_users, bolts_in_stock, path, testid, label
):
    # given a desktop window
    page = new_page(viewport=DESKTOP)
    login(page, *demo_users["Manager"])

    # when the list is shown
    page.goto(path.format(item=bolts_in_stock.pk))
    table = page.get_by_test_id(testid)
    cell = table.evaluate(FIRST_ROW_CELL, label)

    # then the header row names the columns and the figure sits at the right, uncaptioned
    assert table.locator("thead").is_visible()
    assert table.get_by_role("columnheader", name=label, exact=True).is_visible()
    assert cell["align"] == "right"
    assert cell["caption"] == "none"
    assert page.js_errors == []
