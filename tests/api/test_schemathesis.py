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
