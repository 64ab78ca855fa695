"""Blueprint documents as this deployment accepts them: its path policy and size limit.

Both sides use it: services check what they store, selectors parse what was stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from bachata.blueprint import Blueprint, PathPolicy, parse_blueprint


def validated_blueprint(raw: Blueprint | str | bytes | dict[str, Any]) -> Blueprint:
    """Parse ``raw`` with this deployment's path policy and size limit.

    Raises
    ------
    BlueprintInvalid
        When the document is malformed, too large or points outside the allowed roots.
    """
    config = settings.BACHATA
    return parse_blueprint(
        raw, path_policy=PathPolicy.from_config(config), max_bytes=config.max_blueprint_bytes
    )
