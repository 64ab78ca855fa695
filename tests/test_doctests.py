"""The examples in the domain packages' docstrings run, and show what the code does."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import bachata

DOMAIN = ("blueprint", "music", "moves", "planner", "render", "storage", "jobs")


def _modules() -> list[str]:
    names = []
    for package in DOMAIN:
        module = importlib.import_module(f"bachata.{package}")
        names.append(module.__name__)
        names += [
            info.name
            for info in pkgutil.walk_packages(module.__path__, prefix=f"{module.__name__}.")
            if not info.name.endswith(".__main__")  # runs the program when imported
        ]
    return sorted(names)


MODULES = _modules()


def test_every_domain_package_is_searched():
    assert {name.split(".")[1] for name in MODULES} == set(DOMAIN)
    assert len(MODULES) > len(DOMAIN)  # the modules, not only the packages
    assert bachata.__name__ == "bachata"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
