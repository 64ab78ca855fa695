"""The seed's tables: ``choreography_tasks`` and ``blueprints``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography.models.library import (
    Song,
    check,
    choices_of,
    knob_checks,
    optional_text,
)


def new_task_id() -> str:
    """A new task id: a UUID4 as a 36-character string."""
    return str(uuid.uuid4())


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
    difficulty = models.CharField(max_length=12, choices=choices_of(DIFFICULTIES))
    energy_level = models.CharField(max_length=6, choices=choices_of(ENERGY_LEVELS))
    style = models.CharField(max_length=12, choices=choices_of(STYLES))
    status = models.CharField(
        max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING, db_index=True
    )
    stage = models.CharField(max_length=40, blank=True, default="")
    progress = models.PositiveSmallIntegerField(default=0)
    error_message = models.TextField(blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    output_video_uri = models.CharField(max_length=1024, blank=True, default="")
    stream_uri = optional_text(1024, "While the render runs: its preview stream's HLS playlist.")
    render_stats = models.JSONField(
        default=dict, blank=True, help_text="Timings and cache figures of the last render."
    )
    unrenderable_reason = optional_text(
        300, "Why the blueprint can no longer be rendered (its moves were removed)."
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
            check("tasks_progress_0_100", models.Q(progress__gte=0) & models.Q(progress__lte=100)),
            check("tasks_status_valid", models.Q(status__in=TaskStatus.values)),
            *knob_checks("tasks"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} ({self.status})"


class BlueprintRecord(models.Model):
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
