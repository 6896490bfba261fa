"""Django's zh_Hans formats, with amounts grouped by thousands (128,000.50)
as Chinese financial documents write them; Django's own module leaves the
separator empty. Used where a template asks for grouping (floatformat "g")."""
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
