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


def setup_django(*, migrate: bool = True) -> None:
    """Configure Django, starting the embedded database if DATABASE_URL is unset.

    The embedded database is ours, so its pending migrations are applied here; an
    external database is never migrated behind its owner's back (run
    ``bachata manage migrate``).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bachata.site.settings")
    import django
    from django.conf import settings

    django.setup()
    if not migrate:
        return
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return
    if settings.BACHATA.database_url:
        raise BachataError(
            f"the database has {len(plan)} unapplied migrations: run `bachata manage migrate`"
        )
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
