"""A petition worked through its whole path by the real services and filed (归档): registered, accepted, its
attachments uploaded, the 信访处理意见书 issued and delivered, closed and filed, which queues its bundle (卷宗).
Used by the demo's records (laizhou_xiaobao/demo/records.py) and the bundle benchmark
(laizhou_xiaobao/bench/archive.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.models import CaseArchive, Contact
from complaints.services import (
    attachment_add,
    case_close,
    contact_register,
    petition_accept,
    petition_deliver,
    petition_reply,
)
from complaints.services.archive import case_file
from core.personal import resident_id_check_digit

from .files import DemoFile

# The start of the summary of every demo record made through the services (laizhou_xiaobao/demo/records.py).
DEMO_MARK = "【演示】"


def fictional_id(region: str, birthday: str, serial: int) -> str:
    """A well-formed resident ID number of nobody: region, birthday (YYYYMMDD), serial, check digit."""
    body = f"{region}{birthday}{serial % 1000:03d}"
    return body + resident_id_check_digit(body)


def registered_petition(*, clerk, institution, summary: str, person: dict, received_at=None, **fields):
    """A fictional 申诉求决 petition about `institution`, registered at the counter; `person`: name, id_number,
    phone, address."""
    contact = contact_register(
        actor=clerk,
        channel="visit",
        summary=summary,
        outcome=Contact.Outcome.OPENED_CASE,
        received_at=received_at,
        case_type="petition",
        petition_kind="appeal",
        institution=institution,
        content=f"反映{summary.removeprefix(DEMO_MARK)}，要求机构纠正并赔偿损失。",
        **person,
        **fields,
    )
    return contact.case


def accepted_petition(*, clerk, institution, summary: str, person: dict, files: list[DemoFile] = ()):
    case = registered_petition(clerk=clerk, institution=institution, summary=summary, person=person)
    case = petition_accept(actor=clerk, case=case, version=case.version, route="由本局消保科调查处理")
    for file in files:
        upload = SimpleUploadedFile(file.name, file.content)
        attachment_add(actor=clerk, case=case, upload=upload, kind=file.kind, description=file.description)
    case.refresh_from_db()
    return case


def closed_petition(*, clerk, institution, summary: str, person: dict, files: list[DemoFile] = ()):
    """Registered, accepted, its attachments uploaded, the 信访处理意见书 issued and delivered, closed."""
    case = accepted_petition(clerk=clerk, institution=institution, summary=summary, person=person, files=files)
    case = petition_reply(
        actor=clerk,
        case=case,
        version=case.version,
        request="纠正并赔偿损失",
        facts="经调查，机构未充分履行告知义务。",
        decision="support",
        legal_basis="《银行保险机构消费者权益保护管理办法》",
    )
    case = petition_deliver(actor=clerk, case=case, version=case.version)
    return case_close(actor=clerk, case=case, version=case.version, result="已支持，机构已纠正")


def filed_petition(*, clerk, supervisor, institution, summary: str, files: list[DemoFile], person: dict) -> CaseArchive:
    """File a closed petition (归档); filing queues its bundle."""
    case = closed_petition(clerk=clerk, institution=institution, summary=summary, person=person, files=files)
    try:
        return case_file(actor=clerk, case=case, version=case.version)
    except ValidationError as error:
        if getattr(error, "code", "") != "incomplete":
            raise
    # Something the rules ask for is missing: the supervisor files it with a reason, as the office would.
    case.refresh_from_db()
    return case_file(actor=supervisor, case=case, version=case.version, approval_reason="演示数据：材料已核对")
