from django.urls import path

from .views import ledger

app_name = "complaints"

urlpatterns = [
    # The ledger (台账), its exports and the office summary.
    path("", ledger.index, name="index"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("ledger/exports/<int:pk>/", ledger.export_status, name="export_status"),
    path("ledger/exports/<int:pk>/download/", ledger.export_download, name="export_download"),
    path("summary/", ledger.summary, name="summary"),
]
