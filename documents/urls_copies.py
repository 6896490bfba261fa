"""Skeleton: the copies part fills this in."""
urlpatterns = []
