"""Web page routes."""

from django.contrib.auth import views as auth_views
from django.urls import path

from bachata.choreography.web import views
from bachata.choreography.web.forms import LoginForm

urlpatterns = [
    path("", views.home, name="web-home"),
    path("sample.mp4", views.sample_video, name="web-sample"),
    path("signup/", views.signup, name="web-signup"),
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("songs/", views.songs, name="web-songs"),
    path("songs/<int:song_id>/", views.song_page, name="web-song"),
    path("songs/<int:song_id>/audio", views.song_audio, name="web-song-audio"),
    path("preferences/", views.preferences, name="web-preferences"),
    path("account/export.zip", views.account_export, name="web-account-export"),
    path("account/delete/", views.account_delete, name="web-account-delete"),
    path("choreographies/", views.history, name="web-history"),
    path("choreographies/new/", views.generate, name="web-generate"),
    path("choreographies/<str:task_id>/", views.task_page, name="web-task"),
    path("choreographies/<str:task_id>/blueprint/", views.blueprint_page, name="web-blueprint"),
    path(
        "choreographies/<str:task_id>/blueprint.json",
        views.blueprint_download,
        name="web-blueprint-json",
    ),
    path("choreographies/<str:task_id>/regenerate/", views.regenerate, name="web-regenerate"),
    path("choreographies/<str:task_id>/video.mp4", views.video, name="web-video"),
    path("choreographies/<str:task_id>/thumbnail.jpg", views.thumbnail, name="web-thumbnail"),
    path("analytics/", views.analytics, name="web-analytics"),
    path("collection/", views.collection, name="web-collection"),
    path("class-plans/", views.class_plans, name="web-class-plans"),
    path("class-plans/<int:plan_id>/", views.class_plan, name="web-class-plan"),
    path("class-plans/add/", views.class_plan_add, name="web-class-plan-add"),
]
