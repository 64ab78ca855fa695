"""Server-rendered pages for dancers: thin views over the same services and selectors."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bachata.blueprint import OutputConfig, QualityReport
from bachata.choreography import selectors, services
from bachata.choreography.models import ChoreographyTask, Move, Song
from bachata.choreography.ranged import stored_file_response
from bachata.choreography.web.forms import (
    GenerateForm,
    OutputForm,
    PreferencesForm,
    SignUpForm,
    SongUploadForm,
    SwapForm,
)
from bachata.choreography.web.timeline import ENERGY_COLOURS, combo_rows, timeline
from bachata.errors import BachataError, Forbidden, NotFound
from bachata.planner.quality import alignment_summary


def _own_task(request: HttpRequest, task_id: str) -> ChoreographyTask:
    try:
        return selectors.task_get(task_id=task_id, user=request.user)
    except NotFound:
        raise Http404("no such choreography") from None


def _safe_next(request: HttpRequest) -> str | None:
    """The request's ``next`` (POST, else GET) if it points into this site, else None."""
    following = request.POST.get("next") or request.GET.get("next") or ""
    if following and url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return following
    return None


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:  # the form shows the errors; the account is made as the API makes it
            user = services.user_register(
                username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except BachataError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user)
            return redirect(_safe_next(request) or "web-songs")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: what the app does, a sample video, the two ways in."""
    sample = selectors.sample_task()
    return render(request, "bachata/home.html", {"sample": sample})


def sample_video(request: HttpRequest) -> HttpResponse:
    """The home page's sample: the demo account's newest video (public by design)."""
    task = selectors.sample_task()
    if task is None:
        raise Http404("no sample video yet: run `make demo`")
    return _stored(request, task.output_video_uri)


@login_required
def songs(request: HttpRequest) -> HttpResponse:
    form = SongUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            song, created = services.song_add_upload(
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                artist=form.cleaned_data["artist"],
                user=request.user,
            )
        except BachataError as exc:
            form.add_error("file", str(exc))
        else:
            verb = "added" if created else "was already in your library"
            messages.success(request, f"{song.title} {verb}: {song.bpm:.1f} BPM")
            return redirect("web-songs")
    library = selectors.visible_songs(user=request.user)
    return render(request, "bachata/songs.html", {"form": form, "songs": library})


@login_required
def song_page(request: HttpRequest, song_id: int) -> HttpResponse:
    """A song's beat grid: hear a click on each 1, move it, halve or double it, or tap it."""
    song = _visible_song(request, song_id)
    if request.method == "POST":
        try:
            services.song_grid_correct(
                song=song,
                user=request.user,
                shift_beats=int(request.POST.get("shift_beats") or 0),
                tempo=request.POST.get("tempo") or None,
                taps=_taps(request.POST.get("taps", "")),
                reset=bool(request.POST.get("reset")),
            )
        except (BachataError, ValueError) as exc:
            messages.error(request, str(exc) if isinstance(exc, BachataError) else "bad input")
        else:
            messages.success(request, "Grid saved: new choreographies of this song use it.")
        return redirect("web-song", song_id=song.pk)
    grid = services.song_grid_document(song=song)
    data = {k: grid[k] for k in ("beats", "downbeats", "eight_counts")}
    can_correct = request.user.is_staff or song.uploaded_by_id == request.user.pk
    return render(
        request,
        "bachata/song.html",
        {"song": song, "grid": grid, "grid_data": data, "can_correct": can_correct},
    )


def _visible_song(request: HttpRequest, song_id: int) -> Song:
    try:
        return selectors.song_get(song_id=song_id, user=request.user)
    except NotFound:
        raise Http404("no such song") from None


def _taps(text: str) -> list[float] | None:
    values = [float(v) for v in text.split(",") if v.strip()][:256]
    return values or None


@login_required
def song_audio(request: HttpRequest, song_id: int) -> HttpResponse:
    """The song's audio, with byte ranges so that the player can seek."""
    return _stored(request, _visible_song(request, song_id).audio_path)


