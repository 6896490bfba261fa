"""Client files (R-SCOPE 2, R-CLIENT)."""
from django.urls import path

from clients import views

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("review-due/", views.review_due, name="client_review_due"),
    path("new/", views.client_create, name="client_create"),
    path("<int:pk>/", views.client_detail, name="client_detail"),
    path("<int:pk>/show-personal-data/", views.client_unmask, name="client_unmask"),
    path("<int:pk>/reviewed/", views.client_mark_reviewed, name="client_mark_reviewed"),
    path("<int:pk>/events/add/", views.event_add, name="client_event_add"),
    path("<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("<int:pk>/contacts/add/", views.contact_add, name="client_contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/edit/", views.contact_edit, name="client_contact_edit"),
]
