from django.urls import path

from . import audit_views, views

app_name = "core"

urlpatterns = [
    path("tools/deadline/", views.deadline_calculator, name="deadline_calculator"),
    path("absences/", views.absence_list, name="absence_list"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
]
