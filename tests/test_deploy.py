"""Containers and deployment files parse and name commands that exist."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from bachata.cli import cli

ROOT = Path(__file__).parents[1]
INSTRUCTIONS = {
    "FROM",
    "ENV",
    "WORKDIR",
    "RUN",
    "COPY",
    "USER",
    "EXPOSE",
    "CMD",
    "ENTRYPOINT",
    "ARG",
    "LABEL",
}


def _dockerfile():
    lines, current = [], ""
    for raw in (ROOT / "docker" / "Dockerfile").read_text().splitlines():
        if raw.strip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip("\\").strip() + " "
        if not raw.endswith("\\"):
            lines.append(current.strip())
            current = ""
    return lines


def test_dockerfile_parses_and_names_real_commands():
    lines = _dockerfile()
    for line in lines:
        assert line.split()[0] in INSTRUCTIONS, line
    stages = [m[1] for line in lines if (m := re.match(r"FROM \S+ AS (\w+)", line))]
    assert stages == ["base", "api", "job"]
    assert 'ENTRYPOINT ["bachata", "job"]' in lines
    for line in lines:
        if line.startswith("COPY"):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    commands = [line for line in lines if line.split()[0] in ("CMD", "ENTRYPOINT")]
    used = {m for line in commands for m in re.findall(r'bachata"?,? "?(\w+)', line)}
    assert used >= {"job", "manage"}
    assert used <= set(cli.commands), used - set(cli.commands)


def test_compose_mirrors_the_seed_architecture():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "api", "worker"}
    assert "5432:5432" in services["db"]["ports"]
    assert services["db"]["environment"]["POSTGRES_DB"] == "bachata_vibes"
    for name in ("api", "worker"):
        assert "./data:/data" in services[name]["volumes"]
        assert services[name]["environment"]["DATABASE_URL"].endswith("@db:5432/bachata_vibes")
        assert services[name]["build"]["dockerfile"] == "docker/Dockerfile"
    command = services["worker"]["command"]
    assert command[0] == "bachata" and command[1] in cli.commands


def test_debug_off_requires_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "0", "BACHATA_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "bachata.cli", "blueprints", "count"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deployment_guide_names_every_production_setting():
    guide = (ROOT / "docs" / "deploy-gcp.md").read_text()
    for setting in (
        "DATABASE_URL",
        "BACHATA_STORAGE",
        "BACHATA_GCS_BUCKET",
        "JOB_BACKEND",
        "BACHATA_CLOUD_RUN_JOB",
        "DJANGO_SECRET_KEY",
        "/cloudsql/",
        "roles/cloudsql.client",
        "roles/storage.objectAdmin",
    ):
        assert setting in guide, setting
