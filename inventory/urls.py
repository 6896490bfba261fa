"""The inventory screens, under /inventory/ (added by the screens' helper)."""

urlpatterns = []
