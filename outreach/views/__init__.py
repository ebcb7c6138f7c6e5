from .events import (
    event_calendar,
    event_create,
    event_detail,
    event_edit,
    index,
    photo_delete,
    photo_file,
    photo_upload,
)
from .figures import figures, figures_export
from .media import media_award_add, media_create, media_detail, media_edit, media_list
from .training import training_create, training_detail, training_edit, training_list

__all__ = [
    "event_calendar",
    "event_create",
    "event_detail",
    "event_edit",
    "figures",
    "figures_export",
    "index",
    "media_award_add",
    "media_create",
    "media_detail",
    "media_edit",
    "media_list",
    "photo_delete",
    "photo_file",
    "photo_upload",
    "training_create",
    "training_detail",
    "training_edit",
    "training_list",
]
