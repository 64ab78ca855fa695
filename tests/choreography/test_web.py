"""The web pages, through Django's test client (the browser tests drive the same pages)."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from bachata.choreography import services
from bachata.choreography.models import ChoreographyTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def task(user, tiny_library, audio_dir, data_root):
    services.moves_import(path=tiny_library)
    song, _ = services.song_add(path=audio_dir / "song.wav", title="Web Song")
    return services.choreography_create(
        user=user, song=song, difficulty="beginner", energy_level="medium", style="modern", seed=2
    )


def test_signup_logs_in_and_refuses_weak_passwords(client, django_user_model):
    weak = client.post("/signup/", {"username": "luz", "password1": "abc", "password2": "abc"})
    assert weak.status_code == 200 and b"errorlist" in weak.content
    made = client.post(
        "/signup/",
        {
            "username": "luz",
            "password1": "merengue-Y-bachata-9",
            "password2": "merengue-Y-bachata-9",
        },
    )
    assert made.status_code == 302
    assert not django_user_model.objects.get(username="luz").is_staff
    assert client.get("/songs/").status_code == 200


def test_pages_need_login(client, task):
    """Every page but sign-up and login, including each task's and each song's pages."""
    from bachata.choreography.web.urls import urlpatterns

    values = {"task_id": task.task_id, "song_id": task.song_id, "plan_id": 1}
    public = {"web-home", "web-sample", "web-signup", "login", "logout"}
    checked = 0
    for pattern in urlpatterns:
        if pattern.name in public:
            continue
        kwargs = {k: values[k] for k in pattern.pattern.converters}
        url = reverse(pattern.name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        checked += 1
    assert checked == len(urlpatterns) - len(public)


def test_upload_errors_are_shown_inline(logged_in, audio_dir, data_root):
    with open(audio_dir / "picture.mp3", "rb") as f:
        page = logged_in.post("/songs/", {"file": f})
    assert page.status_code == 200
    assert b"picture.mp3: piped png sequence is not a song format" in page.content
    with open(audio_dir / "song.flac", "rb") as f:
        done = logged_in.post("/songs/", {"file": f, "title": "Flac song"}, follow=True)
    assert b"Flac song" in done.content and b"126.0" in done.content


def test_generate_then_task_blueprint_and_history(logged_in, task):
    page = logged_in.get(f"/choreographies/{task.task_id}/")
    assert page.status_code == 200 and b'data-status-url="/api/choreographies/' in page.content
    blueprint = logged_in.get(f"/choreographies/{task.task_id}/blueprint/")
    html = blueprint.content.decode()
    assert "<title>Blueprint · Bachata Buddy</title>" in html
    moves = ChoreographyTask.objects.get(pk=task.pk).blueprint.blueprint_json["moves"]
    assert html.count('<g class="move"') == len(moves)
    assert len(re.findall(r'<line x1="[\d.]+"', html)) >= len(moves)
    # For dancers: moves numbered from 1 and named, times in the video (from 0:00), and
    # the engineering figures behind "details".
    first = moves[0]["move_name"]
    assert f'data-number="1" data-name="{first}"' in html and 'data-number="0"' not in html
    assert "<td>0:00.0\u2013" in html
    before, details = html.split('<details id="details">')
    times = "\u00d7"  # the clip speed factor
    assert "seed" not in before and times not in before
    assert "seed" in details and times in details
    downloaded = logged_in.get(f"/choreographies/{task.task_id}/blueprint.json")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert json.loads(downloaded.content)["task_id"] == task.task_id
    history = logged_in.get("/choreographies/").content.decode()
    assert "Web Song" in history and "pending" in history


def test_generate_form_creates_a_task(logged_in, task):
    response = logged_in.post(
        "/choreographies/new/",
        {
            "song": task.song_id,
            "difficulty": "intermediate",
            "energy_level": "high",
            "style": "modern",
        },
    )
    assert response.status_code == 302
    new = ChoreographyTask.objects.exclude(pk=task.pk).get()
    assert response["Location"] == f"/choreographies/{new.task_id}/"
    impossible = logged_in.post(
        "/choreographies/new/",
        {"song": task.song_id, "difficulty": "beginner", "energy_level": "low", "style": "bolero"},
    )
    assert impossible.status_code == 200 and b"no bolero moves" in impossible.content
    # The form says so before anyone tries: bolero is disabled, with the reason.
    page = logged_in.get("/choreographies/new/").content.decode()
    card = re.search(r'<input type="radio" name="style" value="bolero".*?</label>', page, re.S)[0]
    assert " disabled" in card and "no moves in the library yet" in card
    modern = re.search(r'<input type="radio" name="style" value="modern"[^>]*>', page)[0]
    assert "disabled" not in modern
    assert "Close connection: body waves" in page  # each choice explained for dancers


def test_swap_and_output_actions_make_new_tasks(logged_in, task):
    response = logged_in.post(
        f"/choreographies/{task.task_id}/regenerate/",
        {"action": "output", "resolution": "640x360", "fps": "24"},
    )
    assert response.status_code == 302
    new = ChoreographyTask.objects.get(source_task=task)
    assert new.blueprint.blueprint_json["output_config"]["resolution"] == "640x360"
    bad = logged_in.post(
        f"/choreographies/{task.task_id}/regenerate/",
        {"action": "swap", "slot": "0", "move_id": "nope"},
        follow=True,
    )
    assert b"unknown move" in bad.content


def test_other_users_get_404_everywhere(client, other_user, task):
    client.force_login(other_user)
    for name in ["web-task", "web-blueprint", "web-blueprint-json", "web-video", "web-thumbnail"]:
        assert client.get(reverse(name, args=[task.task_id])).status_code == 404, name
    assert client.post(reverse("web-regenerate", args=[task.task_id])).status_code == 404


def test_analytics_page_for_staff_only(logged_in, admin_client, task):
    assert logged_in.get("/analytics/").status_code == 302
    page = admin_client.get("/analytics/").content.decode()
    assert 'id="total"' in page and "<rect" in page


def _checked(html: str, knob: str) -> str:
    """The value of the checked card of ``knob`` on the generate page."""
    return re.search(rf'name="{knob}" value="(\w+)"[^>]* checked', html)[1]


def test_describe_mode_on_the_generate_page(logged_in, task):
    read = logged_in.post(
        "/choreographies/new/",
        {
            "action": "describe",
            "song": task.song_id,
            "description": "fast modern routine for advanced dancers, no dips",
        },
    ).content.decode()
    assert _checked(read, "difficulty") == "advanced" and _checked(read, "energy_level") == "high"
    assert "No dip." in read
    assert 'name="read" value="fast modern routine for advanced dancers, no dips"' in read
    made = logged_in.post(
        "/choreographies/new/",
        {
            "action": "generate",
            "song": task.song_id,
            "difficulty": "intermediate",
            "energy_level": "high",
            "style": "modern",
            "description": "fast modern routine for advanced dancers, no dips",
            "read": "fast modern routine for advanced dancers, no dips",
        },
    )
    assert made.status_code == 302
    new = ChoreographyTask.objects.exclude(pk=task.pk).get()
    params = new.blueprint.blueprint_json["generation_parameters"]
    assert params["ai_mode"] and params["difficulty_level"] == "intermediate"  # confirmed knob
    assert params["avoid"] == ["dip"]
    nonsense = logged_in.post(
        "/choreographies/new/",
        {"action": "describe", "song": task.song_id, "description": "blorp zindle"},
        follow=True,
    ).content.decode()
    assert 'id="description-error">could not understand' in nonsense
    assert 'value="blorp zindle"' in nonsense  # the words stay in the box


def test_unread_words_are_read_on_generate_and_shown_before_anything_is_made(logged_in, task):
    """Generate without "Read my words": the words are read, the knobs they chose are
    shown for confirmation, and nothing is generated until the dancer confirms."""
    words = "fast dominican footwork for advanced dancers"
    first = logged_in.post(
        "/choreographies/new/",
        {
            "action": "generate",
            "song": task.song_id,
            "difficulty": "beginner",
            "energy_level": "medium",
            "style": "sensual",
            "description": words,
        },
    )
    page = first.content.decode()
    assert first.status_code == 200 and 'id="wishes"' in page
    assert _checked(page, "difficulty") == "advanced" and _checked(page, "energy_level") == "high"
    assert _checked(page, "style") == "dominican"
    assert ChoreographyTask.objects.count() == 1  # nothing new yet
    confirmed = logged_in.post(
        "/choreographies/new/",
        {
            "action": "generate",
            "song": task.song_id,
            "difficulty": "advanced",
            "energy_level": "high",
            "style": "dominican",
            "description": words,
            "read": words,
        },
    )
    assert confirmed.status_code == 302
    new = ChoreographyTask.objects.exclude(pk=task.pk).get()
    assert (new.difficulty, new.energy_level, new.style) == ("advanced", "high", "dominican")


def test_uploads_over_the_size_limit_are_refused_on_both_paths(
    logged_in, audio_dir, data_root, monkeypatch, user
):
    from rest_framework.test import APIClient

    from bachata.choreography.models import Song
    from bachata.choreography.services import songs as song_services

    monkeypatch.setattr(song_services, "MAX_UPLOAD_BYTES", 1000)
    with open(audio_dir / "song.flac", "rb") as f:
        page = logged_in.post("/songs/", {"file": f})
    assert b"song.flac: the file is over" in page.content
    api = APIClient()
    api.force_authenticate(user)
    with open(audio_dir / "song.flac", "rb") as f:
        response = api.post("/api/songs/", {"file": f}, format="multipart")
    assert response.status_code == 413 and "the file is over" in response.json()["error"]
    assert not Song.objects.exists()


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/bachata/favicon.svg"


def test_waiting_page_speaks_dancer_and_offers_no_save_before_the_video(logged_in, task):
    page = logged_in.get(f"/choreographies/{task.task_id}/").content.decode()
    assert 'role="status" aria-live="polite"' in page and 'role="progressbar"' in page
    assert "You can leave this page" in page and 'id="save"' not in page


def test_a_failed_render_is_explained_with_a_way_to_try_again(logged_in, task):
    ChoreographyTask.objects.filter(pk=task.pk).update(
        status="failed", error_message="Bachata_steps/body/hip_roll.mp4: no such file"
    )
    page = logged_in.get(f"/choreographies/{task.task_id}/").content.decode()
    assert "One of the dance clips or the song is missing" in page
    assert 'name="action" value="rerender"' in page and "Try again" in page
    assert page.index("Try again") < page.index("hip_roll.mp4")  # the raw text is in details
    assert 'id="save"' not in page
    again = logged_in.post(f"/choreographies/{task.task_id}/regenerate/", {"action": "rerender"})
    assert again.status_code == 302
    assert ChoreographyTask.objects.filter(source_task=task).count() == 1


def test_the_home_page_says_what_the_app_does_and_shows_the_two_ways_in(client, django_user_model):
    page = client.get("/").content.decode()
    assert "Your song, your bachata routine" in page
    assert 'id="way-song"' in page and 'id="way-describe"' in page
    assert 'id="sample"' not in page and client.get("/sample.mp4").status_code == 404
    made = client.post(
        "/signup/",
        {
            "username": "nueva",
            "password1": "Bachata-sensual-2024",
            "password2": "Bachata-sensual-2024",
            "next": "/choreographies/new/",
        },
    )
    assert made["Location"] == "/choreographies/new/"
    client.logout()
    elsewhere = client.post(
        "/signup/",
        {
            "username": "otra",
            "password1": "Bachata-sensual-2024",
            "password2": "Bachata-sensual-2024",
            "next": "https://evil.example/",
        },
    )
    assert elsewhere["Location"] == "/songs/"


def test_the_sample_is_the_demo_accounts_newest_video(client, task, data_root, django_user_model):
    demo = django_user_model.objects.create_user(username="demo", password="x-Bachata-2024")
    video = data_root / "choreographies" / f"{task.task_id}.mp4"
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(b"\x00" * 2048)
    ChoreographyTask.objects.filter(pk=task.pk).update(
        user=demo, status="completed", output_video_uri=f"choreographies/{task.task_id}.mp4"
    )
    assert 'id="sample"' in client.get("/").content.decode()
    part = client.get("/sample.mp4", HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part["Content-Range"] == "bytes 0-99/2048"


def test_not_found_and_forbidden_pages_are_in_the_apps_style(client, other_user, task):
    client.force_login(other_user)
    page = client.get(f"/choreographies/{task.task_id}/")
    assert page.status_code == 404
    html = page.content.decode()
    assert 'id="not-found"' in html and "belongs to" in html and 'id="menu-toggle"' in html
    assert task.task_id not in html


def test_history_titles_tell_choreographies_apart(logged_in, task, user):
    services.choreography_regenerate(user=user, source_task_id=task.task_id)
    page = logged_in.get("/choreographies/").content.decode()
    assert page.count("Web Song") == 2 and page.count("(edited)") == 1
    assert "beginner · medium · modern ·" in page


def test_saving_keeps_the_dancer_on_the_video_and_keeps_a_custom_title(logged_in, task):
    ChoreographyTask.objects.filter(pk=task.pk).update(status="completed")
    page_url = f"/choreographies/{task.task_id}/"
    body = {"action": "save", "task_id": task.task_id, "title": "Boda de Ana", "next": page_url}
    saved = logged_in.post("/collection/", body)
    assert saved.status_code == 302 and saved["Location"] == page_url
    page = logged_in.get(page_url).content.decode()
    assert "In your collection as <strong>Boda de Ana</strong>" in page
    assert 'value="Boda de Ana"' in page  # saving again keeps the custom title
    away = logged_in.post("/collection/", {**body, "next": "https://evil.example/"})
    assert away["Location"] == "/collection/"
    empty = logged_in.get("/collection/?difficulty=advanced").content.decode()
    assert "No advanced choreographies saved" in empty
