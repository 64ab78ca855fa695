"""What every part of the blueprint shares: the base model, its error, limits and helpers."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidationInfo,
    model_serializer,
)

from bachata.blueprint.paths import DEFAULT_POLICY, PathPolicy
from bachata.errors import BachataError

#: Allowed difference between times that must agree (seconds).
TIME_TOLERANCE_S = 0.001
#: Default size limit of a blueprint document (bytes).
MAX_BLUEPRINT_BYTES = 256 * 1024
MAX_MOVES = 2000


class BlueprintInvalid(BachataError, code="invalid_blueprint"):
    """A blueprint document failed validation; the message names every bad field."""


class Part(BaseModel):
    """Base of every blueprint part: strict about unknown fields, drops unset extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Optional extension fields that are omitted from JSON when ``None``.
    _extensions: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _drop_unset_extensions(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        data = handler(self)
        for name in self._extensions:
            if data.get(name) is None:
                data.pop(name, None)
        return data


def path_policy_of(info: ValidationInfo) -> PathPolicy:
    """The path policy passed in the validation context, else :data:`DEFAULT_POLICY`
    (this package reads no settings: edges pass their deployment's policy)."""
    policy = (info.context or {}).get("path_policy")
    return policy if policy is not None else DEFAULT_POLICY


def format_errors(error: ValidationError) -> str:
    lines = []
    for item in error.errors(include_url=False):
        loc = "".join(
            f"[{part}]" if isinstance(part, int) else (f".{part}" if i else str(part))
            for i, part in enumerate(item["loc"])
        )
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{loc}: {message}" if loc else message)
    return "; ".join(lines)


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False
