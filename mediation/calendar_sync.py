"""Keep MediationCase.due_on (and its 暂定 mark) in step when a calendar change moves mediation deadlines."""

from django.contrib.contenttypes.models import ContentType

from mediation.models import MediationCase


def mediation_cases_follow_moved_deadlines(deadlines) -> None:
    from mediation.services.common import refresh_due_on

    case_type = ContentType.objects.get_for_model(MediationCase)
    case_ids = {d.object_id for d in deadlines if d.content_type_id == case_type.pk}
    for case in MediationCase.objects.filter(pk__in=case_ids).order_by("pk"):
        refresh_due_on(case)
