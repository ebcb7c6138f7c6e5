"""Building one office's fictional demo cases and the records beside them (seed_demo; complaints.py decides how
many and where). The module docstring of complaints.py says what the demo keeps consistent."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from complaints.models import Case, CaseSearchIndex, CaseSearchText, Contact, Forwarding
from complaints.models.choices import CASE_NUMBER_PREFIX, CaseStatus, CaseType, Channel, Closure, Satisfaction
from complaints.search import search_rows
from core.models import Deadline, DeadlineRule, NumberSequence
from core.personal import resident_id_check_digit
from core.services.deadlines import ComputedDue, compute_due
from core.workcalendar import get_calendar

from .complaints_vocabulary import (
    BANK_MATTERS,
    CHANNELS,
    CITY,
    CLOSURES,
    FINDINGS,
    GIVEN,
    INSURER_MATTERS,
    OPEN_PATHS,
    REGION,
    SURNAMES,
    TOWNS,
    TYPES,
)
from .copy_rows import copy_insert

BATCH = 5000
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEMO_REASON = "演示数据"


def _pick(rng, weighted):
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


def _resident_id(rng, region: str) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 52))
    first17 = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + resident_id_check_digit(first17)


def spread(rng, today: dt.date, count: int) -> list[dt.date]:
    """The days `count` cases are received on over three years up to `today`, sorted."""
    first = today - dt.timedelta(days=3 * 365)
    span = (today - first).days
    # A tenth of the cases fall in the last two months so that the demo has work in progress.
    days = sorted(
        today - dt.timedelta(days=rng.randrange(60))
        if rng.random() < 0.1
        else first + dt.timedelta(days=rng.randrange(span + 1))
        for _ in range(count)
    )
    if days:
        # The newest case is received on the day of seeding: the benchmark reads its "today" from it
        # (laizhou_xiaobao/bench/today.py).
        days[-1] = today
    return days


class Seeder:
    def __init__(self, *, org, users, institutions, rng, today, stdout, copy=False, label=""):
        self.org, self.rng, self.today, self.stdout = org, rng, today, stdout
        # A large load on PostgreSQL writes with COPY (copy_rows.py); otherwise bulk_create.
        self.copy = copy
        self.label = label or org.short_name or org.name
        # Findings are drawn from their own generator, so that every other value of the demo stays as it was.
        self.finding_rng = random.Random(f"{org.code}-findings")  # nosec B311 # reproducible demo data, not a secret
        self.now = timezone.now()
        self.owner, self.backup = users
        self.institutions = institutions
        self.calendar = get_calendar()
        self.rules = {rule.code: rule for rule in DeadlineRule.objects.all()}
        self.case_ct = ContentType.objects.get_for_model(Case)
        self.sequences = {
            (key, year): value
            for key, year, value in NumberSequence.objects.filter(org=org).values_list("key", "year", "last_value")
        }
        self.touched: set[tuple[str, int]] = set()
        self.recent_ids: list[int] = []
        self.provisional = 0

    def step_on(self, start: dt.date, days: int, *, until: dt.datetime | None = None) -> dt.date:
        """The date of a later step: `days` after `start`, but never after today (nor after `until`)."""
        last = self.today if until is None else min(self.today, until.astimezone(SHANGHAI).date())
        return max(min(start + dt.timedelta(days=days), last), start)

    def number(self, case_type, year) -> str:
        prefix = CASE_NUMBER_PREFIX[case_type]
        value = self.sequences.get((prefix, year), 0) + 1
        self.sequences[(prefix, year)] = value
        self.touched.add((prefix, year))
        return f"{prefix}-{year}-{value:04d}"

    def save_sequences(self):
        # Only the years this seeder numbered: the parts of a large load number different years side by side.
        for key, year in sorted(self.touched):
            value = self.sequences[(key, year)]
            NumberSequence.objects.update_or_create(org=self.org, key=key, year=year, defaults={"last_value": value})

    def due(self, rule_code, started_on) -> tuple[ComputedDue, DeadlineRule]:
        rule = self.rules[rule_code]
        computed = compute_due(started_on=started_on, days=rule.days, kind=rule.count_kind, calendar=self.calendar)
        self.provisional += bool(computed.provisional_years)
        return computed, rule

    def build(self, received_on: dt.date):
        rng, code = self.rng, self.org.code
        case_type = _pick(rng, TYPES)
        channel = _pick(rng, CHANNELS[case_type])
        institution = rng.choice(self.institutions) if self.institutions else None
        is_insurer = institution is not None and "保险" in institution.full_name
        summary, content = rng.choice(INSURER_MATTERS if is_insurer else BANK_MATTERS)
        anonymous = case_type == CaseType.REPORT and rng.random() < 0.3
        name = "" if anonymous else rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        received_at = dt.datetime.combine(received_on, dt.time(rng.randrange(8, 17), rng.randrange(60)), SHANGHAI)
        # Nothing in the demo happens after the moment it is seeded.
        received_at = min(received_at, self.now - dt.timedelta(minutes=rng.randrange(5, 60)))
        received_on = received_at.astimezone(SHANGHAI).date()
        age = (self.today - received_on).days
        # Old cases are closed; recent ones are spread along their path.
        closed = age > 75 or (age > 10 and rng.random() < age / 90)
        status = CaseStatus.CLOSED if closed else rng.choice(OPEN_PATHS[case_type])
        case = Case(
            org_id=self.org.pk,
            number=self.number(case_type, received_on.year),
            case_type=case_type,
            petition_kind=rng.choice(["suggestion", "accusation", "appeal"]) if case_type == CaseType.PETITION else "",
            channel=channel,
            reference_no=f"12378-{received_on:%Y%m%d}-{rng.randrange(10000):04d}"
            if channel == Channel.HOTLINE_12378
            else "",
            received_at=received_at,
            received_on=received_on,
            name=name,
            id_number="" if anonymous or rng.random() < 0.3 else _resident_id(rng, REGION[code]),
            phone="" if anonymous else f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            address="" if anonymous else f"山东省{CITY[code]}市{rng.choice(TOWNS[code])}{rng.randrange(1, 200)}号",
            is_anonymous=anonymous,
            group_size=rng.choice((2, 3, 5, 8)) if channel == Channel.VISIT and rng.random() < 0.05 else 1,
            institution_id=institution.pk if institution else None,
            summary=summary,
            content=content,
            owner_id=self.owner.pk,
            backup_id=self.backup.pk if self.backup else None,
            status=status,
            created_by_id=self.owner.pk,
        )
        if self.recent_ids and rng.random() < 0.03:
            case.duplicate_of_id = rng.choice(self.recent_ids)
            case.status = status = CaseStatus.CLOSED
        plan = None
        if status == CaseStatus.CLOSED:
            closed_on = min(received_on + dt.timedelta(days=rng.randrange(3, 70)), self.today)
            case.closed_at = min(dt.datetime.combine(closed_on, dt.time(16, 0), SHANGHAI), self.now)
            case.closure = Closure.DUPLICATE if case.duplicate_of_id else _pick(rng, CLOSURES[case_type])
            case.closed_on_time = rng.random() < 0.94
            case.result = "已办结，已答复当事人。"
            if case_type == CaseType.COMPLAINT and case.closure in (Closure.RESOLVED, Closure.ESCALATED):
                # A complainant who is not satisfied is escalated, never closed as resolved.
                case.satisfaction = (
                    Satisfaction.DISSATISFIED
                    if case.closure == Closure.ESCALATED
                    else _pick(rng, [(Satisfaction.SATISFIED, 0.75), (Satisfaction.BASICALLY, 0.25)])
                )
        elif case.has_clock:
            plan = self.open_deadline(case)
        accepted_then_closed = status == CaseStatus.CLOSED and case.closure == Closure.RESOLVED
        if case_type != CaseType.COMPLAINT and (
            status in (CaseStatus.ACCEPTED, CaseStatus.REPLIED) or accepted_then_closed
        ):
            case.accepted_on = case.accepted_on or min(
                received_on + dt.timedelta(days=rng.randrange(1, 10)), self.today
            )
            if case.closed_at is not None:
                case.accepted_on = min(case.accepted_on, case.closed_at.astimezone(SHANGHAI).date())
        if case_type == CaseType.REPORT and (status == CaseStatus.REPLIED or accepted_then_closed):
            # An investigated report carries its finding, as `report_finding` records it.
            case.finding = _pick(self.finding_rng, FINDINGS)
        return case, plan

    def open_deadline(self, case):
        """The one open deadline the case's status implies (docs/domain.md, "期限与工作日历"), or None."""
        received_on = case.received_on
        rule_code, started_on, label = {
            (CaseType.PETITION, CaseStatus.REGISTERED): ("P-ACK", received_on, "受理告知"),
            (CaseType.PETITION, CaseStatus.ACCEPTED): ("P-REPLY", self.step_on(received_on, 3), "书面答复"),
            (CaseType.REPORT, CaseStatus.REGISTERED): ("R-ACK", received_on, "举报受理告知"),
            (CaseType.REPORT, CaseStatus.ACCEPTED): ("R-FIND", self.step_on(received_on, 3), "调查结论"),
            (CaseType.COMPLAINT, CaseStatus.REGISTERED): ("C-FWD", received_on, "转送机构"),
            # Forwarded but not yet signed for: the institution's clock starts at its 签收 (docs/domain.md).
            (CaseType.COMPLAINT, CaseStatus.INSTITUTION_ACKNOWLEDGED): (
                "C-INST",
                self.step_on(received_on, 3),
                "机构处理",
            ),
        }.get((case.case_type, case.status), (None, None, None))
        if rule_code is None:
            return None
        if case.status == CaseStatus.ACCEPTED:
            case.accepted_on = started_on
        computed, rule = self.due(rule_code, started_on)
        case.due_on = computed.due_on
        case.due_provisional = bool(computed.provisional_years)
        return (rule, started_on, computed, label)

    def run(self, count: int) -> int:
        return self.load(spread(self.rng, self.today, count))

    def load(self, days: list[dt.date]) -> int:
        """Build and store one case received on each of `days` (sorted), in batches of BATCH."""
        count, made = len(days), 0
        for start in range(0, count, BATCH):
            with transaction.atomic():
                built = [self.build(day) for day in days[start : start + BATCH]]
                cases = self.store([case for case, _plan in built], Case)
                if any(case.pk is None for case in cases):
                    numbers = [case.number for case in cases]
                    ids = dict(Case.objects.filter(org=self.org, number__in=numbers).values_list("number", "pk"))
                    for case in cases:
                        case.pk = case.id = ids[case.number]
                self.children(cases, [plan for _case, plan in built])
                # With the batch: a load stopped half-way (Ctrl+C) and run again continues the numbers.
                self.save_sequences()
            self.recent_ids = [case.pk for case in cases[-500:] if not case.duplicate_of_id]
            made += len(cases)
            if self.stdout is not None and count > BATCH:
                self.stdout.write(f"  {self.label}：已生成 {made}/{count} 件")
        return made

    def store(self, objs, model, *, history=True):
        if self.copy:
            return copy_insert(objs, history_reason=DEMO_REASON if history else None)
        if history:
            return bulk_create_with_history(objs, model, batch_size=1000, default_change_reason=DEMO_REASON)
        return model.objects.bulk_create(objs, batch_size=2000)

    def children(self, cases, plans):
        rng = self.rng
        deadlines, contacts, forwardings, searched = [], [], [], []
        for case, plan in zip(cases, plans, strict=True):
            searched.append(search_rows(case.pk, case.org_id, [case.number, case.name, case.summary, case.content]))
            if plan is not None:
                rule, started_on, computed, label = plan
                deadlines.append(
                    Deadline(
                        org_id=self.org.pk,
                        content_type_id=self.case_ct.pk,
                        object_id=case.pk,
                        item_kind=f"case:{case.case_type}",
                        label=f"{case.number} {label}",
                        institution_id=case.institution_id,
                        rule_id=rule.pk,
                        rule_days=rule.days,
                        rule_count_kind=rule.count_kind,
                        started_on=started_on,
                        due_on=computed.due_on,
                        calendar_stamp=computed.calendar_stamp,
                        provisional_years=computed.provisional_years,
                        owner_id=case.owner_id,
                        backup_id=case.backup_id,
                    )
                )
            if case.channel in (Channel.VISIT, Channel.PHONE):
                contacts.append(self.contact(case, outcome=Contact.Outcome.OPENED_CASE))
                if rng.random() < 0.25:
                    # Consultations answered on the spot around the same days.
                    contacts.append(self.contact(case, outcome=Contact.Outcome.ANSWERED))
            forwarded = (
                case.case_type == CaseType.COMPLAINT
                and case.institution_id
                and case.status != CaseStatus.REGISTERED
                and case.closure in ("", Closure.RESOLVED, Closure.ESCALATED)
            )
            if forwarded:
                forwarded_on = self.step_on(case.received_on, 2)
                replied = case.status in (CaseStatus.INSTITUTION_REPLIED, CaseStatus.CLOSED)
                forwardings.append(
                    Forwarding(
                        case_id=case.pk,
                        institution_id=case.institution_id,
                        slip_number=f"ZB-{case.number}",
                        forwarded_on=forwarded_on,
                        forwarded_by_id=case.owner_id,
                        requirement="请按规定时限核实处理并反馈。",
                        complainant_told_via="phone",
                        complainant_told_on=forwarded_on,
                        acknowledged_on=self.step_on(forwarded_on, 1) if case.status != CaseStatus.FORWARDED else None,
                        acknowledged_by="办公室" if case.status != CaseStatus.FORWARDED else "",
                        replied_on=self.step_on(forwarded_on, rng.randrange(3, 20), until=case.closed_at)
                        if replied
                        else None,
                        institution_result="已与客户沟通并处理。" if replied else "",
                        replied_late=(rng.random() < 0.08) if replied else None,
                    )
                )
        self.store(deadlines, Deadline)
        self.store(contacts, Contact)
        self.store(forwardings, Forwarding)
        self.store([index for index, _text in searched], CaseSearchIndex, history=False)
        self.store([text for _index, text in searched], CaseSearchText, history=False)

    def contact(self, case, *, outcome):
        answered = outcome == Contact.Outcome.ANSWERED
        return Contact(
            org_id=self.org.pk,
            channel=case.channel,
            received_at=case.received_at,
            topic=Contact.Topic.CONSULTATION if answered else Contact.Topic.COMPLAINT,
            name=case.name,
            phone=case.phone,
            group_size=1 if answered else case.group_size,
            institution_id=case.institution_id,
            summary="咨询" + case.summary if answered else case.summary,
            outcome=outcome,
            answer="已当场解释相关政策。" if answered else "",
            case_id=None if answered else case.pk,
            received_by_id=case.owner_id,
        )
