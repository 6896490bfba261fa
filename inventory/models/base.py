from django.conf import settings
from django.db import models


class InventoryDeletionRefused(Exception):
    """Stocktakes, their scans and differences, write-offs and repair tasks
    are evidence (R-INV-1..3): they are never deleted."""


class NeverDeletedQuerySet(models.QuerySet):
    def delete(self):
        raise InventoryDeletionRefused("Inventory rows are never deleted.")


class NeverDeleted(models.Model):
    """Base of every inventory model: no delete, neither of one row nor of
    a queryset."""

    objects = NeverDeletedQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise InventoryDeletionRefused("Inventory rows are never deleted.")


def user_field(verbose_name, related_name, *, null=True):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
    )
