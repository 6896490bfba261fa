"""Skeleton: the STAMP part fills this in."""
urlpatterns = []
