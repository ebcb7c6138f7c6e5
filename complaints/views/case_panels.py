"""Panels of the case page that other apps' records feed (docs/domain.md「约谈督导」): kept apart from the page's
module so that the action views using the page's access helper import no cycle."""

from __future__ import annotations

from .. import forms
from ..models import Case


def exposure_context(case: Case, origins: list, interviews: list | None) -> dict:
    """The interviews the case led to, and the form (for its A/B and supervisors, when it names an institution):
    `interviews` are the institution's interviews still taking a topic, None when the form is not offered."""
    form = None
    if interviews is not None:
        form = forms.ExposureInterviewForm(case=case, interviews=interviews, auto_id="id_exposure_%s")
    return {"exposure_origins": origins, "exposure_form": form}
