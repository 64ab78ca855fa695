"""Load (`make bench`): 50 concurrent generate requests against the running server, then
10 renders queued at once and worked by `bachata worker --concurrency 2`.

Uses its own database (``bachata_load``) and the render bench's media in ``data/bench``.
"""

from __future__ import annotations

import json
import os
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

    port = _free_port()
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [
            gunicorn,
            "bachata.site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "8",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/api/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        body = {
            "song_id": song.pk,
            "difficulty": "intermediate",
            "energy_level": "medium",
            "style": "modern",
            "output_config": {"resolution": "640x360"},
        }
        with ThreadPoolExecutor(N_REQUESTS) as pool:
            results = list(
                pool.map(lambda t: _post(f"{base}/api/choreographies/", t, body), tokens)
            )
    finally:
        server.terminate()
        server.wait(30)
    accepted = sum(1 for status, _ in results if status == 202)
    refused = sum(1 for status, _ in results if status in (429, 503))
    seconds = sorted(s for _, s in results)
    tasks = ChoreographyTask.objects.filter(song=song)
    with_blueprint = tasks.filter(blueprint__isnull=False).count()
    print(f"== load: {N_REQUESTS} concurrent POST generate (gunicorn, 2 workers x 8 threads)")
    print(
        f"  accepted {accepted}, refused {refused}, errors {N_REQUESTS - accepted - refused}; "
        f"tasks {tasks.count()}, with blueprint {with_blueprint}"
    )
    print(
        f"  latency p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {seconds[int(len(seconds) * 0.95) - 1] * 1000:.0f} ms"
    )

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
