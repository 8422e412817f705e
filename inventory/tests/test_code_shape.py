"""The code's shape, held by a test: small modules, no import cycle, tests apart from bench/.

Issue 14 asked for these once; a test keeps them from coming back one edit at a time.
"""

import pytest

from inventory.tests.code_graph import MAX_LINES, MODULES, ROOT, import_cycles, imported_modules


def test_no_module_is_over_the_line_limit():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in MODULES.values()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_no_import_cycle_between_project_modules():
    graph = {name: imported_modules(name, path) for name, path in MODULES.items()}
    # Packages import their own submodules by design (`__init__` re-exports);
    # a submodule importing its package back is what makes a cycle among them.
    assert import_cycles(graph) == []


def test_tests_do_not_import_bench():
    offenders = {
        name: sorted(m for m in imported_modules(name, path) if m.split(".")[0] == "bench")
        for name, path in MODULES.items()
        if ".tests" in name or name.split(".")[-1].startswith("test_")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize(
    ("graph", "cycles"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, cycles):
    assert import_cycles(graph) == cycles


def test_imports_are_read_as_python_resolves_them():
    imports = imported_modules("inventory.services.posting", MODULES["inventory.services.posting"])
    assert imports, "the posting service imports project modules"
    assert all(name in MODULES for name in imports)
