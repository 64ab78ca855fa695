"""API routes (mounted under /api/)."""

from django.urls import path

from bachata.choreography.api import songs, views

urlpatterns = [
    path("health/", views.HealthApi.as_view(), name="api-health"),
    path("auth/register/", views.RegisterApi.as_view(), name="api-register"),
    path("auth/login/", views.LoginApi.as_view(), name="api-login"),
    path("songs/", views.SongListApi.as_view(), name="api-songs"),
    path("songs/<int:song_id>/grid/", songs.SongGridApi.as_view(), name="api-song-grid"),
    path("moves/", views.MoveListApi.as_view(), name="api-moves"),
    path("preferences/", views.PreferencesApi.as_view(), name="api-preferences"),
    path("describe/", views.DescribeApi.as_view(), name="api-describe"),
    path("collection/", views.CollectionApi.as_view(), name="api-collection"),
    path("collection/stats/", views.CollectionStatsApi.as_view(), name="api-collection-stats"),
    path(
        "collection/<int:item_id>/", views.CollectionItemApi.as_view(), name="api-collection-item"
    ),
    path("class-plans/", views.ClassPlanListApi.as_view(), name="api-class-plans"),
    path("class-plans/<int:plan_id>/", views.ClassPlanApi.as_view(), name="api-class-plan"),
    path(
        "class-plans/<int:plan_id>/items/",
        views.ClassPlanItemsApi.as_view(),
        name="api-class-plan-items",
    ),
    path(
        "class-plans/<int:plan_id>/order/",
        views.ClassPlanOrderApi.as_view(),
        name="api-class-plan-order",
    ),
    path("choreographies/", views.ChoreographyListApi.as_view(), name="api-choreographies"),
    path("choreographies/<str:task_id>/", views.TaskApi.as_view(), name="api-task"),
    path(
        "choreographies/<str:task_id>/blueprint/",
        views.BlueprintApi.as_view(),
        name="api-blueprint",
    ),
    path("choreographies/<str:task_id>/video/", views.VideoApi.as_view(), name="api-video"),
    path(
        "choreographies/<str:task_id>/stream/<str:name>",
        views.StreamApi.as_view(),
        name="api-stream",
    ),
    path(
        "choreographies/<str:task_id>/regenerate/",
        views.RegenerateApi.as_view(),
        name="api-regenerate",
    ),
    path("blueprints/stats/", views.StatsApi.as_view(), name="api-stats"),
    path("blueprints/<str:task_id>/", views.BlueprintApi.as_view(), name="api-blueprint-alias"),
]
