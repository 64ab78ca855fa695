"""The README documents what the project really has."""

from __future__ import annotations

from pathlib import Path

from bachata.config import ENVIRONMENT

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_readme_shows_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_readme_lists_every_environment_variable():
    for name in ENVIRONMENT:
        assert f"`{name}`" in README, name
