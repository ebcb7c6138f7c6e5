from .institutions import Institution, InstitutionQuerySet
from .interviews import Interview, InterviewAttachment, InterviewTriggerRule, RectificationItem
from .lists import ListItem, ListRow, ListSuggestionRule, QuarterlyList
from .surveys import Survey, SurveyFinding

__all__ = [
    "Institution",
    "InstitutionQuerySet",
    "Interview",
    "InterviewAttachment",
    "InterviewTriggerRule",
    "ListItem",
    "ListRow",
    "ListSuggestionRule",
    "QuarterlyList",
    "RectificationItem",
    "Survey",
    "SurveyFinding",
]
