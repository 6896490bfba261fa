"""Skeleton: the lifecycle part fills this in."""
urlpatterns = []
