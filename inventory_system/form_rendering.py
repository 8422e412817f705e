"""Forms render as Bootstrap 5 markup through Django's own form API.

`{{ form }}` and `{{ form.field.as_field_group }}` use the two templates named here,
which the Jinja2 "form_widgets" engine holds (templates/form_widgets/bootstrap5/), as
it holds Django's widget templates. No form-layout library: the markup is in one
place, and rendering a form costs a fraction of what a Django-template layout did.
"""

from django.forms import BoundField
from django.forms.renderers import TemplatesSetting


class BootstrapBoundField(BoundField):
    """Give a field with errors Bootstrap's is-invalid class wherever its widget renders.

    Set with aria-invalid, where Django sets it, so a widget rendered on its own (a
    document's line row, `{{ f.quantity }}`) is marked as a field group's widget is.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if attrs.get("aria-invalid"):
            widget = widget or self.field.widget
            classes = (attrs.get("class") or widget.attrs.get("class") or "").split()
            if "is-invalid" not in classes:
                attrs["class"] = " ".join([*classes, "is-invalid"])
        return attrs


class BootstrapFormRenderer(TemplatesSetting):
    form_template_name = "bootstrap5/form.html"
    field_template_name = "bootstrap5/field.html"
    bound_field_class = BootstrapBoundField
