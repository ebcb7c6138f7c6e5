"""What the case page reads about one case, in a fixed number of queries whatever its size (docs/performance.md
「案件页」): every list of the case in one round trip (`core.rows.fetch_prepared`, its SQL compiled once for each
shape of case), then the people they name in one more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import CharField, DateField, Q, Subquery
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.http import Http404

from core.access import within_path_q
from core.models import Absence, BackgroundJob, Category, DeadlinePause, DeadlineRule, OrgUnit, User
from core.rows import Slot, attach, fetch_prepared
from core.services.jobs import target_key
from institutions.models import Institution, Interview, InterviewOrigin
from institutions.services.exposure import open_interviews_for_topics

from .. import services as svc
from ..models import (
    Attachment,
    Case,
    CaseArchive,
    CaseDocument,
    CaseEvent,
    CaseStep,
    CaseSupplement,
    Contact,
    ExtensionRequest,
    Forwarding,
    PetitionReview,
    Representative,
    Transfer,
)
from ..models.choices import CaseType
from ..selectors import office_staff

HISTORY_SHOWN = 50


@dataclass
class CaseRows:
    events: list
    documents: list
    steps: list
    attachments: list
    extension_requests: list
    deadlines: list
    open_pauses: dict
    reviews: list
    transfer: Transfer | None
    contacts: list
    history: list
    exposure_origins: list
    open_interviews: list | None
    absent_ids: set[int] = field(default_factory=set)
    staff: list = field(default_factory=list)
    # A filed case's 归档 card: its supplements and the latest bundle job (None when there is none).
    supplements: list = field(default_factory=list)
    bundle_job: BackgroundJob | None = None


# The slots of the case page's lists (`core.rows.fetch_prepared`): the SQL is compiled once per shape, these
# values are filled in for each case.
CASE, ORG, CASE_CT, STEP_CT = Slot("case"), Slot("org"), Slot("case_ct"), Slot("step_ct")
TODAY = Slot("today", DateField())


def read_case(user, pk) -> Case:
    """The case with its office, institution, A and B and archive row (what every case view needs), if the user's
    office sees it (core/access.py); 404 otherwise. One query, compiled once per process (`fetch_prepared`)."""
    if user.is_superuser:
        scope, path = "all", ""
    elif user.is_authenticated and user.org_id is not None:
        scope, path = "within", user.org.path
    else:
        raise Http404
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    values = {"case": pk, "path": path}
    rows = fetch_prepared(("case", scope), lambda: _case_querysets(scope), values, using=router.db_for_read(Case))
    if not rows["case"]:
        raise Http404
    case = rows["case"][0]
    attach([case], "org", {org.pk: org for org in rows["org"]})
    attach([case], "institution", {institution.pk: institution for institution in rows["institution"]})
    people = {person.pk: person for person in rows["people"]}
    attach([case], "owner", people)
    attach([case], "backup", people)
    archive = (rows["archive"] or [None])[0]
    if archive is not None:
        attach([archive], "case", {case.pk: case})
    # A case not filed then reads as None through getattr(case, "archive", None), as select_related leaves it.
    Case._meta.get_field("archive").set_cached_value(case, archive)
    return case


def _case_querysets(scope: str) -> dict:
    visible = Case.objects.filter(pk=CASE)
    if scope == "within":
        visible = visible.filter(within_path_q(Slot("path", CharField())))
    # The rows it names are read whether or not the case is visible, and dropped with it when it is not.
    case = Case.objects.filter(pk=CASE)
    return {
        "case": visible,
        "org": OrgUnit.objects.filter(pk__in=case.values("org_id")),
        "institution": Institution.objects.filter(pk__in=case.values("institution_id")),
        "people": User.objects.filter(Q(pk__in=case.values("owner_id")) | Q(pk__in=case.values("backup_id"))).order_by(
            "pk"
        ),
        "archive": CaseArchive.objects.filter(case_id__in=case.values("pk")),
    }


def _shape(case: Case, handles: bool) -> tuple:
    """What decides which lists the page reads and how many values an `__in` takes: the key of the compiled SQL."""
    return (
        "case_rows",
        case.case_type == CaseType.PETITION and not case.is_open,
        getattr(case, "archive", None) is not None,
        tuple(name for name in ("business_id", "cause_id") if getattr(case, name)),
        bool(case.duplicate_of_id),
        case.case_type == CaseType.COMPLAINT,
        tuple(name for name in ("owner_id", "backup_id") if getattr(case, name)),
        bool(handles),
    )


def _slot_values(case: Case, today: dt.date) -> dict:
    archive = getattr(case, "archive", None)
    return {
        "case": case.pk,
        "org": case.org_id,
        "case_ct": ContentType.objects.get_for_model(Case).pk,
        "step_ct": ContentType.objects.get_for_model(CaseStep).pk,
        "today": today,
        "business_id": case.business_id,
        "cause_id": case.cause_id,
        "duplicate_of_id": case.duplicate_of_id,
        "owner_id": case.owner_id,
        "backup_id": case.backup_id,
        "institution": case.institution_id,
        "bundle_target": target_key(archive) if archive is not None else "",
    }


def _any_of(field: str, slots: tuple) -> Q:
    """`field` equal to one of the named slots (a related `__in` does not take expressions); none matches nothing."""
    condition = Q(pk__in=[])
    for name in slots:
        condition |= Q(**{field: Slot(name)})
    return condition


def _list_querysets(shape: tuple) -> dict:
    """The case page's lists, with a slot for every value that changes from case to case."""
    _name, closed_petition, archived, categories, duplicate, complaint, handlers, handles = shape
    deadlines = svc.case_deadlines_of(CASE, case_ct=CASE_CT, step_ct=STEP_CT).order_by("status", "due_on", "id")
    history = Case.history.model.objects.filter(id=CASE).order_by("-history_date", "-history_id")
    origins = InterviewOrigin.objects.filter(content_type_id=CASE_CT, object_id=CASE).order_by("added_at")
    querysets = {
        "events": CaseEvent.objects.filter(case_id=CASE),
        "documents": CaseDocument.objects.filter(case_id=CASE),
        "steps": CaseStep.objects.filter(case_id=CASE),
        "attachments": Attachment.objects.filter(case_id=CASE),
        "extension_requests": ExtensionRequest.objects.filter(case_id=CASE),
        "deadlines": deadlines,
        "rules": DeadlineRule.objects.filter(pk__in=deadlines.values("rule_id")),
        "pauses": DeadlinePause.objects.filter(deadline__in=deadlines.values("pk"), end_on__isnull=True),
        "contacts": Contact.objects.filter(case_id=CASE),
        "representatives": Representative.objects.filter(contact__case_id=CASE).order_by("id"),
        "history": history.model.objects.filter(history_id__in=Subquery(history.values("pk")[:HISTORY_SHOWN])).order_by(
            "-history_date", "-history_id"
        ),
        "origins": origins,
        "interviews": Interview.objects.filter(pk__in=origins.values("interview_id")),
        # One office: its order by (unit path, username) is by username.
        "staff": office_staff(ORG).order_by("username"),
        "absences": Absence.objects.filter(_any_of("user_id", handlers), start_on__lte=TODAY, end_on__gte=TODAY),
    }
    if closed_petition:
        querysets["reviews"] = PetitionReview.objects.filter(case_id=CASE)
        querysets["transfer"] = Transfer.objects.filter(case_id=CASE)
    if archived:
        querysets["supplements"] = CaseSupplement.objects.filter(case_id=CASE)
        latest = BackgroundJob.objects.filter(target=Slot("bundle_target", CharField())).order_by("-id").values("pk")
        querysets["bundle_job"] = BackgroundJob.objects.filter(pk__in=Subquery(latest[:1]))
    if categories:
        querysets["categories"] = Category.objects.filter(_any_of("pk", categories))
    if duplicate:
        querysets["duplicate_of"] = Case.objects.filter(pk=Slot("duplicate_of_id"))
    if complaint:
        forwarding = Forwarding.objects.filter(case_id=CASE)
        querysets["forwarding"] = forwarding
        querysets["forwarded_to"] = Institution.objects.filter(pk__in=forwarding.values("institution_id"))
    if handles:
        querysets["open_interviews"] = open_interviews_for_topics(Slot("institution"))
    return querysets


