"""``bachata manage``: Django's management commands (migrate, createsuperuser, ...)."""

from __future__ import annotations

import click

from bachata.cli.root import setup_django


@click.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `bachata manage migrate`."""
    setup_django(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bachata manage", *args])
