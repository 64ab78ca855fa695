"""Settings from environment variables, readable without Django.

Every setting of the project is listed in :data:`ENVIRONMENT` (the README's table is
generated from the same descriptions) and loaded by :meth:`Config.from_env`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: Every environment variable of the project, as a documented ``.env`` file: the comment
#: lines above ``NAME=default`` describe it. The README's table is made from it.
_DOCUMENTED = """
# Root of local storage: songs/, Bachata_steps/, choreographies/, cache/ and the embedded database
# live below it.
BACHATA_DATA_DIR=./data
# PostgreSQL URL, e.g. postgresql://user:pass@host:5432/db or
# postgresql://user:pass@/db?host=/cloudsql/project:region:instance. Unset: the project starts its
# own embedded PostgreSQL under BACHATA_DATA_DIR/postgres.
DATABASE_URL=(unset)
# Data folder of the embedded PostgreSQL (only used when DATABASE_URL is unset).
BACHATA_PGDATA=$BACHATA_DATA_DIR/postgres
# Database name on the embedded server.
BACHATA_DB_NAME=bachata_vibes
# Where videos, songs and clips are stored: 'local' (BACHATA_DATA_DIR) or 'gcs'.
BACHATA_STORAGE=local
# The Google Cloud Storage bucket used when BACHATA_STORAGE=gcs; gs:// URIs to any other bucket
# are rejected.
BACHATA_GCS_BUCKET=bachata-buddy-videos
# With BACHATA_STORAGE=gcs, videos and songs are served to their owner by a redirect to a signed
# URL that expires after this many seconds.
BACHATA_SIGNED_URL_SECONDS=3600
# Largest accepted blueprint document (bytes).
BACHATA_MAX_BLUEPRINT_BYTES=262144
# Django secret key; required when DJANGO_DEBUG is off.
DJANGO_SECRET_KEY=(development key)
# Django debug mode (1/0).
DJANGO_DEBUG=1
# Comma-separated allowed hosts.
DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1,[::1]
# How render jobs run: 'local' (PostgreSQL queue, `bachata worker` processes) or 'cloudrun' (a
# Cloud Run Job execution per render).
JOB_BACKEND=local
# Renders one `bachata worker` runs at once.
BACHATA_WORKER_CONCURRENCY=1
# A worker without a heartbeat for this long is dead; its renders are requeued.
BACHATA_STALLED_WORKER_SECONDS=30
# Attempts of a render before its task stays failed.
BACHATA_JOB_RETRIES=3
# Largest blueprint (bytes) passed in BLUEPRINT_JSON; larger ones are loaded by TASK_ID.
BACHATA_JOB_ENV_LIMIT=32768
# Full Cloud Run Job name for JOB_BACKEND=cloudrun: projects/PROJECT/locations/REGION/jobs/JOB.
BACHATA_CLOUD_RUN_JOB=(unset)
# Scheduled cleanup deletes blueprints older than this many days; 0 keeps them forever.
BACHATA_BLUEPRINT_RETENTION_DAYS=0
# Comma-separated origins allowed to POST forms, e.g. https://bachata.example.com.
DJANGO_CSRF_TRUSTED_ORIGINS=(unset)
# With DEBUG off: cookies only over HTTPS (1/0).
DJANGO_SECURE_COOKIES=1
# How many reverse proxies in front of the app append to X-Forwarded-For (Cloud Run: 1). 0 trusts
# no client-supplied address for rate limits.
BACHATA_TRUSTED_PROXIES=0
# Describe mode reads text with Google Gemini when set; offline rules otherwise.
GEMINI_API_KEY=(unset)
# The Gemini model for describe mode.
BACHATA_GEMINI_MODEL=gemini-2.5-flash
# 'console' for people, 'json' for one JSON object a line.
BACHATA_LOG_FORMAT=console
# Log level of the bachata loggers.
BACHATA_LOG_LEVEL=INFO
"""


def _documented(text: str) -> dict[str, tuple[str, str]]:
    """``name -> (default, description)`` of a documented ``.env`` text.

    >>> _documented("# The answer.\\nANSWER=42\\n")
    {'ANSWER': ('42', 'The answer.')}
    """
    table: dict[str, tuple[str, str]] = {}
    description: list[str] = []
    for line in text.strip().splitlines():
        if line.startswith("#"):
            description.append(line[1:].strip())
        else:
            name, default = line.split("=", 1)
            table[name] = (default, " ".join(description))
            description = []
    return table


#: name -> (default, description); the single list of environment variables.
ENVIRONMENT: dict[str, tuple[str, str]] = _documented(_DOCUMENTED)


def environment_table() -> str:
    """The README's table of environment variables, made from :data:`ENVIRONMENT`."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [
        f"| `{name}` | `{default}` | {meaning} |"
        for name, (default, meaning) in ENVIRONMENT.items()
    ]
    return "\n".join(rows) + "\n"


