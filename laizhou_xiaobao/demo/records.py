"""Demo records of a case's later life, so that a new user finds each of them in 莱州 (docs/domain.md, "归档",
"转送其他机关", "复查复核", "暂停计时", "重大事项"): two filed cases with their bundle (卷宗), a case filed eleven years
ago whose retention has run out and whose destruction is proposed, a petition transferred to the police with its
转送函 and acknowledged, a petition whose 复查 was decided, a petition whose clock is paused for materials, and a
matter marked 重大.

Every record is made through the real services, as the office would make it, and is found again by its summary
(which starts with 【演示】): seeding again adds nothing. The old filed case is made at its own date with
time-machine (a development dependency, as for `make bench`); without it that one record is left out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from complaints.models import Authority, Case, CaseArchive, PetitionReview
from complaints.services.archive_bundle import archive_bundle_build
from complaints.services.archive_destruction import destruction_propose
from complaints.services.major import case_mark_major
from complaints.services.pauses import case_clock_pause
from complaints.services.review import petition_review_decide, petition_review_request
from complaints.services.transfers import petition_transfer, transfer_acknowledge
from core.models import User
from core.models.deadlines import PauseKind

from .filed_cases import (
    DEMO_MARK,
    accepted_petition,
    closed_petition,
    fictional_id,
    filed_petition,
    registered_petition,
)
from .files import case_files

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Small files: the demo shows the bundle, the benchmark measures it (laizhou_xiaobao/bench/archive.py).
FILE_SCALE = 0.15
# Filed this many years before today: past the 10-year retention, which ends on 31 December of its 10th year.
OLD_FILE_YEARS = 11

FILED = [f"{DEMO_MARK}理财产品收益不符宣传（已归档）", f"{DEMO_MARK}信用卡分期手续费争议（已归档）"]
PAST_RETENTION = f"{DEMO_MARK}存折挂失争议（保管期限已满）"
TRANSFERRED = f"{DEMO_MARK}疑似非法集资线索（转送公安机关）"
REVIEWED = f"{DEMO_MARK}贷款利率上浮未告知（已复查）"
PAUSED = f"{DEMO_MARK}银行卡被盗刷（材料待补，暂停计时）"
MAJOR = f"{DEMO_MARK}村镇银行多名储户存款到期未能支取（重大事项）"
SUMMARIES = [*FILED, PAST_RETENTION, TRANSFERRED, REVIEWED, PAUSED, MAJOR]


class _Office:
    """Who works the demo records, and about which institution."""

    def __init__(self, org):
        self.org = org
        people = {u.username: u for u in User.objects.filter(username__in=("lz_clerk_a", "lz_supervisor"))}
        self.clerk, self.supervisor = people.get("lz_clerk_a"), people.get("lz_supervisor")
        from institutions.models import Institution

        self.institutions = list(Institution.objects.filter(org=org).order_by("pk"))

    @property
    def ready(self) -> bool:
        return self.clerk is not None and self.supervisor is not None and bool(self.institutions)

    def person(self, serial: int) -> dict:
        names = ["王秀英", "李建国", "张桂兰", "刘志强", "陈丽娟", "杨德福", "赵春梅"]
        return {
            "name": names[serial % len(names)],
            "id_number": fictional_id("370683", f"19{60 + serial:02d}0{1 + serial % 9}15", 100 + serial),
            "phone": f"1390535{serial:04d}",
            "address": f"山东省莱州市文昌路街道演示小区{serial + 1}号",
        }

    def common(self, serial: int) -> dict:
        institution = self.institutions[serial % len(self.institutions)]
        return {"clerk": self.clerk, "institution": institution, "person": self.person(serial)}


def _filed(office: _Office, summary: str, serial: int) -> None:
    files = case_files(3, seed=serial, scale=FILE_SCALE)
    archive = filed_petition(supervisor=office.supervisor, summary=summary, files=files, **office.common(serial))
    _ensure_bundle(archive)


def _ensure_bundle(archive: CaseArchive) -> None:
    """Filing queues the bundle and it is built when the filing commits (in-process without a broker); when the
    seeding runs inside a transaction (tests), it is built here."""
    archive.refresh_from_db()
    if not archive.bundle_pdf:
        archive_bundle_build(archive.pk)


def _past_retention(office: _Office, summary: str, serial: int) -> None:
    try:
        import time_machine
    except ImportError:  # a production installation has no development dependencies
        return
    today = timezone.localdate()
    filed_at = dt.datetime(today.year - OLD_FILE_YEARS, 3, 10, 10, tzinfo=SHANGHAI)
    with time_machine.travel(filed_at, tick=False):
        files = case_files(1, seed=serial, scale=FILE_SCALE)
        archive = filed_petition(supervisor=office.supervisor, summary=summary, files=files, **office.common(serial))
        _ensure_bundle(archive)
    destruction_propose(
        actor=office.clerk, archive=archive, reason="保管期限已满，经鉴定无继续保存价值，拟按规定销毁。"
    )


def _transferred(office: _Office, summary: str, serial: int) -> None:
    case = registered_petition(summary=summary, **office.common(serial))
    petition_transfer(
        actor=office.clerk,
        case=case,
        version=case.version,
        authority=Authority.POLICE,
        authority_name="莱州市公安局",
        reason="反映的事项涉嫌非法集资，属公安机关职责。",
    )
    case.refresh_from_db()
    transfer_acknowledge(
        actor=office.clerk,
        case=case,
        version=case.version,
        acknowledged_on=timezone.localdate(),
        acknowledged_by="莱州市公安局经侦大队 刘警官",
    )


def _reviewed(office: _Office, summary: str, serial: int) -> None:
    case = closed_petition(summary=summary, **office.common(serial))
    today = timezone.localdate()
    petition_review_request(
        actor=office.clerk,
        case=case,
        version=case.version,
        kind=PetitionReview.Kind.RECHECK,
        requested_on=today,
        office="烟台金融监管分局",
    )
    case.refresh_from_db()
    petition_review_decide(
        actor=office.clerk,
        case=case,
        version=case.version,
        decision=PetitionReview.Decision.UPHELD,
        decided_on=today,
        note="复查维持原处理意见。",
    )


def _paused(office: _Office, summary: str, serial: int) -> None:
    case = accepted_petition(summary=summary, **office.common(serial))
    case_clock_pause(
        actor=office.clerk,
        case=case,
        version=case.version,
        kind=PauseKind.MATERIALS,
        reason="等待信访人补充银行流水和报案回执。",
        start_on=timezone.localdate(),
    )


def _major(office: _Office, summary: str, serial: int) -> None:
    case = registered_petition(summary=summary, group_size=6, **office.common(serial))
    case_mark_major(
        actor=office.supervisor,
        case=case,
        version=case.version,
        reason="涉及多名老年储户，社会关注度高，按重大事项办理。",
    )


MAKERS = [
    (FILED[0], _filed),
    (FILED[1], _filed),
    (PAST_RETENTION, _past_retention),
    (TRANSFERRED, _transferred),
    (REVIEWED, _reviewed),
    (PAUSED, _paused),
    (MAJOR, _major),
]


def seed(*, orgs, cases=None, stdout=None) -> int:
    """Make each demo record of 莱州 that is missing; returns how many were made."""
    office = _Office(orgs["laizhou"])
    if not office.ready:
        return 0
    existing = set(Case.objects.filter(org=office.org, summary__in=SUMMARIES).values_list("summary", flat=True))
    made = 0
    for serial, (summary, make) in enumerate(MAKERS):
        if summary in existing:
            continue
        make(office, summary, serial)
        made += 1
    if stdout is not None and made:
        stdout.write(f"归档、转送、复查、暂停计时、重大事项演示件：新增 {made} 件")
    return made
