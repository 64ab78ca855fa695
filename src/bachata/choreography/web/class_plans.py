"""Class-plan pages for instructors (403 for anyone else, as in the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bachata.choreography import selectors, services
from bachata.errors import BachataError, Forbidden, NotFound


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
    sheet = selectors.class_plan_sheet(plan=plan)
    template = (
        "bachata/class_plan_print.html" if request.GET.get("print") else ("bachata/class_plan.html")
    )
    return render(
        request,
        template,
        {
            "plan": plan,
            "items": sheet.items,
            "minutes": sheet.minutes,
            "tasks": selectors.task_history(user=request.user).filter(status="completed")[:200],
        },
    )
