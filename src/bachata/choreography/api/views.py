"""The REST API: thin views that parse input, call one service or selector, and answer.

Every route but sign-up, login and health needs authentication (token or session);
tasks, blueprints and videos answer 404 to anyone but their owner.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.validators import RegexValidator
from django.db import connection
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
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bachata.blueprint.model import MAX_FPS
from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography import selectors, services
from bachata.choreography.client_ip import client_ip
from bachata.choreography.models import ChoreographyTask, Song
from bachata.choreography.ranged import ranged_file_response, stored_file_response
from bachata.errors import BachataError, NotFound
from bachata.render.stream import PLAYLIST

#: The media type of an HLS playlist (RFC 8216).
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"

#: Text with a visible character and no NUL byte (which PostgreSQL cannot store).
_TEXT = RegexValidator(r"^[^\x00]*[^\s\x00][^\x00]*$", "must not be blank or hold NUL bytes")


_NOTE = RegexValidator(r"^[^\x00]*$", "must not hold NUL bytes")


def _text(**kwargs: object) -> serializers.CharField:
    """A text field that must not be blank, which the schema says too (its pattern)."""
    return serializers.CharField(min_length=1, validators=[_TEXT], **kwargs)


def _note(**kwargs: object) -> serializers.CharField:
    """An optional text field, possibly blank; the schema's pattern refuses NUL bytes."""
    return serializers.CharField(required=False, allow_blank=True, validators=[_NOTE], **kwargs)


