from django.urls import path

from records.views import portal, registers

urlpatterns = [
    path("", portal.home, name="home"),
    path("records/", portal.record_list, name="record_list"),
    path("records/<int:pk>/", portal.record_detail, name="record_detail"),
    path("attachments/<int:pk>/download/", portal.attachment_download, name="attachment_download"),
    path("registers/catalogue/", registers.catalogue, name="catalogue"),
]
