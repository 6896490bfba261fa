from django.urls import include, path

from records.views import maintenance, portal, registers, search

urlpatterns = [
    path("", portal.home, name="home"),
    path("records/", search.record_list, name="record_list"),
    path("records/<int:pk>/", portal.record_detail, name="record_detail"),
    path("registers/catalogue/", registers.catalogue, name="catalogue"),
    path("maintenance/", maintenance.maintenance, name="maintenance"),
    path("", include("records.urls_filing")),
    path("", include("records.urls_attachments")),
    path("import/", include("records.urls_ledger")),
    path("", include("records.urls_statistics")),
    path("", include("records.urls_help")),
]
