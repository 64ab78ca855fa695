"""``bachata worker``: run queued renders (JOB_BACKEND=local)."""

from __future__ import annotations

import click

from bachata.cli.root import setup_django


def run_worker(*, concurrency: int, once: bool) -> None:
    """Work the render queue; with ``once``, stop when it is empty."""
    import asyncio

    from django.conf import settings
    from procrastinate.contrib.django import app

    stalled_after = settings.STALLED_WORKER_SECONDS

    async def work(worker_app) -> None:
        async with worker_app.open_async():
            # Renders of a worker that died are requeued at start-up, then every minute.
            manager = worker_app.job_manager
            stalled = await manager.get_stalled_jobs(
                task_name="render_choreography", seconds_since_heartbeat=stalled_after
            )
            for job in stalled:
                await manager.retry_job(job)
            await worker_app.run_worker_async(
                queues=["renders"],
                concurrency=concurrency,
                wait=not once,
                install_signal_handlers=not once,
                delete_jobs="successful",
                update_heartbeat_interval=max(0.5, stalled_after / 3),
                stalled_worker_timeout=stalled_after,
            )

    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        asyncio.run(work(worker_app))


@click.command()
@click.option(
    "--concurrency",
    "-c",
    type=int,
    default=None,
    help="Renders at once (default: BACHATA_WORKER_CONCURRENCY, 1).",
)
@click.option("--once", is_flag=True, help="Stop when the queue is empty.")
def worker(concurrency: int | None, once: bool) -> None:
    """Run the render worker: takes queued renders and runs `bachata job` for each.

    Each render runs as a child process with the job environment contract. Failed
    renders are retried (BACHATA_JOB_RETRIES); renders of a worker that died are
    requeued. Stop with Ctrl-C (running renders finish first).
    """
    setup_django()
    from django.conf import settings

    run_worker(concurrency=concurrency or settings.WORKER_CONCURRENCY, once=once)
