"""Shared pieces of the CLI: error handling and Django start-up."""

from __future__ import annotations

import os
from typing import Any

import click

from bachata.errors import BachataError


class BachataGroup(click.Group):
    """A click group that turns :class:`BachataError` into a one-line message and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BachataError as exc:
            raise click.ClickException(str(exc)) from None


def setup_django() -> None:
    """Configure Django (starting the embedded database if DATABASE_URL is unset)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bachata.site.settings")
    import django

    django.setup()
