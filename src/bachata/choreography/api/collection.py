"""Collection API: the dancer's saved choreographies."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bachata.blueprint.vocabulary import DIFFICULTIES
from bachata.choreography import selectors, services
from bachata.choreography.api.serializers import CollectionItemOut, text_field
from bachata.errors import BachataError


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
        "thumbnail_url": request.build_absolute_uri(reverse("api-thumbnail", args=[task.task_id]))
        if task.status == "completed"
        else None,
    }


class CollectionApi(APIView):
    """The user's saved choreographies: list (filter by difficulty), save, delete all."""

    class SaveInput(serializers.Serializer):
        task_id = text_field(max_length=36)
        title = text_field(max_length=200)

    @extend_schema(
        parameters=[OpenApiParameter("difficulty", str, enum=list(DIFFICULTIES))],
        responses=CollectionItemOut(many=True),
    )
    def get(self, request: Request) -> Response:
        difficulty = request.query_params.get("difficulty")
        if difficulty is not None and difficulty not in DIFFICULTIES:
            raise BachataError(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        items = selectors.collection_list(user=request.user, difficulty=difficulty)
        return Response([_collection_row(request, i) for i in items])

    @extend_schema(request=SaveInput, responses={201: CollectionItemOut})
    def post(self, request: Request) -> Response:
        data = self.SaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.collection_save(user=request.user, **data.validated_data)
        return Response(_collection_row(request, item), status=201)

    @extend_schema(
        operation_id="collection_clear",
        responses={200: inline_serializer("Cleared", {"deleted": serializers.IntegerField()})},
    )
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
