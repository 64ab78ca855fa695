"""``bachata blueprint`` (one document) and ``bachata blueprints`` (the stored set)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import click

from bachata.cli.root import BachataGroup, setup_django


@click.group(cls=BachataGroup)
def blueprint() -> None:
    """One blueprint: its JSON Schema, validation, the stored copy of a task."""


@blueprint.command()
def schema() -> None:
    """Print the blueprint's JSON Schema."""
    from bachata.blueprint import blueprint_json_schema

    click.echo(json.dumps(blueprint_json_schema(), indent=2))


@blueprint.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(file: Path) -> None:
    """Validate a blueprint JSON file; print a summary or the reasons it is invalid."""
    from bachata.blueprint import PathPolicy
    from bachata.config import Config

    config = Config.from_env()
    from bachata.blueprint import parse_blueprint

    doc = parse_blueprint(
        file.read_bytes(),
        path_policy=PathPolicy.from_config(config),
        max_bytes=config.max_blueprint_bytes,
    )
    click.echo(json.dumps(doc.summary(), indent=2))


@blueprint.command()
@click.argument("task_id")
def show(task_id: str) -> None:
    """Print the stored blueprint of TASK_ID as pretty JSON."""
    setup_django()
    from bachata.choreography.selectors import blueprint_find

    row = blueprint_find(task_id=task_id)
    click.echo(json.dumps(row.blueprint_json, indent=2, ensure_ascii=False))


@click.group(cls=BachataGroup)
def blueprints() -> None:
    """All stored blueprints: count, statistics, retention."""


@blueprints.command()
def count() -> None:
    """Print how many blueprints are stored."""
    setup_django()
    from bachata.choreography.selectors import blueprint_stats

    click.echo(blueprint_stats().total_blueprints)


@blueprints.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(as_json: bool) -> None:
    """Print the seed's statistics plus popular moves, distributions and generations per day."""
    setup_django()
    from bachata.choreography.selectors import blueprint_analytics

    result = blueprint_analytics()
    if as_json:
        click.echo(json.dumps(result))
        return
    for key in ("total_blueprints", "avg_moves", "avg_duration"):
        value = result[key]
        click.echo(f"{key:<18} {value if value is not None else '-'}")
    click.echo("popular moves:")
    for move in result["popular_moves"]:
        click.echo(f"  {move['count']:>7}  {move['move_name']} ({move['move_id']})")
    for column, counts in result["distribution"].items():
        click.echo(f"{column}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    click.echo("per day: " + ", ".join(f"{d['day']} {d['count']}" for d in result["per_day"]))


def _parse_age(value: str) -> timedelta:
    match = re.fullmatch(r"(\d+)\s*([dhw])", value.strip().lower())
    if not match:
        raise click.BadParameter("use a number of days, hours or weeks: 90d, 12h, 2w")
    amount, unit = int(match[1]), match[2]
    return {
        "d": timedelta(days=amount),
        "h": timedelta(hours=amount),
        "w": timedelta(weeks=amount),
    }[unit]


@blueprints.command()
@click.option("--user", "username", required=True, help="Username whose data to export.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Zip file (default: USER.zip)."
)
def export(username: str, out: Path | None) -> None:
    """Write a zip of one user's blueprints (as JSON), tasks, songs and preferences."""
    setup_django()
    from bachata.choreography.selectors import user_find
    from bachata.choreography.services import user_export
    from bachata.errors import NotFound

    user = user_find(username=username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    target = out or Path(f"{username}.zip")
    target.write_bytes(user_export(user=user))
    click.echo(f"wrote {target}")


@blueprints.command()
@click.option("--older-than", "older_than", required=True, help="Age, e.g. 90d, 12h, 2w.")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def prune(older_than: str, dry_run: bool) -> None:
    """Delete blueprints older than the given age (never those of pending/running tasks).

    Retention is indefinite unless you prune; BACHATA_BLUEPRINT_RETENTION_DAYS schedules
    the same cleanup daily in the worker.
    """
    age = _parse_age(older_than)
    setup_django()
    from bachata.choreography.services import blueprints_prune

    report = blueprints_prune(older_than=age, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    click.echo(
        f"{verb} {report.deleted} blueprints created before {report.cutoff}; "
        f"kept {report.kept_active} of pending or running tasks"
    )
