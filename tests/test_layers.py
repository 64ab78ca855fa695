"""Inner layers never import outer ones: the domain code runs without Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bachata

DJANGO_SHELL = {"choreography", "site", "cli"}


def test_domain_packages_import_without_django():
    domain = []
    for top in pkgutil.iter_modules(bachata.__path__):
        if top.name in DJANGO_SHELL:
            continue
        domain.append(f"bachata.{top.name}")
        if top.ispkg:  # every module, not only the package's __init__
            path = [f"{bachata.__path__[0]}/{top.name}"]
            domain += [
                m.name
                for m in pkgutil.walk_packages(path, prefix=f"bachata.{top.name}.")
                if not m.name.endswith(".__main__")
            ]
    assert "bachata.blueprint" in domain and "bachata.render.stream" in domain
    code = (
        "import importlib, sys\n"
        f"for name in {domain!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
