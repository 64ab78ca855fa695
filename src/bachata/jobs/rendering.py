"""Rendering as this deployment does, for the job and for ``bachata render`` alike
(light to import: no database driver)."""

from __future__ import annotations

from pathlib import Path
from typing import Unpack

from bachata.blueprint import Blueprint
from bachata.config import Config
from bachata.render import render_blueprint
from bachata.render.assemble import RenderHooks, RenderResult
from bachata.storage import Storage


def render_here(
    blueprint: Blueprint,
    *,
    config: Config,
    storage: Storage,
    out: Path,
    **hooks: Unpack[RenderHooks],
) -> RenderResult:
    """Render as this deployment does (the job, and ``bachata render``): the song and the
    clips read through ``storage``, pieces cached under ``config.render_cache_dir``; ``hooks`` as
    for :func:`~bachata.render.render_blueprint`."""
    return render_blueprint(
        blueprint,
        resolve=storage.local_path,
        out=out,
        cache_dir=config.render_cache_dir,
        **hooks,
    )
