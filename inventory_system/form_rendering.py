"""Forms render as Bootstrap 5 markup through Django's own form API.

`{{ form }}` and `{{ form.field.as_field_group }}` use the two templates named here,
which the Jinja2 "form_widgets" engine holds (templates/form_widgets/bootstrap5/), as
it holds Django's widget templates. No form-layout library: the markup is in one
place, and rendering a form costs a fraction of what a Django-template layout did.
"""

from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "bootstrap5/form.html"
    field_template_name = "bootstrap5/field.html"
