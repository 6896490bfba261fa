"""Strings of installed packages whose Chinese translation is missing or
wrong there. Listing them here keeps them in this project's catalogue
(locale/), which Django consults first."""
from django.utils.translation import gettext_noop

PACKAGE_STRINGS = [
    # django-import-export's export page; its zh_Hans catalogue leaves it empty.
    gettext_noop("Select all"),
]
