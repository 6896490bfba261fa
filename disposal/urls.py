"""The disposal screens (added by the screens' part of issue 12)."""
urlpatterns = []
