"""Abstract model bases every app may use (core imports no app; an
abstract model needs no app of its own)."""
from django.db import models


class DeletionRefused(Exception):
    """A row that is evidence was asked to be deleted. Apps subclass it to
    name their own rows."""


class NeverDeletedQuerySet(models.QuerySet):
    def delete(self):
        raise self.model.deletion_refused(self.model.deletion_message)


class NeverDeleted(models.Model):
    """Rows that are evidence (lists, destructions, stocktakes, scans...):
    no delete, neither of one row nor of a queryset; states record what
    happened instead. Subclasses name the exception and its message."""

    deletion_refused = DeletionRefused
    deletion_message = "These rows are never deleted."

    objects = NeverDeletedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise self.deletion_refused(self.deletion_message)
