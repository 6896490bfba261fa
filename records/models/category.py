from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import SMALL_INTEGER_MAX, range_validators
from core.text_input import CleanCharField

from records.models.tree import TreeNode

from records.models.choices import MAX_RETENTION_YEARS, retention_label

code_validator = RegexValidator(
    r"^[A-Z0-9]{1,10}$",
    _("Use 1 to 10 capital letters or digits; the code becomes part of archive numbers."),
)


class ScopeClass(models.TextChoices):
    """The five classes of what is filed (R-SCOPE)."""

    CONTRACT = "contract", _("Contracts")
    CLIENT = "client", _("Client files")
    INTERNAL = "internal", _("Internal management")
    CORRESPONDENCE = "correspondence", _("Internal correspondence")
    PUBLICITY = "publicity", _("Publicity material")


class Category(TreeNode, models.Model):
    """The file plan (分类方案): a tree of classes, each with a code used in
    archive numbers and a default retention period (R-FILE-6)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent class"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=10, unique=True, validators=[code_validator])
    name = CleanCharField(_("name"), max_length=100)
    scope = models.CharField(_("scope class"), max_length=20, choices=ScopeClass.choices)
    default_retention_years = models.PositiveSmallIntegerField(
        _("default retention (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for permanent retention."),
        validators=range_validators(_("default retention (years)"), 1, MAX_RETENTION_YEARS),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, validators=range_validators(_("order"), 0, SMALL_INTEGER_MAX)
    )
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def default_retention_label(self):
        return retention_label(self.default_retention_years)

    def clean(self):
        # A loop in the tree would make ancestors() run forever.
        node = self.parent
        while node is not None:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": _("A class cannot be placed inside itself or its sub-classes.")})
            node = node.parent


    @property
    def path_label(self):
        return " / ".join(c.name for c in [*self.ancestors(), self])
