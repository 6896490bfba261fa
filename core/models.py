"""Abstract model bases every app may use (core imports no app; an
abstract model needs no app of its own)."""
from django.conf import settings
from django.db import models, transaction


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


def user_field(verbose_name, related_name, *, null=True):
    """Who did something to an evidence row: a user kept (PROTECT) as long
    as the row; optional until the step happens."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
    )


def next_in_year(counter_model, year, **keys):
    """The next number of `year` from a counter table (fields `year`,
    `last`, and any further `keys` a counter is kept per): gapless. Must run inside the transaction that saves the
    numbered row: the counter row stays locked until it commits
    (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions let
    one writer in at a time), and a rollback returns the number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{counter_model.__name__} numbers must be allocated inside transaction.atomic().")
    # INSERT ... ON CONFLICT DO NOTHING: two first numbers of a year cannot
    # both create the row; the second waits for the first, then finds it.
    counter_model.objects.bulk_create([counter_model(year=year, last=0, **keys)], ignore_conflicts=True)
    counter = counter_model.objects.select_for_update().get(year=year, **keys)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
