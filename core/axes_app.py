"""django-axes under a Chinese name in the admin; the words of its models come from locale/zh_Hans.

Kept out of core/apps.py: Django picks an app's configuration among the AppConfig classes of its apps module.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("登录限制")
