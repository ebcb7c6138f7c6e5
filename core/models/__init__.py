from .audit import AuditArchive, AuditChainHead, AuditEntry, AuditLogImmutableError, NumberSequence
from .calendar import WorkCalendarDay, WorkCalendarYear
from .categories import Category
from .deadline_counts import DeadlineDayCount
from .deadlines import Deadline, DeadlinePause, DeadlineRule, PauseKind
from .jobs import BackgroundJob
from .notifications import Notification
from .org import OrgUnit
from .tasks import Task
from .users import Absence, User

__all__ = [
    "Absence",
    "AuditArchive",
    "AuditChainHead",
    "AuditEntry",
    "AuditLogImmutableError",
    "BackgroundJob",
    "Category",
    "Deadline",
    "DeadlineDayCount",
    "DeadlinePause",
    "PauseKind",
    "DeadlineRule",
    "Notification",
    "NumberSequence",
    "OrgUnit",
    "Task",
    "User",
    "WorkCalendarDay",
    "WorkCalendarYear",
]
