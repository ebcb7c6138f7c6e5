from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    COURT = "court", _("人民法院")
    BANKING_ASSOCIATION = "banking", _("银行业协会")
    INSURANCE_ASSOCIATION = "insurance", _("保险行业协会")
    OFFICE = "office", _("监管支局")
    OTHER = "other", _("其他")


class Source(models.TextChoices):
    REFERRED = "referred", _("支局转调（信访投诉件）")
    DIRECT = "direct", _("当事人直接申请")
    COURT_BEFORE_FILING = "court_before", _("法院诉前委派")
    COURT_AFTER_FILING = "court_after", _("法院诉中委托")


COURT_SOURCES = (Source.COURT_BEFORE_FILING, Source.COURT_AFTER_FILING)


class Status(models.TextChoices):
    APPLIED = "applied", _("待双方同意")
    ACCEPTED = "accepted", _("已受理（待指派调解员）")
    ASSIGNED = "assigned", _("已指派（待回避声明）")
    MEDIATING = "mediating", _("调解中")
    CONCLUDED = "concluded", _("已结案")


OPEN_STATUSES = [s for s in Status.values if s != Status.CONCLUDED]


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("达成调解协议")
    FAILURE = "failure", _("调解不成")
    WITHDRAWAL = "withdrawal", _("申请人撤回")
    TERMINATION = "termination", _("终止调解")
    RETURNED_TO_COURT = "returned", _("调解不成，退回法院")


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("现场")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("在线")


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
