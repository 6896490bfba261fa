"""What every app's views share: the access gate, and the one place where a
service's refusal (core.exceptions.ActionRefused) reaches the user, as a
form error or as a message."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404


def gate(allowed, *, hide=False):
    """The access check of every view: 403 when the user may not use the
    page, 404 when the page must not reveal that the thing exists (R-ACCESS)."""
    if not allowed:
        raise Http404 if hide else PermissionDenied


def refusal_to_form(form, refusal):
    """Show a refusal on the form it answers: on its field when the refusal
    names one the form has, else above the form."""
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)


def refusal_to_message(request, refusal):
    """Show a refusal of an action taken from a list or a button."""
    messages.error(request, refusal.message)
