"""``bachata blueprint`` (one document) and ``bachata blueprints`` (the stored set)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bachata.blueprint import blueprint_json_schema, parse_blueprint
from bachata.cli.root import BachataGroup, setup_django


@click.group(cls=BachataGroup)
def blueprint() -> None:
    """One blueprint: its JSON Schema, validation, the stored copy of a task."""


@blueprint.command()
def schema() -> None:
    """Print the blueprint's JSON Schema."""
    click.echo(json.dumps(blueprint_json_schema(), indent=2))


@blueprint.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(file: Path) -> None:
    """Validate a blueprint JSON file; print a summary or the reasons it is invalid."""
    doc = parse_blueprint(file.read_bytes())
    click.echo(json.dumps(doc.summary(), indent=2))


@blueprint.command()
@click.argument("task_id")
def show(task_id: str) -> None:
    """Print the stored blueprint of TASK_ID as pretty JSON."""
    setup_django()
    from bachata.choreography.models import Blueprint
    from bachata.errors import NotFound

    row = Blueprint.objects.filter(task_id=task_id).first()
    if row is None:
        raise NotFound(f"no blueprint for task {task_id}")
    click.echo(json.dumps(row.blueprint_json, indent=2, ensure_ascii=False))


@click.group(cls=BachataGroup)
def blueprints() -> None:
    """All stored blueprints: count and statistics."""


@blueprints.command()
def count() -> None:
    """Print how many blueprints are stored."""
    setup_django()
    from bachata.choreography.models import Blueprint

    click.echo(Blueprint.objects.count())


@blueprints.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(as_json: bool) -> None:
    """Print the seed's statistics: total, average moves, average duration."""
    setup_django()
    from dataclasses import asdict

    from bachata.choreography.selectors import blueprint_stats

    result = asdict(blueprint_stats())
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:<18} {value if value is not None else '-'}")
