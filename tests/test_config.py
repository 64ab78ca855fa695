"""``bachata.config`` is the one reader of the environment; its defaults are documented."""

from __future__ import annotations

import ast
from pathlib import Path

import bachata
from bachata.blueprint import MAX_BLUEPRINT_BYTES
from bachata.config import ENVIRONMENT, Config
from bachata.jobs.environment import ENV_LIMIT_BYTES
from bachata.planner.describe import DEFAULT_GEMINI_MODEL


def test_every_variable_is_read_and_changes_its_setting():
    defaults = Config.from_env({})
    assert defaults.max_blueprint_bytes == MAX_BLUEPRINT_BYTES
    assert defaults.job_env_limit == ENV_LIMIT_BYTES
    assert defaults.gemini_model == DEFAULT_GEMINI_MODEL
    assert defaults.debug and defaults.database_url is None
    assert defaults.pgdata == defaults.data_dir / "postgres"
    values = {
        "BACHATA_PGDATA": "/tmp/pg",
        "DATABASE_URL": "postgresql://u:p@h/db",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_COOKIES": "no",
        "DJANGO_ALLOWED_HOSTS": "a.example, b.example",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://a.example",
        "BACHATA_STORAGE": "gcs",
        "BACHATA_LOG_FORMAT": "json",
        "BACHATA_LOG_LEVEL": "DEBUG",
        "BACHATA_GEMINI_MODEL": "gemini-x",
        "JOB_BACKEND": "cloudrun",
        "BACHATA_CLOUD_RUN_JOB": "projects/p/locations/r/jobs/j",
        "DJANGO_SECRET_KEY": "s3cret",
        "GEMINI_API_KEY": "key",
        "BACHATA_DATA_DIR": "/tmp/elsewhere",
        "BACHATA_DB_NAME": "other",
        "BACHATA_GCS_BUCKET": "other-bucket",
    }
    numbers = {n: "7" for n, (d, _) in ENVIRONMENT.items() if d.isdigit() and n not in values}
    changed = Config.from_env({**values, **numbers})
    assert set(values) | set(numbers) == set(ENVIRONMENT)  # every documented variable
    differ = [f for f in Config.__dataclass_fields__ if getattr(changed, f) != getattr(defaults, f)]
    assert sorted(differ) == sorted(Config.__dataclass_fields__)  # and each one is read
    assert changed.allowed_hosts == ("a.example", "b.example") and changed.job_retries == 7


def test_nothing_else_reads_the_environment_for_a_setting():
    readers = []
    for path in Path(bachata.__path__[0]).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            text = ast.unparse(node) if isinstance(node, ast.Call) else ""
            if text.startswith(("os.environ.get(", "os.getenv(")):
                readers.append(f"{path.name}: {text}")
    assert readers == []
