from django.urls import path

from records.views import statistics

urlpatterns = [
    path("statistics/", statistics.statistics, name="statistics"),
]
