"""What the input sweep (test_input_sweep.py) sends and where: every URL the resolver
knows, with its path ids filled, and the GET parameters and POST forms each page shows.

Pages are read, not listed by hand: a page's filter parameters are the fields of its
GET forms and the query keys of its `?...` links (the admin's list filters, sorts and
pages); its forms are the POST forms in its HTML. A page or field added later is swept
without changing this file.
"""

import contextlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import NoReverseMatch, Resolver404, URLResolver, get_resolver, resolve, reverse

from inventory.models import (
    Alert,
    Category,
    Customer,
    Item,
    LedgerEntry,
    Lot,
    Operation,
    PurchaseOrder,
    SalesOrder,
    SalesOrderLine,
    StockBalance,
    Store,
    Supplier,
)

HUGE_ID = "99999999999999999999"
# name -> value. A list is the same parameter sent twice (a wrong type for one field).
HOSTILE = {
    "NUL": "a\x00b",
    "huge id": HUGE_ID,
    "huge negative": "-" + HUGE_ID,
    "2**63": str(2**63),
    "date 9999-12-31": "9999-12-31",
    "date 0001-01-01": "0001-01-01",
    "NaN": "NaN",
    "sNaN": "sNaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "1e400": "1e400",
    "10,000 characters": "x" * 10_000,
    "text": "abc",
    "empty": "",
    "two values": ["1", "2"],
}
# Sent alone in each field: each can pass one kind of field and fail further on. The
# others are sent in every field at once: a NUL anywhere is refused before any form is
# read, and text, empty or a repeated parameter fail the same way in any field.
PER_FIELD = [
    "huge id",
    "2**63",
    "date 9999-12-31",
    "date 0001-01-01",
    "NaN",
    "sNaN",
    "Infinity",
    "1e400",
    "10,000 characters",
]
# Formset management fields are read by one Django form whatever the page: swept one by
# one on the first formset only.
MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# The first segment of a path -> the model its <pk> names.
PATH_MODELS = {
    "items": Item,
    "sales": SalesOrder,
    "purchases": PurchaseOrder,
    "ledger": LedgerEntry,
    "lots": Lot,
    "alerts": Alert,
    "categories": Category,
    "stores": Store,
    "suppliers": Supplier,
    "customers": Customer,
}
# Posting these would end the sweep's session, or are covered by their own tests.
NOT_SWEPT = {"logout", "admin:logout"}


# --- URLs ---------------------------------------------------------------------------


def url_patterns() -> list[tuple[str, list[str]]]:
    """Return (name, path parameters) of every named URL, the Django admin's included."""
    found = []

    def walk(patterns, namespace="", inherited=()):
        for p in patterns:
            params = [
                *inherited,
                *getattr(p.pattern, "converters", {}),
                *p.pattern.regex.groupindex,
            ]
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, inner, tuple(dict.fromkeys(params)))
            elif p.name and f"{namespace}{p.name}" not in NOT_SWEPT:
                found.append((f"{namespace}{p.name}", list(dict.fromkeys(params))))

    walk(get_resolver().url_patterns)
    return found


def _sample_pks(model, users, *, admin: bool) -> list:
    """A few real primary keys of `model`: one per status where it has one (one in all
    for the Django admin, whose pages do not depend on a row's state)."""
    if model is None:
        return []
    if model is get_user_model():
        # The role-less user: the Admin's change forms then cannot lock the sweep out.
        return [users["no role"].pk]
    if any(f.name == "status" for f in model._meta.fields):
        rows = model.objects.order_by("status", "pk").values_list("status", "pk")
        pks = list(dict(rows).values())
    else:
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True)[:1])
    return pks[:1] if admin else pks[:5]


def _model_for(name: str, route: str):
    if name.startswith("admin:") and name.count("_") >= 2:
        # admin:<app>_<model>_<view>, the view's name itself may hold underscores.
        app_label, _, rest = name.removeprefix("admin:").partition("_")
        parts = rest.split("_")
        for end in range(len(parts) - 1, 0, -1):
            try:
                return apps.get_model(app_label, "".join(parts[:end]))
            except LookupError:
                continue
        return None
    if route.startswith("users/"):
        return get_user_model()
    return PATH_MODELS.get(route.split("/", 1)[0])


def concrete_urls(users) -> list[tuple[str, str]]:
    """Return (url name, path) for every URL: path ids of real rows, and a huge id."""
    urls = []
    for name, params in url_patterns():
        route = ""
        with contextlib.suppress(NoReverseMatch):
            route = reverse(name, kwargs=dict.fromkeys(params, "1")).lstrip("/")
        model = _model_for(name, route)
        choices = [{}]
        if params:
            pks = _sample_pks(model, users, admin=name.startswith("admin:"))
            choices = [_fill(params, pk, users) for pk in [*pks, HUGE_ID]]
        for kwargs in choices:
            try:
                urls.append((name, reverse(name, kwargs=kwargs)))
            except NoReverseMatch:
                continue
    return urls


def _fill(params, pk, users) -> dict:
    values = {}
    for param in params:
        if param == "app_label":
            values[param] = "inventory"
        elif param == "line_pk":
            line = SalesOrderLine.objects.filter(order_id=pk).first() if pk != HUGE_ID else None
            values[param] = line.pk if line else HUGE_ID
        else:
            values[param] = pk
    return values


# --- pages: their GET parameters and POST forms ------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)  # name -> value of a valid-looking submission


class PageParser(HTMLParser):
    """Collect the forms of a page (fields and their current values) and `?...` link keys."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.link_params: set[str] = set()
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self._select and self._form is not None:
            value = a.get("value") or ""
            if "selected" in a or (value and not self._form.fields[self._select]):
                self._form.fields[self._select] = value
        elif tag == "a" and (a.get("href") or "").startswith("?"):
            self.link_params.update(k for k, _ in parse_qsl(a["href"][1:], keep_blank_values=True))
        elif tag == "form":
            action = urlsplit(a.get("action") or self.page_path).path or self.page_path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None or "name" not in a:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields[a["name"]] = a.get("value") or "on"
                else:
                    self._form.fields.setdefault(a["name"], "")
                return
            self._form.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self._form.fields.setdefault(self._select, "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read_page(path: str, html: str) -> tuple[set[str], list[Form]]:
    """Return the page's GET parameters and its POST forms."""
    parser = PageParser(path)
    parser.feed(html)
    params = set(parser.link_params)
    posts = []
    for form in parser.forms:
        if form.method == "get":
            params.update(form.fields)
        else:
            form.fields.pop("csrfmiddlewaretoken", None)
            posts.append(form)
    return params, posts


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


# --- what a refused post must leave as it was ---------------------------------------------


def snapshot() -> dict:
    """Figures a refused post must not change: ledger, operations, balances, statuses."""
    balances = StockBalance.objects.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    user = get_user_model()
    return {
        "ledger rows": LedgerEntry.objects.count(),
        "operations": Operation.objects.count(),
        "balances": (StockBalance.objects.count(), balances["on_hand"], balances["reserved"]),
        "sales orders": list(SalesOrder.objects.order_by("pk").values_list("pk", "status")),
        "purchase orders": list(PurchaseOrder.objects.order_by("pk").values_list("pk", "status")),
        "lots": list(Lot.objects.order_by("pk").values_list("pk", "qc_status")),
        "items": list(Item.objects.order_by("pk").values_list("pk", "sku", "is_active")),
        "stores": list(Store.objects.order_by("pk").values_list("pk", "code", "is_active")),
        "users": list(user.objects.order_by("pk").values_list("pk", "is_active", "username")),
        "user groups": user.groups.through.objects.count(),
    }
