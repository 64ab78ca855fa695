"""Class-plan API: instructors' ordered choreographies (and combos) with notes."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bachata.choreography import selectors, services
from bachata.choreography.api.serializers import ClassPlanOut, note_field, text_field


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
        title = text_field(max_length=200)
        notes = note_field(default="")

    @extend_schema(
        operation_id="class_plans_list",
        responses=ClassPlanOut(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response([_plan_out(p) for p in selectors.class_plans_list(user=request.user)])

    @extend_schema(request=PlanInput, responses={201: ClassPlanOut})
    def post(self, request: Request) -> Response:
        data = self.PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.class_plan_create(user=request.user, **data.validated_data)
        return Response(_plan_out(plan), status=201)


class ClassPlanApi(APIView):
    @extend_schema(responses=ClassPlanOut)
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(_plan_out(services.class_plan_get(user=request.user, plan_id=plan_id)))


class ClassPlanItemsApi(APIView):
    class ItemInput(serializers.Serializer):
        task_id = text_field(max_length=36)
        combo = serializers.RegexField(r"^[A-Za-z0-9+_-]{1,20}$", required=False)
        notes = note_field(default="")
        minutes = serializers.IntegerField(min_value=1, max_value=240, default=10)

    @extend_schema(request=ItemInput, responses={201: ClassPlanOut})
    def post(self, request: Request, plan_id: int) -> Response:
        data = self.ItemInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.class_plan_add(user=request.user, plan_id=plan_id, **data.validated_data)
        plan = services.class_plan_get(user=request.user, plan_id=plan_id)
        return Response(_plan_out(plan), status=201)


class ClassPlanOrderApi(APIView):
    class OrderInput(serializers.Serializer):
        item_ids = serializers.ListField(child=serializers.IntegerField(), max_length=500)

    @extend_schema(request=OrderInput, responses=ClassPlanOut)
    def put(self, request: Request, plan_id: int) -> Response:
        data = self.OrderInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.class_plan_reorder(
            user=request.user, plan_id=plan_id, item_ids=data.validated_data["item_ids"]
        )
        return Response(_plan_out(services.class_plan_get(user=request.user, plan_id=plan_id)))
