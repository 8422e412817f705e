"""The count sheet as a browser posts it, for the lot and item sheet tests."""

import re


def sheet_post(page) -> dict:
    """The sheet's form as the browser would post it, every Found box (a lot's count_<id>
    or an item's item_<id>) still blank."""
    html = page.content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for name in re.findall(r'name="((?:count|item)_\d+)"', html):
        data.setdefault(name, "")
    data.setdefault("note", "")
    return data
