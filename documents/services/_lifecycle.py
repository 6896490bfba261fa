"""Shared helpers of the void, lapse, revision and retention services
(part LIFE, R-CTRL-5..7): the notices telling holders to return recalled
copies and the refusal for a document in the wrong state; the row locks,
dated remarks and text a person wrote are part CORE's (services._core)."""
from collections import defaultdict

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notices import notify
from core.text import join_items
from documents import notices
from documents.exceptions import DocumentsRefused
from documents.services._core import MY_COPIES_PAGE, page_url


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
    has %(numbers)s besides `values`. It clears once the person has no
    recalled copy left to hand back (notices.return_subject). Returns how
    many people were told."""
    url = page_url(MY_COPIES_PAGE)
    people = people_to_tell(copies)
    for user, held in people.items():
        numbers = join_items(sorted(copy.control_number for copy in held))
        notify(user, message % {**(values or {}), "numbers": numbers}, url, notices.return_subject(user))
    return len(people)


def refuse_document_state(document, message=None):
    raise DocumentsRefused(
        message
        or _("%(title)s is %(state)s: this cannot be done any more.")
        % {"title": document.title, "state": document.get_state_display()}
    )
