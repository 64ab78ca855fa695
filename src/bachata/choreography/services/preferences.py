"""Saving a dancer's defaults for difficulty, energy, style and video quality (read them
with ``selectors.preferences_get``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from bachata.blueprint.vocabulary import normalise_difficulty, normalise_energy, normalise_style
from bachata.choreography.models import QUALITY_PRESETS, Preferences
from bachata.choreography.selectors import preferences_get
from bachata.errors import BachataError


def preferences_update(*, user: AbstractBaseUser, **changes: str) -> Preferences:
    """Save some or all of difficulty, energy_level, style and quality."""
    prefs = preferences_get(user=user)
    normalisers = {
        "difficulty": normalise_difficulty,
        "energy_level": normalise_energy,
        "style": normalise_style,
    }
    for key, value in changes.items():
        if key in normalisers:
            setattr(prefs, key, normalisers[key](value))
        elif key == "quality":
            if value not in QUALITY_PRESETS:
                raise BachataError(f"quality {value!r}: use one of {', '.join(QUALITY_PRESETS)}")
            prefs.quality = value
        else:
            raise BachataError(f"unknown preference {key!r}")
    prefs.save()
    return prefs
