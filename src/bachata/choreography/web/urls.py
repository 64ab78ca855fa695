"""Web page routes."""

from django.contrib.auth import views as auth_views
from django.urls import path

from bachata.choreography.web import accounts, choreographies, class_plans, collection, songs
from bachata.choreography.web.forms import LoginForm

urlpatterns = [
    path("", choreographies.home, name="web-home"),
    path("sample.mp4", choreographies.sample_video, name="web-sample"),
    path("signup/", accounts.signup, name="web-signup"),
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("songs/", songs.songs, name="web-songs"),
    path("songs/<int:song_id>/", songs.song_page, name="web-song"),
    path("songs/<int:song_id>/audio", songs.song_audio, name="web-song-audio"),
    path("preferences/", accounts.preferences, name="web-preferences"),
    path("account/export.zip", accounts.account_export, name="web-account-export"),
    path("account/delete/", accounts.account_delete, name="web-account-delete"),
    path("choreographies/", choreographies.history, name="web-history"),
    path("choreographies/new/", choreographies.generate, name="web-generate"),
    path("choreographies/<str:task_id>/", choreographies.task_page, name="web-task"),
    path(
        "choreographies/<str:task_id>/blueprint/",
        choreographies.blueprint_page,
        name="web-blueprint",
    ),
    path(
        "choreographies/<str:task_id>/blueprint.json",
        choreographies.blueprint_download,
        name="web-blueprint-json",
    ),
    path(
        "choreographies/<str:task_id>/regenerate/", choreographies.regenerate, name="web-regenerate"
    ),
    path("choreographies/<str:task_id>/video.mp4", choreographies.video, name="web-video"),
    path(
        "choreographies/<str:task_id>/thumbnail.jpg", choreographies.thumbnail, name="web-thumbnail"
    ),
    path("analytics/", choreographies.analytics, name="web-analytics"),
    path("collection/", collection.collection, name="web-collection"),
    path("class-plans/", class_plans.class_plans, name="web-class-plans"),
    path("class-plans/<int:plan_id>/", class_plans.class_plan, name="web-class-plan"),
    path("class-plans/add/", class_plans.class_plan_add, name="web-class-plan-add"),
]
