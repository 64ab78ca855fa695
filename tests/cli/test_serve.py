"""``bachata serve`` under load: bursts of clients never exhaust the database, the render
worker is kept alive, and static files are served."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bachata.choreography import services
from bachata.database import url_from_django

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _connections(database: str) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT application_name, state, left(query, 60) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return cur.fetchall()


def _worker_pids(serve_pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(serve_pid)], capture_output=True, text=True
    ).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "bachata.cli worker" in line]


def test_serve_holds_bursts_of_clients_and_keeps_its_worker(tiny_library, data_root):
    services.moves_import(path=tiny_library)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url_from_django(connection.settings_dict),
        "BACHATA_DATA_DIR": str(data_root),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    serve = subprocess.Popen(
        [sys.executable, "-m", "bachata.cli", "serve", "--addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if _get(f"{base}/api/health/") == 200:
                    break
            except OSError:
                time.sleep(0.1)
        database = connection.settings_dict["NAME"]
        held = []
        for _burst in range(4):
            with ThreadPoolExecutor(50) as pool:
                statuses = list(pool.map(_get, [f"{base}/api/health/"] * 50))
            assert statuses == [200] * 50
            held.append(len(_connections(database)))
        # One connection per gunicorn thread at most (2 x 8) plus the render worker's few:
        # a thread per request would hold 50 more after every burst.
        assert max(held) <= 2 * 8 + 8, (held, _connections(database))
        assert _get(f"{base}/static/bachata/style.css") == 200

        # The render worker is watched: killed, it is started again.
        for _ in range(100):
            if _worker_pids(serve.pid):
                break
            time.sleep(0.1)
        (first,) = _worker_pids(serve.pid)
        os.kill(first, signal.SIGKILL)
        for _ in range(100):
            again = _worker_pids(serve.pid)
            if again and again != [first]:
                break
            time.sleep(0.1)
        assert again and again != [first]
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert serve.returncode == 0
    assert _worker_pids(serve.pid) == []
