"""Accounts: sign-up and API tokens. Nobody can make themselves staff here."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from bachata.errors import BachataError, Conflict


class AuthFailed(BachataError, code="not_authenticated"):
    """Wrong username or password."""


@transaction.atomic
def user_register(*, username: str, password: str, email: str = "") -> AbstractBaseUser:
    """Create an ordinary user (never staff, never superuser) after validating the password."""
    User = get_user_model()
    username = username.strip()
    if not username or len(username) > 150:
        raise BachataError("username must be 1-150 characters")
    try:  # the same rule as the web sign-up form
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise BachataError("username: " + " ".join(exc.messages)) from None
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"the username {username!r} is taken")
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise BachataError("password: " + " ".join(exc.messages)) from None
    return User.objects.create_user(username=username, password=password, email=email)


class TooManyAttempts(BachataError, code="rate_limited"):
    """Too many failed logins for this account or from this address: wait and retry."""


#: Failed logins allowed per account in ACCOUNT_WINDOW_S, and per address in IP_WINDOW_S.
ACCOUNT_FAILURES, ACCOUNT_WINDOW_S = 5, 15 * 60
IP_FAILURES, IP_WINDOW_S = 10, 60


def _keys(username: str, ip: str) -> tuple[str, str]:
    return f"login-fail:user:{username.strip().lower()}", f"login-fail:ip:{ip}"


def login_check(*, username: str, ip: str) -> None:
    """Refuse a login attempt while the account or the address is locked out.

    Counters live in the shared cache (PostgreSQL), so every web process and every
    gunicorn worker sees the same ones.

    Raises
    ------
    TooManyAttempts
        After :data:`ACCOUNT_FAILURES` failures for the account within 15 minutes, or
        :data:`IP_FAILURES` from the address within a minute.
    """
    account, address = _keys(username, ip)
    if (cache.get(account) or 0) >= ACCOUNT_FAILURES:
        raise TooManyAttempts("too many failed logins for this account: try again in 15 minutes")
    if (cache.get(address) or 0) >= IP_FAILURES:
        raise TooManyAttempts("too many failed logins from here: try again in a minute")


def login_failed(*, username: str, ip: str) -> None:
    """Count a failed login against the account and the address."""
    for key, window in zip(_keys(username, ip), (ACCOUNT_WINDOW_S, IP_WINDOW_S), strict=True):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired in between
                cache.add(key, 1, timeout=window)


def login_succeeded(*, username: str) -> None:
    """A correct password clears the account's failures."""
    cache.delete(_keys(username, "")[0])


def user_token(*, username: str, password: str, ip: str) -> tuple[AbstractBaseUser, str]:
    """Check the credentials (with the login lockout); return the user and their API token."""
    login_check(username=username, ip=ip)
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        login_failed(username=username, ip=ip)
        raise AuthFailed("wrong username or password")
    login_succeeded(username=username)
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def user_export(*, user: AbstractBaseUser) -> bytes:
    """A zip of everything the user made: each blueprint in the seed's API shape
    (``blueprints/<task_id>.json``), their tasks, songs (with grid corrections),
    preferences and account details, as JSON."""
    import io
    import json
    import zipfile

    from django.forms.models import model_to_dict

    from bachata.choreography.models import BlueprintRecord, ChoreographyTask, Preferences, Song

    def dump(value: object) -> str:
        return json.dumps(value, indent=2, default=str, ensure_ascii=False)

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "account.json",
            dump({"username": user.get_username(), "email": getattr(user, "email", ""),
                  "date_joined": getattr(user, "date_joined", None)}),
        )  # fmt: skip
        tasks = ChoreographyTask.objects.filter(user=user).order_by("created_at")
        archive.writestr("tasks.json", dump([model_to_dict(t, exclude=["user"]) for t in tasks]))
        for row in BlueprintRecord.objects.filter(task__user=user).order_by("created_at"):
            archive.writestr(
                f"blueprints/{row.task_id}.json",
                dump(
                    {
                        "task_id": row.task_id,
                        "blueprint": row.blueprint_json,
                        "created_at": row.created_at,
                    }
                ),
            )
        songs = Song.objects.filter(uploaded_by=user).order_by("pk")
        archive.writestr(
            "songs.json",
            dump([model_to_dict(s, exclude=["uploaded_by", "analysis"]) for s in songs]),
        )
        prefs = Preferences.objects.filter(user=user).first()
        archive.writestr(
            "preferences.json", dump(model_to_dict(prefs, exclude=["user"]) if prefs else {})
        )
    return buffer.getvalue()


def user_delete(*, user: AbstractBaseUser) -> None:
    """Delete the account and everything that belongs to it.

    Tasks go with their blueprints, collection items and class plans (the database's
    cascades); the user's rendered videos are removed from storage; their own songs are
    deleted (never handed to the shared library), and an audio file or analysis that
    no other song uses any more is removed too.
    """
    from django.conf import settings

    from bachata.choreography.models import ChoreographyTask, Song, SongAnalysisRecord
    from bachata.storage import storage_for

    storage = storage_for(settings.BACHATA)
    videos = list(
        ChoreographyTask.objects.filter(user=user)
        .exclude(output_video_uri="")
        .values_list("output_video_uri", flat=True)
    )
    songs = list(Song.objects.filter(uploaded_by=user).values_list("audio_path", "audio_sha256"))
    with transaction.atomic():
        ChoreographyTask.objects.filter(user=user).delete()
        Song.objects.filter(uploaded_by=user).delete()
        user.delete()
        orphans = [
            (path, sha) for path, sha in songs if not Song.objects.filter(audio_path=path).exists()
        ]
        SongAnalysisRecord.objects.filter(audio_sha256__in=[sha for _, sha in orphans]).delete()
    for location in [*videos, *(path for path, _ in orphans)]:
        storage.delete(location)
