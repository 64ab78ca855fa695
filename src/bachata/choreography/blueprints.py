"""Blueprint documents as this deployment accepts them: its path policy and size limit.

Both sides use it: services check what they store, selectors parse what was stored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from bachata.blueprint import Blueprint
from bachata.jobs.environment import read_blueprint


def validated_blueprint(raw: Blueprint | str | bytes | dict[str, Any]) -> Blueprint:
    """Parse ``raw`` with this deployment's path policy and size limit.

    Raises
    ------
    BlueprintInvalid
        When the document is malformed, too large or points outside the allowed roots.
    """
    return read_blueprint(raw, settings.BACHATA)
