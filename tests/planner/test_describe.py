"""Describe mode offline: 30+ phrasings, nonsense and other languages refused, not guessed."""

from __future__ import annotations

import pytest

from bachata.planner.describe import NotUnderstood, describe

CASES = [
    # text, difficulty, energy, style, prefer, avoid
    (
        "slow sensual routine for a beginner couple, lots of body waves, no dips",
        "beginner",
        "low",
        "sensual",
        ("body",),
        ("dip",),
    ),
    (
        "fast dominican footwork for advanced dancers",
        "advanced",
        "high",
        "dominican",
        ("footwork",),
        (),
    ),
    ("something romantic with some turns but no spins", None, "low", None, ("turn",), ("spin",)),
    ("easy modern choreo please", "beginner", None, "modern", (), ()),
    ("I want a challenging, energetic routine", "advanced", "high", None, (), ()),
    ("intermediate level, medium energy, urban style", "intermediate", "medium", "modern", (), ()),
    ("We are first timers and want something calm", "beginner", "low", None, (), ()),
    ("party vibes, lots of spins and shadow position", None, "high", None, ("shadow", "spin"), ()),
    (
        "traditional bachata with plenty of footwork for our wedding",
        None,
        None,
        "dominican",
        ("footwork",),
        (),
    ),
    ("no dips please, my partner has a bad back", None, None, None, (), ("dip",)),
    (
        "smooth and sexy, include hip rolls and head rolls",
        None,
        "low",
        "sensual",
        ("head", "hip"),
        (),
    ),
    ("expert level competition piece with dips", "advanced", None, None, ("dip",), ()),
    ("a gentle bolero for an anniversary", None, "low", "bolero", (), ()),
    ("Give me a fiery show off routine without turns", "advanced", "high", None, (), ("turn",)),
    ("basics only, we never danced before", "beginner", None, None, ("basic",), ()),
    ("moderate pace, some arm styling", None, "medium", None, ("styling",), ()),
    ("contemporary fusion, intense, lots of body rolls", None, "high", "modern", ("body",), ()),
    ("not too hard, steady, sensual", "intermediate", "medium", "sensual", (), ()),
    (
        "Sensual bachata for improvers; avoid shadow position",
        "intermediate",
        None,
        "sensual",
        (),
        ("shadow",),
    ),
    ("ADVANCED DOMINICAN, FAST!!!", "advanced", "high", "dominican", (), ()),
    ("chill routine with waves", None, "low", None, ("wave",), ()),
    ("upbeat old-school dance with golpes", None, "high", "dominican", ("footwork",), ()),
    ("a relaxed beginner dance with fewer spins", "beginner", "low", None, (), ("spin",)),
    ("simple steps, quick tempo, no hair flips", "beginner", "high", None, (), ("head",)),
    (
        "complex modern routine focus on footwork and turns",
        "advanced",
        None,
        "modern",
        ("footwork", "turn"),
        (),
    ),
    ("Something lively for a party with friends", None, "high", None, (), ()),
    (
        "close connection and body movement for intermediate dancers",
        "intermediate",
        None,
        "sensual",
        ("body",),
        (),
    ),
    (
        "medium energy modern routine with dips and spins",
        None,
        "medium",
        "modern",
        ("dip", "spin"),
        (),
    ),
    ("beginner friendly, but skip the dips and spins", "beginner", None, None, (), ("dip", "spin")),
    ("Corazón: a slow, romantic bolero", None, "low", "bolero", (), ()),
]


@pytest.mark.parametrize(("text", "difficulty", "energy", "style", "prefer", "avoid"), CASES)
def test_phrasings(text, difficulty, energy, style, prefer, avoid):
    result = describe(text)
    assert (result.difficulty, result.energy_level, result.style) == (difficulty, energy, style)
    assert (result.prefer, result.avoid) == (prefer, avoid)
    assert result.text == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "asdf qwerty zxcv",
        "lorem ipsum dolor sit amet",
        "42",
        "bachata sensual para principiantes sin giros",
        "langsame bachata fuer anfaenger bitte",
        "bachata lenta e romantica per principianti",
        "🙂🙂🙂",
        "the and of to",
        "x" * 2500,
    ],
)
def test_nonsense_and_other_languages_are_not_guessed(text):
    with pytest.raises(NotUnderstood, match="could not understand"):
        describe(text)


class FakeModels:
    def __init__(self, answer: str | Exception):
        self.answer = answer
        self.calls = []

    def generate_content(self, **request):
        self.calls.append(request)
        if isinstance(self.answer, Exception):
            raise self.answer

        class Response:
            text = self.answer

        return Response()


class FakeGemini:
    def __init__(self, answer):
        self.models = FakeModels(answer)


def test_hosted_path_sends_the_exact_request():
    from google.genai import types

    from bachata.planner.describe import GEMINI_INSTRUCTION, GEMINI_SCHEMA, describe_hosted

    client = FakeGemini(
        '{"understood": true, "difficulty": "beginner", "energy_level": "low",'
        ' "style": "sensual", "prefer": ["body", "rocket"], "avoid": ["dip"]}'
    )
    result = describe_hosted(
        "  slow sensual for beginners, body waves, no dips ",
        api_key="k",
        model="gemini-2.5-flash",
        client=client,
    )
    (call,) = client.models.calls
    assert call["model"] == "gemini-2.5-flash"
    assert call["contents"] == "slow sensual for beginners, body waves, no dips"
    config = call["config"]
    assert isinstance(config, types.GenerateContentConfig)
    assert config.system_instruction == GEMINI_INSTRUCTION
    assert config.response_mime_type == "application/json"
    assert config.response_json_schema == GEMINI_SCHEMA and config.temperature == 0.0
    assert (result.difficulty, result.energy_level, result.style) == ("beginner", "low", "sensual")
    assert (result.prefer, result.avoid) == (("body",), ("dip",))  # unknown kinds dropped


def test_hosted_answers_outside_the_vocabulary_are_dropped_and_refusals_kept():
    from bachata.planner.describe import describe_hosted

    odd = FakeGemini(
        '{"understood": true, "difficulty": "grandmaster", "energy_level": "high",'
        ' "style": "salsa", "prefer": [], "avoid": []}'
    )
    result = describe_hosted("very fast", api_key="k", client=odd)
    assert (result.difficulty, result.energy_level, result.style) == (None, "high", None)
    refusing = FakeGemini(
        '{"understood": false, "difficulty": null, "energy_level": null,'
        ' "style": null, "prefer": [], "avoid": []}'
    )
    with pytest.raises(NotUnderstood):
        describe_hosted("blorp", api_key="k", client=refusing)


def test_without_a_key_or_when_the_service_fails_the_offline_rules_answer():
    from bachata.planner.describe import read_description

    text = "fast dominican footwork for advanced dancers"
    offline = describe(text)
    assert read_description(text) == offline
    broken = FakeGemini(ConnectionError("no network"))
    assert read_description(text, api_key="k", client=broken) == offline
    assert len(broken.models.calls) == 1
