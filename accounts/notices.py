"""In-app notices, the mechanism every app tells a person something with:
a Notice row and the same text by mail. The row is written in the caller's
transaction; the mail leaves only after it commits (core.mail), so a refused
or rolled-back action mails nobody. Each app keeps its own wording (for
example lending.notices, disposal's notices) and calls `notify`."""
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import Notice
from core.mail import mail_later

TEXT_MAX_LENGTH = Notice._meta.get_field("text").max_length
URL_MAX_LENGTH = Notice._meta.get_field("url").max_length
MAIL_SUBJECT_LENGTH = 78


def notify(user, text, url="", subject=""):
    """Create the notice and queue its mail (when the user has an address):
    the worker sends it after the commit. A mail server that fails never
    undoes the action. A text past the notice's length is cut. `subject`
    names what the notice asks someone to handle ("lending.request:42"):
    notices_resolve clears it once that is done, by whoever."""
    text = Truncator(str(text)).chars(TEXT_MAX_LENGTH)
    notice = Notice.objects.create(user=user, text=text, url=(url or "")[:URL_MAX_LENGTH], subject=subject or "")
    if user.email:
        subject = Truncator(_("Archive: %(text)s") % {"text": text}).chars(MAIL_SUBJECT_LENGTH)
        body = f"{text}\n\n{url}" if url else text
        mail_later(subject, body, [user.email])
    return notice


def notices_of(user):
    """The user's notices, newest first."""
    return Notice.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_of(user):
    """The user's notices not yet read, newest first."""
    return notices_of(user).filter(read_at=None)


def unread_count(user):
    return Notice.objects.filter(user=user, read_at=None).count()


def notice_mark_read(*, notice):
    """Mark one notice read (once: the first reading time stays). Notices
    keep no history, so a plain save is enough."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_resolve(*, subject):
    """The thing the notices about `subject` ask for was handled (approved,
    refused, withdrawn, put right), by anyone: every unread notice about it
    is marked read for everyone it went to, so it leaves their counters and
    lists of new notices (issue 16). Returns how many."""
    if not subject:
        return 0
    return Notice.objects.filter(subject=subject, read_at=None).update(read_at=timezone.now())


def notices_mark_all_read(*, user):
    """Mark every unread notice of the user read; returns how many."""
    return Notice.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
