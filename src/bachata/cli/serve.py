"""``bachata serve``: the web app and API with a render worker beside it."""

from __future__ import annotations

import subprocess
import sys

import click

from bachata.cli.root import setup_django


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="host:port to serve.")
@click.option("--no-worker", is_flag=True, help="Do not start a render worker.")
def serve(addr: str, no_worker: bool) -> None:
    """Serve the app on ADDR (Django's development server) and run a render worker.

    The database is started and migrated first. Stop with Ctrl-C; the worker stops too.
    """
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    worker = None
    if not no_worker and settings.JOB_BACKEND == "local":
        worker = subprocess.Popen([sys.executable, "-m", "bachata.cli", "worker"])
        click.echo(f"render worker started (pid {worker.pid})")
    try:
        call_command("runserver", addr, use_reloader=False)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
