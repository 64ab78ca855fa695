"""Moves API: the move library, filtered."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography import selectors
from bachata.choreography.api.serializers import text_field


class MoveListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        style = serializers.ChoiceField(STYLES, required=False)
        difficulty = serializers.ChoiceField(DIFFICULTIES, required=False)
        energy_level = serializers.ChoiceField(ENERGY_LEVELS, required=False)
        library = text_field(max_length=40, required=False)

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
