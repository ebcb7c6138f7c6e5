"""Quarterly list measurements for `python manage.py bench` (see laizhou_xiaobao/bench).

The list of 500 institutions is built in memory (unsaved objects, no database writes), with two negative
and one positive item on every third row, so the measurement is the layout and writing alone. Targets from
issue 5: PDF ≤ 15 s and Excel ≤ 5 s, each ≤ 300 MB.
"""

from __future__ import annotations

from laizhou_xiaobao.bench import register

INSTITUTIONS = 500  # --list-rows changes it (the tests lay out a few)


def _list_500(ctx):
    from django.utils import timezone

    from core.models import Category, OrgUnit
    from institutions.models import Institution, ListItem, ListRow, QuarterlyList

    org = OrgUnit(code="bench", name="莱州金融监管支局", short_name="莱州支局", level=OrgUnit.Level.SUB_BUREAU)
    quarterly_list = QuarterlyList(org=org, year=2026, quarter=3, version=1, status=QuarterlyList.Status.APPROVED)
    quarterly_list.approved_at = timezone.now()
    kinds = [Category(name=name) for name in ("农商行/农村中小金融机构", "国有大型银行", "人身险", "财产险")]
    rows = []
    for n in range(ctx.options.get("list_rows") or INSTITUTIONS):
        institution = Institution(
            full_name=f"测试银行股份有限公司莱州第{n:03d}支行",
            short_name=f"测试{n:03d}",
            type=kinds[n % len(kinds)],
            outlets=1 + n % 7,
        )
        row = ListRow(quarterly_list=quarterly_list, institution=institution, assessment="neutral")
        complaints = (n * 7) % 13
        row.figures = {
            "complaints": complaints,
            "previous": (n * 5) % 11,
            "per_outlet": f"{complaints / (1 + n % 7):.2f}",
            "late_forwards": n % 3,
            "repeat": n % 2,
            "group": 0,
            "substantiated": int(n % 17 == 0),
        }
        row.negative_items, row.positive_items = [], []
        if n % 3 == 0:
            row.assessment = "negative"
            row.negative_items = [
                ListItem(
                    polarity="negative",
                    element="disputes",
                    description=f"本季度被投诉{complaints}件，达到5件的关注线。",
                ),
                ListItem(
                    polarity="negative", element="disputes", description="本季度有1件转办投诉未按期反馈处理结果。"
                ),
            ]
        elif n % 3 == 1:
            row.assessment = "positive"
            row.positive_items = [
                ListItem(polarity="positive", element="education", description="参与金融教育宣传3次。")
            ]
        rows.append(row)
    return quarterly_list, rows


@register(
    "quarterly_list_pdf_500",
    title="正负面清单PDF（500家机构）",
    repeat=1,
    target="≤ 15 s，≤ 300 MB",
    setup=_list_500,
    job=True,
)
def quarterly_list_pdf(ctx, prepared):
    from institutions.services.documents import build_pdf

    quarterly_list, rows = prepared
    pdf = build_pdf(quarterly_list, rows)
    return f"{len(pdf) // 1024} KB"


@register(
    "quarterly_list_xlsx_500",
    title="正负面清单Excel（500家机构）",
    repeat=3,
    target="≤ 5 s，≤ 300 MB",
    setup=_list_500,
    job=True,
)
def quarterly_list_xlsx(ctx, prepared):
    from institutions.services.documents import build_xlsx

    quarterly_list, rows = prepared
    xlsx = build_xlsx(quarterly_list, rows)
    return f"{len(xlsx) // 1024} KB"
