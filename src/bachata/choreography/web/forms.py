"""Forms of the web pages (validation messages shown inline)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from bachata.blueprint.vocabulary import DIFFICULTIES, ENERGY_LEVELS, STYLES
from bachata.choreography.models import QUALITY_PRESETS


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.capitalize()) for v in values]


class SignUpForm(UserCreationForm):
    """Username and password (Django's validators); nobody signs up as staff."""


class SongUploadForm(forms.Form):
    file = forms.FileField(help_text="mp3, wav, ogg, flac or m4a; 20 s to 15 min")
    title = forms.CharField(max_length=300, required=False)
    artist = forms.CharField(max_length=300, required=False)


#: One line per knob value, written for dancers (the generate page's cards).
KNOB_HELP = {
    "difficulty": {
        "beginner": "Basics, side steps and simple turns: your first months of bachata.",
        "intermediate": "Turns, cross-body leads and shines: the basic feels easy.",
        "advanced": "Quick footwork, combinations and dips: you social-dance a lot.",
    },
    "energy_level": {
        "low": "Smooth and relaxed: slow songs, warm-ups, a gentle first practice.",
        "medium": "The everyday social-dance feel.",
        "high": "Big, quick moves for songs that push.",
    },
    "style": {
        "modern": "Today's urban bachata: turns, styling, open and closed position.",
        "sensual": "Close connection: body waves, rolls and slow dips.",
        "dominican": "Traditional and playful: fast footwork and golpes.",
        "bolero": "Slow and romantic, for bolero-bachata songs.",
    },
}


class KnobCards(forms.RadioSelect):
    """Radio buttons drawn as cards, each with a line for dancers; options in
    ``unavailable`` are disabled with their reason."""

    template_name = "bachata/widgets/knob_cards.html"

    def __init__(
        self,
        *args,
        explain: dict[str, str] | None = None,
        unavailable: dict[str, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.explain = explain or {}
        self.unavailable = unavailable or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["help"] = self.explain.get(str(value), "")
        reason = self.unavailable.get(str(value))
        if reason:
            option["attrs"]["disabled"] = True
            option["reason"] = reason
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
        for name in ("difficulty", "energy_level", "style"):
            self.fields[name].widget = KnobCards(
                choices=self.fields[name].choices,
                explain=KNOB_HELP[name],
                unavailable={s: "no moves in the library yet" for s in self.missing_styles}
                if name == "style"
                else None,
            )

    def clean_style(self) -> str:
        style = self.cleaned_data["style"]
        if style in self.missing_styles:
            raise forms.ValidationError(
                f"there are no {style} moves in the library yet: pick another style"
            )
        return style


#: The quality presets as video sizes, 720p first (the default).
RESOLUTIONS = sorted(
    ((size, f"{name} ({size})") for name, size in QUALITY_PRESETS.items()),
    key=lambda choice: choice[0] != "1280x720",
)


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
    quality = forms.ChoiceField(choices=[(q, q) for q in QUALITY_PRESETS], label="Video quality")


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
