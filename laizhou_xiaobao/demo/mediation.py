"""Demo partners, mediators and mediation cases over three years (fictional). Called by `seed_demo`."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import User
from institutions.models import Institution
from mediation.models import MediationCase, Mediator, Outcome, PartnerKind, PartnerOrganisation, Side, Source
from mediation.services import (
    mediation_assign,
    mediation_declare_recusal,
    mediation_record_confirmation,
    mediation_record_consent,
    mediation_record_outcome,
    mediation_refer_from_case,
    mediation_register,
    mediation_return_to_court,
    mediation_waive_confirmation,
    payment_record,
    session_record,
)

PARTNERS = [
    ("莱州市人民法院", PartnerKind.COURT, "立案庭 王庭长", "0535-2212001"),
    ("烟台市银行业协会", PartnerKind.BANKING_ASSOCIATION, "秘书处 李秘书长", "0535-2212002"),
    ("烟台市保险行业协会", PartnerKind.INSURANCE_ASSOCIATION, "秘书处 赵秘书长", "0535-2212003"),
    ("莱州金融监管支局", PartnerKind.OFFICE, "消保办公室", "0535-2212004"),
]

# (name, partner, specialities, demo account username)
MEDIATORS = [
    ("高文静", "莱州市人民法院", "金融借款、信用卡纠纷", "lz_mediator"),
    ("郑国栋", "莱州市人民法院", "保险合同纠纷", None),
    ("刘春华", "烟台市银行业协会", "银行卡、理财、贷款", None),
    ("孔德明", "烟台市保险行业协会", "理赔、退保、续保", None),
    ("于海燕", "莱州金融监管支局", "消费投诉、个人金融信息", None),
]

FAMILY = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗"
GIVEN = ["建国", "秀英", "志强", "桂兰", "海燕", "明", "丽", "文博", "玉梅", "德胜", "春生", "晓东"]
DISPUTES = [
    (
        "信用卡分期手续费争议",
        "申请人称办理信用卡分期时未被告知手续费率，要求退还多收取的手续费。",
        "手续费是否已充分告知",
    ),
    (
        "车险理赔金额争议",
        "申请人车辆发生事故后，保险公司核定的定损金额明显低于维修实际费用。",
        "定损金额与维修费用的差额",
    ),
    ("重疾险理赔拒赔", "申请人确诊后申请理赔，保险公司以未如实告知为由拒赔。", "投保时是否履行如实告知义务"),
    ("贷款提前还款违约金", "申请人提前偿还经营贷款，被收取违约金，认为合同未约定。", "合同是否约定提前还款违约金"),
    ("理财产品收益争议", "申请人购买的理财产品实际收益低于销售时宣传的预期收益。", "销售宣传是否误导"),
    (
        "退保现金价值争议",
        "申请人要求全额退还所交保费，保险公司仅同意退还现金价值。",
        "犹豫期是否已过及销售过程是否规范",
    ),
]


def _random_name(rng):
    return rng.choice(FAMILY) + rng.choice(GIVEN)


# The associations are the prefecture's (烟台); demo data seeded before this was fixed used the county's name.
RENAMED = {"莱州市银行业协会": "烟台市银行业协会", "莱州市保险行业协会": "烟台市保险行业协会"}


@transaction.atomic
def seed_partners(org) -> dict[str, PartnerOrganisation]:
    for old_name, new_name in RENAMED.items():
        for partner in PartnerOrganisation.objects.filter(org=org, name=old_name):
            if not PartnerOrganisation.objects.filter(org=org, name=new_name).exists():
                partner.name = new_name
                partner.save(update_fields=["name"])
    partners = {}
    for name, kind, contact, phone in PARTNERS:
        partner, _created = PartnerOrganisation.objects.get_or_create(
            org=org, name=name, defaults={"kind": kind, "contact_person": contact, "contact_phone": phone}
        )
        partners[name] = partner
    for name, partner_name, specialities, username in MEDIATORS:
        mediator = Mediator.objects.filter(partner__org=org, name=name).first()
        if mediator is None:
            mediator = Mediator(partner=partners[partner_name], name=name, specialities=specialities)
            mediator.user = User.objects.filter(username=username).first() if username else None
            mediator.save()
    return partners


def seed(*, orgs, cases=None, stdout=None):
    org = orgs["laizhou"]
    partners = seed_partners(org)
    if MediationCase.objects.filter(org=org).exists():
        return
    clerk = User.objects.filter(username="lz_clerk_a").first()
    if clerk is None:
        return
    rng = random.Random(2026)  # nosec B311 # reproducible demo data, not a secret
    institutions = list(Institution.objects.filter(org=org).order_by("id"))
    paper_mediators = list(Mediator.objects.filter(partner__org=org, user__isnull=True).select_related("partner"))
    court = partners["莱州市人民法院"]
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        # About a dozen cases a year over three years; the older ones all concluded.
        for year in (today.year - 2, today.year - 1, today.year):
            for index in range(12):
                received_on = dt.date(year, 1 + index, rng.randint(1, 20))
                if received_on > today - dt.timedelta(days=3):
                    break
                _seed_case(rng, org, clerk, institutions, paper_mediators, court, received_on, today, index)
                created += 1
        created += _seed_referrals(clerk, org, paper_mediators, today)
        created += _seed_for_account_mediator(rng, org, clerk, institutions, court, today)
    if stdout is not None:
        stdout.write(f"纠纷调解：合作单位 {len(partners)} 家、调解员 {len(MEDIATORS)} 名、调解案件 {created} 件")


def _seed_case(rng, org, clerk, institutions, mediators, court, received_on, today, index):
    summary, facts, disputed = DISPUTES[index % len(DISPUTES)]
    source = [Source.DIRECT, Source.DIRECT, Source.COURT_BEFORE_FILING, Source.COURT_AFTER_FILING][index % 4]
    claimed = Decimal(rng.randrange(2_000, 80_000, 500))
    case = mediation_register(
        actor=clerk,
        org=org,
        source=source,
        received_on=received_on,
        applicant_name=_random_name(rng),
        applicant_phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
        applicant_address="山东省莱州市文昌路街道",
        institution=institutions[index % len(institutions)],
        summary=summary,
        facts=facts,
        claims=f"要求被申请人支付 {claimed} 元。",
        disputed_points=disputed,
        amount_claimed=claimed,
        referring_partner=court if source in (Source.COURT_BEFORE_FILING, Source.COURT_AFTER_FILING) else None,
        court_case_number=f"（{received_on.year}）鲁0683民初{rng.randint(100, 3000)}号"
        if source == Source.COURT_AFTER_FILING
        else "",
        # Every other 委托 case is tried under the summary procedure (its clock is 7 days, not 15).
        summary_procedure=source == Source.COURT_AFTER_FILING and index % 8 == 7,
    )
    day = received_on + dt.timedelta(days=1)
    mediation_record_consent(actor=clerk, case=case, side=Side.APPLICANT, consent_on=received_on)
    mediation_record_consent(actor=clerk, case=case, side=Side.RESPONDENT, consent_on=day)
    recent = (today - received_on).days < 20
    if recent and index % 2:
        return case  # waiting for a mediator
    mediator = mediators[index % len(mediators)]
    mediation_assign(actor=clerk, case=case, mediator=mediator, assigned_on=day)
    mediation_declare_recusal(
        actor=clerk, case=case, has_conflict=False, statement="本人与本案当事人无利害关系。", declared_on=day
    )
    held = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=rng.randint(3, 12)), dt.time(9, 30)))
    if held.date() >= today:
        return case
    session_record(
        actor=clerk,
        case=case,
        held_at=held,
        mode=rng.choice(["on_site", "phone", "online"]),
        place="莱和州安调解室",
        attendees=f"申请人、被申请机构代表、调解员{mediator.name}",
        minutes="双方陈述事实与理由，调解员释明相关规定，双方就赔付金额进行协商。",
    )
    if recent:
        return case
    roll = rng.random()
    concluded_on = held.date() + dt.timedelta(days=rng.randint(0, 10))
    concluded_on = min(concluded_on, today)
    if roll < 0.62:
        agreed = (case.amount_claimed * Decimal(rng.choice(["0.5", "0.6", "0.8", "1"]))).quantize(Decimal("1"))
        mediation_record_outcome(
            actor=clerk,
            case=case,
            outcome=Outcome.AGREEMENT,
            concluded_on=concluded_on,
            agreement_terms=f"被申请人一次性向申请人支付 {agreed} 元，双方就本纠纷再无其他争议。",
            performance_method="银行转账至申请人账户",
            performance_due_on=concluded_on + dt.timedelta(days=15),
            amount_agreed=agreed,
        )
        paid_on = concluded_on + dt.timedelta(days=rng.randint(1, 10))
        if paid_on <= today:
            payment_record(actor=clerk, case=case, paid_on=paid_on, amount=agreed, note="已转账")
        if not case.confirmation_allowed:
            # A 委托 agreement goes back to the court that entrusted the case (docs/domain.md "纠纷调解").
            mediation_return_to_court(
                actor=clerk,
                case=case,
                returned_on=min(concluded_on + dt.timedelta(days=1), today),
                note="调解协议及案卷材料移送委托法院",
            )
        elif rng.random() < 0.6 and concluded_on + dt.timedelta(days=5) <= today:
            mediation_record_confirmation(
                actor=clerk,
                case=case,
                applied_on=concluded_on + dt.timedelta(days=5),
                court="莱州市人民法院",
                case_number=f"（{concluded_on.year}）鲁0683民特{rng.randint(10, 500)}号",
            )
        elif concluded_on + dt.timedelta(days=30) < today:
            # Judicial confirmation is optional: past its 30 days the parties have not applied.
            mediation_waive_confirmation(actor=clerk, case=case, reason="当事人未申请司法确认")
    else:
        outcome = rng.choice([Outcome.FAILURE, Outcome.FAILURE, Outcome.WITHDRAWAL, Outcome.TERMINATION])
        mediation_record_outcome(
            actor=clerk, case=case, outcome=outcome, concluded_on=concluded_on, note="双方对金额分歧较大。"
        )
    return case


def _seed_referrals(clerk, org, mediators, today) -> int:
    """Refer two open ledger cases (when the complaints demo made some), carrying their parties over."""
    from complaints.models import Case

    candidates = (
        Case.objects.open()
        .filter(org=org, is_anonymous=False, institution__isnull=False)
        .exclude(name="")
        .exclude(mediations__isnull=False)
        .order_by("-received_at")[:2]
    )
    count = 0
    for case in candidates:
        mediation = mediation_refer_from_case(actor=clerk, case=case)
        mediation_record_consent(actor=clerk, case=mediation, side=Side.APPLICANT, consent_on=today)
        mediation_record_consent(actor=clerk, case=mediation, side=Side.RESPONDENT, consent_on=today)
        mediation_assign(actor=clerk, case=mediation, mediator=mediators[count % len(mediators)])
        count += 1
    return count


def _seed_for_account_mediator(rng, org, clerk, institutions, court, today) -> int:
    """Two court referrals for the demo mediator account: one to declare on, one already in mediation."""
    mediator = Mediator.objects.filter(partner__org=org, user__isnull=False).select_related("user").first()
    if mediator is None:
        return 0
    for index, declare in ((1, False), (3, True)):
        summary, facts, disputed = DISPUTES[index]
        case = mediation_register(
            actor=clerk,
            org=org,
            source=Source.COURT_BEFORE_FILING,
            received_on=today,
            applicant_name=_random_name(rng),
            applicant_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
            institution=institutions[index],
            summary=summary,
            facts=facts,
            disputed_points=disputed,
            amount_claimed=Decimal("12000"),
            referring_partner=court,
        )
        mediation_record_consent(actor=clerk, case=case, side=Side.APPLICANT, consent_on=today)
        mediation_record_consent(actor=clerk, case=case, side=Side.RESPONDENT, consent_on=today)
        mediation_assign(actor=clerk, case=case, mediator=mediator)
        if declare:
            mediation_declare_recusal(
                actor=mediator.user, case=case, has_conflict=False, statement="本人与本案当事人无利害关系。"
            )
    return 2
