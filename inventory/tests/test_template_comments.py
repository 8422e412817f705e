"""Django's {# #} comment ends at the line's end: one spread over lines is printed on the
page as text (found on the stock, order and receive pages). Jinja2's form widget
templates are not affected."""

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
JINJA2 = TEMPLATES / "form_widgets"


def test_no_django_template_opens_a_comment_it_does_not_close_on_the_same_line():
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        if JINJA2 not in path.parents
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert unclosed == []
