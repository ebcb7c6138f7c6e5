from django.urls import path

from . import views
from .views_branch import branch

app_name = "statistics"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("branch/", branch, name="branch"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/summary/", views.edit_summary, name="summary"),
    path("<int:pk>/action/<str:action>/", views.action, name="action"),
    path("<int:pk>/files/", views.generate, name="generate"),
    path("<int:pk>/files/status/", views.files_status_view, name="status"),
    path("<int:pk>/files/<str:kind>/", views.download, name="download"),
]
