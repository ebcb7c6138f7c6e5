from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("书信")
    FAX = "fax", _("传真")
    ONLINE = "online", _("网络")
    SENT_DOWN = "sent_down", _("上级转送/交办")
    HOTLINE_12378 = "12378", _("12378热线")


class CaseType(models.TextChoices):
    PETITION = "petition", _("信访")
    REPORT = "report", _("举报")
    COMPLAINT = "complaint", _("转办投诉")


# Prefix of the case number per type: XF-2026-0001.
CASE_NUMBER_PREFIX = {CaseType.PETITION: "XF", CaseType.REPORT: "JB", CaseType.COMPLAINT: "TS"}


class PetitionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议意见")
    ACCUSATION = "accusation", _("检举控告")
    APPEAL = "appeal", _("申诉求决")


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    MATERIALS_PENDING = "materials_pending", _("待补充材料")
    ACCEPTED = "accepted", _("已受理（办理中）")
    FORWARDED = "forwarded", _("已转机构")
    INSTITUTION_ACKNOWLEDGED = "inst_acknowledged", _("机构已签收")
    INSTITUTION_REPLIED = "inst_replied", _("机构已反馈")
    REPLIED = "replied", _("已出具意见/结论")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]


class Closure(models.TextChoices):
    RESOLVED = "resolved", _("办结")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    NOT_OUR_REMIT = "not_our_remit", _("非本机关职责")
    DUPLICATE = "duplicate", _("重复件")
    ESCALATED = "escalated", _("转调解/升级处理")
    WITHDRAWN = "withdrawn", _("撤回")


class Decision(models.TextChoices):
    """The decision of a 信访处理意见书."""

    SUPPORT = "support", _("支持")
    EXPLAIN = "explain", _("解释说明")
    REJECT = "reject", _("不予支持")


class Adoption(models.TextChoices):
    """How a 建议意见 is answered: no 支持 / 不予支持 decision (docs/domain.md, "受理渠道与流程")."""

    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不予采纳")


class Finding(models.TextChoices):
    """The written finding of a 举报 investigation."""

    SUBSTANTIATED = "substantiated", _("查实")
    PARTLY = "partly", _("部分查实")
    NOT_SUBSTANTIATED = "not_substantiated", _("未查实")


class NoticeVia(models.TextChoices):
    """How a complainant was told something, or told the office something (a notice, a withdrawal)."""

    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")
    LETTER = "letter", _("书面")
    IN_PERSON = "in_person", _("当面")
    OTHER = "other", _("其他")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    UNREACHABLE = "unreachable", _("无法联系")
