"""Serializers shared by the API's resources: text fields, output config, song."""

from __future__ import annotations

from typing import get_args

from django.core.validators import RegexValidator
from rest_framework import serializers

from bachata.blueprint.output import MAX_FPS, AudioCodec, VideoCodec, VideoFormat
from bachata.choreography.models import Song

#: Text with a visible character and no NUL byte (which PostgreSQL cannot store).
_TEXT = RegexValidator(r"^[^\x00]*[^\s\x00][^\x00]*$", "must not be blank or hold NUL bytes")


_NOTE = RegexValidator(r"^[^\x00]*$", "must not hold NUL bytes")


def text_field(**kwargs: object) -> serializers.CharField:
    """A text field that must not be blank, which the schema says too (its pattern)."""
    return serializers.CharField(min_length=1, validators=[_TEXT], **kwargs)


def note_field(**kwargs: object) -> serializers.CharField:
    """An optional text field, possibly blank; the schema's pattern refuses NUL bytes."""
    return serializers.CharField(required=False, allow_blank=True, validators=[_NOTE], **kwargs)


class OutputConfigSerializer(serializers.Serializer):
    video_format = serializers.ChoiceField(get_args(VideoFormat), required=False)
    resolution = serializers.RegexField(r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$", required=False)
    fps = serializers.IntegerField(min_value=1, max_value=MAX_FPS, required=False)
    video_codec = serializers.ChoiceField(get_args(VideoCodec), required=False)
    audio_codec = serializers.ChoiceField(get_args(AudioCodec), required=False)


class SongSerializer(serializers.ModelSerializer):
    class Meta:
        model = Song
        fields = ["id", "title", "artist", "bpm", "duration", "created_at"]


# ------------------------------------------------------------------ what the API answers
# (typed, so that the OpenAPI schema says what each response holds; schemathesis checks
# every answer against it)


class TaskStatusOut(serializers.Serializer):
    task_id = serializers.CharField()
    status = serializers.ChoiceField(["pending", "running", "completed", "failed"])
    stage = serializers.CharField(allow_blank=True)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    error = serializers.CharField(allow_null=True)
    attempts = serializers.IntegerField()
    eta_seconds = serializers.FloatField(allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    source_task_id = serializers.CharField(allow_null=True)
    video_url = serializers.URLField(allow_null=True, help_text="When the video is done.")
    stream_url = serializers.URLField(
        allow_null=True, help_text="While the render runs: its HLS preview playlist."
    )
    blueprint_url = serializers.URLField()


class BlueprintSummaryOut(serializers.Serializer):
    moves = serializers.IntegerField()
    total_duration = serializers.FloatField()
    song = serializers.CharField()
    quality = serializers.JSONField(allow_null=True)


class AcceptedOut(serializers.Serializer):
    task_id = serializers.CharField()
    status = serializers.CharField()
    status_url = serializers.URLField()
    blueprint_url = serializers.URLField()
    blueprint = BlueprintSummaryOut()


class CollectionItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    task_id = serializers.CharField()
    status = serializers.CharField()
    difficulty = serializers.CharField()
    energy_level = serializers.CharField()
    style = serializers.CharField()
    song = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    thumbnail_url = serializers.URLField(allow_null=True)


class SheetMoveOut(serializers.Serializer):
    name = serializers.CharField()
    counts = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=2,
        max_length=2,
        help_text="The move's first and last count (1-based).",
    )
    role = serializers.CharField()


class SheetComboOut(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    eight_counts = serializers.IntegerField()
    repeats = serializers.IntegerField()
    moves = SheetMoveOut(many=True)


class _BlankAsNull(serializers.CharField):
    """Text that is ``null`` when empty."""

    def to_representation(self, value: object) -> str | None:
        return str(value) if value else None


class PlanItemOut(serializers.Serializer):
    """A :class:`~bachata.choreography.selectors.PlanItem`."""

    id = serializers.IntegerField(source="item.pk")
    position = serializers.IntegerField(source="item.position")
    task_id = serializers.CharField(source="item.task.task_id")
    song = serializers.CharField(source="item.task.song.title", allow_null=True)
    combo = _BlankAsNull(source="item.combo", allow_null=True)
    notes = serializers.CharField(source="item.notes", allow_blank=True)
    minutes = serializers.IntegerField(source="item.minutes")
    combos = SheetComboOut(many=True, help_text="What to teach: each combo's moves and counts.")


class ClassPlanOut(serializers.Serializer):
    """A :class:`~bachata.choreography.selectors.ClassSheet`."""

    id = serializers.IntegerField(source="plan.pk")
    title = serializers.CharField(source="plan.title")
    notes = serializers.CharField(source="plan.notes", allow_blank=True)
    minutes = serializers.IntegerField()
    items = PlanItemOut(many=True)
