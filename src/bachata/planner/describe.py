"""Describe mode, offline: words in, the three knobs and move wishes out.

"slow sensual routine for a beginner couple, lots of body waves, no dips" becomes
difficulty beginner, energy low, style sensual, prefer body waves, avoid dips. The rules
are plain keyword rules in English (nothing is downloaded); a text with no cue, or one
that is not in English, is answered with "could not understand" rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bachata.errors import BachataError

_DIFFICULTY = [
    (
        "beginner",
        r"beginners?|newbies?|novices?|first[- ]time(rs?)?|never danced|new to|"
        r"easy|simple|basic|starting out|just started",
    ),
    ("intermediate", r"intermediate|improvers?|some experience|not too hard|moderately hard"),
    (
        "advanced",
        r"advanced|experts?|pros?|professional|hard|difficult|challenging|complex|"
        r"tricky|show ?off|competition",
    ),
]
_ENERGY = [
    (
        "low",
        r"slow|calm|soft|gentle|relaxed|smooth|chill|mellow|low[- ]energy|quiet|"
        r"intimate|romantic",
    ),
    (
        "high",
        r"fast|energetic|high[- ]energy|intense|party|upbeat|fiery|explosive|lively|"
        r"wild|powerful|quick",
    ),
    ("medium", r"medium|moderate|steady|balanced|mid[- ]tempo|normal pace"),
]
_STYLE = [
    ("sensual", r"sensual|sensuality|sexy|close connection"),
    ("dominican", r"dominican|traditional|authentic|street|old[- ]school"),
    ("bolero", r"bolero"),
    ("modern", r"modern|urban|contemporary|fusion|moderna"),
]
#: Move wishes: name -> pattern over the text; names match move families and names.
MOVE_WORDS = {
    "body": r"body ?(waves?|rolls?|movements?)",
    "wave": r"waves?",
    "turn": r"turns?|twirls?",
    "spin": r"spins?",
    "footwork": r"footwork|shines?|golpes?",
    "dip": r"dips?|drops?",
    "styling": r"styling|arm styling|arms",
    "shadow": r"shadow( position)?",
    "hip": r"hip ?rolls?|hips",
    "head": r"head ?rolls?|hair flips?",
    "basic": r"basics?|basic steps?",
}
_PREFER = r"(lots of|plenty of|more|many|with|include|including|focus on|love|some|add)"
_AVOID = r"(no|without|avoid|avoiding|skip|not too many|fewer|less|don'?t like|hate|except)"
_ENGLISH = {
    "a",
    "an",
    "the",
    "for",
    "with",
    "and",
    "to",
    "of",
    "in",
    "my",
    "i",
    "me",
    "we",
    "no",
    "some",
    "lots",
    "more",
    "less",
    "please",
    "want",
    "like",
    "routine",
    "dance",
    "something",
    "make",
    "give",
    "that",
    "is",
    "are",
    "but",
    "not",
    "too",
    "very",
    "our",
    "us",
    "couple",
    "song",
    "moves",
    "style",
    "level",
    "energy",
}


class NotUnderstood(BachataError, code="not_understood"):
    """The text gave no usable cue (nonsense, or not English)."""


@dataclass(frozen=True)
class Description:
    """What a description asks for; ``None`` where it says nothing."""

    text: str
    difficulty: str | None = None
    energy_level: str | None = None
    style: str | None = None
    prefer: tuple[str, ...] = field(default_factory=tuple)
    avoid: tuple[str, ...] = field(default_factory=tuple)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _first(rules: list[tuple[str, str]], text: str) -> str | None:
    hits = [
        (m.start(), value)
        for value, pattern in rules
        if (m := re.search(rf"\b({pattern})\b", text))
    ]
    return min(hits)[1] if hits else None


def describe(text: str) -> Description:
    """Read a description of the wanted choreography.

    Examples
    --------
    >>> d = describe("slow sensual routine for a beginner couple, lots of body waves, no dips")
    >>> (d.difficulty, d.energy_level, d.style, d.prefer, d.avoid)
    ('beginner', 'low', 'sensual', ('body',), ('dip',))

    Raises
    ------
    NotUnderstood
        When the text holds no cue at all or is not in English.
    """
    if not text or not text.strip():
        raise NotUnderstood("could not understand an empty description")
    if len(text) > 2000:
        raise NotUnderstood("could not understand: keep the description under 2000 characters")
    plain = _plain(text)
    words = re.findall(r"[a-z']+", plain)
    if len(words) >= 4 and not _ENGLISH & set(words):
        raise NotUnderstood(
            "could not understand: describe it in English, e.g. 'slow sensual routine for "
            "beginners, lots of body waves, no dips'"
        )
    avoid: list[str] = []
    prefer: list[str] = []
    for name, pattern in MOVE_WORDS.items():
        for match in re.finditer(rf"\b({pattern})\b", plain):
            before = plain[max(0, match.start() - 40) : match.start()]
            clause = re.split(r"[,.;!?]| but ", before)[-1]
            # The nearest wish before the move decides: "no dips and lots of turns".
            avoid_at = max((m.end() for m in re.finditer(rf"\b{_AVOID}\b", clause)), default=-1)
            prefer_at = max((m.end() for m in re.finditer(rf"\b{_PREFER}\b", clause)), default=-1)
            (avoid if avoid_at > prefer_at else prefer).append(name)
    avoid = sorted(set(avoid))
    prefer = sorted(set(prefer) - set(avoid))
    if "body" in prefer and "wave" in prefer:
        prefer.remove("wave")
    if "body" in avoid and "wave" in avoid:
        avoid.remove("wave")
    result = Description(
        text=text.strip(),
        difficulty=_first(_DIFFICULTY, plain),
        energy_level=_first(_ENERGY, plain),
        style=_first(_STYLE, plain),
        prefer=tuple(prefer),
        avoid=tuple(avoid),
    )
    if not (result.difficulty or result.energy_level or result.style or prefer or avoid):
        raise NotUnderstood(
            "could not understand: say how hard (beginner, advanced...), how energetic "
            "(slow, fast...), which style (sensual, dominican, modern) or which moves"
        )
    return result


#: The hosted model used when an API key is configured (BACHATA_GEMINI_MODEL).
DEFAULT_GEMINI_MODEL = "gemini-2.5-flash"
GEMINI_INSTRUCTION = (
    "You read a bachata dancer's description of the choreography they want and answer "
    "only with JSON. Keys: understood (false if the text is not a dance request or not "
    "in English), difficulty (beginner, intermediate, advanced or null), energy_level "
    "(low, medium, high or null), style (modern, sensual, dominican, bolero or null), "
    "prefer and avoid (lists of move kinds from: " + ", ".join(MOVE_WORDS) + "). "
    "Use null or empty lists for anything the text does not say; never guess."
)
GEMINI_SCHEMA = {
    "type": "object",
    "properties": {
        "understood": {"type": "boolean"},
        "difficulty": {"type": ["string", "null"], "enum": [*(v for v, _ in _DIFFICULTY), None]},
        "energy_level": {"type": ["string", "null"], "enum": [*(v for v, _ in _ENERGY), None]},
        "style": {"type": ["string", "null"], "enum": [*(v for v, _ in _STYLE), None]},
        "prefer": {"type": "array", "items": {"type": "string", "enum": list(MOVE_WORDS)}},
        "avoid": {"type": "array", "items": {"type": "string", "enum": list(MOVE_WORDS)}},
    },
    "required": ["understood", "difficulty", "energy_level", "style", "prefer", "avoid"],
}


def describe_hosted(
    text: str, *, api_key: str, model: str = DEFAULT_GEMINI_MODEL, client: object | None = None
) -> Description:
    """Read a description with Google Gemini (official ``google-genai`` client).

    The answer is constrained to :data:`GEMINI_SCHEMA` and checked against the
    vocabulary again here; anything outside it is dropped, never passed on.
    """
    import json

    from google.genai import types

    if not text or not text.strip():
        raise NotUnderstood("could not understand an empty description")
    if client is None:
        from google import genai

        client = genai.Client(api_key=api_key)
    response = client.models.generate_content(
        model=model,
        contents=text.strip()[:2000],
        config=types.GenerateContentConfig(
            system_instruction=GEMINI_INSTRUCTION,
            response_mime_type="application/json",
            response_json_schema=GEMINI_SCHEMA,
            temperature=0.0,
        ),
    )
    try:
        data = json.loads(response.text or "")
    except ValueError:
        raise NotUnderstood("could not understand: the hosted model gave no answer") from None
    if not isinstance(data, dict) or not data.get("understood"):
        raise NotUnderstood("could not understand: describe difficulty, energy, style or moves")

    def pick(key: str, allowed: list[tuple[str, str]]) -> str | None:
        value = data.get(key)
        return value if value in {v for v, _ in allowed} else None

    def kinds(key: str) -> tuple[str, ...]:
        values = data.get(key) or []
        return tuple(sorted({v for v in values if v in MOVE_WORDS}))

    avoid = kinds("avoid")
    return Description(
        text=text.strip(),
        difficulty=pick("difficulty", _DIFFICULTY),
        energy_level=pick("energy_level", _ENERGY),
        style=pick("style", _STYLE),
        prefer=tuple(k for k in kinds("prefer") if k not in avoid),
        avoid=avoid,
    )


def read_description(
    text: str,
    *,
    api_key: str | None = None,
    model: str = DEFAULT_GEMINI_MODEL,
    client: object | None = None,
) -> Description:
    """Describe mode: the hosted model when an API key is configured, else the offline
    rules; if the hosted call fails (network, quota) the offline rules answer."""
    if not api_key:
        return describe(text)
    try:
        return describe_hosted(text, api_key=api_key, model=model, client=client)
    except NotUnderstood:
        raise
    except Exception as exc:  # any client or network failure: fall back, do not fail
        import logging

        logging.getLogger(__name__).warning(
            "hosted description failed, using the offline rules", extra={"error": str(exc)}
        )
        return describe(text)
