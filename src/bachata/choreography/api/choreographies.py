"""Choreographies API: generate, status, blueprint, video, preview stream, regenerate,
describe mode and the blueprint analytics.

Tasks, blueprints, videos and streams answer 404 to anyone but their owner.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bachata.blueprint import OutputConfig
from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography import selectors, services
from bachata.choreography.api.serializers import (
    AcceptedOut,
    OutputConfigSerializer,
    TaskStatusOut,
    text_field,
)
from bachata.choreography.models import ChoreographyTask
from bachata.choreography.ranged import (
    ranged_file_response,
    stored_file_response,
    thumbnail_response,
)
from bachata.errors import NotFound
from bachata.render.stream import PLAYLIST

#: The media type of an HLS playlist (RFC 8216).
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"


def _task_status(request: Request, task: ChoreographyTask) -> dict:
    done = task.status == "completed" and task.output_video_uri
    return {
        "task_id": task.task_id,
        "status": task.status,
        "stage": task.stage,
        "progress": task.progress,
        "error": task.error_message or None,
        "attempts": task.attempts,
        "eta_seconds": selectors.render_eta(task=task),
        "created_at": task.created_at,
        "started_at": task.started_at,
        "finished_at": task.finished_at,
        "source_task_id": task.source_task_id,
        "video_url": request.build_absolute_uri(reverse("api-video", args=[task.task_id]))
        if done
        else None,
        # While the render runs: an HLS playlist that grows as the moves are made.
        "stream_url": request.build_absolute_uri(
            reverse("api-stream", args=[task.task_id, PLAYLIST])
        )
        if task.status == "running" and task.stream_uri
        else None,
        "blueprint_url": request.build_absolute_uri(reverse("api-blueprint", args=[task.task_id])),
    }


def _accepted(request: Request, task: ChoreographyTask) -> Response:
    summary = selectors.blueprint_get(task_id=task.task_id, user=request.user).blueprint_json
    status_url = request.build_absolute_uri(reverse("api-task", args=[task.task_id]))
    return Response(
        {
            "task_id": task.task_id,
            "status": task.status,
            "status_url": status_url,
            "blueprint_url": request.build_absolute_uri(
                reverse("api-blueprint", args=[task.task_id])
            ),
            "blueprint": {
                "moves": len(summary["moves"]),
                "total_duration": summary["total_duration"],
                "song": summary["song"]["title"],
                "quality": summary.get("quality"),
            },
        },
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": status_url},
    )


class ChoreographyListApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "generate"

    class GenerateInput(serializers.Serializer):
        song_id = serializers.IntegerField(min_value=1)
        difficulty = serializers.ChoiceField(DIFFICULTIES, required=False)
        energy_level = serializers.ChoiceField(ENERGY_LEVELS, required=False)
        style = serializers.ChoiceField(STYLES, required=False)
        seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
        output_config = OutputConfigSerializer(required=False)
        description = text_field(
            max_length=2000,
            required=False,
            help_text="Describe mode: the dancer's words.",
        )
        library = text_field(
            max_length=40,
            required=False,
            help_text="Plan with the moves of this library only (see GET /api/moves/).",
        )

    def get_throttles(self):  # only generating is rate limited
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        operation_id="choreographies_history",
        parameters=[OpenApiParameter("page", int)],
        responses=inline_serializer(
            "History", {"count": serializers.IntegerField(), "results": serializers.ListField()}
        ),
    )
    def get(self, request: Request) -> Response:
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.task_history(user=request.user), request)
        results = []
        for task in page:
            row = _task_status(request, task)
            blueprint = getattr(task, "blueprint", None)
            row["song"] = task.song.title if task.song else None
            row["parameters"] = {
                "difficulty": task.difficulty,
                "energy_level": task.energy_level,
                "style": task.style,
            }
            row["moves"] = len(blueprint.blueprint_json["moves"]) if blueprint else None
            results.append(row)
        return paginator.get_paginated_response(results)

    @extend_schema(request=GenerateInput, responses={202: AcceptedOut})
    def post(self, request: Request) -> Response:
        data = self.GenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        song = selectors.visible_songs(user=request.user).filter(pk=values.pop("song_id")).first()
        if song is None:
            raise NotFound("no such song")
        output = values.pop("output_config", None) or {}
        knobs = services.generation_knobs(
            user=request.user,
            description=values.get("description"),
            **{k: values.pop(k, None) for k in services.KNOBS},
        )
        task = services.choreography_create(
            user=request.user,
            song=song,
            difficulty=knobs.difficulty,
            energy_level=knobs.energy_level,
            style=knobs.style,
            output_config=OutputConfig.parse({"resolution": knobs.resolution, **output}),
            **values,
        )
        return _accepted(request, task)


def _own_task(request: Request, task_id: str) -> ChoreographyTask:
    return selectors.task_get(task_id=task_id, user=request.user)


class TaskApi(APIView):
    @extend_schema(responses=TaskStatusOut)
    def get(self, request: Request, task_id: str) -> Response:
        return Response(_task_status(request, _own_task(request, task_id)))


class BlueprintApi(APIView):
    """The seed's ``get_blueprint``: ``{task_id, blueprint, created_at}`` for the owner."""

    @extend_schema(
        responses=inline_serializer(
            "BlueprintOut",
            {
                "task_id": serializers.CharField(),
                "blueprint": serializers.JSONField(),
                "created_at": serializers.DateTimeField(),
            },
        )
    )
    def get(self, request: Request, task_id: str) -> Response:
        row = selectors.blueprint_get(task_id=task_id, user=request.user)
        return Response(
            {"task_id": task_id, "blueprint": row.blueprint_json, "created_at": row.created_at}
        )


