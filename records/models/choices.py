from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityLevel(models.TextChoices):
    """密级. Public: anyone in the company; internal: the owning department;
    confidential: leadership and those authorised (R-LEND-4)."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class Medium(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    BOTH = "both", _("Paper and electronic")


class RecordStatus(models.TextChoices):
    """A record's life. Nothing is deleted: it only moves between states."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned to submitter")
    FILED = "filed", _("Filed")
    ON_LOAN = "on_loan", _("On loan")
    MISSING = "missing", _("Missing")
    # VOID, WRITTEN_OFF: placeholders no service sets yet; the inventory app
    # (issue 13) will strike an item off the ledger through a records
    # service with its reason and evidence (R-INV-3).
    VOID = "void", _("Void")
    WRITTEN_OFF = "written_off", _("Written off")
    # WEEDED, DESTROYED, TRANSFERRED are set by records.services.disposition,
    # called by the disposal app once a weeding or disposal list is
    # approved or executed (R-DISP-1..3); the record stays, off the books.
    WEEDED = "weeded", _("Weeded")
    DESTROYED = "destroyed", _("Destroyed")
    TRANSFERRED = "transferred", _("Transferred out")

    @classmethod
    def before_filing(cls):
        return [cls.DRAFT, cls.SUBMITTED, cls.RETURNED]

    @classmethod
    def catalogued(cls):
        """States of a record that has an archive number."""
        return [status for status in cls if status not in cls.before_filing()]

    @classmethod
    def on_the_books(cls):
        """Held by the archive: counted at inventory (R-INV-1)."""
        return [cls.FILED, cls.ON_LOAN, cls.MISSING]


PERMANENT_RETENTION_LABEL = _("Permanent")
# Retention runs in years from the record's year (R-FILE-6): beyond a
# century is a typing error, and the end of retention must stay a date.
MAX_RETENTION_YEARS = 100


def retention_label(years):
    """永久 for None, otherwise 'N years' (R-FILE-6)."""
    if years is None:
        return PERMANENT_RETENTION_LABEL
    from django.utils.translation import ngettext

    return ngettext("%(years)d year", "%(years)d years", years) % {"years": years}


def retention_code(years):
    """Retention code in the archive number after DA/T 22-2015: Y, D30, D10."""
    return "Y" if years is None else f"D{years}"
