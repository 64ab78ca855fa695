"""Choreography pages: home, generate, history, the video page with its practice player,
the blueprint page, re-render, downloads and the analytics.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bachata.blueprint import OutputConfig
from bachata.choreography import selectors, services
from bachata.choreography.ranged import stored_file_response, thumbnail_response
from bachata.choreography.web.forms import (
    GenerateForm,
    OutputForm,
    SwapForm,
)
from bachata.choreography.web.shortcuts import own_task, stored
from bachata.choreography.web.timeline import ENERGY_COLOURS, combo_rows, timeline
from bachata.errors import BachataError, NotFound
from bachata.planner.quality import alignment_summary


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: what the app does, a sample video, the two ways in."""
    sample = selectors.sample_task()
    return render(request, "bachata/home.html", {"sample": sample})


def sample_video(request: HttpRequest) -> HttpResponse:
    """The home page's sample: the demo account's newest video (public by design)."""
    task = selectors.sample_task()
    if task is None:
        raise Http404("no sample video yet: run `make demo`")
    return stored(request, task.output_video_uri)


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
    task = own_task(request, task_id)
    timeline = selectors.practice_timeline(task=task) if task.status == "completed" else None
    practice = timeline.to_json() if timeline is not None else None
    failure = failure_in_words(task.error_message) if task.status == "failed" else ""
    saved = selectors.collection_list(user=request.user).filter(task=task).first()
    return render(
        request,
        "bachata/task.html",
        {"task": task, "practice": practice, "failure": failure, "saved": saved},
    )


@login_required
def blueprint_page(request: HttpRequest, task_id: str) -> HttpResponse:
    task = own_task(request, task_id)
    try:
        blueprint = selectors.blueprint_document(task_id=task_id, user=request.user)
    except NotFound:
        raise Http404("this choreography has no blueprint any more") from None
    blocks, grid = timeline(blueprint, selectors.song_eight_counts(song=task.song))
    moves = selectors.moves_list().order_by("style", "difficulty", "move_name")
    return render(
        request,
        "bachata/blueprint.html",
        {
            "task": task,
            "blueprint": blueprint,
            "alignment": alignment_summary(blueprint.quality) if blueprint.quality else "",
            "blocks": blocks,
            "combos": combo_rows(
                selectors.combo_sheet(blueprint=blueprint), blueprint.moves[0].start_time
            ),
            "plans": selectors.class_plans_list(user=request.user)
            if selectors.is_instructor(request.user)
            else [],
            "grid": grid,
            "colours": ENERGY_COLOURS,
            "moves": moves,
            "output_form": OutputForm(
                initial={
                    "resolution": blueprint.output_config.resolution,
                    "fps": blueprint.output_config.fps,
                }
            ),
        },
    )


@login_required
@require_POST
def regenerate(request: HttpRequest, task_id: str) -> HttpResponse:
    own_task(request, task_id)
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
    own_task(request, task_id)
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


@login_required
def video(request: HttpRequest, task_id: str) -> HttpResponse:
    task = own_task(request, task_id)
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
        target = selectors.task_thumbnail(task=own_task(request, task_id))
    except NotFound:
        raise Http404("no video yet") from None
    return thumbnail_response(target)


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
