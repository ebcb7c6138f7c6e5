"""Outreach, financial education and training (掖邑金螺号, docs/domain.md, "宣传教育")."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.access import within_org_q

from .storage import private_storage

# --- Reference data (edited by the administrator) --------------------------------------------------


class Brand(models.Model):
    """The office's outreach brand, e.g. 掖邑金螺号."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("宣传品牌")
        verbose_name_plural = _("宣传品牌")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    """A key date or recurring activity: 3·15, 金融教育宣传周, 普及月, local festivals, daily outreach."""

    class Kind(models.TextChoices):
        KEY_DATE = "key_date", _("重要节点")
        WEEK = "week", _("宣传周")
        MONTH = "month", _("宣传月")
        FESTIVAL = "festival", _("地方节庆")
        DAILY = "daily", _("日常宣传")

    name = models.CharField(_("名称"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.KEY_DATE)
    brand = models.ForeignKey(
        Brand, verbose_name=_("所属品牌"), null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns"
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("宣传活动类别")
        verbose_name_plural = _("宣传活动类别")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Topic(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("宣传主题")
        verbose_name_plural = _("宣传主题")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TargetGroup(models.Model):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("宣传对象")
        verbose_name_plural = _("宣传对象")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class VenueType(models.Model):
    """The "五进" places: 进农村, 进社区, 进校园, 进企业, 进商圈."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("场所类型（五进）")
        verbose_name_plural = _("场所类型（五进）")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class GridCellQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def towns(self):
        return self.filter(parent__isnull=True)


class GridCell(models.Model):
    """One cell of the outreach grid: a town or street, or a village or community below it."""

    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")
        COMMUNITY = "community", _("社区")
        VILLAGE = "village", _("村")

    org = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="outreach_grid_cells"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属镇街"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    officer = models.CharField(_("网格员"), max_length=30, blank=True)
    officer_phone = models.CharField(_("网格员电话"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = GridCellQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传网格")
        verbose_name_plural = _("宣传网格")
        ordering = ["org", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "parent", "name"], name="outreach_gridcell_unique_name"),
        ]

    def __str__(self):
        return f"{self.parent.name}·{self.name}" if self.parent_id else self.name

    @property
    def town(self):
        return self.parent if self.parent_id else self


class TrainingAudience(models.TextChoices):
    OWN_STAFF = "own_staff", _("本局干部职工")
    INSTITUTION_STAFF = "institution", _("金融机构从业人员")


class TrainingSeries(models.Model):
    """A training programme: 五大课堂, 技能快充站 (own staff), 合规大讲堂 (institution staff)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    audience = models.CharField(_("默认对象"), max_length=12, choices=TrainingAudience.choices, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("培训系列")
        verbose_name_plural = _("培训系列")
        ordering = ["name"]

    def __str__(self):
        return self.name


# --- Records ---------------------------------------------------------------------------------------


class EventQuerySet(models.QuerySet):
    def in_period(self, start, end):
        return self.filter(held_on__gte=start, held_on__lte=end)

    def within_org(self, org):
        """Events of `org` and of the units below it."""
        return self.filter(within_org_q(org))


class Event(models.Model):
    org = models.ForeignKey("core.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("活动名称"), max_length=120)
    brand = models.ForeignKey(
        Brand, verbose_name=_("宣传品牌"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    campaign = models.ForeignKey(Campaign, verbose_name=_("活动类别"), on_delete=models.PROTECT, related_name="events")
    is_major = models.BooleanField(
        _("集中宣传活动"), default=False, help_text=_("计入“集中宣传活动”次数（如3·15、宣传周的大型现场活动）。")
    )
    held_on = models.DateField(_("活动日期"), db_index=True)
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    grid_cell = models.ForeignKey(GridCell, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="events")
    grid_officer = models.CharField(_("网格员"), max_length=30, blank=True)
    venue_type = models.ForeignKey(
        VenueType, verbose_name=_("场所类型（五进）"), on_delete=models.PROTECT, related_name="events"
    )
    venue = models.CharField(_("活动地点"), max_length=120, blank=True)
    organisers = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("承办机构"), blank=True, related_name="outreach_events_organised"
    )
    partners = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("参与机构"), blank=True, related_name="outreach_events_joined"
    )
    other_partners = models.CharField(
        _("村委会及其他合作方"), max_length=200, blank=True, help_text=_("如：沙河村村委会、镇综治中心。")
    )
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("宣传对象"), blank=True, related_name="events")
    topics = models.ManyToManyField(Topic, verbose_name=_("宣传主题"), blank=True, related_name="events")
    participants = models.PositiveIntegerField(_("现场参与人数"), default=0)
    materials_handed_out = models.PositiveIntegerField(_("发放资料（份）"), default=0)
    online_reach = models.PositiveIntegerField(_("线上覆盖人次"), default=0)
    questions_answered = models.PositiveIntegerField(_("解答咨询（人次）"), default=0)
    staff_present = models.ManyToManyField(
        "core.User", verbose_name=_("参加人员"), blank=True, related_name="outreach_events"
    )
    summary = models.TextField(_("活动简述"), blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["org", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=0)
                & Q(materials_handed_out__gte=0)
                & Q(online_reach__gte=0)
                & Q(questions_answered__gte=0),
                name="outreach_event_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="outreach_event_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def people_reached(self) -> int:
        return self.participants + self.online_reach


def _photo_path(instance, filename):
    return (
        f"outreach/photos/{instance.event.held_on:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"
    )


def _thumbnail_path(instance, filename):
    return f"outreach/thumbs/{instance.event.held_on:%Y/%m}/{instance.sha256}.jpg"


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=_photo_path, storage=private_storage, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=_thumbnail_path, storage=private_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    extension = models.CharField(_("类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("说明"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        "core.User", verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["event", "id"]

    def __str__(self):
        return self.caption or self.original_name


class MediaWork(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", _("短视频")
        ARTICLE = "article", _("文章")
        POSTER = "poster", _("海报/漫画")
        OTHER = "other", _("其他")

    org = models.ForeignKey("core.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("作品名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    published_on = models.DateField(_("发布日期"))
    channel = models.CharField(_("发布渠道"), max_length=60, help_text=_("如：微信视频号、抖音、“莱州发布”公众号。"))
    url = models.URLField(_("链接"), blank=True)
    views = models.PositiveIntegerField(_("浏览/播放量"), default=0)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("活动类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("宣传主题"), blank=True, related_name="+")
    summary = models.TextField(_("简介"), blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("宣传作品")
        verbose_name_plural = _("宣传作品")
        ordering = ["-published_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(views__gte=0), name="outreach_media_views_not_negative")]

    def __str__(self):
        return self.title


class MediaAward(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        PREFECTURE = "prefecture", _("市级")
        COUNTY = "county", _("县级")
        OTHER = "other", _("其他")

    work = models.ForeignKey(MediaWork, verbose_name=_("作品"), on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(_("奖项名称"), max_length=120)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    issuer = models.CharField(_("颁发单位"), max_length=120)
    awarded_on = models.DateField(_("获奖日期"))

    class Meta:
        verbose_name = _("作品获奖")
        verbose_name_plural = _("作品获奖")
        ordering = ["-awarded_on", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}）"


class TrainingSessionQuerySet(models.QuerySet):
    def in_period(self, start, end):
        return self.filter(held_on__gte=start, held_on__lte=end)

    def within_org(self, org):
        return self.filter(within_org_q(org))


class TrainingSession(models.Model):
    org = models.ForeignKey("core.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("培训对象"), max_length=12, choices=TrainingAudience.choices)
    series = models.ForeignKey(
        TrainingSeries, verbose_name=_("培训系列"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("培训主题"), max_length=120)
    speaker = models.CharField(_("主讲人"), max_length=60)
    held_on = models.DateField(_("培训日期"), db_index=True)
    venue = models.CharField(_("地点"), max_length=120, blank=True)
    attendee_users = models.ManyToManyField(
        "core.User", verbose_name=_("参训人员（本局）"), blank=True, related_name="outreach_trainings"
    )
    attendee_institutions = models.ManyToManyField(
        "institutions.Institution", verbose_name=_("参训机构"), blank=True, related_name="outreach_trainings"
    )
    institution_attendees = models.PositiveIntegerField(_("机构参训人数"), default=0)
    materials = models.TextField(_("培训材料"), blank=True, help_text=_("课件、讲义名称等，每行一项。"))
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"
