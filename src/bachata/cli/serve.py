"""``bachata serve``: the web app and API with a render worker beside it."""

from __future__ import annotations

import signal
import subprocess
import sys

import click

from bachata.cli.root import setup_django


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="host:port to serve.")
@click.option("--no-worker", is_flag=True, help="Do not start a render worker.")
def serve(addr: str, no_worker: bool) -> None:
    """Serve the app on ADDR (Django's development server) and run a render worker.

    The database is started and migrated first; a fresh install gets the demo library and
    songs, and there is always a demo user. Stop with Ctrl-C; the worker stops too.
    """
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from bachata.choreography.models import Move
    from bachata.cli.demo import DEMO_PASSWORD, DEMO_USER, ensure_demo_user
    from bachata.cli.moves import demo as build_demo_data

    if not Move.objects.exists():  # a fresh install: give dancers moves and songs to try
        click.get_current_context().invoke(build_demo_data)
    ensure_demo_user()
    click.echo(f"log in as {DEMO_USER} / {DEMO_PASSWORD} at http://{addr}/")

    worker = None
    if not no_worker and settings.JOB_BACKEND == "local":
        worker = subprocess.Popen([sys.executable, "-m", "bachata.cli", "worker"])
        click.echo(f"render worker started (pid {worker.pid})")
    # SIGTERM (a service manager, `timeout`) stops the worker too, like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        call_command("runserver", addr, use_reloader=False)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
