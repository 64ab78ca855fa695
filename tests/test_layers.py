"""Inner layers never import outer ones: the domain code runs without Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bachata

DJANGO_SHELL = {"choreography", "site", "cli"}


def test_domain_packages_import_without_django():
    domain = [
        f"bachata.{m.name}"
        for m in pkgutil.iter_modules(bachata.__path__)
        if m.name not in DJANGO_SHELL
    ]
    assert "bachata.blueprint" in domain
    code = (
        "import importlib, sys\n"
        f"for name in {domain!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