class OutputConfigSerializer(serializers.Serializer):
    video_format = serializers.ChoiceField(["mp4", "mov", "mkv", "webm"], required=False)
    resolution = serializers.RegexField(r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$", required=False)
    fps = serializers.IntegerField(min_value=1, max_value=MAX_FPS, required=False)
    video_codec = serializers.ChoiceField(
        ["libx264", "libx265", "mpeg4", "libvpx-vp9"], required=False
    )
    audio_codec = serializers.ChoiceField(["aac", "libmp3lame", "libopus"], required=False)


class SongSerializer(serializers.ModelSerializer):
    class Meta:
        model = Song
        fields = ["id", "title", "artist", "bpm", "duration", "created_at"]


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


class HealthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=inline_serializer("Health", {"status": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response({"status": "ok"})


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class RegisterInput(serializers.Serializer):
        username = _text(max_length=150)
        password = serializers.CharField(
            min_length=1, max_length=128, write_only=True, trim_whitespace=False
        )
        email = serializers.EmailField(required=False, default="")

    @extend_schema(
        request=RegisterInput,
        responses={
            201: inline_serializer(
                "Registered",
                {"token": serializers.CharField(), "username": serializers.CharField()},
            )
        },
    )
    def post(self, request: Request) -> Response:
        data = self.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        _, token = services.user_token(
            username=user.username,
            password=data.validated_data["password"],
            ip=client_ip(request),
        )
        return Response({"token": token, "username": user.username}, status=201)


class LoginApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class LoginInput(serializers.Serializer):
        username = _text(max_length=150)
        password = serializers.CharField(
            min_length=1, max_length=128, write_only=True, trim_whitespace=False
        )

    @extend_schema(
        request=LoginInput,
        responses=inline_serializer(
            "Token", {"token": serializers.CharField(), "username": serializers.CharField()}
        ),
    )
    def post(self, request: Request) -> Response:
        data = self.LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = services.user_token(**data.validated_data, ip=client_ip(request))
        return Response({"token": token, "username": user.username})


class SongListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class SongUploadInput(serializers.Serializer):
        file = serializers.FileField()
        title = _note(max_length=300)
        artist = _note(max_length=300)

    @extend_schema(responses=SongSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(SongSerializer(selectors.visible_songs(user=request.user), many=True).data)

    @extend_schema(
        request={"multipart/form-data": SongUploadInput},
        responses={201: SongSerializer, 200: SongSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.SongUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        song, created = services.song_add_upload(
            upload=data.validated_data["file"],
            title=data.validated_data.get("title"),
            artist=data.validated_data.get("artist") or "",
            user=request.user,
        )
        return Response(SongSerializer(song).data, status=201 if created else 200)


class MoveListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        style = serializers.ChoiceField(STYLES, required=False)
        difficulty = serializers.ChoiceField(DIFFICULTIES, required=False)
        energy_level = serializers.ChoiceField(ENERGY_LEVELS, required=False)
        library = _text(max_length=40, required=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses=inline_serializer(
            "Move",
            {
                "move_id": serializers.CharField(),
                "library": serializers.CharField(),
                "move_name": serializers.CharField(),
                "difficulty": serializers.CharField(),
                "energy_level": serializers.CharField(),
                "style": serializers.CharField(),
                "length_counts": serializers.IntegerField(),
                "tempo": serializers.FloatField(),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        # A plain dict: an empty value is refused, not read as "no filter" (form rules).
        filters = self.FilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        moves = selectors.moves_list(**filters.validated_data)
        return Response([selectors.move_block(m) for m in moves])


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
        description = _text(
            max_length=2000,
            required=False,
            help_text="Describe mode: the dancer's words.",
        )
        library = _text(
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

    @extend_schema(request=GenerateInput, responses={202: dict})
    def post(self, request: Request) -> Response:
        data = self.GenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        song = selectors.visible_songs(user=request.user).filter(pk=values.pop("song_id")).first()
        if song is None:
            raise NotFound("no such song")
        output = values.pop("output_config", None)
        from bachata.blueprint import OutputConfig

        prefs = services.preferences_get(user=request.user)  # defaults for what is missing
        if values.get("description"):
            wishes = services.description_read(text=values["description"])
            for key in ("difficulty", "energy_level", "style"):
                if getattr(wishes, key):
                    values.setdefault(key, getattr(wishes, key))
        for key in ("difficulty", "energy_level", "style"):
            values.setdefault(key, getattr(prefs, key))
        output = {"resolution": prefs.resolution, **(output or {})}

        task = services.choreography_create(
            user=request.user,
            song=song,
            output_config=OutputConfig.parse(output) if output else None,
            **values,
        )
        return _accepted(request, task)


def _own_task(request: Request, task_id: str) -> ChoreographyTask:
    return selectors.task_get(task_id=task_id, user=request.user)


class TaskApi(APIView):
    @extend_schema(responses=dict)
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


class RegenerateApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "generate"

    class Substitution(serializers.Serializer):
        slot = serializers.IntegerField(min_value=0)
        move_id = _text(max_length=160)

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

    @extend_schema(request=RegenerateInput, responses={202: dict})
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


class PreferencesApi(APIView):
    """The dancer's defaults for generating (difficulty, energy, style, quality)."""

    class PreferencesSerializer(serializers.Serializer):
        difficulty = serializers.ChoiceField(DIFFICULTIES, required=False)
        energy_level = serializers.ChoiceField(ENERGY_LEVELS, required=False)
        style = serializers.ChoiceField(STYLES, required=False)
        quality = serializers.ChoiceField(["360p", "480p", "720p", "1080p"], required=False)

    def _out(self, prefs) -> dict:
        return {
            "difficulty": prefs.difficulty,
            "energy_level": prefs.energy_level,
            "style": prefs.style,
            "quality": prefs.quality,
        }

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        return Response(self._out(services.preferences_get(user=request.user)))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def put(self, request: Request) -> Response:
        data = self.PreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        prefs = services.preferences_update(user=request.user, **data.validated_data)
        return Response(self._out(prefs))


class DescribeApi(APIView):
    """Describe mode: words in, the knobs and move wishes out, to confirm before generating."""

    class DescribeInput(serializers.Serializer):
        text = _text(max_length=2000)

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
        wishes = services.description_read(text=data.validated_data["text"])
        prefs = services.preferences_get(user=request.user)
        return Response(
            {
                "difficulty": wishes.difficulty or prefs.difficulty,
                "energy_level": wishes.energy_level or prefs.energy_level,
                "style": wishes.style or prefs.style,
                "prefer": list(wishes.prefer),
                "avoid": list(wishes.avoid),
                "from_text": [
                    k for k in ("difficulty", "energy_level", "style") if getattr(wishes, k)
                ],
            }
        )


def _collection_row(request: Request, item) -> dict:
    task = item.task
    return {
        "id": item.pk,
        "title": item.title,
        "task_id": task.task_id,
        "status": task.status,
        "difficulty": task.difficulty,
        "energy_level": task.energy_level,
        "style": task.style,
        "song": task.song.title if task.song else None,
        "created_at": item.created_at,
        "thumbnail_url": request.build_absolute_uri(reverse("web-thumbnail", args=[task.task_id]))
        if task.status == "completed"
        else None,
    }


class CollectionApi(APIView):
    """The user's saved choreographies: list (filter by difficulty), save, delete all."""

    class SaveInput(serializers.Serializer):
        task_id = _text(max_length=36)
        title = _text(max_length=200)

    @extend_schema(
        parameters=[OpenApiParameter("difficulty", str, enum=list(DIFFICULTIES))],
        responses={200: {"type": "array", "items": {"type": "object"}}},
    )
    def get(self, request: Request) -> Response:
        difficulty = request.query_params.get("difficulty")
        if difficulty is not None and difficulty not in DIFFICULTIES:
            raise BachataError(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        items = selectors.collection_list(user=request.user, difficulty=difficulty)
        return Response([_collection_row(request, i) for i in items])

    @extend_schema(request=SaveInput, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = self.SaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.collection_save(user=request.user, **data.validated_data)
        return Response(_collection_row(request, item), status=201)

    @extend_schema(operation_id="collection_clear", responses={200: dict})
    def delete(self, request: Request) -> Response:
        return Response({"deleted": services.collection_clear(user=request.user)})


class CollectionItemApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, item_id: int) -> Response:
        services.collection_delete(user=request.user, item_id=item_id)
        return Response(status=204)


class CollectionStatsApi(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request) -> Response:
        return Response(selectors.collection_stats(user=request.user))


def _plan_out(plan) -> dict:
    rows = selectors.class_plan_items(plan=plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "notes": plan.notes,
        "minutes": sum(row.item.minutes for row in rows),
        "items": [
            {
                "id": row.item.pk,
                "position": row.item.position,
                "task_id": row.item.task.task_id,
                "song": row.item.task.song.title if row.item.task.song else None,
                "combo": row.item.combo or None,
                "notes": row.item.notes,
                "minutes": row.item.minutes,
                # What to teach: each combo's moves with their counts (1-based).
                "combos": [
                    {
                        "id": c.id,
                        "name": c.name,
                        "eight_counts": c.eight_counts,
                        "repeats": c.repeats,
                        "moves": [
                            {"name": m.name, "counts": [m.first, m.last], "role": m.role}
                            for m in c.moves
                        ],
                    }
                    for c in row.combos
                ],
            }
            for row in rows
        ],
    }


class ClassPlanListApi(APIView):
    """Instructors' class plans."""

    class PlanInput(serializers.Serializer):
        title = _text(max_length=200)
        notes = _note(default="")

    @extend_schema(
        operation_id="class_plans_list",
        responses={200: {"type": "array", "items": {"type": "object"}}},
    )
    def get(self, request: Request) -> Response:
        if not services.is_instructor(request.user):
            return Response([])
        return Response([_plan_out(p) for p in request.user.class_plans.all()])

    @extend_schema(request=PlanInput, responses={201: dict})
    def post(self, request: Request) -> Response:
        data = self.PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.class_plan_create(user=request.user, **data.validated_data)
        return Response(_plan_out(plan), status=201)


class ClassPlanApi(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(_plan_out(services.class_plan_get(user=request.user, plan_id=plan_id)))


class ClassPlanItemsApi(APIView):
    class ItemInput(serializers.Serializer):
        task_id = _text(max_length=36)
        combo = serializers.RegexField(r"^[A-Za-z0-9+_-]{1,20}$", required=False)
        notes = _note(default="")
        minutes = serializers.IntegerField(min_value=1, max_value=240, default=10)

    @extend_schema(request=ItemInput, responses={201: dict})
    def post(self, request: Request, plan_id: int) -> Response:
        data = self.ItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.class_plan_add(user=request.user, plan_id=plan_id, **data.validated_data)
        plan = services.class_plan_get(user=request.user, plan_id=plan_id)
        return Response(_plan_out(plan), status=201)


class ClassPlanOrderApi(APIView):
    class OrderInput(serializers.Serializer):
        item_ids = serializers.ListField(child=serializers.IntegerField(), max_length=500)

    @extend_schema(request=OrderInput, responses=dict)
    def put(self, request: Request, plan_id: int) -> Response:
        data = self.OrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.class_plan_reorder(
            user=request.user, plan_id=plan_id, item_ids=data.validated_data["item_ids"]
        )
        return Response(_plan_out(services.class_plan_get(user=request.user, plan_id=plan_id)))
