"""One access helper per model: scoped to the user's units, 404 for everyone else."""

from core.access import get_object_for_user

from ..models import Event, EventPhoto, MediaWork, TrainingSession


def get_event_for_user(request, pk) -> Event:
    queryset = Event.objects.select_related("org", "campaign", "brand", "grid_cell__parent", "venue_type", "created_by")
    return get_object_for_user(queryset, request.user, pk=pk)


def get_photo_for_user(request, pk) -> EventPhoto:
    return get_object_for_user(EventPhoto.objects.select_related("event__org"), request.user, "event__org", pk=pk)


def get_media_for_user(request, pk) -> MediaWork:
    return get_object_for_user(MediaWork.objects.select_related("org", "campaign"), request.user, pk=pk)


def get_training_for_user(request, pk) -> TrainingSession:
    return get_object_for_user(TrainingSession.objects.select_related("org", "series"), request.user, pk=pk)