def case_rows(case: Case, user, today: dt.date) -> CaseRows:
    """The case's lists as the page shows them, each with the rows it names attached as select_related would."""
    handles = bool(case.institution_id) and svc.can_handle(user, case)
    shape = _shape(case, handles)
    rows = fetch_prepared(shape, lambda: _list_querysets(shape), _slot_values(case, today), using=case._state.db)
    archive = getattr(case, "archive", None)  # loaded with the case (get_case_for_user)
    rows["archive"] = [archive] if archive is not None else []
    rows["case"] = [case]
    _attach_case_relations(rows, case)
    _attach_people(rows)
    _attach_within(rows, case)
    deadlines_list = rows["deadlines"]
    paused = any(d.paused_since for d in deadlines_list)
    return CaseRows(
        events=rows["events"],
        documents=rows["documents"],
        steps=rows["steps"],
        attachments=rows["attachments"],
        extension_requests=rows["extension_requests"],
        deadlines=deadlines_list,
        open_pauses={p.deadline_id: p for p in rows["pauses"]} if paused else {},
        reviews=rows.get("reviews", []),
        transfer=(rows.get("transfer") or [None])[0],
        contacts=rows["contacts"],
        history=rows["history"],
        exposure_origins=rows["origins"],
        open_interviews=rows["open_interviews"] if handles else None,
        absent_ids={absence.user_id for absence in rows["absences"]},
        staff=rows["staff"],
        supplements=rows.get("supplements", []),
        bundle_job=(rows.get("bundle_job") or [None])[0],
    )


