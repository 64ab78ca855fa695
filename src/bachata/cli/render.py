"""``bachata render`` (a blueprint file to a video file) and ``bachata job`` (the job)."""

from __future__ import annotations

from pathlib import Path

import click

from bachata.cli.progress import progress_bar


@click.command()
@click.argument("blueprint_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The video file to write.",
)
@click.option("--resolution", help="Override output_config.resolution, e.g. 640x360.")
@click.option("--fps", type=int, help="Override output_config.fps.")
def render(blueprint_file: Path, out: Path, resolution: str | None, fps: int | None) -> None:
    """Render BLUEPRINT_FILE straight to a video file (no database, no task).

    For debugging and A/B comparisons: --resolution and --fps override the blueprint's
    output_config. Song and clip paths resolve against BACHATA_DATA_DIR.
    """
    from bachata.config import Config
    from bachata.jobs.environment import read_blueprint
    from bachata.jobs.rendering import render_here
    from bachata.render.assemble import overall_percent
    from bachata.storage import storage_for

    config = Config.from_env()
    doc = read_blueprint(blueprint_file.read_bytes(), config)
    overrides = {k: v for k, v in (("resolution", resolution), ("fps", fps)) if v is not None}
    if overrides:
        data = doc.to_json_dict()
        data["output_config"].update(overrides)
        doc = read_blueprint(data, config)
    with progress_bar("Rendering", total=100) as advance:
        done = {"value": 0}

        def progress(stage: str, fraction: float) -> None:
            value = overall_percent(stage, fraction)
            if value > done["value"]:
                advance(value - done["value"])
                done["value"] = value

        result = render_here(
            doc, config=config, storage=storage_for(config), out=out, progress=progress
        )
    seconds = sum(result.timings.values())
    click.echo(
        f"wrote {out}: {result.duration:.1f} s, {result.frames} frames in {seconds:.1f} s "
        f"({result.cache_hits} cached pieces, {result.cache_misses} new)"
    )


@click.command(context_settings={"ignore_unknown_options": True})
def job() -> None:
    """Run one render job from the environment (the job container's entrypoint).

    Reads TASK_ID, USER_ID and BLUEPRINT_JSON (or loads the blueprint by TASK_ID), plus
    DATABASE_URL and the storage settings; updates the task's status as it goes and
    stores the video. Exit status 0 done, 1 failed (reason recorded), 2 no TASK_ID, 3 failed
    but worth retrying (disk, network, crash).
    """
    from bachata.jobs.entrypoint import main

    main()
