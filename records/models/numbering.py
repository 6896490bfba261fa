from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models.category import Category


class ArchiveSequence(models.Model):
    """The last item number handed out per category and year (R-FILE-5).

    The row is locked and incremented in the same transaction that files the
    record, so a rolled-back filing returns its number and numbers stay
    gap-free."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_item = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("archive number sequence")
        verbose_name_plural = _("archive number sequences")
        constraints = [
            models.UniqueConstraint(fields=["category", "year"], name="archive_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.category.code}·{self.year}: {self.last_item}"
