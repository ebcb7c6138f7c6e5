"""Demo organisations, accounts and institutions (fictional). Used by `seed_demo` and browser tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from core.models import Category, OrgUnit, User
from core.roles import GROUP_NAMES, Role
from core.security.passwords import CHOSEN_BY_HOLDER

ORG_TREE = [
    # code, name, short name, level, parent code
    ("nfra", "国家金融监督管理总局", "总局", OrgUnit.Level.HEADQUARTERS, None),
    ("shandong", "国家金融监督管理总局山东监管局", "山东监管局", OrgUnit.Level.PROVINCE, "nfra"),
    ("yantai", "烟台金融监管分局", "烟台分局", OrgUnit.Level.BRANCH, "shandong"),
    ("laizhou", "莱州金融监管支局", "莱州支局", OrgUnit.Level.SUB_BUREAU, "yantai"),
    ("zhaoyuan", "招远金融监管支局", "招远支局", OrgUnit.Level.SUB_BUREAU, "yantai"),
]
# The full names that head the documents (core migration 0010 fills the same ones in an existing database),
# and the office telephone printed on a 转办单 (fictional).
ORG_FULL_NAMES = {
    "nfra": "国家金融监督管理总局",
    "shandong": "国家金融监督管理总局山东监管局",
    "yantai": "国家金融监督管理总局烟台监管分局",
    "laizhou": "国家金融监督管理总局莱州监管支局",
    "zhaoyuan": "国家金融监督管理总局招远监管支局",
}
ORG_PHONES = {"laizhou": "0535-2200000", "zhaoyuan": "0535-8200000"}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    org: str
    role: Role
    post: str
    backup: str | None = None
    staff: bool = False
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", "yantai", Role.ADMINISTRATOR, "系统管理", staff=True, superuser=True),
    DemoAccount("lz_clerk_a", "林晓岚", "laizhou", Role.CLERK, "信访投诉A岗", backup="lz_clerk_b"),
    DemoAccount("lz_clerk_b", "周明远", "laizhou", Role.CLERK, "信访投诉B岗", backup="lz_clerk_a"),
    DemoAccount("lz_supervisor", "孙海涛", "laizhou", Role.SUPERVISOR, "支局负责人"),
    DemoAccount("lz_mediator", "高文静", "laizhou", Role.MEDIATOR, "法院特邀调解员"),
    DemoAccount("zy_clerk", "韩雪", "zhaoyuan", Role.CLERK, "信访投诉A岗"),
    DemoAccount("zy_supervisor", "彭建国", "zhaoyuan", Role.SUPERVISOR, "支局负责人"),
    DemoAccount("yt_reviewer", "杜若", "yantai", Role.REVIEWER, "分局消保审阅"),
    # 三员分立 (README 安全): one account for each administrator role; `admin` above is the installation superuser.
    DemoAccount("yt_sysadmin", "钱立新", "yantai", Role.ADMINISTRATOR, "系统管理员", staff=True),
    DemoAccount("yt_secadmin", "赵敏", "yantai", Role.SECURITY_ADMIN, "安全管理员", staff=True),
    DemoAccount("yt_auditor", "吴静", "yantai", Role.AUDIT_ADMIN, "审计管理员", staff=True),
]

# Fictional institutions: (short name, full name, type code, outlets, customers in 10k)
DEMO_INSTITUTIONS = [
    ("东岳银行", "东岳银行股份有限公司{city}支行", "BANK-STATE", 6, 18),
    ("华泰农行", "华泰农业银行{city}支行", "BANK-STATE", 8, 25),
    ("海岱银行", "海岱银行股份有限公司{city}支行", "BANK-JOINT", 2, 4),
    ("胶东城商行", "胶东城市商业银行{city}支行", "BANK-CITY", 3, 6),
    ("{city}农商行", "山东{city}农村商业银行股份有限公司", "BANK-RURAL", 24, 40),
    ("掖县村镇银行", "{city}掖县村镇银行股份有限公司", "BANK-VILLAGE", 4, 3),
    ("泰和人寿", "泰和人寿保险股份有限公司{city}营销服务部", "INS-LIFE", 1, 2),
    ("安平财险", "安平财产保险股份有限公司{city}支公司", "INS-PROP", 1, 3),
    ("长乐人寿", "长乐人寿保险股份有限公司{city}支公司", "INS-LIFE", 1, 1),
    ("鲁信财险", "鲁信财产保险股份有限公司{city}支公司", "INS-PROP", 1, 2),
]

CITY_NAMES = {"laizhou": "莱州", "zhaoyuan": "招远"}


def demo_password() -> str:
    return settings.DEMO_PASSWORD


@transaction.atomic
def seed_orgs() -> dict[str, OrgUnit]:
    orgs: dict[str, OrgUnit] = {}
    for code, name, short, level, parent in ORG_TREE:
        org = OrgUnit.objects.filter(code=code).first()
        if org is None:
            org = OrgUnit(code=code, name=name, short_name=short, level=level, parent=orgs.get(parent))
            org.full_name = ORG_FULL_NAMES.get(code, "")
            org.phone = ORG_PHONES.get(code, "")
            org.save()
        elif not org.full_name and code in ORG_FULL_NAMES:
            org.full_name = ORG_FULL_NAMES[code]
            org._change_reason = "演示数据：单位全称"
            org.save(update_fields=["full_name"])
        orgs[code] = org
    return orgs


@transaction.atomic
def seed_accounts(orgs: dict[str, OrgUnit], password: str) -> list[User]:
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username)
            user.set_password(password)
            # A demo password is published: it is not forced to change at first login (README「安全」).
            setattr(user, CHOSEN_BY_HOLDER, True)
        user.name = account.name
        user.org = orgs[account.org]
        user.post = account.post
        user.is_staff = account.staff
        user.is_superuser = account.superuser
        user.email = f"{account.username}@laizhou.example"
        user.save()
        user.groups.set([Group.objects.get(name=GROUP_NAMES[account.role])])
        users[account.username] = user
    for account in DEMO_ACCOUNTS:
        if account.backup:
            user = users[account.username]
            user.backup = users[account.backup]
            user.save(update_fields=["backup"])
    return list(users.values())


@transaction.atomic
def seed_institutions(orgs: dict[str, OrgUnit]):
    from institutions.models import Institution

    types = {c.code: c for c in Category.objects.of_kind(Category.Kind.INSTITUTION_TYPE)}
    created = []
    for org_code, city in CITY_NAMES.items():
        for short, full, type_code, outlets, customers in DEMO_INSTITUTIONS:
            full_name = full.format(city=city)
            institution = Institution.objects.filter(org=orgs[org_code], full_name=full_name).first()
            if institution is None:
                institution = Institution(
                    org=orgs[org_code],
                    full_name=full_name,
                    short_name=short.format(city=city),
                    type=types[type_code],
                    outlets=outlets,
                    customers=customers,
                    entity_kind=Institution.EntityKind.LEGAL_ENTITY
                    if type_code in ("BANK-RURAL", "BANK-VILLAGE")
                    else Institution.EntityKind.BRANCH,
                    address=f"山东省{city}市文化东路{len(created) + 1}号",
                    contact_person="办公室",
                    contact_phone=f"0535-22{len(created):05d}",
                )
                institution.save()
            created.append(institution)
    return created
