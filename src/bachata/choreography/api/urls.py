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
    *[
        path(f"class-plans/<int:plan_id>/{suffix}", view.as_view(), name=name)
        for suffix, view, name in (
            ("", class_plans.ClassPlanApi, "api-class-plan"),
            ("items/", class_plans.ClassPlanItemsApi, "api-class-plan-items"),
            ("order/", class_plans.ClassPlanOrderApi, "api-class-plan-order"),
        )
    ],
    path(
        "choreographies/", choreographies.ChoreographyListApi.as_view(), name="api-choreographies"
    ),
    # One task's resources: 404 for anyone but its owner.
    *[
        path(f"choreographies/<str:task_id>/{suffix}", view.as_view(), name=name)
        for suffix, view, name in (
            ("", choreographies.TaskApi, "api-task"),
            ("blueprint/", choreographies.BlueprintApi, "api-blueprint"),
            ("video/", choreographies.VideoApi, "api-video"),
            ("stream/<str:name>", choreographies.StreamApi, "api-stream"),
            ("thumbnail/", choreographies.ThumbnailApi, "api-thumbnail"),
            ("regenerate/", choreographies.RegenerateApi, "api-regenerate"),
        )
    ],
    path("blueprints/stats/", choreographies.StatsApi.as_view(), name="api-stats"),
    path(
        "blueprints/<str:task_id>/",
        choreographies.BlueprintApi.as_view(),
        name="api-blueprint-alias",
    ),
]
