from .institutions import Institution, InstitutionQuerySet
from .interviews import Interview, InterviewAttachment, InterviewOrigin, InterviewTriggerRule, RectificationItem
from .lists import ListItem, ListRow, ListSuggestionRule, QuarterlyList
from .surveys import Survey, SurveyFinding

__all__ = [
    "Institution",
    "InstitutionQuerySet",
    "Interview",
    "InterviewAttachment",
    "InterviewOrigin",
    "InterviewTriggerRule",
    "ListItem",
    "ListRow",
    "ListSuggestionRule",
    "QuarterlyList",
    "RectificationItem",
    "Survey",
    "SurveyFinding",
]
