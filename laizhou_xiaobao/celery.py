import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laizhou_xiaobao.settings")

app = Celery("laizhou_xiaobao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