def _env(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    return value if value not in (None, "") else None


def _flag(value: str | None, *, default: bool) -> bool:
    """An on/off setting: 1, true, yes or on (any case) is on.

    >>> _flag("Yes", default=False), _flag("0", default=True), _flag(None, default=True)
    (True, False, True)
    """
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _items(value: str) -> tuple[str, ...]:
    """A comma-separated list, without blanks."""
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _default(name: str) -> str:
    """The documented default of ``name`` in :data:`ENVIRONMENT`; empty where the
    default is not a value (``(unset)``, or one made from another variable)."""
    value = ENVIRONMENT[name][0]
    return "" if value.startswith(("(", "$")) else value


@dataclass(frozen=True)
class Config:
    """Resolved settings. Build with :meth:`from_env`; pass explicitly into domain code.

    Every default is the one :data:`ENVIRONMENT` documents (the README's table).
    """

    data_dir: Path
    database_url: str | None
    pgdata: Path
    db_name: str = _default("BACHATA_DB_NAME")
    storage: str = _default("BACHATA_STORAGE")
    gcs_bucket: str = _default("BACHATA_GCS_BUCKET")
    signed_url_seconds: int = int(_default("BACHATA_SIGNED_URL_SECONDS"))
    max_blueprint_bytes: int = int(_default("BACHATA_MAX_BLUEPRINT_BYTES"))
    log_format: str = _default("BACHATA_LOG_FORMAT")
    log_level: str = _default("BACHATA_LOG_LEVEL")
    # The web app (Django).
    debug: bool = _flag(_default("DJANGO_DEBUG"), default=True)
    secret_key: str = ""
    allowed_hosts: tuple[str, ...] = _items(_default("DJANGO_ALLOWED_HOSTS"))
    csrf_trusted_origins: tuple[str, ...] = ()
    secure_cookies: bool = _flag(_default("DJANGO_SECURE_COOKIES"), default=True)
    trusted_proxies: int = int(_default("BACHATA_TRUSTED_PROXIES"))
    gemini_api_key: str = ""
    gemini_model: str = _default("BACHATA_GEMINI_MODEL")
    # Render jobs.
    job_backend: str = _default("JOB_BACKEND")
    job_retries: int = int(_default("BACHATA_JOB_RETRIES"))
    worker_concurrency: int = int(_default("BACHATA_WORKER_CONCURRENCY"))
    stalled_worker_seconds: float = float(_default("BACHATA_STALLED_WORKER_SECONDS"))
    cloud_run_job: str = ""
    job_env_limit: int = int(_default("BACHATA_JOB_ENV_LIMIT"))
    retention_days: int = int(_default("BACHATA_BLUEPRINT_RETENTION_DAYS"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        """Read the environment (see :data:`ENVIRONMENT`); ``environ`` defaults to
        ``os.environ``. This is the one place the project reads its settings."""

        def env(name: str) -> str:
            return _env(name, environ) or _default(name)

        data_dir = Path(env("BACHATA_DATA_DIR")).expanduser().resolve()
        pgdata = env("BACHATA_PGDATA")
        return cls(
            data_dir=data_dir,
            database_url=env("DATABASE_URL") or None,
            pgdata=Path(pgdata).expanduser().resolve() if pgdata else data_dir / "postgres",
            db_name=env("BACHATA_DB_NAME"),
            storage=env("BACHATA_STORAGE"),
            gcs_bucket=env("BACHATA_GCS_BUCKET"),
            signed_url_seconds=int(env("BACHATA_SIGNED_URL_SECONDS")),
            max_blueprint_bytes=int(env("BACHATA_MAX_BLUEPRINT_BYTES")),
            log_format=env("BACHATA_LOG_FORMAT"),
            log_level=env("BACHATA_LOG_LEVEL"),
            debug=_flag(env("DJANGO_DEBUG"), default=True),
            secret_key=env("DJANGO_SECRET_KEY"),
            allowed_hosts=_items(env("DJANGO_ALLOWED_HOSTS")),
            csrf_trusted_origins=_items(env("DJANGO_CSRF_TRUSTED_ORIGINS")),
            secure_cookies=_flag(env("DJANGO_SECURE_COOKIES"), default=True),
            trusted_proxies=int(env("BACHATA_TRUSTED_PROXIES")),
            gemini_api_key=env("GEMINI_API_KEY"),
            gemini_model=env("BACHATA_GEMINI_MODEL"),
            job_backend=env("JOB_BACKEND"),
            job_retries=int(env("BACHATA_JOB_RETRIES")),
            worker_concurrency=int(env("BACHATA_WORKER_CONCURRENCY")),
            stalled_worker_seconds=float(env("BACHATA_STALLED_WORKER_SECONDS")),
            cloud_run_job=env("BACHATA_CLOUD_RUN_JOB"),
            job_env_limit=int(env("BACHATA_JOB_ENV_LIMIT")),
            retention_days=int(env("BACHATA_BLUEPRINT_RETENTION_DAYS")),
        )

    # The seed's storage layout, relative to the data root / bucket.
    @property
    def moves_dir(self) -> Path:
        """Local folder of move clips (``data/Bachata_steps/``)."""
        return self.data_dir / "Bachata_steps"

    @property
    def cache_dir(self) -> Path:
        """Local cache (normalised clips, downloaded gs:// objects)."""
        return self.data_dir / "cache"

    @property
    def render_cache_dir(self) -> Path:
        """The normalised-clip cache: pieces, songs' audio and clips' mezzanines."""
        return self.cache_dir / "clips"

    @property
    def allowed_roots(self) -> tuple[Path, ...]:
        """Absolute folders a blueprint path may point into."""
        return (self.data_dir,)
