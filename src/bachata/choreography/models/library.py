"""Songs (with their analyses) and moves: the libraries choreographies are made from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.moves.manifest import ROLES


def choices_of(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Django choices for a vocabulary: each value with its capitalised label."""
    return [(v, v.capitalize()) for v in values]


def check(name: str, condition: models.Q) -> models.CheckConstraint:
    """A CHECK constraint called ``name``."""
    return models.CheckConstraint(condition=condition, name=name)


def positive(
    table: str, column: str, *, name: str | None = None, nullable: bool = False
) -> models.CheckConstraint:
    """``column > 0`` (or NULL when ``nullable``), called ``<table>_<name>_positive``."""
    condition = models.Q(**{f"{column}__gt": 0})
    if nullable:
        condition = models.Q(**{f"{column}__isnull": True}) | condition
    return check(f"{table}_{name or column}_positive", condition)


def knob_checks(table: str) -> list[models.CheckConstraint]:
    """The difficulty, energy level and style columns hold known values."""
    return [
        check(f"{table}_difficulty_valid", models.Q(difficulty__in=DIFFICULTIES)),
        check(f"{table}_energy_valid", models.Q(energy_level__in=ENERGY_LEVELS)),
        check(f"{table}_style_valid", models.Q(style__in=STYLES)),
    ]


def optional_text(max_length: int, help_text: str) -> models.CharField:
    """A text column that may be empty (``""`` in Python and in the database)."""
    return models.CharField(
        max_length=max_length, blank=True, default="", db_default="", help_text=help_text
    )


class SongAnalysisRecord(models.Model):
    """One analysis of one audio content by one analyser version (computed once)."""

    audio_sha256 = models.CharField(max_length=64)
    analyser_version = models.CharField(max_length=20)
    result = models.JSONField(help_text="bachata.music.SongAnalysis.to_dict()")
    seconds = models.FloatField(default=0.0, help_text="How long the analysis took.")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "song_analyses"
        constraints = [
            models.UniqueConstraint(
                fields=["audio_sha256", "analyser_version"], name="song_analyses_unique"
            )
        ]

    def __str__(self) -> str:
        return f"analysis v{self.analyser_version} of {self.audio_sha256[:12]}"


class Song(models.Model):
    """A song the user can dance to, with its stored analysis."""

    title = models.CharField(max_length=300)
    artist = models.CharField(max_length=300, blank=True, default="")
    audio_path = models.CharField(
        max_length=1024, help_text="Relative path under the data root, or a gs:// URI."
    )
    audio_sha256 = models.CharField(
        max_length=64,
        db_index=True,
        help_text="SHA-256 of the audio; the file and its analysis are shared by content, "
        "the song record belongs to one owner.",
    )
    bpm = models.FloatField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="Seconds.")
    analysis = models.ForeignKey(
        SongAnalysisRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    grid_correction = models.JSONField(
        null=True,
        blank=True,
        help_text="A dancer's correction of the analysed beat grid: "
        '{"shift_beats": -3..4, "tempo": null | "double" | "half"}. '
        "The stored analysis itself is never changed.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="songs",
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "songs"
        ordering = ["title"]
        constraints = [
            # One record per owner and audio (the shared library is the owner NULL).
            models.UniqueConstraint(
                fields=["uploaded_by", "audio_sha256"],
                name="songs_one_per_owner",
                nulls_distinct=False,
            ),
            positive("songs", "bpm", nullable=True),
            positive("songs", "duration", nullable=True),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist}" if self.artist else self.title


class Move(models.Model):
    """One dance-move clip of the library, with what the blueprint's move block needs."""

    move_id = models.CharField(
        max_length=160,
        primary_key=True,
        help_text="The id in blueprints: <library>:<id>, or the bare id in the demo library.",
    )
    library = models.CharField(
        max_length=40,
        default="demo",
        db_default="demo",
        db_index=True,
        help_text="The library the move was imported with (bachata moves list --library).",
    )
    move_name = models.CharField(max_length=200)
    video_path = models.CharField(max_length=1024)
    duration = models.FloatField(help_text="Clip length in seconds.")
    difficulty = models.CharField(max_length=12, choices=choices_of(DIFFICULTIES))
    energy_level = models.CharField(max_length=6, choices=choices_of(ENERGY_LEVELS))
    style = models.CharField(max_length=12, choices=choices_of(STYLES))
    length_counts = models.PositiveSmallIntegerField(
        default=8, help_text="Length of the move in counts (a multiple of 8)."
    )
    tempo_bpm = models.FloatField(help_text="Tempo the clip was danced at.")
    count1_offset = models.FloatField(
        default=0.0, help_text="Seconds into the clip where count 1 falls."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the clip file.")
    family = models.CharField(max_length=40, blank=True, default="")
    role = models.CharField(
        max_length=10,
        choices=[(r, r) for r in ROLES],
        default="basic",
        db_default="basic",
        help_text="What the move does in a routine (from the manifest, or its label and id).",
    )
    entry_position = models.CharField(
        max_length=10, default="closed", help_text="Dance position the move starts from."
    )
    exit_position = models.CharField(
        max_length=10, default="closed", help_text="Dance position the move ends in."
    )
    fps = models.FloatField(default=30.0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    has_audio = models.BooleanField(default=False)
    timing_measured = models.BooleanField(
        default=False, help_text="Tempo/count 1 measured from the clip's audio."
    )
    timing_corrected = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Tempo/count 1 set by an operator; re-imports keep them.",
    )
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "moves"
        ordering = ["move_id"]
        constraints = [
            positive("moves", "duration"),
            positive("moves", "tempo_bpm", name="tempo"),
            *knob_checks("moves"),
            check("moves_at_least_one_eight_count", models.Q(length_counts__gte=8)),
        ]

    def __str__(self) -> str:
        return f"{self.move_name} ({self.move_id})"

    @property
    def eight_counts(self) -> int:
        """Length in 8-counts."""
        return self.length_counts // 8
