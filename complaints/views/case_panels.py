"""Panels of the case page that other apps' records feed (docs/domain.md「约谈督导」): kept apart from the page's
module so that the action views using the page's access helper import no cycle."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from institutions.models import InterviewOrigin
from institutions.services.exposure import open_interviews_for_topics

from .. import forms
from .. import services as svc
from ..models import Case


def exposure_context(case: Case, user) -> dict:
    """The interviews the case led to, and the form (for its A/B and supervisors, when it names an institution)."""
    origins = list(
        InterviewOrigin.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
        .select_related("interview")
        .order_by("added_at")
    )
    form = None
    if case.institution_id and svc.can_handle(user, case):
        interviews = open_interviews_for_topics(case.institution)
        form = forms.ExposureInterviewForm(case=case, interviews=interviews, auto_id="id_exposure_%s")
    return {"exposure_origins": origins, "exposure_form": form}
