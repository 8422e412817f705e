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

    assert '<select name="store" class="form-select is-invalid"' in html
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


# --- Bootstrap markup from the project's form renderer (no form-layout library) ---------


def test_fields_render_as_bootstrap_groups_from_the_jinja2_engine():
    renderer = get_default_renderer()

    for name in (renderer.form_template_name, renderer.field_template_name):
        assert renderer.get_template(name).backend.name == "form_widgets"


def test_a_field_with_an_error_is_marked_and_described_by_it(store):
    form = QuickSaleForm(data={"store": "999999", "idempotency_key": "k"})
    form.is_valid()

    html = str(form["store"].as_field_group())

    assert '<label for="id_store" class="form-label requiredField">Store' in html
    assert 'class="form-select is-invalid"' in html
    assert 'aria-describedby="id_store_error"' in html
    assert '<div id="id_store_error" class="invalid-feedback d-block">' in html
    assert "Select a valid choice" in html


def test_a_picker_error_shows_and_the_picker_is_described_by_it():
    formset = SalesLineFormSet(
        data={
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item_q": "NO-SUCH-SKU",
            "lines-0-quantity": "1",
        },
        prefix="lines",
    )
    formset.is_valid()

    html = str(formset.forms[0]["item"].as_field_group())

    # The text box sits in the picker's own div: the error must not rely on being
    # the input's sibling (Bootstrap's .is-invalid ~ .invalid-feedback) to show.
    assert 'class="invalid-feedback d-block"' in html and "NO-SUCH-SKU" in html
    assert 'aria-describedby="id_lines-0-item-picked id_lines-0-item_error"' in html


def test_a_whole_form_shows_its_own_errors_fields_and_hidden_fields(client):
    response = client.post("/login/", {"username": "nobody", "password": "wrong"})

    html = response.content.decode()
    assert '<div class="alert alert-danger" role="alert">' in html
    assert '<input type="text" name="username" value="nobody"' in html
    assert 'class="form-control"' in html and 'type="password"' in html
