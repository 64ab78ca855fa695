"""Tables of the seed document: ``choreography_tasks`` and ``blueprints``, plus songs and moves.

Models hold data and database constraints only; every write goes through
``services.py`` and every non-trivial read through ``selectors.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.moves.manifest import ROLES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.capitalize()) for v in values]


def new_task_id() -> str:
    """A new task id: a UUID4 as a 36-character string."""
    return str(uuid.uuid4())


class SongAnalysisRecord(models.Model):
    """One analysis of one audio content by one analyser version (computed once)."""

    audio_sha256 = models.CharField(max_length=64)
    analyser_version = models.CharField(max_length=20)
    analysis = models.JSONField(help_text="bachata.music.SongAnalysis.to_dict()")
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
            models.CheckConstraint(
                condition=models.Q(bpm__isnull=True) | models.Q(bpm__gt=0),
                name="songs_bpm_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(duration__isnull=True) | models.Q(duration__gt=0),
                name="songs_duration_positive",
            ),
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
    difficulty = models.CharField(max_length=12, choices=_choices(DIFFICULTIES))
    energy_level = models.CharField(max_length=6, choices=_choices(ENERGY_LEVELS))
    style = models.CharField(max_length=12, choices=_choices(STYLES))
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
            models.CheckConstraint(
                condition=models.Q(duration__gt=0), name="moves_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(tempo_bpm__gt=0), name="moves_tempo_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=DIFFICULTIES), name="moves_difficulty_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(energy_level__in=ENERGY_LEVELS), name="moves_energy_valid"
            ),
            models.CheckConstraint(condition=models.Q(style__in=STYLES), name="moves_style_valid"),
            models.CheckConstraint(
                condition=models.Q(length_counts__gte=8), name="moves_at_least_one_eight_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.move_name} ({self.move_id})"

    @property
    def eight_counts(self) -> int:
        """Length in 8-counts."""
        return self.length_counts // 8


class TaskStatus(models.TextChoices):
    """``pending → running → completed | failed``."""

    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class ChoreographyTask(models.Model):
    """One request to turn a song into a video; the seed's ``choreography_tasks``."""

    task_id = models.CharField(max_length=36, primary_key=True, default=new_task_id)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="choreography_tasks"
    )
    song = models.ForeignKey(
        Song, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    difficulty = models.CharField(max_length=12, choices=_choices(DIFFICULTIES))
    energy_level = models.CharField(max_length=6, choices=_choices(ENERGY_LEVELS))
    style = models.CharField(max_length=12, choices=_choices(STYLES))
    status = models.CharField(
        max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING, db_index=True
    )
    stage = models.CharField(max_length=40, blank=True, default="")
    progress = models.PositiveSmallIntegerField(default=0)
    error_message = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    output_video_uri = models.CharField(max_length=1024, blank=True, default="")
    stream_uri = models.CharField(
        max_length=1024,
        blank=True,
        default="",
        db_default="",
        help_text="While the render runs: its preview stream's HLS playlist.",
    )
    render_stats = models.JSONField(
        default=dict, blank=True, help_text="Timings and cache figures of the last render."
    )
    unrenderable_reason = models.CharField(
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text="Why the blueprint can no longer be rendered (its moves were removed).",
    )
    source_task = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_tasks",
        help_text="The task whose blueprint this one was regenerated or edited from.",
    )
    created_at = models.DateTimeField(db_default=Now())
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "choreography_tasks"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="tasks_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=100),
                name="tasks_progress_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values), name="tasks_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=DIFFICULTIES), name="tasks_difficulty_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(energy_level__in=ENERGY_LEVELS), name="tasks_energy_valid"
            ),
            models.CheckConstraint(condition=models.Q(style__in=STYLES), name="tasks_style_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} ({self.status})"


class Blueprint(models.Model):
    """The seed's ``blueprints`` table: the permanent plan of a task's video.

    The foreign key to ``choreography_tasks`` is created by migration SQL with
    ``ON DELETE CASCADE`` so the database itself removes a task's blueprint.
    """

    task = models.OneToOneField(
        ChoreographyTask,
        on_delete=models.CASCADE,
        primary_key=True,
        db_column="task_id",
        db_constraint=False,
        related_name="blueprint",
    )
    blueprint_json = models.JSONField()
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "blueprints"
        indexes = [models.Index(fields=["created_at"], name="blueprints_created_at")]

    def __str__(self) -> str:
        return f"Blueprint {self.task_id}"


#: Output quality presets a dancer can choose: name -> resolution.
QUALITY_PRESETS = {"360p": "640x360", "480p": "854x480", "720p": "1280x720", "1080p": "1920x1080"}


class Preferences(models.Model):
    """A dancer's defaults: they prefill the generate form and the API."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="bachata_preferences",
    )
    difficulty = models.CharField(max_length=12, choices=_choices(DIFFICULTIES), default="beginner")
    energy_level = models.CharField(max_length=6, choices=_choices(ENERGY_LEVELS), default="medium")
    style = models.CharField(max_length=12, choices=_choices(STYLES), default="modern")
    quality = models.CharField(
        max_length=6, default="720p", choices=[(k, k) for k in QUALITY_PRESETS]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "user_preferences"

    def __str__(self) -> str:
        return f"preferences of {self.user}"

    @property
    def resolution(self) -> str:
        """The resolution of the chosen quality."""
        return QUALITY_PRESETS[self.quality]


class CollectionItem(models.Model):
    """A choreography a dancer saved under a title of their own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection"
    )
    task = models.ForeignKey(ChoreographyTask, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "collection_items"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "task"], name="collection_once_per_task")
        ]

    def __str__(self) -> str:
        return self.title


class ClassPlan(models.Model):
    """An instructor's lesson: an ordered list of choreographies with notes and minutes."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_plans"
    )
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "class_plans"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ClassPlanItem(models.Model):
    """One choreography of a class plan, at a position, with notes and estimated minutes."""

    plan = models.ForeignKey(ClassPlan, on_delete=models.CASCADE, related_name="items")
    task = models.ForeignKey(ChoreographyTask, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    combo = models.CharField(
        max_length=20,
        blank=True,
        default="",
        db_default="",
        help_text="Only this combo of the choreography (its id, e.g. A); blank: all of it.",
    )
    notes = models.TextField(blank=True, default="")
    minutes = models.PositiveSmallIntegerField(default=10)

    class Meta:
        db_table = "class_plan_items"
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1) & models.Q(minutes__lte=240),
                name="class_item_minutes_1_240",
            ),
        ]
