"""The render job's entrypoint — the job container's contract from the seed document.

Environment: ``TASK_ID`` (required), ``USER_ID``, ``BLUEPRINT_JSON`` (optional: a
blueprint too large for the dispatcher's environment limit is loaded from the database
by ``TASK_ID``), plus ``DATABASE_URL`` and the storage settings (see the README).

Exit status:

- 0 rendered and stored, or the task was already completed (a job retried after its
  worker was killed never renders a finished task again);
- 1 failed for good (bad blueprint, unreadable clip, past its wall-clock limit): the
  one-line reason is printed and recorded on the task;
- 2 the environment is unusable (no ``TASK_ID``);
- 3 failed on something that may pass on another attempt (disk, network, a crash):
  recorded on the task too, and the worker retries.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bachata.config import Config
from bachata.database import database_url
from bachata.errors import BachataError
from bachata.jobs.environment import read_blueprint
from bachata.jobs.rendering import render_here
from bachata.jobs.status import AlreadyRendered, TaskStore
from bachata.render.assemble import frame_plan, overall_percent
from bachata.render.stream import PLAYLIST, HlsStream, streamable
from bachata.storage import Storage, storage_for

log = logging.getLogger(__name__)

#: Exit status of a failure worth another attempt (see the module docstring).
EXIT_RETRY = 3
#: The slowest render we wait for (frames a second, cold, on the smallest worker): a job
#: gets 2 minutes plus its frame count at this rate, then fails for good.
MIN_RENDER_FPS = 10.0


class RenderTimeout(BachataError):
    """The render ran past its wall-clock limit."""


def render_deadline_s(frames: int) -> int:
    """Wall-clock limit of a render of ``frames`` frames (seconds).

    >>> render_deadline_s(5400)  # 3 minutes at 30 fps
    660
    """
    return int(120 + frames / MIN_RENDER_FPS)


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Raise :class:`RenderTimeout` in this (main) thread after ``seconds``."""

    def expire(*_: object) -> None:
        raise RenderTimeout(f"the render ran past its {seconds} s limit and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(env: Mapping[str, str]) -> int:
    """Run one render job with ``env`` as its environment; return the exit status."""
    task_id = (env.get("TASK_ID") or "").strip()
    if not task_id:
        print("error: TASK_ID is not set", file=sys.stderr)
        return 2
    config = Config.from_env(env)
    store = TaskStore(database_url(config))
    try:
        return _run(task_id, env, config, store)
    finally:
        store.close()


def _run(task_id: str, env: Mapping[str, str], config: Config, store: TaskStore) -> int:
    try:
        task = store.start(task_id)
    except AlreadyRendered as done:
        log.warning("render skipped: the task is completed", extra={"task_id": task_id})
        print(done.uri)
        return 0
    except BachataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    work = config.cache_dir / "work" / task_id
    shutil.rmtree(work, ignore_errors=True)  # a retry starts clean
    streamed: list[str] = []  # the preview stream's files, deleted when the job ends
    storage: Storage | None = None
    try:
        user_id = (env.get("USER_ID") or "").strip()
        if user_id and user_id != str(task.user_id):
            raise BachataError(f"USER_ID {user_id} does not own task {task_id}")
        raw = env.get("BLUEPRINT_JSON") or store.blueprint_json(task_id)
        if not raw:
            raise BachataError(f"task {task_id} has no blueprint")
        blueprint = read_blueprint(raw, config)
        if blueprint.task_id != task_id:
            raise BachataError(f"the blueprint is for task {blueprint.task_id}, not {task_id}")

        storage = storage_for(config)
        last = {"stage": "", "percent": -1}

        def progress(stage: str, fraction: float) -> None:
            percent = min(99, overall_percent(stage, fraction))
            if stage != last["stage"] or percent >= last["percent"] + 5:
                store.progress(task_id, stage, percent)
                last.update(stage=stage, percent=percent)

        started = time.perf_counter()
        work.mkdir(parents=True, exist_ok=True)
        out = work / f"{task_id}.{blueprint.output_config.video_format}"
        frames = round(blueprint.total_duration * blueprint.output_config.fps)
        with ExitStack() as running, _deadline(render_deadline_s(frames)):
            stream = None
            if streamable(blueprint.output_config):
                publish = _stream_publisher(task_id, storage, store, streamed)
                plan = frame_plan(blueprint)
                stream = running.enter_context(
                    HlsStream(plan, blueprint.output_config.fps, publish)
                )
            result = render_here(
                blueprint, config=config, storage=storage, out=out, progress=progress, stream=stream
            )
        progress("store", 0.0)
        uri = storage.put("choreographies", out.name, out, move=True)
        stats = {
            "seconds": round(time.perf_counter() - started, 3),
            "stages": {k: round(v, 3) for k, v in result.timings.items()},
            "frames": result.frames,
            "duration": round(result.duration, 3),
            "cache_hits": result.cache_hits,
            "cache_misses": result.cache_misses,
        }
        store.complete(task_id, uri, stats)
        log.info("render completed", extra={"task_id": task_id, "uri": uri, **stats})
        print(uri)
        return 0
    except BachataError as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        store.fail(task_id, message)
        print(f"error: {message}", file=sys.stderr)
        return 1
    except Exception as exc:
        log.exception("render crashed", extra={"task_id": task_id})
        message = f"internal error: {type(exc).__name__}: {exc}".splitlines()[0]
        store.fail(task_id, message)
        print(f"error: {message}", file=sys.stderr)
        return EXIT_RETRY
    finally:
        shutil.rmtree(work, ignore_errors=True)
        for location in streamed:  # the stored MP4 (or the failure) replaces the preview
            try:
                storage.delete(location)  # type: ignore[union-attr]: set before any stream
            except Exception:  # a leftover preview file harms nobody
                log.warning("could not delete %s", location, extra={"task_id": task_id})


def _stream_publisher(task_id: str, storage: Storage, store: TaskStore, streamed: list[str]):
    """``publish(name, path)`` for the task's preview stream: stores each file under
    ``streams/<task_id>/``, noting it in ``streamed``, and records the playlist's location
    on the task once it exists (then the API and the task page offer the stream)."""

    def publish(name: str, path: Path) -> None:
        location = storage.put("streams", f"{task_id}/{name}", path, move=True)
        if location not in streamed:
            streamed.append(location)
            if name == PLAYLIST:
                store.stream(task_id, location)

    return publish


def main() -> None:
    """``python -m bachata.jobs`` / ``bachata job``: run with this process's environment."""
    import logging.config
    import os

    from bachata.logs import logging_config

    config = Config.from_env()  # the one reader of settings: console logs by default
    logging.config.dictConfig(logging_config(config.log_format, config.log_level))
    sys.exit(run(os.environ))
