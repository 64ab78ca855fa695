"""``bachata worker``: run queued renders (JOB_BACKEND=local)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

import click

from bachata.cli.root import setup_django

log = logging.getLogger("bachata.worker")

#: First and longest pause (seconds) before the worker connects again after losing the
#: database; the pause doubles while connecting keeps failing.
RECONNECT_BACKOFF_S = (1.0, 30.0)


def run_worker(*, concurrency: int, once: bool) -> None:
    """Work the render queue until stopped; with ``once``, stop when it is empty.

    A worker outlives its database: when PostgreSQL goes away (a restart, a failover),
    procrastinate stops the worker after its running renders finish; it then connects
    again with a growing pause (1 s doubling to 30 s) and goes on working. Only SIGINT
    or SIGTERM (or ``once``) end it.
    """
    from django.conf import settings
    from procrastinate.contrib.django import app

    from bachata.choreography.dispatch import RENDER_QUEUE, RENDER_TASK

    stalled_after = settings.STALLED_WORKER_SECONDS

    async def work_once(worker_app) -> None:
        async with worker_app.open_async():
            # Renders of a worker that died are requeued at start-up, then every minute.
            manager = worker_app.job_manager
            stalled = await manager.get_stalled_jobs(
                task_name=RENDER_TASK, seconds_since_heartbeat=stalled_after
            )
            for job in stalled:
                await manager.retry_job(job)
            await worker_app.run_worker_async(
                queues=[RENDER_QUEUE],
                concurrency=concurrency,
                wait=not once,
                install_signal_handlers=False,
                delete_jobs="successful",
                update_heartbeat_interval=max(0.5, stalled_after / 3),
                stalled_worker_timeout=stalled_after,
            )

    async def supervise(worker_app) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
        pause = RECONNECT_BACKOFF_S[0]
        while True:
            started = time.monotonic()
            runner = asyncio.create_task(work_once(worker_app))
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if stop.is_set():
                runner.cancel()  # procrastinate lets running renders finish first
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await runner
                return
            if once:
                runner.result()  # the queue is empty, or a failure is raised
                return
            failure = runner.exception()
            reason = "stopped" if failure is None else f"{type(failure).__name__}: {failure}"
            if time.monotonic() - started > 60:
                pause = RECONNECT_BACKOFF_S[0]
            log.warning(
                "render worker lost the database; connecting again",
                extra={"reason": reason.strip()[:300], "retry_in_s": pause},
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            if stop.is_set():
                return
            pause = min(pause * 2, RECONNECT_BACKOFF_S[1])

    with app.replace_connector(app.connector.get_worker_connector()) as worker_app:
        asyncio.run(supervise(worker_app))


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
