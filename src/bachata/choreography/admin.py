"""Django admin for songs, moves, tasks and blueprints (blueprint JSON shown pretty-printed)."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from bachata.choreography.models import (
    BlueprintRecord,
    ChoreographyTask,
    ClassPlan,
    ClassPlanItem,
    CollectionItem,
    Move,
    Preferences,
    Song,
    SongAnalysisRecord,
)


def _pretty_json(value: object) -> str:
    return format_html(
        '<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}</pre>',
        json.dumps(value, indent=2, ensure_ascii=False),
    )


@admin.register(Song)
class SongAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "artist", "bpm", "duration", "created_at"]
    search_fields = ["title", "artist"]
    readonly_fields = ["audio_sha256", "created_at"]


@admin.register(Move)
class MoveAdmin(admin.ModelAdmin):
    list_display = [
        "move_id",
        "library",
        "move_name",
        "role",
        "difficulty",
        "energy_level",
        "style",
        "length_counts",
        "tempo_bpm",
        "count1_offset",
        "timing_corrected",
        "duration",
    ]
    list_filter = ["library", "role", "difficulty", "energy_level", "style", "timing_corrected"]
    search_fields = ["move_id", "move_name"]
    readonly_fields = [
        "checksum",
        "created_at",
        "updated_at",
        "timing_measured",
        "timing_corrected",
    ]

    def save_model(self, request, obj: Move, form, change: bool) -> None:
        """Timing edits go through the service: checked, length recomputed, kept on import."""
        timing = {"tempo_bpm", "count1_offset"} & set(form.changed_data)
        if change and timing:
            from bachata.choreography.services import move_timing_set

            new_tempo, new_offset = obj.tempo_bpm, obj.count1_offset
            original = Move.objects.get(pk=obj.pk)
            obj.tempo_bpm, obj.count1_offset = original.tempo_bpm, original.count1_offset
            super().save_model(request, obj, form, change)
            move_timing_set(move_id=obj.move_id, count1_offset=new_offset, tempo=new_tempo)
            return
        super().save_model(request, obj, form, change)


class _PrettyBlueprint:
    """Shows a blueprint's JSON indented and read-only."""

    @admin.display(description="Blueprint JSON")
    def pretty_blueprint(self, obj: BlueprintRecord) -> str:
        return _pretty_json(obj.blueprint_json)


class BlueprintInline(_PrettyBlueprint, admin.StackedInline):
    model = BlueprintRecord
    can_delete = False
    fields = ["pretty_blueprint", "created_at", "updated_at"]
    readonly_fields = fields


@admin.register(ChoreographyTask)
class ChoreographyTaskAdmin(admin.ModelAdmin):
    list_display = [
        "task_id",
        "user",
        "song",
        "difficulty",
        "energy_level",
        "style",
        "status",
        "progress",
        "created_at",
    ]
    list_filter = ["status", "difficulty", "energy_level", "style"]
    search_fields = ["task_id", "user__username", "song__title"]
    readonly_fields = ["task_id", "created_at", "started_at", "finished_at"]
    inlines = [BlueprintInline]


@admin.register(BlueprintRecord)
class BlueprintAdmin(_PrettyBlueprint, admin.ModelAdmin):
    list_display = ["task_id", "moves", "total_duration", "created_at", "updated_at"]
    search_fields = ["task__task_id"]
    fields = ["task", "pretty_blueprint", "created_at", "updated_at"]
    readonly_fields = fields

    @admin.display(description="Moves")
    def moves(self, obj: BlueprintRecord) -> int:
        return len(obj.blueprint_json.get("moves", []))

    @admin.display(description="Total duration (s)")
    def total_duration(self, obj: BlueprintRecord) -> float | None:
        return obj.blueprint_json.get("total_duration")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(SongAnalysisRecord)
class SongAnalysisAdmin(admin.ModelAdmin):
    list_display = ["audio_sha256", "analyser_version", "seconds", "created_at"]
    fields = ["audio_sha256", "analyser_version", "seconds", "pretty_analysis", "created_at"]
    readonly_fields = fields

    @admin.display(description="Analysis JSON")
    def pretty_analysis(self, obj: SongAnalysisRecord) -> str:
        return _pretty_json(obj.result)


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ["user", "difficulty", "energy_level", "style", "quality", "updated_at"]


@admin.register(CollectionItem)
class CollectionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "task", "created_at"]
    search_fields = ["title", "user__username"]


class ClassPlanItemInline(admin.TabularInline):
    model = ClassPlanItem
    extra = 0


@admin.register(ClassPlan)
class ClassPlanAdmin(admin.ModelAdmin):
    """Staff grant the instructor role by adding users to the ``instructors`` group."""

    list_display = ["title", "owner", "created_at"]
    inlines = [ClassPlanItemInline]
