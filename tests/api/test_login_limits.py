"""Login lockout per account and per address, in the shared (PostgreSQL) cache, for the
API and the web form; a client's own X-Forwarded-For does not reset it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, **headers):
    return client.post("/api/auth/login/", {"username": username, "password": password}, **headers)


def test_an_account_locks_after_five_failures_even_for_the_right_password(user):
    client = APIClient()
    codes = [_login(client, "dancer", "wrong").status_code for _ in range(5)]
    assert codes == [401] * 5
    locked = _login(client, "dancer", "bachata-1234!")
    assert locked.status_code == 429 and "15 minutes" in locked.json()["error"]


def test_a_correct_password_clears_the_account_failures(user):
    client = APIClient()
    for _ in range(4):
        _login(client, "dancer", "wrong")
    assert _login(client, "dancer", "bachata-1234!").status_code == 200
    assert [_login(client, "dancer", "wrong").status_code for _ in range(4)] == [401] * 4


def test_an_address_locks_after_ten_failures_and_forwarded_for_is_not_believed(user):
    client = APIClient()
    codes = [
        _login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(11)
    ]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert _login(client, "dancer", "bachata-1234!").status_code == 429
    # The counters are rows in PostgreSQL: every process and gunicorn worker sees them.
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM bachata_cache")
        assert cur.fetchone()[0] >= 2


def test_behind_a_trusted_proxy_each_client_address_counts_alone(user, settings):
    settings.TRUSTED_PROXIES = 1
    client = APIClient()
    for i in range(10):
        _login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _login(client, "x", "y", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    other = _login(client, "dancer", "bachata-1234!", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert other.status_code == 200


def test_the_web_login_form_has_the_same_lockout(client, user):
    for _ in range(5):
        page = client.post("/login/", {"username": "dancer", "password": "wrong"})
        assert page.status_code == 200 and "too many" not in page.content.decode()
    page = client.post("/login/", {"username": "dancer", "password": "bachata-1234!"})
    assert "too many failed logins" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limit_counters_live_in_postgresql_shared_by_every_worker(api, library_song):
    """Throttle counters in a per-process cache let 2 gunicorn workers pass twice the
    limit; in the PostgreSQL cache table every process counts on the same rows."""
    response = api.post(
        "/api/choreographies/",
        {"song_id": library_song.pk, "difficulty": "beginner", "style": "modern"},
        format="json",
    )
    assert response.status_code == 202
    with connection.cursor() as cur:
        cur.execute("SELECT cache_key FROM bachata_cache")
        keys = [row[0] for row in cur.fetchall()]
    assert any("throttle_generate" in key for key in keys), keys
