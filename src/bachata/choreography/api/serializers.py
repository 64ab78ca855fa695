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
