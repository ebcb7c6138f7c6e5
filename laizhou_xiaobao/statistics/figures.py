"""The figures of a statistics report, drafted from the data in a fixed number of queries (docs/domain.md,
"信访投诉统计").

`report_tables(org, start, end)` returns plain JSON: a list of tables, each with its rows, the numbers of each row
and, beside every number, the query parameters of the list that shows exactly the items it counts (the ledger,
the mediation workstation or the outreach events). The report stores the tables; the page turns the parameters
into links (`table_links`). Seven queries, however many cases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from complaints.filters_statistics import NONE, NOT_FOLLOWED_UP
from complaints.models import Case, Contact, PetitionReview
from complaints.models.choices import CaseStatus, CaseType, Channel, Closure, PetitionKind, Satisfaction
from core.access import within_org_q
from mediation.models import MediationCase, Outcome
from outreach.models import Event

LEDGER, MEDIATION, OUTREACH = "ledger", "mediation", "outreach"
LIST_URL_NAMES = {LEDGER: "complaints:index", MEDIATION: "mediation:index", OUTREACH: "outreach:index"}
INT, MONEY, PERCENT = "int", "money", "percent"


def _row(label, values, params) -> dict:
    return {"label": str(label), "values": values, "params": params}


def _table(key, title, columns, rows, *, target=LEDGER, kinds=None, note="") -> dict:
    return {
        "key": key,
        "title": str(title),
        "columns": [str(column) for column in columns],
        "kinds": kinds or [INT] * len(columns),
        "target": target,
        "rows": rows,
        "note": str(note),
    }


def _money(value) -> str:
    return str((value or Decimal("0")).quantize(Decimal("0.01")))


# --- Received ---------------------------------------------------------------------------------------------------


def _received_rows(org, start: dt.date, end: dt.date) -> list[dict]:
    """One GROUP BY over the cases received in the period, with the repeat and group counts of each group."""
    has_duplicates = Case.objects.filter(duplicate_of=OuterRef("pk"))
    repeated_contact = Contact.objects.filter(case=OuterRef("pk"), outcome=Contact.Outcome.REPEAT)
    repeat = Q(duplicate_of__isnull=False) | Q(Exists(has_duplicates)) | Q(Exists(repeated_contact))
    return list(
        Case.objects.filter(within_org_q(org), received_on__gte=start, received_on__lte=end)
        .values(
            "channel",
            "case_type",
            "petition_kind",
            "business_id",
            "business__name",
            "cause_id",
            "cause__name",
            "institution__type_id",
            "institution__type__name",
        )
        .annotate(n=Count("pk"), repeat=Count("pk", filter=repeat), group=Count("pk", filter=Q(group_size__gt=1)))
        .order_by()
    )


def _tally(rows, key, label_key=None) -> dict:
    counts: dict = {}
    for row in rows:
        entry = counts.setdefault(row[key], [row[label_key] if label_key else None, 0])
        entry[1] += row["n"]
    return counts


def _fixed_table(key, title, rows, field, param, choices, base) -> dict:
    counts = _tally(rows, field)
    table_rows = [_row(label, [counts.get(value, [None, 0])[1]], [{**base, param: value}]) for value, label in choices]
    return _table(key, title, [_("件数")], table_rows)


def _category_table(key, title, rows, id_key, name_key, param, base, *, none_label) -> dict:
    counts = _tally(rows, id_key, name_key)
    ordered = sorted(
        ((pk, name, n) for pk, (name, n) in counts.items() if pk is not None), key=lambda r: (-r[2], r[1] or "")
    )
    table_rows = [_row(name, [n], [{**base, param: pk}]) for pk, name, n in ordered]
    if None in counts:
        table_rows.append(_row(none_label, [counts[None][1]], [{**base, param: NONE}]))
    return _table(key, title, [_("件数")], table_rows)


def _received_tables(org, start, end) -> tuple[list[dict], dict]:
    rows = _received_rows(org, start, end)
    base = {"org": org.pk, "received_from": start.isoformat(), "received_to": end.isoformat()}
    total = sum(row["n"] for row in rows)
    channel = _fixed_table("channel", _("受理件数（按来源渠道）"), rows, "channel", "channel", Channel.choices, base)
    channel["rows"].append(_row(_("合计"), [total], [base]))
    petitions = [row for row in rows if row["case_type"] == CaseType.PETITION]
    petition_base = {**base, "type": CaseType.PETITION}
    tables = [
        channel,
        _fixed_table("type", _("受理件数（按类型）"), rows, "case_type", "type", CaseType.choices, base),
        _fixed_table(
            "kind", _("信访件（按信访类别）"), petitions, "petition_kind", "kind", PetitionKind.choices, petition_base
        ),
        _category_table(
            "business",
            _("受理件数（按业务类别）"),
            rows,
            "business_id",
            "business__name",
            "business",
            base,
            none_label=_("未填写业务类别"),
        ),
        _category_table(
            "cause",
            _("受理件数（按投诉原因）"),
            rows,
            "cause_id",
            "cause__name",
            "cause",
            base,
            none_label=_("未填写投诉原因"),
        ),
        _category_table(
            "institution_type",
            _("受理件数（按机构类型）"),
            rows,
            "institution__type_id",
            "institution__type__name",
            "institution_type",
            base,
            none_label=_("未涉及具体机构"),
        ),
    ]
    matters = _table(
        "matters",
        _("重复件与群体件"),
        [_("件数")],
        [
            _row(_("重复件（含被并入的首次件）"), [sum(r["repeat"] for r in rows)], [{**base, "repeat": 1}]),
            _row(_("群体件（2人及以上）"), [sum(r["group"] for r in rows)], [{**base, "group": 1}]),
        ],
    )
    return tables + [matters], {"received": total}


# --- Closed, satisfaction, transfers, reviews ------------------------------------------------------------------


def _closed_tables(org, start, end) -> tuple[list[dict], dict]:
    groups = list(
        Case.objects.filter(
            within_org_q(org), status=CaseStatus.CLOSED, closed_at__date__gte=start, closed_at__date__lte=end
        )
        .exclude(closure=Closure.DUPLICATE)
        .values("closure", "closed_on_time", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    base = {"org": org.pk, "closed_from": start.isoformat(), "closed_to": end.isoformat()}
    closed = sum(g["n"] for g in groups)
    late = sum(g["n"] for g in groups if g["closed_on_time"] is False)
    rate = f"{100 * (closed - late) / closed:.1f}" if closed else ""
    closing = _table(
        "closing",
        _("办结情况"),
        [_("件数")],
        [
            _row(_("办结（不含重复件）"), [closed], [{**base, "timely": "all"}]),
            _row(_("按时办结"), [closed - late], [{**base, "timely": "on_time"}]),
            _row(_("超期办结"), [late], [{**base, "timely": "late"}]),
        ],
        note=_("按时办结率：%(rate)s%%") % {"rate": rate or "—"},
    )
    by_satisfaction = {}
    for g in groups:
        by_satisfaction[g["satisfaction"]] = by_satisfaction.get(g["satisfaction"], 0) + g["n"]
    satisfaction = _table(
        "satisfaction",
        _("回访满意度（期内办结件）"),
        [_("件数")],
        [
            _row(label, [by_satisfaction.get(value, 0)], [{**base, "timely": "all", "satisfaction": value}])
            for value, label in Satisfaction.choices
        ]
        + [
            _row(
                _("未回访"), [by_satisfaction.get("", 0)], [{**base, "timely": "all", "satisfaction": NOT_FOLLOWED_UP}]
            )
        ],
    )
    return [closing, satisfaction], {"closed": closed, "late": late, "rate": rate}


def _transfer_table(org, start, end) -> dict:
    """转办 to institutions and 转送 to other authorities (docs/domain.md, "转送其他机关"), one query."""
    in_forwarding = Q(forwarding__forwarded_on__gte=start, forwarding__forwarded_on__lte=end)
    in_transfer = Q(transfer__transferred_on__gte=start, transfer__transferred_on__lte=end)
    counts = Case.objects.filter(within_org_q(org), in_forwarding | in_transfer).aggregate(
        forwarded=Count("pk", filter=in_forwarding),
        late=Count("pk", filter=in_forwarding & Q(forwarding__replied_late=True)),
        transferred=Count("pk", filter=in_transfer),
        acknowledged=Count("pk", filter=in_transfer & Q(transfer__acknowledged_on__isnull=False)),
    )
    base = {"org": org.pk, "forwarded_from": start.isoformat(), "forwarded_until": end.isoformat()}
    transfer_base = {"org": org.pk, "transferred_from": start.isoformat(), "transferred_to": end.isoformat()}
    return _table(
        "transfers",
        _("转办与转送"),
        [_("件数")],
        [
            _row(_("转办被投诉机构"), [counts["forwarded"]], [base]),
            _row(_("其中机构超期反馈"), [counts["late"]], [{**base, "replied_late": 1}]),
            _row(_("转送有权机关"), [counts["transferred"]], [transfer_base]),
            _row(_("其中接收机关已签收"), [counts["acknowledged"]], [{**transfer_base, "transfer_acknowledged": 1}]),
        ],
    )


def _review_table(org, start, end) -> dict:
    """复查/复核 requested in the period, and their decisions (维持/撤销/变更) made in it; one query."""
    requested = Q(requested_on__gte=start, requested_on__lte=end)
    decided = Q(decided_on__gte=start, decided_on__lte=end)
    annotations = {"requested": Count("pk", filter=requested)}
    annotations |= {value: Count("pk", filter=decided & Q(decision=value)) for value in PetitionReview.Decision.values}
    by_kind = {
        row["kind"]: row
        for row in PetitionReview.objects.filter(within_org_q(org, "case__org"), requested | decided)
        .values("kind")
        .annotate(**annotations)
        .order_by()
    }
    rows = []
    for kind, kind_label in PetitionReview.Kind.choices:
        counts = by_kind.get(kind, {})
        base = {"org": org.pk, "review": kind, "review_from": start.isoformat(), "review_to": end.isoformat()}
        rows.append(_row(_("%(kind)s请求") % {"kind": kind_label}, [counts.get("requested", 0)], [base]))
        rows += [
            _row(
                _("%(kind)s决定：%(decision)s") % {"kind": kind_label, "decision": label},
                [counts.get(value, 0)],
                [{**base, "review_decision": value}],
            )
            for value, label in PetitionReview.Decision.choices
        ]
    return _table("reviews", _("复查、复核"), [_("件数")], rows)


# --- Mediation and outreach ------------------------------------------------------------------------------------


def _mediation_table(org, start, end) -> tuple[dict, dict]:
    agreement = Q(outcome=Outcome.AGREEMENT)
    sums = MediationCase.objects.filter(within_org_q(org), received_on__gte=start, received_on__lte=end).aggregate(
        cases=Count("pk"),
        agreements=Count("pk", filter=agreement),
        agreed=Sum("amount_agreed", filter=agreement),
        recovered=Sum("amount_recovered", filter=agreement),
    )
    base = {"org": org.pk, "received_from": start.isoformat(), "received_to": end.isoformat()}
    agreements = {**base, "outcome": Outcome.AGREEMENT}
    table = _table(
        "mediation",
        _("纠纷调解"),
        [_("数值")],
        [
            _row(_("调解收案（件）"), [sums["cases"]], [base]),
            _row(_("达成调解协议（件）"), [sums["agreements"]], [agreements]),
            _row(_("协议金额（元）"), [_money(sums["agreed"])], [agreements]),
            _row(_("实际履行金额（元）"), [_money(sums["recovered"])], [agreements]),
        ],
        target=MEDIATION,
        note=_("金额为期内收案且达成协议的案件之和。"),
    )
    table["row_kinds"] = [INT, INT, MONEY, MONEY]
    return table, {"mediation": sums["cases"], "agreements": sums["agreements"]}


def _outreach_table(org, start, end) -> tuple[dict, dict]:
    sums = Event.objects.filter(within_org_q(org), held_on__gte=start, held_on__lte=end).aggregate(
        events=Count("pk"),
        people=Coalesce(Sum(F("participants") + F("online_reach")), 0),
        cells=Count("grid_cell", distinct=True),
    )
    base = {"org": org.pk, "held_from": start.isoformat(), "held_to": end.isoformat()}
    table = _table(
        "outreach",
        _("金融教育宣传"),
        [_("数值")],
        [
            _row(_("宣传活动（次）"), [sums["events"]], [base]),
            _row(_("覆盖人次（现场与线上）"), [sums["people"]], [base]),
            _row(_("覆盖网格（个）"), [sums["cells"]], [base]),
        ],
        target=OUTREACH,
        note=_("覆盖网格为期内举办活动的不同网格数，链接列出这些活动。"),
    )
    return table, {"events": sums["events"], "people": sums["people"]}


# --- The whole report ------------------------------------------------------------------------------------------


def default_summary(headline: dict) -> str:
    """The office's summary sentence as drafted; staff edit it on the draft."""
    rate = _("，按时办结率%(rate)s%%") % {"rate": headline["rate"]} if headline["rate"] else ""
    return _(
        "本期共受理信访投诉%(received)s件，办结%(closed)s件（超期%(late)s件）%(rate)s；"
        "受理纠纷调解%(mediation)s件，达成协议%(agreements)s件；开展金融教育宣传活动%(events)s次，覆盖%(people)s人次。"
    ) % {**headline, "rate": rate}


