"""Accounts API: health, sign-up, login and the dancer's preferences."""

from __future__ import annotations

from django.db import connection
from drf_spectacular.utils import (
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography import selectors, services
from bachata.choreography.api.serializers import text_field
from bachata.choreography.client_ip import client_ip
from bachata.choreography.models import QUALITY_PRESETS


class HealthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=inline_serializer("Health", {"status": serializers.CharField()}))
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response({"status": "ok"})


class LoginInput(serializers.Serializer):
    username = text_field(max_length=150)
    password = serializers.CharField(
        min_length=1, max_length=128, write_only=True, trim_whitespace=False
    )


class _Public(APIView):
    """Open to anyone, and rate limited like a login (sign-up and login)."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


class RegisterApi(_Public):
    class RegisterInput(LoginInput):
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


class LoginApi(_Public):
    @extend_schema(
        request=LoginInput,
        responses=inline_serializer(
            "Token", {"token": serializers.CharField(), "username": serializers.CharField()}
        ),
    )
    def post(self, request: Request) -> Response:
        data = LoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        user, token = services.user_token(**data.validated_data, ip=client_ip(request))
        return Response({"token": token, "username": user.username})


class PreferencesApi(APIView):
    """The dancer's defaults for generating (difficulty, energy, style, quality)."""

    class PreferencesSerializer(serializers.Serializer):
        difficulty = serializers.ChoiceField(DIFFICULTIES, required=False)
        energy_level = serializers.ChoiceField(ENERGY_LEVELS, required=False)
        style = serializers.ChoiceField(STYLES, required=False)
        quality = serializers.ChoiceField(list(QUALITY_PRESETS), required=False)

    def _out(self, prefs) -> dict:
        return {
            "difficulty": prefs.difficulty,
            "energy_level": prefs.energy_level,
            "style": prefs.style,
            "quality": prefs.quality,
        }

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        return Response(self._out(selectors.preferences_get(user=request.user)))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def put(self, request: Request) -> Response:
        data = self.PreferencesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        prefs = services.preferences_update(user=request.user, **data.validated_data)
        return Response(self._out(prefs))
