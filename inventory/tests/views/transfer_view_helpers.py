"""What the transfer form posts: its header and its lines formset ("lines-0-item"...)."""


def transfer_post(source, target, lines, **header) -> dict:
    """The post of a transfer from `source` to `target` (stores or ids) of `lines`, each a
    dict of a row's fields (item, quantity, lot); `header`: the note, the token..."""
    data = {
        "from_store": getattr(source, "pk", source),
        "to_store": getattr(target, "pk", target),
        "note": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        **header,
    }
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = getattr(value, "pk", value)
    return data


def one_line(item, source, target, quantity, *, lot="", **header) -> dict:
    """The post of a transfer of one line, as the form sends it."""
    line = {"item": item, "quantity": quantity, "lot": lot}
    return transfer_post(source, target, [line], **header)


def field_errors(response, field) -> list[str]:
    """The errors shown by a transfer's field: a header's, else its first line's."""
    form = response.context["form"]
    if field in form.fields or field == "__all__":
        return form.errors.get(field, [])
    return response.context["formset"].forms[0].errors.get(field, [])
