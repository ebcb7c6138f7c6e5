"""暴露一件、自查一批 (docs/domain.md「约谈督导」): start an interview, or add a topic to one not yet held, from the
case, complaint or survey finding that exposed the problem; the interview keeps the link back and the class of
similar problems its self-inspection must cover."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services.audit import log_action

from ..models import Interview, InterviewOrigin
from .common import require_staff
from .interviews import interview_create

# An interview takes further topics until it is held.
OPEN_FOR_TOPICS = (Interview.Status.PROPOSED, Interview.Status.SCHEDULED)


def _clean(topic: str, similar_class: str) -> tuple[str, str]:
    topic, similar_class = (topic or "").strip(), (similar_class or "").strip()
    if not topic:
        raise ValidationError(_("请填写暴露的问题（约谈议题）。"))
    if not similar_class:
        raise ValidationError(_("请写明要求机构自查的同类问题范围。"))
    return topic, similar_class


def _topic_line(label: str, topic: str) -> str:
    return _("%(topic)s（由 %(label)s 暴露）") % {"topic": topic, "label": label}


def _scope_line(similar_class: str) -> str:
    return _("同类问题：%(cls)s") % {"cls": similar_class}


def _add_origin(*, actor, interview: Interview, origin, label: str, link: str, topic: str, similar_class: str):
    return InterviewOrigin.objects.create(
        interview=interview,
        content_type=ContentType.objects.get_for_model(origin),
        object_id=origin.pk,
        label=label,
        link=link,
        topic=topic,
        similar_class=similar_class,
        added_by=actor,
    )


def open_interviews_for_topics(institution):
    """The institution's interviews that still take a topic, soonest first: an institution, its id, or the case
    page's slot (`core.rows.Slot`)."""
    institution_id = getattr(institution, "pk", institution)
    return Interview.objects.filter(institution_id=institution_id, status__in=OPEN_FOR_TOPICS).order_by(
        "scheduled_at", "id"
    )


@transaction.atomic
def interview_start_from(
    *, actor, institution, origin, label: str, link: str, topic: str, similar_class: str
) -> Interview:
    """A new interview (proposed, to be scheduled) whose first topic is the exposed problem."""
    require_staff(actor, institution.org)
    topic, similar_class = _clean(topic, similar_class)
    reason = _("%(label)s 暴露问题：%(topic)s。要求机构自查同类问题：%(cls)s。") % {
        "label": label,
        "topic": topic,
        "cls": similar_class,
    }
    interview = interview_create(actor=actor, institution=institution, reason=reason)
    interview.topics = _topic_line(label, topic)
    interview.self_inspection_scope = _scope_line(similar_class)
    interview._change_reason = _("由%(label)s发起约谈") % {"label": label}
    interview.save(update_fields=["topics", "self_inspection_scope"])
    _add_origin(
        actor=actor,
        interview=interview,
        origin=origin,
        label=label,
        link=link,
        topic=topic,
        similar_class=similar_class,
    )
    log_action(actor=actor, action="institutions.interview.started_from", target=interview, origin=label)
    return interview


@transaction.atomic
def interview_add_topic_from(
    *, actor, interview: Interview, origin, label: str, link: str, topic: str, similar_class: str, institution
) -> Interview:
    """Add the exposed problem as a topic of an interview of the same institution not yet held."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    require_staff(actor, interview.org)
    topic, similar_class = _clean(topic, similar_class)
    if interview.institution_id != institution.pk:
        raise ValidationError(_("只能加入同一机构的约谈。"))
    if interview.status not in OPEN_FOR_TOPICS:
        raise ValidationError(_("该约谈已进行，不能再加入议题；请发起新的约谈。"))
    content_type = ContentType.objects.get_for_model(origin)
    if interview.origins.filter(content_type=content_type, object_id=origin.pk).exists():
        raise ValidationError(_("该事项已是这次约谈的议题。"))
    interview.topics = "\n".join(filter(None, [interview.topics.strip(), _topic_line(label, topic)]))
    interview.self_inspection_scope = "\n".join(
        filter(None, [interview.self_inspection_scope.strip(), _scope_line(similar_class)])
    )
    interview._change_reason = _("加入议题：%(label)s") % {"label": label}
    interview.save(update_fields=["topics", "self_inspection_scope"])
    _add_origin(
        actor=actor,
        interview=interview,
        origin=origin,
        label=label,
        link=link,
        topic=topic,
        similar_class=similar_class,
    )
    log_action(actor=actor, action="institutions.interview.topic_added", target=interview, origin=label)
    return interview
