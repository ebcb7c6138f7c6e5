from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingElement(models.TextChoices):
    """The elements of the national consumer-protection rating (2025 rules)."""

    MARKETING = "marketing", _("营销行为管理")
    DISPUTES = "disputes", _("纠纷化解")
    GOVERNANCE = "governance", _("体制机制")
    SUITABILITY = "suitability", _("适当性管理")
    EDUCATION = "education", _("金融教育")
    SERVICE = "service", _("消费者服务")
    PERSONAL_INFO = "personal_info", _("个人信息保护")


class Polarity(models.TextChoices):
    POSITIVE = "positive", _("正面")
    NEGATIVE = "negative", _("负面")


class Assessment(models.TextChoices):
    POSITIVE = "positive", _("正面")
    NEUTRAL = "neutral", _("一般")
    NEGATIVE = "negative", _("负面")


def office_scope_q(user):
    """Records of the units the user may see, for the office's own staff, reviewers and administrators only.

    Mediators see only their mediation cases (docs/domain.md, "组织与角色"), never interviews, surveys or lists.
    """
    from core.access import visible_org_q
    from core.roles import Role, has_role

    if not user.is_superuser and not has_role(user, Role.CLERK, Role.SUPERVISOR, Role.REVIEWER, Role.ADMINISTRATOR):
        return models.Q(pk__in=[])
    return visible_org_q(user)