@login_required
def generate(request: HttpRequest) -> HttpResponse:
    library = selectors.visible_songs(user=request.user)
    styles = selectors.library_styles()
    libraries = selectors.move_libraries()
    knobs = services.generation_knobs(user=request.user)
    initial = {"song": request.GET.get("song"), **{k: getattr(knobs, k) for k in services.KNOBS}}
    description = (request.POST.get("description") or "").strip()
    read = (request.POST.get("read") or "").strip()  # the words whose knobs are shown
    wishes, describe_error = None, ""
    # Words are read before anything is generated — on "Read my words", and on
    # Generate when they changed since — and the knobs they chose are shown to confirm.
    # Words that cannot be read stay in the box, with the reason beside them.
    must_read = (
        request.method == "POST"
        and bool(description)
        and (request.POST.get("action") == "describe" or description != read)
    )
    if must_read:
        try:
            knobs = services.generation_knobs(user=request.user, description=description)
        except BachataError as exc:
            describe_error = str(exc)
        else:
            initial.update({k: getattr(knobs, k) for k in services.KNOBS})
            wishes, read = knobs.wishes, description
        initial["song"] = request.POST.get("song") or initial["song"]
        initial["library"] = request.POST.get("library", "")
        form = GenerateForm(songs=library, initial=initial, styles=styles, libraries=libraries)
    else:
        form = GenerateForm(
            request.POST or None,
            songs=library,
            initial=initial,
            styles=styles,
            libraries=libraries,
        )
    if request.method == "POST" and not must_read and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.choreography_create(
                user=request.user,
                song=data["song"],
                difficulty=data["difficulty"],
                energy_level=data["energy_level"],
                style=data["style"],
                output_config=OutputConfig(resolution=knobs.resolution),
                description=description or None,
                library=data["library"] or None,
            )
        except BachataError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("web-task", task_id=task.task_id)
    return render(
        request,
        "bachata/generate.html",
        {
            "form": form,
            "has_songs": library.exists(),
            "description": description,
            "read": read,
            "wishes": wishes,
            "describe_error": describe_error,
        },
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = selectors.preferences_get(user=request.user)
    form = PreferencesForm(
        request.POST or None,
        initial={
            "difficulty": prefs.difficulty,
            "energy_level": prefs.energy_level,
            "style": prefs.style,
            "quality": prefs.quality,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Preferences saved")
        return redirect("web-preferences")
    return render(request, "bachata/preferences.html", {"form": form})


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    """Everything the user made, as a zip."""
    response = HttpResponse(services.user_export(user=request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="bachata-buddy-my-data.zip"'
    return response


@login_required
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account and all its data, after the password is confirmed."""
    if not request.user.check_password(request.POST.get("password", "")):
        messages.error(request, "That is not your password: nothing was deleted.")
        return redirect("web-preferences")
    services.user_delete(user=request.user)
    logout(request)
    messages.success(request, "Your account and everything in it is deleted.")
    return redirect("login")


@login_required
def history(request: HttpRequest) -> HttpResponse:
    tasks = selectors.task_history(user=request.user)[:100]
    return render(request, "bachata/history.html", {"tasks": tasks})


def failure_in_words(message: str) -> str:
    """What a render failure means for a dancer, and what to do about it."""
    text = message.lower()
    if "no such file" in text or "not found" in text or "missing" in text:
        return (
            "One of the dance clips or the song is missing (it may have been removed "
            "from the library). Try again, or swap that move on the blueprint page."
        )
    if "time limit" in text:
        return "Making it took longer than allowed. Try again, or pick a smaller video size."
    if "internal error" in text or "space" in text:
        return "Something went wrong on our side. Please try again in a moment."
    return "Something in this choreography could not be turned into a video. Try again."


@login_required
def task_page(request: HttpRequest, task_id: str) -> HttpResponse:
    task = _own_task(request, task_id)
    timeline = selectors.practice_timeline(task=task) if task.status == "completed" else None
    practice = timeline.to_json() if timeline is not None else None
    failure = failure_in_words(task.error_message) if task.status == "failed" else ""
    saved = selectors.collection_list(user=request.user).filter(task=task).first()
    return render(
        request,
        "bachata/task.html",
        {"task": task, "practice": practice, "failure": failure, "saved": saved},
    )


def _alignment(blueprint: dict) -> str:
    quality = blueprint.get("quality")
    return alignment_summary(QualityReport(**quality)) if quality else ""


@login_required
def blueprint_page(request: HttpRequest, task_id: str) -> HttpResponse:
    task = _own_task(request, task_id)
    try:
        row = selectors.blueprint_get(task_id=task_id, user=request.user)
    except NotFound:
        raise Http404("this choreography has no blueprint any more") from None
    blueprint = row.blueprint_json
    blocks, grid = timeline(blueprint, selectors.song_eight_counts(song=task.song))
    moves = Move.objects.order_by("style", "difficulty", "move_name")
    return render(
        request,
        "bachata/blueprint.html",
        {
            "task": task,
            "blueprint": blueprint,
            "alignment": _alignment(blueprint),
            "blocks": blocks,
            "combos": combo_rows(
                selectors.combo_sheet(blueprint_json=blueprint), blueprint["moves"][0]["start_time"]
            ),
            "plans": list(request.user.class_plans.all())
            if selectors.is_instructor(request.user)
            else [],
            "grid": grid,
            "colours": ENERGY_COLOURS,
            "moves": moves,
            "output_form": OutputForm(
                initial={
                    "resolution": blueprint["output_config"]["resolution"],
                    "fps": blueprint["output_config"]["fps"],
                }
            ),
        },
    )


@login_required
@require_POST
def regenerate(request: HttpRequest, task_id: str) -> HttpResponse:
    _own_task(request, task_id)
    action = request.POST.get("action", "rerender")
    kwargs: dict = {}
    if action == "swap":
        form = SwapForm(request.POST)
        if not form.is_valid():
            messages.error(request, "choose a slot and a move to swap in")
            return redirect("web-blueprint", task_id=task_id)
        kwargs["substitutions"] = [form.cleaned_data]
    elif action == "output":
        form = OutputForm(request.POST)
        if not form.is_valid():
            messages.error(request, "choose a resolution and frame rate")
            return redirect("web-blueprint", task_id=task_id)
        kwargs["output_config"] = form.cleaned_data
    try:
        new = services.choreography_regenerate(user=request.user, source_task_id=task_id, **kwargs)
    except BachataError as exc:
        messages.error(request, str(exc))
        return redirect("web-blueprint", task_id=task_id)
    return redirect("web-task", task_id=new.task_id)


@login_required
def blueprint_download(request: HttpRequest, task_id: str) -> HttpResponse:
    _own_task(request, task_id)
    try:
        row = selectors.blueprint_get(task_id=task_id, user=request.user)
    except NotFound:
        raise Http404("no blueprint") from None
    response = HttpResponse(
        json.dumps(row.blueprint_json, indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="blueprint-{task_id}.json"'
    return response


def _stored(request: HttpRequest, location: str, **kwargs: object) -> HttpResponse:
    """A stored file (see :func:`stored_file_response`); 404 if it has gone missing."""
    try:
        return stored_file_response(request, location, **kwargs)
    except NotFound:
        raise Http404("no such file") from None


@login_required
def video(request: HttpRequest, task_id: str) -> HttpResponse:
    task = _own_task(request, task_id)
    try:
        location = selectors.task_video_location(task=task)
        return stored_file_response(
            request,
            location,
            filename=f"bachata-{task_id}{Path(location).suffix}",
            as_attachment=request.GET.get("download") == "1",
        )
    except NotFound:
        raise Http404("no video yet") from None


@login_required
def thumbnail(request: HttpRequest, task_id: str) -> FileResponse:
    """A frame of the video, extracted once and cached."""
    try:
        target = selectors.task_thumbnail(
            task=_own_task(request, task_id), cache_dir=settings.BACHATA.cache_dir
        )
    except NotFound:
        raise Http404("no video yet") from None
    response = FileResponse(target.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@user_passes_test(lambda u: u.is_active and u.is_staff)
def analytics(request: HttpRequest) -> HttpResponse:
    data = selectors.blueprint_analytics()
    top = max((m["count"] for m in data["popular_moves"]), default=1) or 1
    bars = [
        {**m, "y": 12 * i, "width": round(380 * m["count"] / top)}
        for i, m in enumerate(data["popular_moves"])
    ]
    return render(
        request,
        "bachata/analytics.html",
        {
            "data": data,
            "bars": bars,
            "chart_height": 12 * len(bars) + 4,
        },
    )


@login_required
def collection(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                services.collection_save(
                    user=request.user,
                    task_id=request.POST["task_id"],
                    title=request.POST.get("title", ""),
                )
                messages.success(request, "Saved to your collection")
                if back := _safe_next(request):
                    return redirect(back)  # saving from the video page stays there
            elif action == "delete":
                services.collection_delete(user=request.user, item_id=int(request.POST["item"]))
            elif action == "clear":
                count = services.collection_clear(user=request.user)
                messages.success(request, f"Removed {count} from your collection")
        except (BachataError, KeyError, ValueError) as exc:
            messages.error(request, str(exc) if isinstance(exc, BachataError) else "bad request")
        return redirect("web-collection")
    difficulty = request.GET.get("difficulty") or None
    return render(
        request,
        "bachata/collection.html",
        {
            "items": selectors.collection_list(user=request.user, difficulty=difficulty),
            "stats": selectors.collection_stats(user=request.user),
            "difficulty": difficulty,
        },
    )


def _instructor(request: HttpRequest) -> None:
    """The one answer to "not an instructor" (403), as the API's."""
    try:
        selectors.instructor_check(request.user)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None


@login_required
def class_plans(request: HttpRequest) -> HttpResponse:
    _instructor(request)
    if request.method == "POST":
        try:
            plan = services.class_plan_create(
                user=request.user,
                title=request.POST.get("title", ""),
                notes=request.POST.get("notes", ""),
            )
        except BachataError as exc:
            messages.error(request, str(exc))
            return redirect("web-class-plans")
        return redirect("web-class-plan", plan_id=plan.pk)
    return render(
        request,
        "bachata/class_plans.html",
        {"plans": selectors.class_plans_list(user=request.user)},
    )


def _add_to_plan(request: HttpRequest, plan_id: int) -> None:
    services.class_plan_add(
        user=request.user,
        plan_id=plan_id,
        task_id=request.POST.get("task_id", ""),
        combo=request.POST.get("combo", ""),
        notes=request.POST.get("notes", ""),
        minutes=int(request.POST.get("minutes") or 10),
    )


@login_required
@require_POST
def class_plan_add(request: HttpRequest) -> HttpResponse:
    """Add a choreography, or one of its combos, to the class plan named in the form
    (from the blueprint page: "Week 1: combo A")."""
    _instructor(request)
    try:
        plan_id = int(request.POST.get("plan") or 0)
        _add_to_plan(request, plan_id)
    except NotFound:
        raise Http404("no such class plan") from None
    except (BachataError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("web-blueprint", task_id=request.POST.get("task_id", ""))
    messages.success(request, "Added to the class plan.")
    return redirect("web-class-plan", plan_id=plan_id)


@login_required
def class_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    _instructor(request)
    try:
        plan = services.class_plan_get(user=request.user, plan_id=plan_id)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "add":
                _add_to_plan(request, plan_id)
            elif action in ("up", "down"):
                services.class_plan_move(
                    user=request.user,
                    plan_id=plan_id,
                    item_id=int(request.POST["item"]),
                    step=-1 if action == "up" else 1,
                )
            elif action == "remove":
                services.class_plan_remove(
                    user=request.user, plan_id=plan_id, item_id=int(request.POST["item"])
                )
            return redirect("web-class-plan", plan_id=plan_id)
    except NotFound:
        raise Http404("no such class plan") from None
    except (BachataError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("web-class-plan", plan_id=plan_id)
    items = selectors.class_plan_items(plan=plan)
    template = (
        "bachata/class_plan_print.html" if request.GET.get("print") else ("bachata/class_plan.html")
    )
    return render(
        request,
        template,
        {
            "plan": plan,
            "items": items,
            "minutes": sum(row.item.minutes for row in items),
            "tasks": selectors.task_history(user=request.user).filter(status="completed")[:200],
        },
    )
