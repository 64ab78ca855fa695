"""API routes (mounted under /api/)."""

from django.urls import path

from bachata.choreography.api import (
    accounts,
    choreographies,
    class_plans,
    collection,
    moves,
    songs,
)

urlpatterns = [
    path("health/", accounts.HealthApi.as_view(), name="api-health"),
    path("auth/register/", accounts.RegisterApi.as_view(), name="api-register"),
    path("auth/login/", accounts.LoginApi.as_view(), name="api-login"),
    path("songs/", songs.SongListApi.as_view(), name="api-songs"),
    path("songs/<int:song_id>/grid/", songs.SongGridApi.as_view(), name="api-song-grid"),
    path("moves/", moves.MoveListApi.as_view(), name="api-moves"),
    path("preferences/", accounts.PreferencesApi.as_view(), name="api-preferences"),
    path("describe/", choreographies.DescribeApi.as_view(), name="api-describe"),
    path("collection/", collection.CollectionApi.as_view(), name="api-collection"),
    path("collection/stats/", collection.CollectionStatsApi.as_view(), name="api-collection-stats"),
    path(
        "collection/<int:item_id>/",
        collection.CollectionItemApi.as_view(),
        name="api-collection-item",
    ),
    path("class-plans/", class_plans.ClassPlanListApi.as_view(), name="api-class-plans"),
    path("class-plans/<int:plan_id>/", class_plans.ClassPlanApi.as_view(), name="api-class-plan"),
    path(
        "class-plans/<int:plan_id>/items/",
        class_plans.ClassPlanItemsApi.as_view(),
        name="api-class-plan-items",
    ),
    path(
        "class-plans/<int:plan_id>/order/",
        class_plans.ClassPlanOrderApi.as_view(),
        name="api-class-plan-order",
    ),
    path(
        "choreographies/", choreographies.ChoreographyListApi.as_view(), name="api-choreographies"
    ),
    path("choreographies/<str:task_id>/", choreographies.TaskApi.as_view(), name="api-task"),
    path(
        "choreographies/<str:task_id>/blueprint/",
        choreographies.BlueprintApi.as_view(),
        name="api-blueprint",
    ),
    path(
        "choreographies/<str:task_id>/video/", choreographies.VideoApi.as_view(), name="api-video"
    ),
    path(
        "choreographies/<str:task_id>/stream/<str:name>",
        choreographies.StreamApi.as_view(),
        name="api-stream",
    ),
    path(
        "choreographies/<str:task_id>/thumbnail/",
        choreographies.ThumbnailApi.as_view(),
        name="api-thumbnail",
    ),
    path(
        "choreographies/<str:task_id>/regenerate/",
        choreographies.RegenerateApi.as_view(),
        name="api-regenerate",
    ),
    path("blueprints/stats/", choreographies.StatsApi.as_view(), name="api-stats"),
    path(
        "blueprints/<str:task_id>/",
        choreographies.BlueprintApi.as_view(),
        name="api-blueprint-alias",
    ),
]
