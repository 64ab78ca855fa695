"""A dancer's things: preferences, saved choreographies, instructors' class plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography.models.library import check, choices_of, optional_text
from bachata.choreography.models.tasks import ChoreographyTask

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
    difficulty = models.CharField(
        max_length=12, choices=choices_of(DIFFICULTIES), default="beginner"
    )
    energy_level = models.CharField(
        max_length=6, choices=choices_of(ENERGY_LEVELS), default="medium"
    )
    style = models.CharField(max_length=12, choices=choices_of(STYLES), default="modern")
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
    combo = optional_text(
        20, "Only this combo of the choreography (its id, e.g. A); blank: all of it."
    )
    notes = models.TextField(blank=True, default="")
    minutes = models.PositiveSmallIntegerField(default=10)

    class Meta:
        db_table = "class_plan_items"
        ordering = ["position"]
        constraints = [
            check(
                "class_item_minutes_1_240", models.Q(minutes__gte=1) & models.Q(minutes__lte=240)
            ),
        ]
