"""Shared helpers of the void, lapse, revision and retention services
(part LIFE, R-CTRL-5..7): row locks taken before any check, the dated
remark lines the distribution register prints, text a person wrote, and
the notices telling holders to return recalled copies."""
from collections import defaultdict

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notices import notify
from core.text import join_items
from core.text_input import field_text
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy, ControlledDocument

# The page a holder returns a copy from (part HOLDER), linked once it exists.
MY_COPIES_PAGE = "documents_my_copies"


def locked_document(document):
    """Re-read the document under a row lock, before any check."""
    return ControlledDocument.objects.select_for_update().get(pk=document.pk)


def locked_copy(copy):
    """Re-read the copy under a row lock, with its document."""
    return ControlledCopy.objects.select_for_update().select_related("document").get(pk=copy.pk)


def text(value, *, model, field, missing=None):
    """The text as written (core.text_input.field_text), refused as DocumentsRefused."""
    return field_text(value, model=model, field=field, refusal=DocumentsRefused, missing=missing)


def add_remark(copy, words, on=None):
    """Append a dated line ("2026-12-06 收回") to the copy's remark, the
    column the distribution register prints; `on` defaults to today (local)."""
    line = f"{(on or timezone.localdate()):%Y-%m-%d} {words}"
    copy.remark = f"{copy.remark}\n{line}" if copy.remark else line


def page_url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def people_to_tell(copies):
    """{user: [copies]}: each copy goes to its holder, else its addressed
    person, else every active member of its addressed department (nobody
    of it has signed for it yet)."""
    told = defaultdict(list)
    departments = defaultdict(list)
    user_ids = set()
    for copy in copies:
        user_id = copy.holder_id or copy.recipient_user_id
        if user_id is not None:
            user_ids.add(user_id)
            told[user_id].append(copy)
        else:
            departments[copy.recipient_department_id].append(copy)
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids, is_active=True)}
    result = defaultdict(list)
    for user_id, held in told.items():
        if user_id in users:
            result[users[user_id]].extend(held)
    for member in User.objects.filter(department_id__in=list(departments), is_active=True):
        result[member].extend(departments[member.department_id])
    return result


def tell_to_return(copies, message, values=None):
    """One notice per person naming the copies they must return; `message`
    has %(numbers)s besides `values`. Returns how many people were told."""
    url = page_url(MY_COPIES_PAGE)
    people = people_to_tell(copies)
    for user, held in people.items():
        numbers = join_items(sorted(copy.control_number for copy in held))
        notify(user, message % {**(values or {}), "numbers": numbers}, url)
    return len(people)


def refuse_state(document, message=None):
    raise DocumentsRefused(
        message
        or _("%(title)s is %(state)s: this cannot be done any more.")
        % {"title": document.title, "state": document.get_state_display()}
    )
