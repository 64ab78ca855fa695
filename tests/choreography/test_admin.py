"""Django admin: every model is there and the blueprint JSON is readable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bachata.blueprint import parse_blueprint
from bachata.choreography import services
from tests.factories import blueprint_dict

pytestmark = pytest.mark.django_db


def test_admin_pages_show_the_blueprint_pretty_printed(admin_client, admin_user, song):
    doc = parse_blueprint(blueprint_dict(user_id=admin_user.pk, song_id=song.pk))
    task = services.task_create(user=admin_user, song=song, blueprint=doc)
    for model in [
        "song",
        "move",
        "choreographytask",
        "blueprintrecord",
        "songanalysisrecord",
        "preferences",
        "collectionitem",
        "classplan",
    ]:
        assert (
            admin_client.get(reverse(f"admin:choreography_{model}_changelist")).status_code == 200
        )
    page = admin_client.get(
        reverse("admin:choreography_blueprintrecord_change", args=[task.task_id])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "<pre" in html and "&quot;move_name&quot;: &quot;Basic Step&quot;" in html
    task_page = admin_client.get(
        reverse("admin:choreography_choreographytask_change", args=[task.task_id])
    )
    assert "&quot;generation_parameters&quot;" in task_page.content.decode()
