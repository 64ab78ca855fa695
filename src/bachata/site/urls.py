"""URL routes."""

from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views.defaults import page_not_found, server_error
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("bachata.choreography.api.urls")),
    path("", include("bachata.choreography.web.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}bachata/favicon.svg", permanent=True),
    ),
]


def _not_found(request, exception=None):
    """JSON for API paths (errors are JSON there), Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "not found", "code": "not_found"}, status=404)
    return page_not_found(request, exception)


def _server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "internal error", "code": "internal"}, status=500)
    return server_error(request)


handler404 = _not_found
handler500 = _server_error
