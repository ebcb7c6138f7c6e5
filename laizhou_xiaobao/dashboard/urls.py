from django.urls import path

from .views import board, deadlines, notifications, tasks

app_name = "dashboard"

urlpatterns = [
    path("", board.board, name="board"),
    path("deadlines/", deadlines.deadline_list_view, name="deadline_list"),
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/add/", tasks.task_add, name="task_add"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task_done"),
    path("tasks/<int:pk>/cancel/", tasks.task_cancel_view, name="task_cancel"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
    path("notifications/read-all/", notifications.notification_read_all, name="notification_read_all"),
]
