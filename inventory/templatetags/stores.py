"""`{% no_store_hint %}`: what a page's own store list says when it has no store in it."""

from django import template

from inventory.forms.stores import no_store_hint as hint_for

register = template.Library()


@register.simple_tag(takes_context=True)
def no_store_hint(context) -> str:
    """The hint of the forms' store choices (forms.stores), worded for the signed-in user."""
    return hint_for(context["request"].user)
