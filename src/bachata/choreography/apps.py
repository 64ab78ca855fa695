from django.apps import AppConfig


class ChoreographyConfig(AppConfig):
    name = "bachata.choreography"
    label = "choreography"
    verbose_name = "Choreography"
    default_auto_field = "django.db.models.BigAutoField"
