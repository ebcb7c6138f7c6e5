"""One way to show a service's refusal: a service raises ValidationError or PermissionDenied with a Chinese message
(docs/architecture.md, "Patterns"); a view shows it as page messages or as the form's errors with these helpers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def error_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    """The refusal's messages, each a sentence a user reads."""
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [str(exc) or _("没有权限执行该操作。")]


def show_error(request, exc: ValidationError | PermissionDenied) -> None:
    """The refusal as error messages on the next page."""
    for message in error_messages(exc):
        messages.error(request, message)


def form_errors(form, exc: ValidationError | PermissionDenied) -> None:
    """The refusal on the form that was submitted: per field where the service named one, else for the form."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return
    for message in error_messages(exc):
        form.add_error(None, message)