class VideoApi(APIView):
    """The rendered video, streamed to its owner only (no public URL, no token in a URL)."""

    @extend_schema(
        responses={
            (200, "video/mp4"): bytes,
            302: OpenApiResponse(
                description="With Cloud Storage: to a signed URL of the video, valid for "
                "BACHATA_SIGNED_URL_SECONDS (Cloud Storage serves the byte ranges)."
            ),
        }
    )
    def get(self, request: Request, task_id: str) -> HttpResponse:
        """The video with byte ranges (206), so that players can seek; 416 for bad ranges;
        with Cloud Storage, a redirect to a short-lived signed URL."""
        location = selectors.task_video_location(task=_own_task(request, task_id))
        filename = f"bachata-{task_id}{PurePosixPath(location).suffix}"
        return stored_file_response(request, location, filename=filename)


class StreamApi(APIView):
    """The preview stream of a running render (HLS), for its owner only."""

    @extend_schema(
        responses={
            (200, "application/vnd.apple.mpegurl"): bytes,
            (200, "video/mp2t"): bytes,
        }
    )
    def get(self, request: Request, task_id: str, name: str) -> HttpResponse:
        """``index.m3u8`` (an HLS event playlist, never cached) or one of its segments;
        404 once the render has ended: the finished video is then at ``video_url``."""
        path = selectors.task_stream_path(task=_own_task(request, task_id), name=name)
        if name == PLAYLIST:
            response = HttpResponse(path.read_bytes(), content_type=PLAYLIST_TYPE)
            response["Cache-Control"] = "no-store"
            return response
        return ranged_file_response(request, path, content_type="video/mp2t")


class ThumbnailApi(APIView):
    """A still of the finished video (JPEG, 320 px wide), for its owner."""

    @extend_schema(responses={(200, "image/jpeg"): bytes})
    def get(self, request: Request, task_id: str) -> HttpResponse:
        return thumbnail_response(selectors.task_thumbnail(task=_own_task(request, task_id)))


class RegenerateApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "generate"

    class Substitution(serializers.Serializer):
        slot = serializers.IntegerField(min_value=0)
        move_id = text_field(max_length=160)

    class RegenerateInput(serializers.Serializer):
        blueprint = serializers.JSONField(required=False)
        substitutions = serializers.ListField(required=False, max_length=500)
        output_config = OutputConfigSerializer(required=False)

        def validate_substitutions(self, value: list) -> list:
            checked = []
            for item in value:
                s = RegenerateApi.Substitution(data=item)
                s.is_valid(raise_exception=True)
                checked.append(dict(s.validated_data))
            return checked

        def validate_blueprint(self, value: object) -> object:
            if not isinstance(value, dict):
                raise serializers.ValidationError("must be a JSON object")
            return value

    @extend_schema(request=RegenerateInput, responses={202: AcceptedOut})
    def post(self, request: Request, task_id: str) -> Response:
        data = self.RegenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.choreography_regenerate(
            user=request.user, source_task_id=task_id, **data.validated_data
        )
        return _accepted(request, task)


class StatsApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses=dict)
    def get(self, request: Request) -> Response:
        return Response(selectors.blueprint_analytics())


class DescribeApi(APIView):
    """Describe mode: words in, the knobs and move wishes out, to confirm before generating."""

    class DescribeInput(serializers.Serializer):
        text = text_field(max_length=2000)

    @extend_schema(
        request=DescribeInput,
        responses=inline_serializer(
            "Described",
            {
                "difficulty": serializers.CharField(),
                "energy_level": serializers.CharField(),
                "style": serializers.CharField(),
                "prefer": serializers.ListField(),
                "avoid": serializers.ListField(),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        data = self.DescribeInput(data=request.data)
        data.is_valid(raise_exception=True)
        knobs = services.generation_knobs(
            user=request.user, description=data.validated_data["text"]
        )
        return Response(
            {
                "difficulty": knobs.difficulty,
                "energy_level": knobs.energy_level,
                "style": knobs.style,
                "prefer": list(knobs.wishes.prefer),
                "avoid": list(knobs.wishes.avoid),
                "from_text": knobs.from_text,
            }
        )
