from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    """The quarterly and yearly statistics reports to the prefecture branch (docs/domain.md, "信访投诉统计").

    Its figures span complaints, mediation and outreach, so it sits in the composition root.
    """

    name = "laizhou_xiaobao.statistics"
    label = "statistics"
    verbose_name = _("信访投诉统计")
