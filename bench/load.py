"""Load (`make bench`): bursts of 50 concurrent clients (one of generates, four of
history reads) against `bachata serve` and against gunicorn, with the database
connections each holds; then 10 renders queued at once and worked by
`bachata worker --concurrency 2`.

Uses its own database (``bachata_load``) and the render bench's media in ``data/bench``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path("data/bench").resolve()
N_REQUESTS = 50
N_RENDERS = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, token: str, body: dict) -> tuple[int, float]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:  # reset or refused: counted as an error, never hidden
        status = 0
    return status, time.perf_counter() - started


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


def _held_connections() -> int:
    """Connections to the load database other than this process's own."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return cur.fetchone()[0]


def _bursts(name: str, command: list[str], body: dict, tokens: list[str]) -> None:
    """Start a server, send it one burst of concurrent generates and 4 bursts of
    concurrent reads, print statuses, latency and the database connections it holds
    (during, and after 5 idle seconds), then stop it."""
    from bachata.choreography.models import ChoreographyTask

    port = _free_port()
    addr = ["--addr", f"127.0.0.1:{port}"] if "serve" in name else ["--bind", f"127.0.0.1:{port}"]
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [*command, *addr],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    results: list[tuple[int, float]] = []
    held = []
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/api/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with ThreadPoolExecutor(N_REQUESTS) as pool:
            results += pool.map(lambda t: _post(f"{base}/api/choreographies/", t, body), tokens)
            held.append(_held_connections())
            for _ in range(4):
                results += pool.map(lambda t: _get(f"{base}/api/choreographies/", t), tokens)
                held.append(_held_connections())
        time.sleep(5)
        idle = _held_connections()
        health = _get(f"{base}/api/health/", None)[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(60)
    ok = sum(1 for status, _ in results if status in (200, 202))
    refused = sum(1 for status, _ in results if status in (429, 503))
    seconds = sorted(s for _, s in results)
    generated = ChoreographyTask.objects.filter(song=body["song_id"]).count()
    print(f"  {name}: {len(results)} requests")
    print(
        f"    ok {ok}, refused {refused}, errors {len(results) - ok - refused}; "
        f"{generated} generates stored; health after: {health}"
    )
    print(
        f"    latency p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {seconds[int(len(seconds) * 0.95) - 1] * 1000:.0f} ms; "
        f"database connections held: max {max(held)} during bursts, {idle} after 5 s idle"
    )


def _get(url: str, token: str | None) -> tuple[int, float]:
    headers = {"Authorization": f"Token {token}"} if token else {}
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def main() -> None:
    os.environ.update(BACHATA_DB_NAME="bachata_load", BACHATA_DATA_DIR=str(ROOT))
    from render import _blueprint  # builds data/bench (demo library, 3-minute song)

    _blueprint()
    from bachata.cli.root import setup_django

    setup_django()
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from bachata.choreography import services
    from bachata.choreography.models import ChoreographyTask

    services.moves_import(path=ROOT / "Bachata_steps" / "moves.json")
    song, _ = services.song_add(path=ROOT / "songs" / "bench.mp3", title="Load")
    ChoreographyTask.objects.filter(song=song).delete()  # the last run's load
    tokens = []
    for i in range(N_REQUESTS):
        user, _ = User.objects.get_or_create(username=f"load{i}")
        tokens.append(Token.objects.get_or_create(user=user)[0].key)

    body = {
        "song_id": song.pk,
        "difficulty": "intermediate",
        "energy_level": "medium",
        "style": "modern",
        "output_config": {"resolution": "640x360"},
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    servers = {
        "bachata serve --no-worker": [sys.executable, "-m", "bachata.cli", "serve", "--no-worker"],
        "gunicorn, 2 workers x 8 threads": [
            gunicorn, "bachata.site.wsgi:application", "--workers", "2", "--threads", "8",
        ],
    }  # fmt: skip
    print(f"== load: bursts of {N_REQUESTS} concurrent clients")
    for name, command in servers.items():
        ChoreographyTask.objects.filter(song=song).delete()
        _bursts(name, command, body, tokens)
    tasks = ChoreographyTask.objects.filter(song=song)

    keep = list(tasks.values_list("pk", flat=True)[:N_RENDERS])
    tasks.exclude(pk__in=keep).delete()
    started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "-m", "bachata.cli", "worker", "--once", "--concurrency", "2"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while worker.poll() is None:
        peak = max(peak, _tree_rss(worker.pid))
        time.sleep(0.05)
    done = ChoreographyTask.objects.filter(pk__in=keep, status="completed").count()
    print(
        f"  {N_RENDERS} queued renders (640x360, 3 min), worker concurrency 2: {done} completed "
        f"in {time.perf_counter() - started:.1f} s, peak RSS {peak / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
