"""The ``bachata`` command: one click group, a sub-group per capability."""

from __future__ import annotations

import click

from bachata import __version__
from bachata.cli.blueprint import blueprint, blueprints
from bachata.cli.db import db
from bachata.cli.demo import demo
from bachata.cli.manage import manage
from bachata.cli.moves import moves
from bachata.cli.plan import plan
from bachata.cli.render import job, render
from bachata.cli.root import BachataGroup
from bachata.cli.serve import serve
from bachata.cli.song import song
from bachata.cli.worker import worker


@click.group(cls=BachataGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bachata")
def cli() -> None:
    """Bachata Buddy: turn a song into a bachata choreography video.

    Settings come from environment variables (see the README). With DATABASE_URL unset,
    an embedded PostgreSQL is started under BACHATA_DATA_DIR/postgres when needed.
    """


cli.add_command(db)
cli.add_command(blueprint)
cli.add_command(blueprints)
cli.add_command(manage)
cli.add_command(song)
cli.add_command(moves)
cli.add_command(plan)
cli.add_command(render)
cli.add_command(job)
cli.add_command(worker)
cli.add_command(demo)
cli.add_command(serve)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="bachata")
