"""Account pages: sign-up, preferences, export and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bachata.choreography import selectors, services
from bachata.choreography.web.forms import (
    PreferencesForm,
    SignUpForm,
)
from bachata.choreography.web.shortcuts import safe_next
from bachata.errors import BachataError


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
            return redirect(safe_next(request) or "web-songs")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
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
