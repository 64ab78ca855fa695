"""The collection page: saved choreographies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bachata.choreography import selectors, services
from bachata.choreography.web.shortcuts import safe_next
from bachata.errors import BachataError


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
                if back := safe_next(request):
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