def report_tables(org, start: dt.date, end: dt.date) -> dict:
    """Every table of the report for `org` (and the units below it) from `start` to `end` inclusive."""
    received, headline = _received_tables(org, start, end)
    closed, closed_headline = _closed_tables(org, start, end)
    headline |= closed_headline
    mediation, mediation_headline = _mediation_table(org, start, end)
    outreach, outreach_headline = _outreach_table(org, start, end)
    headline |= mediation_headline | outreach_headline
    tables = [
        *received,
        *closed,
        _transfer_table(org, start, end),
        _review_table(org, start, end),
        mediation,
        outreach,
    ]
    return {"start": start.isoformat(), "end": end.isoformat(), "headline": headline, "tables": tables}


def list_url(target: str, params: dict | None) -> str:
    if params is None:
        return ""
    return f"{reverse(LIST_URL_NAMES[target])}?{urlencode(params)}"


def table_links(tables: list[dict]) -> list[dict]:
    """The tables for a page: each row's values paired with the URL of the list of their items."""
    bases = {target: reverse(name) for target, name in LIST_URL_NAMES.items()}
    shown = []
    for table in tables:
        rows = []
        for row in table["rows"]:
            cells = [
                (value, f"{bases[table['target']]}?{urlencode(params)}" if params is not None else "")
                for value, params in zip(row["values"], row["params"], strict=True)
            ]
            rows.append({"label": row["label"], "cells": cells})
        shown.append({**table, "shown_rows": rows})
    return shown
