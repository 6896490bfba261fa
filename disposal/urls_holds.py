"""The holds screens (disposal.views_holds), under /disposal/holds/."""
from django.urls import path

from disposal import views_holds

urlpatterns = [
    path("holds/", views_holds.hold_list, name="disposal_holds"),
    path("holds/place/record/", views_holds.hold_place_record, name="disposal_hold_place_record"),
    path("holds/place/class/", views_holds.hold_place_class, name="disposal_hold_place_class"),
    path("holds/place/scope/", views_holds.hold_place_scope, name="disposal_hold_place_scope"),
    path("holds/<int:pk>/release/", views_holds.hold_release_view, name="disposal_hold_release"),
]
