"""Accounts: sign-up and API tokens. Nobody can make themselves staff here."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
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


class TooManyAttempts(BachataError):
    """Too many failed logins for this account or from this address: wait and retry."""

    code = "rate_limited"


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
