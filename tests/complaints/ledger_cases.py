"""Building ledger cases directly (the ledger reads cases; the workflow that makes them is tested elsewhere)."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

from complaints.models import Case
from complaints.search import case_reindex

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def make_case(*, org, owner, **fields) -> Case:
    received_on = fields.pop("received_on", dt.date(2026, 3, 2))
    n = next(_numbers)
    case_type = fields.get("case_type", "complaint")
    defaults = {
        "number": f"TS-{received_on.year}-{n:04d}",
        "case_type": case_type,
        "channel": "visit",
        "received_at": dt.datetime.combine(received_on, dt.time(9, 0), tzinfo=SHANGHAI),
        "received_on": received_on,
        "name": "王小明",
        "phone": "13812345678",
        "id_number": "370683199001011237",
        "summary": "信用卡分期手续费争议",
        "content": "反映银行未告知分期手续费。",
        "created_by": owner,
    }
    if case_type == "petition":
        defaults["petition_kind"] = "appeal"
    defaults.update(fields)
    if defaults.get("status") == "closed" and not defaults.get("closed_at"):
        defaults["closed_at"] = defaults["received_at"] + dt.timedelta(days=10)
    case = Case(org=org, owner=owner, **defaults)
    case.save()
    case_reindex(case)
    return case
