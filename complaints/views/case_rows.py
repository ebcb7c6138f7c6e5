"""What the case page reads about one case, in a fixed number of queries whatever its size (docs/performance.md
「案件页」): every list of the case in one round trip (`core.rows.fetch_together`), then the people they name in one
more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Subquery
from django.forms.models import ModelChoiceField, ModelChoiceIterator

from core.models import Absence, BackgroundJob, Category, DeadlinePause, DeadlineRule, User
from core.rows import attach, fetch_together
from core.services.jobs import target_key
from institutions.models import Institution, Interview, InterviewOrigin
from institutions.services.exposure import open_interviews_for_topics

from .. import services as svc
from ..models import Attachment, Case, Forwarding, Representative, Transfer
from ..models.choices import CaseType

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


def office_staff(case: Case):
    """The active staff of the case's office: the choices of the action forms that name a person."""
    return User.objects.filter(org_id=case.org_id, is_active=True)


def case_rows(case: Case, user, today: dt.date) -> CaseRows:
    """The case's lists as the page shows them, each with the rows it names attached as select_related would."""
    closed_petition = case.case_type == CaseType.PETITION and not case.is_open
    deadlines = svc.case_deadlines(case).order_by("status", "due_on", "id")
    history = case.history.order_by("-history_date", "-history_id")
    origins = InterviewOrigin.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_id=case.pk
    ).order_by("added_at")
    querysets = {
        "events": case.events.all(),
        "documents": case.documents.all(),
        "steps": case.steps.all(),
        "attachments": Attachment.objects.filter(case=case),
        "extension_requests": case.extension_requests.all(),
        "deadlines": deadlines,
        "rules": DeadlineRule.objects.filter(pk__in=deadlines.values("rule_id")),
        "pauses": DeadlinePause.objects.filter(deadline__in=deadlines.values("pk"), end_on__isnull=True),
        "contacts": case.contacts.all(),
        "representatives": Representative.objects.filter(contact__case=case).order_by("id"),
        "history": history.model.objects.filter(history_id__in=Subquery(history.values("pk")[:HISTORY_SHOWN])).order_by(
            "-history_date", "-history_id"
        ),
        "origins": origins,
        "interviews": Interview.objects.filter(pk__in=origins.values("interview_id")),
        # One office: its order by (unit path, username) is by username.
        "staff": office_staff(case).order_by("username"),
        "absences": Absence.objects.filter(
            user_id__in=[pk for pk in (case.owner_id, case.backup_id) if pk], start_on__lte=today, end_on__gte=today
        ),
    }
    if closed_petition:
        querysets["reviews"] = case.reviews.all()
        querysets["transfer"] = Transfer.objects.filter(case=case)
    archive = getattr(case, "archive", None)  # loaded with the case (get_case_for_user)
    if archive is not None:
        querysets["supplements"] = case.supplements.all()
        latest = BackgroundJob.objects.filter(target=target_key(archive)).order_by("-id").values("pk")[:1]
        querysets["bundle_job"] = BackgroundJob.objects.filter(pk__in=Subquery(latest))
    querysets.update(_case_relations(case))
    handles = case.institution_id and svc.can_handle(user, case)
    if handles:
        querysets["open_interviews"] = open_interviews_for_topics(case.institution)
    rows = fetch_together(querysets)
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


def _case_relations(case: Case) -> dict:
    """The case's own related rows that get_case_for_user does not join: read with the lists."""
    querysets = {}
    categories = [pk for pk in (case.business_id, case.cause_id) if pk]
    if categories:
        querysets["categories"] = Category.objects.filter(pk__in=categories)
    if case.duplicate_of_id:
        querysets["duplicate_of"] = Case.objects.filter(pk=case.duplicate_of_id)
    if case.case_type == CaseType.COMPLAINT:
        forwarding = Forwarding.objects.filter(case_id=case.pk)
        querysets["forwarding"] = forwarding
        querysets["forwarded_to"] = Institution.objects.filter(pk__in=forwarding.values("institution_id"))
    return querysets


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
    for a field whose query is exactly `office_staff(case)`, so the options are the ones it would list."""
    query = str(office_staff(case).query)
    for form in forms:
        for form_field in form.fields.values():
            if isinstance(form_field, ModelChoiceField) and str(form_field.queryset.query) == query:
                choices_from(form_field, staff)
