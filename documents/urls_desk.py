"""Skeleton: the desk part fills this in."""
urlpatterns = []
