from complaints.models import CaseMonthCount
from complaints.services.case_counts import CASE_COUNTS
from core.management.summary_command import SummaryCommand


class Command(SummaryCommand):
    help = (
        "按案件（complaints.Case）重新计算看板用的案件按月汇总表（受理按渠道、按涉及机构，办结按是否按时；一个事务）："
        "rebuild_case_counts [--check]。--check 只核对不改写，汇总与案件不一致时以非零状态退出。"
    )
    table = CASE_COUNTS
    what = "案件按月汇总表"
    source = "案件"
    name = "rebuild_case_counts"

    def describe(self, key):
        measure = CaseMonthCount.Measure(key.measure).label
        detail = key.channel or (f"机构 {key.institution_id}" if key.institution_id else "")
        if key.measure == CaseMonthCount.Measure.CLOSED:
            detail = "按时" if key.on_time else "超期"
        return f"单位 {key.org_id} {key.month:%Y-%m} {measure} {detail}".rstrip()
