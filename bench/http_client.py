"""A browser-like HTTP session for the benches: cookies, CSRF, forms read from pages.

Stdlib only (urllib, http.cookiejar, html.parser). Every wait is bounded.
"""

import html
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar

# --- HTML ---------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return {name for name, _ in self.fields}

    def value(self, name: str, default: str = "") -> str:
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def fill(self, values: dict | None = None, *, drop: tuple = ()) -> list[tuple[str, str]]:
        """Return the form's fields with `values` set (added when missing), `drop` removed."""
        values = {k: ("" if v is None else str(v)) for k, v in (values or {}).items()}
        out, seen = [], set()
        for name, value in self.fields:
            if name in drop:
                continue
            if name in values:
                if name in seen:
                    continue
                seen.add(name)
                out.append((name, values[name]))
            else:
                out.append((name, value))
        out.extend((k, v) for k, v in values.items() if k not in seen and k not in drop)
        return out


class _PageParser(HTMLParser):
    ERROR_CLASSES = {"invalid-feedback", "alert-danger", "errorlist", "text-danger", "alert-error"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list, list] | None = None  # name, options, selected
        self._option: tuple | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._stack: list[tuple[str, str | None]] = []  # (tag, capture kind)
        self.captures: dict[str, list[str]] = {"error": [], "success": [], "info": []}
        self._buffers: list[tuple[str, list[str]]] = []
        self._in_template = 0  # an empty-form <template> is not part of what is posted

    def _kind(self, attrs) -> str | None:
        classes = set((attrs.get("class") or "").split())
        if classes & self.ERROR_CLASSES:
            return "error"
        if "alert-success" in classes:
            return "success"
        if "alert-info" in classes or "alert-warning" in classes:
            return "info"
        return None

    VOID = {"input", "br", "img", "hr", "meta", "link", "area", "base", "col", "source", "wbr"}

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag not in self.VOID:
            kind = self._kind(attrs)
            self._stack.append((tag, kind))
            if kind:
                self._buffers.append((kind, []))
        if tag == "template":
            self._in_template += 1
        if tag == "form":
            self._form = Form(
                action=attrs.get("action", ""), method=(attrs.get("method") or "get").lower()
            )
            self.forms.append(self._form)
        elif self._form is None or self._in_template:
            return
        elif tag == "input":
            name = attrs.get("name")
            kind = (attrs.get("type") or "text").lower()
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and attrs.get("name"):
            self._select = (attrs["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value"), "selected" in attrs)
            self._text = []
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._text = []

    def handle_endtag(self, tag):
        if tag == "template" and self._in_template:
            self._in_template -= 1
        if self._form is not None and not self._in_template:
            if tag == "option" and self._select is not None and self._option is not None:
                value, selected = self._option
                value = "".join(self._text).strip() if value is None else value
                self._select[1].append(value)
                if selected:
                    self._select[2].append(value)
                self._option = None
            elif tag == "select" and self._select is not None:
                name, options, selected = self._select
                self._form.selects[name] = options
                chosen = selected or options[:1]
                self._form.fields.extend((name, v) for v in chosen)
                self._select = None
            elif tag == "textarea" and self._textarea is not None:
                self._form.fields.append((self._textarea, "".join(self._text)))
                self._textarea = None
            elif tag == "form":
                self._form = None
        if tag in self.VOID:
            return
        while self._stack:
            open_tag, kind = self._stack.pop()
            if kind:
                done_kind, text = self._buffers.pop()
                joined = " ".join(" ".join(text).split())
                if joined:
                    self.captures[done_kind].append(joined)
                    if self._buffers:
                        self._buffers[-1][1].append(joined)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None or self._select is not None:
            self._text.append(data)
        if self._buffers:
            self._buffers[-1][1].append(data)


def parse_page(text: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser


@dataclass
class Response:
    status: int
    headers: dict
    text: str
    url: str
    seconds: float = 0.0
    _parsed: _PageParser | None = None

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def page(self) -> _PageParser:
        if self._parsed is None:
            self._parsed = parse_page(self.text)
        return self._parsed

    @property
    def errors(self) -> list[str]:
        return self.page.captures["error"]

    @property
    def successes(self) -> list[str]:
        return self.page.captures["success"]

    @property
    def infos(self) -> list[str]:
        return self.page.captures["info"]

    def form(self, *, has: str | None = None, action: str | None = None) -> Form:
        """Return the first POST form holding a field named `has` (or posting to `action`)."""
        for form in self.page.forms:
            if form.method != "post":
                continue
            if has is not None and has not in form.names():
                continue
            if action is not None and form.action != action:
                continue
            return form
        raise LookupError(
            f"no POST form with {has or action!r} on {self.url} (status {self.status})"
        )

    def plain_text(self) -> str:
        return html.unescape(re.sub(r"<[^>]+>", " ", self.text))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Session:
    """One browser: a cookie jar, no automatic redirects, bounded timeouts."""

    def __init__(self, base_url: str, *, timeout: float = 60):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, method: str, path: str, data=None, headers=None) -> Response:
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=self.timeout) as r:
                status, head, raw = r.status, r.headers, r.read()
        except urllib.error.HTTPError as exc:
            status, head, raw = exc.code, exc.headers, exc.read()
        elapsed = time.perf_counter() - started
        headers_dict = {k.lower(): v for k, v in head.items()} if head else {}
        return Response(status, headers_dict, raw.decode("utf-8", "replace"), url, elapsed)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data, *, referer: str | None = None) -> Response:
        headers = {"Referer": referer or f"{self.base_url}{path}"}
        return self.request("POST", path, data=data, headers=headers)

    def follow(self, response: Response) -> Response:
        """GET the page a redirect points at (where the flash messages are shown)."""
        return self.get(response.location)

    def login(self, username: str, password: str) -> None:
        page = self.get("/login/")
        if page.status != 200:
            raise RuntimeError(f"/login/ answered {page.status}")
        form = page.form(has="username")
        response = self.post("/login/", form.fill({"username": username, "password": password}))
        if response.status != 302 or "/login/" in response.location:
            raise RuntimeError(
                f"login as {username} failed: {response.status} {response.errors[:1]}"
            )

    def submit(self, path: str, values: dict, *, has: str = "csrfmiddlewaretoken") -> Response:
        """GET the page, fill its form with `values`, POST it where the form posts."""
        page = self.get(path)
        if page.status != 200:
            return page
        form = page.form(has=has)
        target = form.action or path
        return self.post(target, form.fill(values), referer=f"{self.base_url}{path}")
