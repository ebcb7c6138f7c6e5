from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("tools/deadline/", views.deadline_calculator, name="deadline_calculator"),
    path("absences/", views.absence_list, name="absence_list"),
]
