"""Forms of the web pages (validation messages shown inline)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.capitalize()) for v in values]


class SignUpForm(UserCreationForm):
    """Username and password (Django's validators); nobody signs up as staff."""


class SongUploadForm(forms.Form):
    file = forms.FileField(help_text="mp3, wav, ogg, flac or m4a; 20 s to 15 min")
    title = forms.CharField(max_length=300, required=False)
    artist = forms.CharField(max_length=300, required=False)


class SelectWithUnavailable(forms.Select):
    """A select whose options in ``unavailable`` are disabled, their reason in the label."""

    def __init__(self, *args, unavailable: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unavailable = unavailable or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        reason = self.unavailable.get(str(value))
        if reason:
            option["attrs"]["disabled"] = True
            option["label"] = f"{label} — {reason}"
        return option


class GenerateForm(forms.Form):
    song = forms.ModelChoiceField(queryset=None, empty_label=None)
    difficulty = forms.ChoiceField(choices=_choices(DIFFICULTIES), initial="beginner")
    energy_level = forms.ChoiceField(
        choices=_choices(ENERGY_LEVELS), initial="medium", label="Energy"
    )
    style = forms.ChoiceField(choices=_choices(STYLES), initial="modern")
    library = forms.ChoiceField(
        required=False,
        label="Dancers",
        help_text="Which move library's dancers to use.",
    )

    def __init__(
        self,
        *args,
        songs=None,
        styles: set[str] | None = None,
        libraries: dict[str, int] | None = None,
        **kwargs,
    ) -> None:
        """``styles``: the styles the move library has moves of (others are disabled);
        ``libraries``: the move libraries and their sizes (a choice when there are two
        or more)."""
        super().__init__(*args, **kwargs)
        self.libraries = libraries or {}
        self.fields["library"].choices = [("", "All libraries")] + [
            (name, f"{name} ({count} moves)") for name, count in self.libraries.items()
        ]
        self.fields["song"].queryset = songs
        self.missing_styles = {s for s in STYLES if styles is not None and s not in styles}
        self.fields["style"].widget = SelectWithUnavailable(
            choices=self.fields["style"].choices,
            unavailable={s: "no moves in the library yet" for s in self.missing_styles},
        )

    def clean_style(self) -> str:
        style = self.cleaned_data["style"]
        if style in self.missing_styles:
            raise forms.ValidationError(
                f"there are no {style} moves in the library yet: pick another style"
            )
        return style


RESOLUTIONS = [
    ("1280x720", "720p (1280x720)"),
    ("1920x1080", "1080p"),
    ("854x480", "480p"),
    ("640x360", "360p"),
]


class OutputForm(forms.Form):
    resolution = forms.ChoiceField(choices=RESOLUTIONS)
    fps = forms.TypedChoiceField(
        choices=[(24, "24"), (30, "30"), (60, "60")], coerce=int, initial=30
    )


class SwapForm(forms.Form):
    slot = forms.IntegerField(min_value=0)
    move_id = forms.CharField(max_length=100)


class PreferencesForm(forms.Form):
    difficulty = forms.ChoiceField(choices=_choices(DIFFICULTIES))
    energy_level = forms.ChoiceField(choices=_choices(ENERGY_LEVELS), label="Energy")
    style = forms.ChoiceField(choices=_choices(STYLES))
    quality = forms.ChoiceField(
        choices=[(q, q) for q in ("360p", "480p", "720p", "1080p")], label="Video quality"
    )


class LoginForm(AuthenticationForm):
    """Django's login form with the same lockout as the API (per account and per address)."""

    def clean(self) -> dict:
        from bachata.choreography import services
        from bachata.choreography.client_ip import client_ip

        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else ""
        try:
            services.login_check(username=username, ip=ip)
        except services.TooManyAttempts as exc:
            raise forms.ValidationError(str(exc), code="rate_limited") from None
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            services.login_failed(username=username, ip=ip)
            raise
        services.login_succeeded(username=username)
        return cleaned
