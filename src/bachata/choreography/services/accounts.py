"""Accounts: sign-up and API tokens. Nobody can make themselves staff here."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from bachata.errors import BachataError, Conflict


class AuthFailed(BachataError):
    """Wrong username or password."""

    code = "not_authenticated"


@transaction.atomic
def user_register(*, username: str, password: str, email: str = "") -> AbstractBaseUser:
    """Create an ordinary user (never staff, never superuser) after validating the password."""
    User = get_user_model()
    username = username.strip()
    if not username or len(username) > 150:
        raise BachataError("username must be 1-150 characters")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(f"the username {username!r} is taken")
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise BachataError("password: " + " ".join(exc.messages)) from None
    return User.objects.create_user(username=username, password=password, email=email)


def user_token(*, username: str, password: str) -> tuple[AbstractBaseUser, str]:
    """Check the credentials; return the user and their API token."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise AuthFailed("wrong username or password")
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key
