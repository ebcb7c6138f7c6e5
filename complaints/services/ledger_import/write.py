"""Writing checked rows as cases (docs/domain.md, "历史台账导入").

Historical rows (a closing date) become closed cases with their own dates and numbers, marked 历史导入, with no
clocks and no notices. They are inserted with `simple_history.utils.bulk_create_with_history`, the history
library's own bulk path (one INSERT of the cases and one of their initial history rows per batch): measured here
on SQLite, 2,000 cases took 1.2 s of CPU that way against 3.7 s with per-row saves (docs/performance.md).
Open rows (no closing date: a batch of new 12378 items) become registered cases, inserted the same way, and get
their clocks from the receipt date through the normal deadline service (per-row `deadline_open`, with history);
the mirrored due date is then saved with history too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.models import NumberSequence

from ...models import Case, CaseEvent, CaseSearchIndex, CaseSearchText
from ...models.choices import CaseStatus
from ...search import SEARCH_FIELDS, search_rows
from ..case_counts import case_counts_add, case_save
from ..common import sync_due_on
from ..intake import _initial_deadlines, case_number

BATCH = 500
_OWN_NUMBER = re.compile(r"^(XF|JB|TS)-(\d{4})-(\d+)$")


def _advance_sequences(org, numbers: list[str]) -> None:
    """Imported numbers in the product's own form (TS-2024-0012) move the office's counter past them, so that
    cases registered later never take an imported number."""
    highest: dict[tuple[str, int], int] = {}
    for number in numbers:
        match = _OWN_NUMBER.match(number or "")
        if match:
            key = (match.group(1), int(match.group(2)))
            highest[key] = max(highest.get(key, 0), int(match.group(3)))
    for (prefix, year), value in highest.items():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(org=org, key=prefix, year=year)
        if sequence.last_value < value:
            sequence.last_value = value
            sequence.save(update_fields=["last_value"])


def _build_case(values: dict, *, org, actor) -> Case:
    owner = values["owner"]
    backup = owner.backup if owner.backup_id and owner.backup_id != owner.pk else None
    received_at = values["received_at"]
    case = Case(
        org=org,
        number=values["number"]
        or case_number(org=org, case_type=values["case_type"], year=timezone.localdate(received_at).year),
        case_type=values["case_type"],
        petition_kind=values["petition_kind"],
        channel=values["channel"],
        reference_no=values["reference_no"],
        received_at=received_at,
        received_on=timezone.localdate(received_at),
        name=values["name"],
        id_number=values["id_number"],
        phone=values["phone"],
        address=values["address"],
        is_anonymous=values["is_anonymous"],
        group_size=values["group_size"],
        institution=values["institution"],
        business=values["business"],
        cause=values["cause"],
        summary=values["summary"],
        content=values["content"],
        owner=owner,
        backup=backup,
        created_by=actor,
    )
    if values["historical"]:
        case.status = CaseStatus.CLOSED
        case.is_historical = True
        # A closing date written without a time may read earlier than a receipt on the same day.
        case.closed_at = max(values["closed_at"], received_at)
        case.closure = values["closure"]
        case.result = values["result"]
        case.satisfaction = values["satisfaction"]
        case.closed_on_time = values["closed_on_time"]
    return case


def _events(cases: list[Case], rows: list[dict], *, actor, file_name: str) -> list[CaseEvent]:
    now = timezone.now()
    events = []
    for case, row in zip(cases, rows, strict=True):
        where = _("%(file)s 第%(row)s行") % {"file": file_name, "row": row["_row"]}
        historical = row["historical"]
        events.append(
            CaseEvent(
                case=case,
                action="imported" if historical else "registered",
                to_status=case.status,
                actor=actor,
                note=(_("历史导入：%(where)s") if historical else _("由Excel导入登记：%(where)s")) % {"where": where},
                occurred_at=now,
            )
        )
    return events


def _insert(rows: list[dict], *, org, actor, reason: str) -> list[Case]:
    cases = [_build_case(row, org=org, actor=actor) for row in rows]
    cases = bulk_create_with_history(cases, Case, batch_size=BATCH, default_user=actor, default_change_reason=reason)
    if any(case.pk is None for case in cases):
        # Databases without RETURNING: the new rows are found again by their (unique) numbers.
        ids = dict(Case.objects.filter(org=org, number__in=[c.number for c in cases]).values_list("number", "pk"))
        for case in cases:
            case.pk = case.id = ids[case.number]
    searched = [search_rows(c.pk, c.org_id, [getattr(c, f) or "" for f in SEARCH_FIELDS]) for c in cases]
    CaseSearchIndex.objects.bulk_create([index for index, _text in searched], batch_size=BATCH)
    CaseSearchText.objects.bulk_create([text for _index, text in searched], batch_size=BATCH)
    # The dashboard's per-month counts, in the same transaction (docs/architecture.md「看板汇总表」).
    case_counts_add(cases)
    return cases


def _start_clocks(cases: list[Case], *, actor) -> None:
    """The clocks that start at receipt, from each case's own receipt date (the intake rule and service)."""
    for case in cases:
        _initial_deadlines(case, actor=actor, materials_complete=True)
        if sync_due_on(case):
            case._change_reason = _("导入登记：期限起算")
            case_save(case, update_fields=["due_on", "due_provisional"])


def write_rows(rows: list[dict], *, org, actor, file_name: str, progress: Callable[[int], None] | None = None) -> dict:
    """Create the cases of checked rows (inside the caller's transaction); returns the counts."""
    _advance_sequences(org, [row["number"] for row in rows])
    done = 0
    created = {"historical": 0, "open": 0}
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        historical = [row for row in batch if row["historical"]]
        fresh = [row for row in batch if not row["historical"]]
        for chunk, reason in ((historical, _("历史导入")), (fresh, _("导入登记"))):
            if not chunk:
                continue
            cases = _insert(chunk, org=org, actor=actor, reason=reason)
            CaseEvent.objects.bulk_create(_events(cases, chunk, actor=actor, file_name=file_name), batch_size=BATCH)
            if chunk is fresh:
                _start_clocks(cases, actor=actor)
        created["historical"] += len(historical)
        created["open"] += len(fresh)
        done += len(batch)
        if progress is not None:
            progress(done)
    return created
