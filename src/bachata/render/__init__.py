"""Rendering: a blueprint in, an MP4 out (ffmpeg, normalised-clip cache, stream copy)."""

from bachata.render.assemble import RenderResult, render_blueprint

__all__ = ["RenderResult", "render_blueprint"]
