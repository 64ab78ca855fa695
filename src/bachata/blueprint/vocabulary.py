"""The one vocabulary for difficulty, energy and style, used by every layer.

Difficulty and energy use the seed's values. Styles are a small documented set; other
spellings found in real move libraries map onto them through :func:`normalise_difficulty`,
:func:`normalise_energy` and :func:`normalise_style`.
"""

from __future__ import annotations

from typing import Literal, get_args

from bachata.errors import BachataError

Difficulty = Literal["beginner", "intermediate", "advanced"]
EnergyLevel = Literal["low", "medium", "high"]
Style = Literal["modern", "sensual", "dominican", "bolero"]

DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)
ENERGY_LEVELS: tuple[str, ...] = get_args(EnergyLevel)
STYLES: tuple[str, ...] = get_args(Style)

_DIFFICULTY_ALIASES = {
    "beginner": "beginner",
    "basic": "beginner",
    "easy": "beginner",
    "low": "beginner",
    "novice": "beginner",
    "1": "beginner",
    "intermediate": "intermediate",
    "medium": "intermediate",
    "mid": "intermediate",
    "improver": "intermediate",
    "2": "intermediate",
    "advanced": "advanced",
    "hard": "advanced",
    "high": "advanced",
    "expert": "advanced",
    "3": "advanced",
}
_ENERGY_ALIASES = {
    "low": "low",
    "calm": "low",
    "soft": "low",
    "chill": "low",
    "slow": "low",
    "medium": "medium",
    "mid": "medium",
    "moderate": "medium",
    "normal": "medium",
    "high": "high",
    "energetic": "high",
    "intense": "high",
    "fast": "high",
}
_STYLE_ALIASES = {
    "modern": "modern",
    "urban": "modern",
    "contemporary": "modern",
    "fusion": "modern",
    "sensual": "sensual",
    "sensual_bachata": "sensual",
    "romantic": "sensual",
    "dominican": "dominican",
    "traditional": "dominican",
    "authentic": "dominican",
    "bolero": "bolero",
}


def _normalise(value: object, aliases: dict[str, str], what: str, allowed: tuple[str, ...]) -> str:
    key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return aliases[key]
    except KeyError:
        raise BachataError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}") from None


def normalise_difficulty(value: object) -> str:
    """Map a difficulty spelling (``low``, ``Beginner``, ``hard``...) onto the vocabulary.

    >>> normalise_difficulty("Low")
    'beginner'
    """
    return _normalise(value, _DIFFICULTY_ALIASES, "difficulty", DIFFICULTIES)


def normalise_energy(value: object) -> str:
    """Map an energy spelling onto ``low | medium | high``.

    >>> normalise_energy("Energetic")
    'high'
    """
    return _normalise(value, _ENERGY_ALIASES, "energy level", ENERGY_LEVELS)


def normalise_style(value: object) -> str:
    """Map a style spelling (``traditional``, ``Urban``...) onto :data:`STYLES`.

    >>> normalise_style("traditional")
    'dominican'
    """
    return _normalise(value, _STYLE_ALIASES, "style", STYLES)
