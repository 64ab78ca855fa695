"""Class-plan API: instructors' ordered choreographies (and combos) with notes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bachata.choreography import selectors, services
from bachata.choreography.api.serializers import ClassPlanOut, note_field, text_field
from bachata.choreography.models import ClassPlan


def _plan_out(plan: ClassPlan) -> dict:
    return ClassPlanOut(selectors.class_plan_sheet(plan=plan)).data


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
