"""One real record of every kind a URL can name, owned by 莱州支局, for the route permission matrix.

Built through the services where they are quick (so records are as the app makes them), directly where a
service would render a PDF or walk a long workflow that the matrix does not need.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF_BYTES = b"%PDF-1.4 evidence for the route matrix\n"
VALID_ID = "370683199001011237"
VALID_PHONE = "13812345678"


def _pdf(name: str = "证据.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def _filed_case(clerk_a, supervisor, laizhou, institution):
    """A closed case filed by the supervisor (its file incomplete), with its bundle stored and a destruction
    proposal pending (recorded directly: the service proposes only past retention)."""
    from django.utils import timezone

    from complaints.models import DestructionDecision
    from complaints.services.archive import case_file
    from tests.factories import make_case

    closed = make_case(owner=clerk_a, org=laizhou, institution=institution, status="closed", closure="resolved")
    archive = case_file(actor=supervisor, case=closed, version=closed.version, approval_reason="历史件，材料已遗失")
    archive.bundle_pdf.save("bundle.pdf", ContentFile(PDF_BYTES), save=False)
    archive.bundle_zip.save("bundle.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    archive.save(update_fields=["bundle_pdf", "bundle_zip"])
    decision = DestructionDecision.objects.create(
        archive=archive,
        case_number=closed.number,
        archive_number=archive.archive_number,
        reason="测试",
        proposed_by=clerk_a,
        proposed_at=timezone.now(),
    )
    return closed, archive, decision


def build_complaints(world: dict, *, clerk_a, supervisor, laizhou, institution) -> None:
    from complaints.models import Case, Contact
    from complaints.services import (
        attachment_add,
        case_step_start,
        contact_register,
        extension_request,
        next_step_kind,
        petition_accept,
    )
    from complaints.services.ledger_export import ledger_export_request

    contact = contact_register(
        actor=clerk_a,
        channel="visit",
        summary="信用卡分期手续费争议",
        outcome=Contact.Outcome.OPENED_CASE,
        case_type="petition",
        petition_kind="appeal",
        name="王小明",
        id_number=VALID_ID,
        phone=VALID_PHONE,
        address="山东省莱州市文昌路街道某小区1号",
        institution=institution,
        content="反映银行未告知分期手续费。",
    )
    call = contact_register(
        actor=clerk_a,
        channel="phone",
        summary="咨询征信异议申请方式",
        outcome=Contact.Outcome.ANSWERED,
        answer="告知可向征信中心或贷款银行提出异议申请。",
        name="李四",
        phone=VALID_PHONE,
    )
    case = petition_accept(actor=clerk_a, case=contact.case, version=contact.case.version, route="由消保科调查")
    extension = extension_request(actor=clerk_a, case=case, version=case.version, days=5, reason="情况复杂")
    case.refresh_from_db()
    step = case_step_start(
        actor=clerk_a,
        case=case,
        version=case.version,
        kind=next_step_kind(case),
        owner=clerk_a,
        due_on=dt.date(2026, 3, 20),
    )
    case.refresh_from_db()
    attachment = attachment_add(actor=clerk_a, case=case, upload=_pdf(), kind="evidence")
    export, content = ledger_export_request(
        actor=clerk_a, queryset=Case.objects.filter(org=laizhou), filters={}, file_format="csv", org=laizhou
    )
    from core.models import BackgroundJob

    # The export as a task would leave it: a finished job holding the file.
    export.job = BackgroundJob.objects.create(
        task_id="route-world-export", task_name="complaints.tasks.build_ledger_export", state=BackgroundJob.State.DONE
    )
    export.job.file.save("ledger.csv", ContentFile(content), save=True)
    export.save(update_fields=["job"])
    ledger_import = _ledger_import(laizhou, clerk_a)
    filed_case, filed_archive, decision = _filed_case(clerk_a, supervisor, laizhou, institution)
    world.update(
        filed_case=filed_case,
        filed_archive=filed_archive,
        decision=decision,
        contact=call,
        case=case,
        extension=extension,
        step=step,
        attachment=attachment,
        document=case.documents.get(),
        export=export,
        ledger_import=ledger_import,
    )


def _ledger_import(laizhou, uploader):
    """An uploaded workbook (the template) waiting for its mapping and import."""
    from complaints.models import LedgerImport
    from complaints.services.ledger_import import FIELDS, template_workbook

    record = LedgerImport(
        org=laizhou,
        uploaded_by=uploader,
        file_name="旧台账.xlsx",
        sha256="0" * 64,
        row_count=2,
        headers=[str(field.label) for field in FIELDS],
    )
    record.file.save("laizhou.xlsx", ContentFile(template_workbook()), save=True)
    return record


def build_institutions(world: dict, *, clerk_a, laizhou, institution) -> None:
    from institutions.models import QuarterlyList, RectificationItem
    from institutions.services import interviews as interview_svc
    from institutions.services import lists as list_svc
    from institutions.services.surveys import survey_add_finding, survey_create

    interview = interview_svc.interview_create(actor=clerk_a, institution=institution, reason="投诉量上升")
    world["interview"] = interview
    world["interview_attachment"] = interview_svc.interview_attach(
        actor=clerk_a, interview=interview, upload=_pdf("谈话记录.pdf"), kind="record"
    )
    world["rectification"] = RectificationItem.objects.create(
        interview=interview, description="整改营销话术", due_on=dt.date(2026, 4, 30)
    )
    survey = survey_create(
        actor=clerk_a,
        org=laizhou,
        title="适当性专项调研",
        theme="适当性",
        scope="",
        started_on=dt.date(2026, 3, 1),
        institutions=[institution],
    )
    world["survey"] = survey
    world["finding"] = survey_add_finding(
        actor=clerk_a, survey=survey, institution=institution, element="suitability", description="风险测评流于形式"
    )
    # A draft for the editing routes; a list already reported to the branch for the reading ones.
    draft = list_svc.list_draft(org=laizhou, year=2025, quarter=4, actor=clerk_a)
    row = draft.rows.get(institution=institution)
    world.update(draft_list=draft, row=row)
    world["item"] = list_svc.item_add(
        actor=clerk_a, row=row, polarity="positive", element="education", description="金融教育成效突出"
    )
    reported = list_svc.list_draft(org=laizhou, year=2025, quarter=3, actor=clerk_a)
    reported.pdf_file.save("list.pdf", ContentFile(PDF_BYTES), save=False)
    reported.xlsx_file.save("list.xlsx", ContentFile(b"PK\x03\x04 matrix"), save=False)
    reported.status = QuarterlyList.Status.FROZEN
    reported.save()
    world["reported_list"] = reported


def build_mediation(world: dict, *, clerk_a, mediator, laizhou, institution) -> None:
    from mediation.models import Mediator, PartnerKind, PartnerOrganisation, Side, Source
    from mediation.services import (
        agent_add,
        mediation_assign,
        mediation_declare_recusal,
        mediation_record_consent,
        mediation_record_outcome,
        mediation_register,
        session_record,
    )

    court = PartnerOrganisation.objects.create(org=laizhou, name="莱州市人民法院", kind=PartnerKind.COURT)
    profile = Mediator.objects.create(partner=court, name="高文静", user=mediator)
    received_on = dt.date(2026, 3, 2)

    def register(summary: str):
        return mediation_register(
            actor=clerk_a,
            org=laizhou,
            source=Source.DIRECT,
            received_on=received_on,
            applicant_name="王小明",
            applicant_id_number=VALID_ID,
            applicant_phone=VALID_PHONE,
            institution=institution,
            summary=summary,
            amount_claimed=Decimal("3000.00"),
        )

    def assign(case):
        for side in (Side.APPLICANT, Side.RESPONDENT):
            mediation_record_consent(actor=clerk_a, case=case, side=side, consent_on=received_on)
        mediation_assign(actor=clerk_a, case=case, mediator=profile, assigned_on=received_on)

    # The case assigned to the `mediator` persona, declared, heard and settled by agreement.
    case = register("信用卡分期手续费争议")
    assign(case)
    mediation_declare_recusal(actor=mediator, case=case, has_conflict=False, statement="无利害关系。")
    session = session_record(
        actor=clerk_a,
        case=case,
        held_at=dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC),
        mode="on_site",
        place="莱和州安调解室",
        attendees="申请人、机构代表、调解员",
        minutes="双方陈述。",
    )
    mediation_record_outcome(
        actor=clerk_a,
        case=case,
        outcome="agreement",
        concluded_on=dt.date(2026, 3, 4),
        agreement_terms="被申请人退还手续费 2000 元。",
        performance_method="银行转账",
        performance_due_on=dt.date(2026, 3, 24),
        amount_agreed=Decimal("2000.00"),
    )
    case.refresh_from_db()
    agent = agent_add(actor=clerk_a, case=case, side=Side.APPLICANT, name="王大明", upload=_pdf("授权委托书.pdf"))
    # A second case assigned to the same mediator, still waiting for their recusal declaration.
    waiting = register("贷款违约金争议")
    assign(waiting)
    world.update(mediation=case, session=session, agent=agent, mediation_waiting=waiting)


def build_outreach(world: dict, *, clerk_a, laizhou) -> None:
    from outreach.models import Campaign, EventPhoto, GridCell, MediaWork, TrainingSession, VenueType
    from outreach.models import Event as OutreachEvent
    from outreach.services import event_photo_add

    town = GridCell.objects.create(org=laizhou, kind=GridCell.Kind.TOWN, name="沙河镇")
    event = OutreachEvent.objects.create(
        org=laizhou,
        title="防诈宣传进沙河",
        campaign=Campaign.objects.get(name="日常宣传"),
        held_on=dt.date(2026, 3, 1),
        grid_cell=GridCell.objects.create(org=laizhou, parent=town, kind=GridCell.Kind.VILLAGE, name="沙河村"),
        venue_type=VenueType.objects.get(name="进农村"),
        participants=100,
    )
    event_photo_add(actor=clerk_a, event=event, uploads=[_jpeg()])
    world.update(
        event=event,
        photo=EventPhoto.objects.get(event=event),
        media=MediaWork.objects.create(
            org=laizhou, title="防诈短视频", published_on=dt.date(2026, 3, 1), channel="视频号"
        ),
        training=TrainingSession.objects.create(
            org=laizhou, audience="own_staff", topic="信访条例", speaker="孙海涛", held_on=dt.date(2026, 3, 5)
        ),
    )


def build_dashboard(world: dict, *, clerk_a, supervisor, laizhou) -> None:
    from core.services.notifications import notify
    from core.services.tasks import task_create

    world["task"] = task_create(
        actor=supervisor, org=laizhou, title="整理一季度台账", owner=clerk_a, due_on=dt.date(2026, 3, 31)
    )
    world["notification"] = notify(user=clerk_a, title="测试提醒")


def build_statistics(world: dict, *, clerk_a, laizhou) -> None:
    from laizhou_xiaobao.statistics.models import StatisticsReport
    from laizhou_xiaobao.statistics.services import report_draft

    world["draft_report"] = report_draft(actor=clerk_a, org=laizhou, year=2025, quarter=4)
    submitted = report_draft(actor=clerk_a, org=laizhou, year=2025, quarter=3)
    submitted.pdf_file.save("report.pdf", ContentFile(PDF_BYTES), save=False)
    submitted.xlsx_file.save("report.xlsx", ContentFile(b"PK\x03\x04 matrix"), save=False)
    submitted.status = StatisticsReport.Status.SUBMITTED
    submitted.save()
    world["submitted_report"] = submitted


def build_world(users: dict, laizhou, builders: list[str]) -> dict:
    """The records of the named builders ("complaints", "institutions", …) for the personas in `users` (keyed
    clerk, sup, med): what the route matrix and the fuzz walk request their pages against."""
    from institutions.reference_data import ensure_default_rules
    from tests.factories import make_institution

    ensure_default_rules()
    institution = make_institution(org=laizhou, short_name="莱州农商银行")
    records: dict = {"users": users, "institution": institution}
    clerk_a, supervisor = users["clerk"], users["sup"]
    build = {
        "complaints": lambda: build_complaints(
            records, clerk_a=clerk_a, supervisor=supervisor, laizhou=laizhou, institution=institution
        ),
        "institutions": lambda: build_institutions(records, clerk_a=clerk_a, laizhou=laizhou, institution=institution),
        "mediation": lambda: build_mediation(
            records, clerk_a=clerk_a, mediator=users["med"], laizhou=laizhou, institution=institution
        ),
        "outreach": lambda: build_outreach(records, clerk_a=clerk_a, laizhou=laizhou),
        "dashboard": lambda: build_dashboard(records, clerk_a=clerk_a, supervisor=supervisor, laizhou=laizhou),
        "statistics": lambda: build_statistics(records, clerk_a=clerk_a, laizhou=laizhou),
    }
    for name in builders:
        build[name]()
    return records
