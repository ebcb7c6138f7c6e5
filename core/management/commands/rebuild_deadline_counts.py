from core.management.summary_command import SummaryCommand
from core.services.deadline_counts import DEADLINE_COUNTS


class Command(SummaryCommand):
    help = (
        "按在办期限（core.Deadline）重新计算看板用的在办期限按日汇总表（一个事务）：rebuild_deadline_counts "
        "[--check]。--check 只核对不改写，汇总与期限不一致时以非零状态退出。"
    )
    table = DEADLINE_COUNTS
    what = "在办期限汇总表"
    source = "期限"
    name = "rebuild_deadline_counts"

    def describe(self, key):
        return (
            f"单位 {key.org_id} A岗 {key.owner_id or '—'} B岗 {key.backup_id or '—'} "
            f"机构 {key.institution_id or '—'} {key.item_kind} {key.due_on:%Y-%m-%d}"
            f"{'（暂停）' if key.paused else ''}{'（暂定）' if key.provisional else ''}"
        )
