"""``bachata serve``: the web app and API on gunicorn, with a supervised render worker."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from bachata.cli.root import setup_django

#: gunicorn processes x threads: at most this many requests (and database connections,
#: one per thread) at once; more clients wait in the listen queue instead of failing.
WEB_WORKERS = 2
WEB_THREADS = 8
#: A render worker that exits is started again after this many seconds (doubling up to
#: a minute while it keeps exiting quickly, e.g. while the database restarts).
RESTART_BACKOFF_S = (1.0, 60.0)


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="host:port to serve.")
@click.option("--no-worker", is_flag=True, help="Do not start a render worker.")
def serve(addr: str, no_worker: bool) -> None:
    """Serve the app on ADDR and run a render worker beside it.

    The app runs on gunicorn (2 processes x 8 threads, so a burst of clients never takes
    more than 16 database connections); the render worker is watched and started again
    whenever it exits. The database is started and migrated first; a fresh install gets
    the demo library and songs, and there is always a demo user. Stop with Ctrl-C or
    SIGTERM; the worker stops too.
    """
    setup_django()
    from django.conf import settings
    from django.db import connections

    from bachata.choreography.selectors import moves_list
    from bachata.cli.demo import ensure_demo_user
    from bachata.cli.moves import demo as build_demo_data
    from bachata.demo import DEMO_PASSWORD, DEMO_USER

    if not moves_list().exists():  # a fresh install: give dancers moves and songs to try
        click.get_current_context().invoke(build_demo_data)
    ensure_demo_user()
    click.echo(f"log in as {DEMO_USER} / {DEMO_PASSWORD} at http://{addr}/")
    connections.close_all()  # this process only supervises from here on

    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    web = subprocess.Popen(
        [
            gunicorn,
            "bachata.site.wsgi:application",
            "--bind",
            addr,
            "--workers",
            str(WEB_WORKERS),
            "--threads",
            str(WEB_THREADS),
            "--timeout",
            "120",
            "--access-logfile",
            "-",
        ]
    )
    worker = _Worker() if not no_worker and settings.JOB_BACKEND == "local" else None
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    try:
        while not stopping:
            if web.poll() is not None:
                raise click.ClickException(f"the web server exited ({web.returncode})")
            if worker is not None and (news := worker.keep_running(time.monotonic())):
                click.echo(news, err=True)
            time.sleep(0.5)
    finally:
        for child in (worker.process if worker else None, web):
            if child is not None and child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    child.kill()


@dataclass
class _Worker:
    """The render worker, started again whenever it exits (with a growing pause while it
    keeps exiting quickly, as it does while the database is down)."""

    process: subprocess.Popen | None = None
    started: float = 0.0
    backoff: float = RESTART_BACKOFF_S[0]
    next_start: float = 0.0

    def keep_running(self, now: float) -> str | None:
        """Start or restart the worker if needed; what happened, for the console."""
        if self.process is not None:
            if self.process.poll() is None:
                return None
            quick = now - self.started < 30
            self.backoff = min(self.backoff * 2, RESTART_BACKOFF_S[1]) if quick else 1.0
            self.next_start = now + self.backoff
            code, self.process = self.process.returncode, None
            return f"render worker exited ({code}); starting it again in {self.backoff:.0f} s"
        if now < self.next_start:
            return None
        self.process = subprocess.Popen([sys.executable, "-m", "bachata.cli", "worker"])
        self.started = now
        return f"render worker started (pid {self.process.pid})"
