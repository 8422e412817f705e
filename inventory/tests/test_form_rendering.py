"""Form widgets render with Django's Jinja2 widget templates; the admin's own widgets
(Django templates that include Django's) still render."""

import pytest
from django.forms.renderers import get_default_renderer
from django.urls import reverse

from inventory.forms.sales import QuickSaleForm, SalesLineFormSet

pytestmark = pytest.mark.django_db


def test_widgets_come_from_the_jinja2_engine():
    renderer = get_default_renderer()

    template = renderer.get_template("django/forms/widgets/select.html")

    assert template.backend.name == "form_widgets"


def test_a_form_renders_the_same_fields_and_errors(store):
    form = QuickSaleForm(data={"store": "999999", "idempotency_key": "k"})
    form.is_valid()

    html = str(form["store"]) + str(form["store"].errors)

    assert '<select name="store" class="form-select"' in html
    assert f'<option value="{store.pk}">' in html
    assert '<ul class="errorlist"' in html and "Select a valid choice" in html
    assert 'name="lines-TOTAL_FORMS"' in str(SalesLineFormSet(prefix="lines").management_form)


def test_the_admin_widgets_render_through_the_django_engine(admin_client):
    response = admin_client.get(reverse("admin:inventory_item_add"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="related-widget-wrapper"' in html
    assert 'name="sku"' in html


def test_the_quick_sale_page_renders_its_widgets(staff_client, store):
    html = staff_client.get("/sales/quick/").content.decode()

    assert f'<option value="{store.pk}"' in html
    assert 'name="lines-0-quantity"' in html
    assert 'data-picker="item"' in html
