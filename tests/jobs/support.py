"""Helpers of the jobs tests."""
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


def missing_file_message(name):
    """The job page's words for a file gone from the storage, in the site's
    language (the Chinese once the translation is merged)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("%(name)s is no longer in the file storage; start the job again for a new copy.") % {
            "name": name
        }
