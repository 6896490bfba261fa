"""Skeleton: the registers part fills this in."""
urlpatterns = []