def _attach_case_relations(rows: dict, case: Case) -> None:
    """Fill the case's categories, first case and forwarding slip (with its institution) as select_related would;
    the registering user is attached with the other people."""
    categories = {category.pk: category for category in rows.get("categories", ())}
    attach([case], "business", categories)
    attach([case], "cause", categories)
    attach([case], "duplicate_of", {first.pk: first for first in rows.get("duplicate_of", ())})
    if "forwarding" in rows:
        forwarding = (rows["forwarding"] or [None])[0]
        if forwarding is not None:
            attach([forwarding], "case", {case.pk: case})
            attach([forwarding], "institution", {i.pk: i for i in rows["forwarded_to"]})
        # A case without a slip then raises RelatedObjectDoesNotExist, as an unjoined access would.
        Case._meta.get_field("forwarding").set_cached_value(case, forwarding)


# Which foreign keys of which list name a person: all of them are read in one query.
_PEOPLE = {
    "case": ("created_by",),
    "events": ("actor", "approver"),
    "documents": ("issued_by",),
    "steps": ("owner",),
    "attachments": ("uploaded_by",),
    "extension_requests": ("requested_by", "decided_by"),
    "contacts": ("received_by",),
    "history": ("history_user",),
    "supplements": ("added_by",),
    "archive": ("filed_by", "approved_by"),
}


def _attach_people(rows: dict) -> None:
    ids = {
        getattr(row, row._meta.get_field(name).attname)
        for key, names in _PEOPLE.items()
        for row in rows.get(key, ())
        for name in names
    }
    ids.discard(None)
    people = {person.pk: person for person in User.objects.filter(pk__in=ids)} if ids else {}
    for key, names in _PEOPLE.items():
        for name in names:
            attach(rows.get(key, ()), name, people)


def _attach_within(rows: dict, case: Case) -> None:
    """The rows that point at each other or at the case, linked from what was loaded."""
    for key in ("events", "documents", "steps", "attachments", "extension_requests", "contacts"):
        attach(rows[key], "case", {case.pk: case})
    attach(rows["attachments"], "step", {step.pk: step for step in rows["steps"]})
    attach(rows["extension_requests"], "deadline", {d.pk: d for d in rows["deadlines"]})
    attach(rows["deadlines"], "rule", {rule.pk: rule for rule in rows["rules"]})
    attach(rows["origins"], "interview", {interview.pk: interview for interview in rows["interviews"]})
    representatives: dict[int, list] = {}
    for representative in rows["representatives"]:
        representatives.setdefault(representative.contact_id, []).append(representative)
    contacts = {contact.pk: contact for contact in rows["contacts"]}
    attach(rows["representatives"], "contact", contacts)
    for contact in rows["contacts"]:
        prefetched = contact.representatives.all()
        prefetched._result_cache = representatives.get(contact.pk, [])
        prefetched._prefetch_done = True
        contact._prefetched_objects_cache = {"representatives": prefetched}


class _LoadedChoices(ModelChoiceIterator):
    """A model choice field's options from rows already loaded, instead of a query when the form is drawn."""

    rows: list = []

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.rows:
            yield self.choice(row)

    def __len__(self):
        return len(self.rows) + (1 if self.field.empty_label is not None else 0)


def choices_from(form_field, rows: list) -> None:
    """Draw `form_field`'s options from `rows` (the same rows its queryset would give); validation still queries."""
    form_field.iterator = type("LoadedChoices", (_LoadedChoices,), {"rows": rows})
    form_field.widget.choices = form_field.choices


def staff_choices_from(forms, case: Case, staff: list) -> None:
    """The action forms' choices of the office's staff (负责人, A岗, B岗) drawn from the rows already loaded: only
    for a field whose queryset is `office_staff` of the case's office (marked by `selectors.choose_office_staff`), so
    the options are the ones it would list."""
    for form in forms:
        for form_field in form.fields.values():
            if isinstance(form_field, ModelChoiceField) and getattr(form_field, "office_staff_of", None) == case.org_id:
                choices_from(form_field, staff)
