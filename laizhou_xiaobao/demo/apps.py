from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for every app (`manage.py seed_demo`); it sits above the domain apps and imports them plainly."""

    name = "laizhou_xiaobao.demo"
    label = "demo"
    verbose_name = _("演示数据")
