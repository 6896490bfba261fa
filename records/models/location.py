from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models.tree import TreeNode

from records.models.category import code_validator


class LocationKind(models.TextChoices):
    ROOM = "room", _("Room")
    CABINET = "cabinet", _("Cabinet")
    SHELF = "shelf", _("Shelf")
    BOX = "box", _("Box")


_KIND_ORDER = [LocationKind.ROOM, LocationKind.CABINET, LocationKind.SHELF, LocationKind.BOX]


class Location(TreeNode, models.Model):
    """Where paper lives: room / cabinet / shelf / box (R-FILE-4). The full
    code (e.g. R1-C02-S3-B015) is printed on labels and stays unique."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LocationKind.choices)
    code = models.CharField(_("code"), max_length=10, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100, blank=True)
    full_code = models.CharField(_("full code"), max_length=60, unique=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["full_code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "code"], name="location_code_unique_in_parent"),
        ]

    def __str__(self):
        return f"{self.full_code} {self.name}".strip()

    def clean(self):
        if self.parent_id is None:
            if self.kind != LocationKind.ROOM:
                raise ValidationError({"parent": _("Only a room can stand at the top.")})
        elif _KIND_ORDER.index(self.kind) <= _KIND_ORDER.index(self.parent.kind):
            raise ValidationError(
                {"kind": _("A %(kind)s cannot be inside a %(parent)s.")
                 % {"kind": self.get_kind_display(), "parent": self.parent.get_kind_display()}}
            )

    def save(self, *args, **kwargs):
        self.full_code = f"{self.parent.full_code}-{self.code}" if self.parent_id else self.code
        super().save(*args, **kwargs)


    @property
    def path_label(self):
        return " / ".join(node.name or node.code for node in [*self.ancestors(), self])
