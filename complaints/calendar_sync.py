"""Keep Case.due_on (and its 暂定 mark) in step when a calendar change moves the deadlines of cases or steps."""

from django.contrib.contenttypes.models import ContentType

from complaints.models import Case, CaseStep


def cases_follow_moved_deadlines(deadlines) -> None:
    from complaints.services.common import save_case, sync_due_on

    case_type = ContentType.objects.get_for_model(Case)
    step_type = ContentType.objects.get_for_model(CaseStep)
    case_ids = {d.object_id for d in deadlines if d.content_type_id == case_type.pk}
    step_ids = [d.object_id for d in deadlines if d.content_type_id == step_type.pk]
    if step_ids:
        case_ids.update(CaseStep.objects.filter(pk__in=step_ids).values_list("case_id", flat=True))
    for case in Case.objects.filter(pk__in=case_ids).order_by("pk"):
        if sync_due_on(case):
            save_case(case, reason="工作日历变更，期限重新计算", fields=["due_on"])
