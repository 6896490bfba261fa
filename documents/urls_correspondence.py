"""Skeleton: the correspondence part fills this in."""
urlpatterns = []
