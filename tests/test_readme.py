"""The README and docs/ document what the project really has."""

from __future__ import annotations

from pathlib import Path

from bachata.config import ENVIRONMENT, environment_table

README = (Path(__file__).parents[1] / "README.md").read_text()
#: Settings are documented for whoever runs the product.
OPERATIONS = (Path(__file__).parents[1] / "docs" / "operations.md").read_text()


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_readme_is_a_front_door():
    assert len(README.splitlines()) <= 200
    for page in ("cli", "web-and-api", "operations", "blueprint", "analysis"):
        assert f"docs/{page}.md" in README, page


def test_operations_lists_every_environment_variable():
    for name in ENVIRONMENT:
        assert f"`{name}`" in OPERATIONS, name


def test_the_readmes_environment_table_is_the_one_config_reads():
    """Regenerate it with ``python -c 'from bachata.config import environment_table as t;
    print(t(), end="")'`` after changing ``ENVIRONMENT``."""
    assert environment_table() in OPERATIONS
