from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """The benchmark (`manage.py bench`): measurements of every app's pages, searches and exports."""

    name = "laizhou_xiaobao.bench"
    label = "bench"
    verbose_name = _("性能基准")
