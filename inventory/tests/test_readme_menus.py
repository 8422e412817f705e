"""The README's first steps name menus a first-time user can find in the navigation bar."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_menu_the_readme_names_is_in_the_navbar():
    readme = (ROOT / "README.md").read_text()
    navbar = (ROOT / "templates" / "includes" / "navbar.html").read_text()
    # given the menus the README sends the reader to: "(Manage menu)"
    menus = re.findall(r"\((\w+) menu\)", readme)
    assert menus
    # then each is a dropdown of the navigation bar, under that very name
    for menu in menus:
        assert f'data-bs-toggle="dropdown" aria-expanded="false">{menu}</a>' in navbar, menu
