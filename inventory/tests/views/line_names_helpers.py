"""Shared by the line-name tests: each form control of a page with its accessible name, as
a screen reader computes it from the HTML (aria-label, else <label for>, else the label
around it), and the names a document's lines should have."""

import re
from html.parser import HTMLParser

CONTROLS = ("input", "select", "textarea")
# The caption of each column of a line (forms.common.LineNamesMixin names the boxes so).
CAPTIONS = {
    "item": "Item",
    "quantity": "Quantity",
    "unit_price": "Unit price",
    "unit_cost": "Unit cost",
    "lot_code": "Lot code",
    "expires_on": "Expires on",
    "DELETE": "Remove",
}
SALE_FIELDS = ("item", "quantity", "unit_price", "DELETE")
ORDER_FIELDS = ("item", "quantity", "unit_cost", "DELETE")
DIRECT_FIELDS = ("item", "quantity", "unit_cost", "lot_code", "expires_on", "DELETE")


class _Page(HTMLParser):
    """The page's controls (their attributes, and whether they sit in a <template>) and
    the text of its labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls, self.labels_for, self._open, self._templates = [], {}, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._templates += 1
        elif tag == "label":
            self._open.append({"for": attrs.get("for"), "text": [], "inside": []})
        elif tag in CONTROLS and attrs.get("type") != "hidden":
            control = {**attrs, "tag": tag, "in_template": self._templates > 0}
            self.controls.append(control)
            for label in self._open:
                label["inside"].append(control)

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates -= 1
        elif tag == "label" and self._open:
            label = self._open.pop()
            text = " ".join("".join(label["text"]).split())
            if label["for"]:
                self.labels_for.setdefault(label["for"], []).append(text)
            else:
                for control in label["inside"]:
                    control.setdefault("wrapped_by", text)

    def handle_data(self, data):
        for label in self._open:
            label["text"].append(data)


def _name(page: _Page, control: dict) -> str:
    assert "aria-labelledby" not in control, "not read here: name the box another way"
    if control.get("aria-label", "").strip():
        return " ".join(control["aria-label"].split())
    if control.get("id") in page.labels_for:
        return " ".join(page.labels_for[control["id"]])
    return control.get("wrapped_by", "")


def named_controls(html: str, id_pattern: str, *, in_template=False) -> dict[str, str]:
    """{id: accessible name} of the page's visible controls whose id matches `id_pattern`
    (in the empty line's <template> with `in_template`)."""
    page = _Page()
    page.feed(html)
    return {
        c["id"]: _name(page, c)
        for c in page.controls
        if re.fullmatch(id_pattern, c.get("id", "")) and c["in_template"] == in_template
    }


def control_attrs(html: str, control_id: str) -> dict:
    page = _Page()
    page.feed(html)
    (control,) = [c for c in page.controls if c.get("id") == control_id]
    return control


def expected_line_names(numbers, fields, *, prefix="lines") -> dict[str, str]:
    """The names a formset's lines should have: "Quantity, line 2" for the row of index 1."""
    return {
        f"id_{prefix}-{number - 1 if isinstance(number, int) else '__prefix__'}-{field}": (
            f"{CAPTIONS[field]}, line {number}"
        )
        for number in numbers
        for field in fields
    }


def lines_data(*rows, prefix="lines", initial=0) -> dict:
    """A formset's post: its management form and each row's fields (row: {field: value})."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data
