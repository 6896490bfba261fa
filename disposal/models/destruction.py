from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import date_validators
from core.text_input import CleanCharField

from disposal.models.lists import DisposalList, NeverDeleted


class DestructionMethod(models.TextChoices):
    # R-DISP-3: destruction is total.
    SHREDDING = "shredding", _("Shredding")
    SECURE_DELETION = "secure_deletion", _("Secure deletion")
    BOTH = "both", _("Shredding and secure deletion")


class Destruction(NeverDeleted):
    """How the destroy items of an approved list were destroyed (R-DISP-3):
    when, where, how, by whom, before which two witnesses (监销人). The list
    is executed only when both witnesses confirmed; the row and the list
    outlive what they destroyed."""

    disposal_list = models.OneToOneField(
        DisposalList, verbose_name=_("disposal list"), on_delete=models.PROTECT, related_name="destruction"
    )
    date = models.DateField(_("date of destruction"), validators=date_validators(_("date of destruction")))
    place = CleanCharField(_("place"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=DestructionMethod.choices)
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        related_name="destructions_executed",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="destructions_recorded",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("destruction")
        verbose_name_plural = _("destructions")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.disposal_list} · {self.date.isoformat()}"


class Witness(NeverDeleted):
    """One of the two witnesses (监销人) of a destruction, who confirms in
    the application. A witness replaced before execution keeps the row,
    with `replaced_at` set; the two current witnesses are those without."""

    destruction = models.ForeignKey(
        Destruction, verbose_name=_("destruction"), on_delete=models.PROTECT, related_name="witnesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("witness"), on_delete=models.PROTECT, related_name="witnessings"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")
        ordering = ["destruction", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction", "user"],
                condition=models.Q(replaced_at__isnull=True),
                name="disposal_witness_once_per_destruction",
            ),
        ]

    def __str__(self):
        return f"{self.destruction} · {self.user}"

    @property
    def is_current(self):
        return self.replaced_at is None
