"""The README documents what the project really has."""

from __future__ import annotations

from pathlib import Path

from bachata.config import ENVIRONMENT, environment_table

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_readme_lists_every_environment_variable():
    for name in ENVIRONMENT:
        assert f"`{name}`" in README, name


def test_the_readmes_environment_table_is_the_one_config_reads():
    """Regenerate it with ``python -c 'from bachata.config import environment_table as t;
    print(t(), end="")'`` after changing ``ENVIRONMENT``."""
    assert environment_table() in README
