from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from archive_site.views import health

urlpatterns = [
    path("healthz", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    # The language switch is on the login page too, so it must not need a login.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jobs/", include("jobs.urls")),
    path("lending/", include("lending.urls")),
    path("disposal/", include("disposal.urls")),
    path("inventory/", include("inventory.urls")),
    path("documents/", include("documents.urls")),
    path("contracts/", include("contracts.urls")),
    path("clients/", include("clients.urls")),
    path("", include("records.urls")),
]
