"""The legacy-ledger import wizard (issue 15), mounted at /import/."""
from django.urls import path

from records.views import ledger_import

urlpatterns = [
    path("", ledger_import.ledger_upload, name="ledger_upload"),
    path("<int:pk>/sheet/", ledger_import.ledger_sheet, name="ledger_sheet"),
    path("<int:pk>/mapping/", ledger_import.ledger_mapping, name="ledger_mapping"),
    path("<int:pk>/preview/", ledger_import.ledger_preview, name="ledger_preview"),
    path("<int:pk>/confirm/", ledger_import.ledger_confirm, name="ledger_confirm"),
    path("<int:pk>/done/", ledger_import.ledger_done, name="ledger_done"),
    path("<int:pk>/cancel/", ledger_import.ledger_cancel, name="ledger_cancel"),
]
