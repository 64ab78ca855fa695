"""Property-based API testing from the OpenAPI schema, with every schemathesis check:
no 5xx, every status and response shape documented, invalid requests refused and valid
ones accepted (settings in ``schemathesis.toml``)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# A binary field (the song upload) is a file: bytes, sent as a file part (never empty:
# the schema says minLength 1).
schemathesis.openapi.format("binary", st.binary(min_size=1, max_size=256))


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: requests must not close the test's DB connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, django_user_model, keep_test_connection):
    from rest_framework.authtoken.models import Token

    user = django_user_model.objects.create_user(username="fuzzer", password="fuzz-bachata-99")
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples on every run: main stays green or red, not flaky
    database=None,
)
def test_every_check_passes(case, token):
    response = case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, checks=CHECKS.get_all()
    )
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        assert "error" in response.json()


@pytest.mark.django_db
def test_real_answers_match_their_documented_shapes(library_song, user, keep_test_connection):
    """The typed responses (status, 202 accepted, collection, class plan) on real data:
    random requests rarely reach them, so each is checked against the schema here."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token
    from werkzeug.test import Client

    from bachata.choreography.models import ChoreographyTask

    user.groups.add(Group.objects.get_or_create(name="instructors")[0])
    client = Client(get_wsgi_application())
    auth = {"Authorization": f"Token {Token.objects.create(user=user).key}"}

    def call(method: str, template: str, path: str, body: dict | None = None) -> dict:
        response = client.open(path, method=method, json=body, headers=auth)
        schema[template][method].validate_response(response)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.get_json()

    generate = {"song_id": library_song.pk}
    made = call("POST", "/api/choreographies/", "/api/choreographies/", generate)
    task_id = made["task_id"]
    ChoreographyTask.objects.filter(task_id=task_id).update(status="completed")
    status = call("GET", "/api/choreographies/{task_id}/", f"/api/choreographies/{task_id}/")
    assert status["status"] == "completed" and status["video_url"] is None  # no file yet
    call("POST", "/api/collection/", "/api/collection/", {"task_id": task_id, "title": "Boda"})
    call("GET", "/api/collection/", "/api/collection/")
    plan = call("POST", "/api/class-plans/", "/api/class-plans/", {"title": "Lunes"})
    items = f"/api/class-plans/{plan['id']}/items/"
    body = call("POST", "/api/class-plans/{plan_id}/items/", items, {"task_id": task_id})
    assert body["items"][0]["combos"] and body["items"][0]["combos"][0]["moves"]
    call("GET", "/api/class-plans/", "/api/class-plans/")
