"""Song API: a song's beat grid, and the dancer's corrections of it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bachata.choreography import selectors, services
from bachata.choreography.api.serializers import SongSerializer, note_field
from bachata.music.grid import TEMPO_CHANGES


class GridCorrectionSerializer(serializers.Serializer):
    shift_beats = serializers.IntegerField(required=False, default=0, min_value=-7, max_value=7)
    tempo = serializers.ChoiceField(TEMPO_CHANGES, required=False, allow_null=True)
    taps = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=3600),
        required=False,
        max_length=256,
        help_text="Seconds into the song where the dancer tapped on the 1.",
    )
    reset = serializers.BooleanField(required=False, default=False)


class GridSerializer(serializers.Serializer):
    song_id = serializers.IntegerField()
    bpm = serializers.FloatField()
    beats = serializers.ListField(child=serializers.FloatField())
    downbeats = serializers.ListField(child=serializers.FloatField())
    eight_counts = serializers.ListField(child=serializers.FloatField())
    downbeat_confidence = serializers.FloatField(
        help_text="0-1: how sure the analysis is of the 1 (1 once a dancer corrected it)."
    )
    check_the_one = serializers.BooleanField(
        help_text="True when the 1 is uncertain and nobody has checked it: ask the dancer."
    )
    correction = GridCorrectionSerializer(allow_null=True)


class SongGridApi(APIView):
    """The beat grid plans use: the analysis with the dancer's correction applied."""

    @extend_schema(responses=GridSerializer)
    def get(self, request: Request, song_id: int) -> Response:
        return Response(
            services.song_grid_document(song=selectors.song_get(song_id=song_id, user=request.user))
        )

    @extend_schema(request=GridCorrectionSerializer, responses=GridSerializer)
    def post(self, request: Request, song_id: int) -> Response:
        """Shift the 1 by beats, double or halve the tempo, set the 1 from taps, or reset."""
        song = selectors.song_get(song_id=song_id, user=request.user)
        data = GridCorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.song_grid_correct(song=song, user=request.user, **data.validated_data)
        return Response(services.song_grid_document(song=song))


class SongListApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class SongUploadInput(serializers.Serializer):
        file = serializers.FileField()
        title = note_field(max_length=300)
        artist = note_field(max_length=300)

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
