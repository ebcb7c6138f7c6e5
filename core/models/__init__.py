from .audit import AuditEntry, NumberSequence
from .calendar import WorkCalendarDay, WorkCalendarYear
from .categories import Category
from .deadlines import Deadline, DeadlinePause, DeadlineRule
from .org import OrgUnit
from .users import Absence, User

__all__ = [
    "Absence",
    "AuditEntry",
    "Category",
    "Deadline",
    "DeadlinePause",
    "DeadlineRule",
    "NumberSequence",
    "OrgUnit",
    "User",
    "WorkCalendarDay",
    "WorkCalendarYear",
]
