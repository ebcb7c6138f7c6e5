"""Request each main page as each demo role against a seeded database; exit 1 on any server error.

Run by `.ci/date_runs.sh` under faketime at awkward instants (year end, a year not verified, a leap day), so that
nothing in the product depends on the date it happens to be tested on (docs/operations.md, 年度工作日历).
Usage: DATABASE_URL=sqlite:///… python .ci/date_smoke.py
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laizhou_xiaobao.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from complaints.models import Case  # noqa: E402
from core.models import User  # noqa: E402
from mediation.models import MediationCase  # noqa: E402
from tests.auth import sign_in  # noqa: E402  (password and second factor, as the login page completes them)

ROLES = [
    "admin",
    "lz_clerk_a",
    "lz_supervisor",
    "lz_mediator",
    "zy_clerk",
    "yt_reviewer",
    "yt_sysadmin",
    "yt_secadmin",
    "yt_auditor",
]
PAGES = [
    "/",
    "/complaints/",
    "/complaints/?status=open&sort=due",
    "/complaints/?provisional=1",
    "/complaints/?due_within=5",
    "/complaints/intake/?channel=visit",
    "/complaints/summary/",
    "/dashboard/",
    "/dashboard/tasks/",
    "/dashboard/notifications/",
    "/institutions/",
    "/institutions/ranking/",
    "/institutions/interviews/",
    "/institutions/lists/",
    "/mediation/",
    "/mediation/figures/",
    "/outreach/",
    "/outreach/figures/",
    "/core/tools/deadline/?start={today}&days=60&kind=calendar",
    "/core/tools/deadline/?start={today}&days=20&kind=working",
    "/core/absences/",
    "/core/audit/",
    "/admin/",
]


def detail_pages() -> list[str]:
    pages = []
    case = Case.objects.filter(org__code="laizhou").exclude(due_on=None).order_by("-due_on").first()
    if case:
        pages.append(f"/complaints/cases/{case.pk}/")
    mediation = MediationCase.objects.filter(org__code="laizhou").order_by("-pk").first()
    if mediation:
        pages.append(f"/mediation/{mediation.pk}/")
    return pages


def main() -> int:
    today = timezone.localdate().isoformat()
    pages = [page.format(today=today) for page in PAGES] + detail_pages()
    failures = 0
    requests = 0
    for username in ROLES:
        user = User.objects.get(username=username)
        client = Client(raise_request_exception=True)
        sign_in(client, user)
        for page in pages:
            requests += 1
            try:
                response = client.get(page)
            except Exception:
                failures += 1
                print(f"错误 {username} {page}\n{traceback.format_exc()}", file=sys.stderr)
                continue
            # 403/404 are the role matrix at work; a redirect goes to a page of the product, never back to a
            # login step (a signed-in user sent there means a page the date broke).
            to_login = response.status_code == 302 and response["Location"].startswith("/accounts/")
            if to_login or response.status_code not in (200, 302, 403, 404):
                failures += 1
                print(f"错误 {username} {page}: HTTP {response.status_code}", file=sys.stderr)
    print(f"{timezone.localtime():%Y-%m-%d %H:%M %Z}：{requests} 次请求，{failures} 次出错")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
