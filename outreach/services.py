"""Writes for outreach: events and their photos, media works and awards, training sessions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.services.audit import log_action

from .models import Event, EventPhoto, MediaAward, MediaWork, TrainingSession
from .photos import check_photos

EARLIEST_DATE = dt.date(2015, 1, 1)
# Events may be entered ahead for the calendar, but not further than a year out.
PLANNING_HORIZON_DAYS = 366

EVENT_FIELDS = [
    "title",
    "brand",
    "campaign",
    "is_major",
    "held_on",
    "starts_at",
    "ends_at",
    "grid_cell",
    "grid_officer",
    "venue_type",
    "venue",
    "other_partners",
    "participants",
    "materials_handed_out",
    "online_reach",
    "questions_answered",
    "summary",
]
EVENT_M2M = ["organisers", "partners", "target_groups", "topics", "staff_present"]
COUNT_FIELDS = {
    "participants": gettext_lazy("现场参与人数"),
    "materials_handed_out": gettext_lazy("发放资料份数"),
    "online_reach": gettext_lazy("线上覆盖人次"),
    "questions_answered": gettext_lazy("解答咨询人次"),
}


def _require(actor, perm: str):
    if not actor.has_perm(perm):
        raise PermissionDenied(_("您没有登记宣传教育记录的权限。"))


def _require_in_org(actor, org):
    if not actor.is_superuser and (actor.org_id is None or not org.is_within(actor.org)):
        raise PermissionDenied(_("只能修改本单位及下级单位的记录。"))


def validate_date_in_range(value: dt.date, *, label: str):
    latest = timezone.localdate() + dt.timedelta(days=PLANNING_HORIZON_DAYS)
    if value < EARLIEST_DATE or value > latest:
        raise ValidationError(
            _("%(label)s须在 %(start)s 至 %(end)s 之间。")
            % {"label": label, "start": EARLIEST_DATE.isoformat(), "end": latest.isoformat()},
            code="date_out_of_range",
        )


def _validate_event(data: dict):
    errors = {}
    for field, label in COUNT_FIELDS.items():
        value = data.get(field)
        if value is not None and value < 0:
            errors[field] = _("%(label)s不能为负数。") % {"label": label}
    if data.get("held_on"):
        try:
            validate_date_in_range(data["held_on"], label=_("活动日期"))
        except ValidationError as exc:
            errors["held_on"] = exc.messages[0]
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at and ends_at and ends_at < starts_at:
        errors["ends_at"] = _("结束时间不能早于开始时间。")
    cell = data.get("grid_cell")
    org = data.get("org")
    if cell is not None and org is not None and not cell.org.is_within(org) and not org.is_within(cell.org):
        errors["grid_cell"] = _("所选网格不属于本单位。")
    if errors:
        raise ValidationError(errors)


def _changed_fields(instance, fields: list[str], data: dict) -> list[str]:
    """The fields whose new value differs from the stored one.

    Compared with the database, not the instance: a bound ModelForm has already copied its data onto it.
    """
    stored = type(instance)._default_manager.get(pk=instance.pk)
    return [f for f in fields if f in data and getattr(stored, f) != data[f]]


def _check_photos(uploads) -> list:
    try:
        return check_photos(uploads)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc


def _save_photo(*, actor, event, checked, caption: str = "") -> EventPhoto:
    photo = EventPhoto(
        event=event,
        original_name=checked.upload.name[:200],
        extension=checked.extension,
        size=checked.upload.size,
        width=checked.width,
        height=checked.height,
        sha256=checked.sha256,
        caption=caption,
        uploaded_by=actor,
    )
    photo.file.save(checked.upload.name, checked.upload, save=False)
    photo.thumbnail.save("thumb.jpg", checked.thumbnail, save=False)
    photo.save()
    return photo


def _delete_files_on_rollback(photos):
    # Files are written before the transaction commits; if it rolls back they must not stay behind.
    def cleanup():
        for photo in photos:
            photo.file.delete(save=False)
            photo.thumbnail.delete(save=False)

    return cleanup


def event_create(*, actor, org, data: dict, photos=None) -> Event:
    """Record an event. `data` holds the model fields and the many-to-many lists; `photos` uploaded files.

    Every photo is checked before anything is saved, so a bad file leaves no event behind.
    """
    _require(actor, "outreach.add_event")
    _require_in_org(actor, org)
    _validate_event({**data, "org": org})
    checked = _check_photos(photos)
    if data.get("grid_cell") is not None and not data.get("grid_officer"):
        data = {**data, "grid_officer": data["grid_cell"].officer}
    saved_photos: list[EventPhoto] = []
    try:
        with transaction.atomic():
            event = Event(org=org, created_by=actor, **{f: data.get(f) for f in EVENT_FIELDS if f in data})
            event._change_reason = _("登记宣传活动")
            event.save()
            for field in EVENT_M2M:
                if data.get(field) is not None:
                    getattr(event, field).set(data[field])
            for item in checked:
                saved_photos.append(_save_photo(actor=actor, event=event, checked=item))
            log_action(actor=actor, action="outreach.event.created", target=event, photos=len(saved_photos))
    except Exception:
        _delete_files_on_rollback(saved_photos)()
        raise
    return event


def event_update(*, actor, event: Event, data: dict) -> Event:
    _require(actor, "outreach.change_event")
    _require_in_org(actor, event.org)
    _validate_event({**data, "org": event.org})
    changed = _changed_fields(event, EVENT_FIELDS, data)
    with transaction.atomic():
        for field in changed:
            setattr(event, field, data[field])
        if changed:
            event._change_reason = _("修改宣传活动")
            event.save(update_fields=changed)
        for field in EVENT_M2M:
            if data.get(field) is not None:
                getattr(event, field).set(data[field])
        log_action(actor=actor, action="outreach.event.updated", target=event, fields=changed)
    return event


def event_photo_add(*, actor, event: Event, uploads, caption: str = "") -> list[EventPhoto]:
    _require(actor, "outreach.change_event")
    _require_in_org(actor, event.org)
    if not uploads:
        raise ValidationError({"photos": [_("请选择要上传的照片。")]})
    checked = _check_photos(uploads)
    saved: list[EventPhoto] = []
    try:
        with transaction.atomic():
            for item in checked:
                saved.append(_save_photo(actor=actor, event=event, checked=item, caption=caption))
            log_action(actor=actor, action="outreach.event.photos_added", target=event, photos=len(saved))
    except Exception:
        _delete_files_on_rollback(saved)()
        raise
    return saved


def event_photo_delete(*, actor, photo: EventPhoto) -> None:
    _require(actor, "outreach.change_event")
    _require_in_org(actor, photo.event.org)
    event = photo.event
    with transaction.atomic():
        photo.delete()
        log_action(actor=actor, action="outreach.event.photo_deleted", target=event, sha256=photo.sha256)
        transaction.on_commit(_delete_files_on_rollback([photo]))


# --- Media works -----------------------------------------------------------------------------------

MEDIA_FIELDS = ["title", "kind", "published_on", "channel", "url", "views", "campaign", "summary"]


def _validate_media(data):
    errors = {}
    if data.get("views") is not None and data["views"] < 0:
        errors["views"] = _("浏览/播放量不能为负数。")
    if data.get("published_on"):
        try:
            validate_date_in_range(data["published_on"], label=_("发布日期"))
        except ValidationError as exc:
            errors["published_on"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)


def media_work_save(*, actor, org=None, work: MediaWork | None = None, data: dict) -> MediaWork:
    """Create a media work (`org` given) or update `work`."""
    _require(actor, "outreach.change_mediawork" if work else "outreach.add_mediawork")
    _require_in_org(actor, work.org if work else org)
    _validate_media(data)
    with transaction.atomic():
        if work is None:
            work = MediaWork(org=org, created_by=actor, **{f: data[f] for f in MEDIA_FIELDS if f in data})
            work._change_reason = _("登记宣传作品")
            work.save()
            action = "outreach.media.created"
        else:
            changed = _changed_fields(work, MEDIA_FIELDS, data)
            for field in changed:
                setattr(work, field, data[field])
            work._change_reason = _("修改宣传作品")
            if changed:
                work.save(update_fields=changed)
            action = "outreach.media.updated"
        if data.get("topics") is not None:
            work.topics.set(data["topics"])
        log_action(actor=actor, action=action, target=work)
    return work


def media_award_add(*, actor, work: MediaWork, name, level, issuer, awarded_on) -> MediaAward:
    _require(actor, "outreach.change_mediawork")
    _require_in_org(actor, work.org)
    if awarded_on < work.published_on:
        raise ValidationError({"awarded_on": _("获奖日期不能早于作品发布日期。")})
    validate_date_in_range(awarded_on, label=_("获奖日期"))
    with transaction.atomic():
        award = MediaAward.objects.create(work=work, name=name, level=level, issuer=issuer, awarded_on=awarded_on)
        log_action(actor=actor, action="outreach.media.award_added", target=work, award=name)
    return award


# --- Training --------------------------------------------------------------------------------------

TRAINING_FIELDS = ["audience", "series", "topic", "speaker", "held_on", "venue", "institution_attendees", "materials"]


def training_save(*, actor, org=None, session: TrainingSession | None = None, data: dict) -> TrainingSession:
    """Create a training session (`org` given) or update `session`."""
    _require(actor, "outreach.change_trainingsession" if session else "outreach.add_trainingsession")
    _require_in_org(actor, session.org if session else org)
    errors = {}
    if data.get("held_on"):
        try:
            validate_date_in_range(data["held_on"], label=_("培训日期"))
        except ValidationError as exc:
            errors["held_on"] = exc.messages[0]
    if data.get("institution_attendees") is not None and data["institution_attendees"] < 0:
        errors["institution_attendees"] = _("机构参训人数不能为负数。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if session is None:
            session = TrainingSession(org=org, created_by=actor, **{f: data[f] for f in TRAINING_FIELDS if f in data})
            session._change_reason = _("登记培训")
            session.save()
            action = "outreach.training.created"
        else:
            changed = _changed_fields(session, TRAINING_FIELDS, data)
            for field in changed:
                setattr(session, field, data[field])
            session._change_reason = _("修改培训")
            if changed:
                session.save(update_fields=changed)
            action = "outreach.training.updated"
        for field in ("attendee_users", "attendee_institutions"):
            if data.get(field) is not None:
                getattr(session, field).set(data[field])
        log_action(actor=actor, action=action, target=session)
    return session
