from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models import Record


class ClientType(models.TextChoices):
    """Clients are agents, partners and appraised subjects (R-SCOPE 2)."""

    AGENT = "agent", _("Agent")
    PARTNER = "partner", _("Partner")
    APPRAISED = "appraised", _("Appraised subject")
    OTHER = "other", _("Other")


class Gender(models.TextChoices):
    UNKNOWN = "", _("Unknown")
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Client(models.Model):
    """A client profile (客户档案). The records filed about the client link
    here; contacts and the timeline arrive with the client-files issue."""

    client_type = models.CharField(_("client type"), max_length=20, choices=ClientType.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True, default="")
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    preferences = models.TextField(_("preferences"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
    )
    records = models.ManyToManyField(
        Record, verbose_name=_("records"), blank=True, related_name="clients"
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed at"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[records])

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        permissions = [("view_client_data", _("Can see clients' personal data unmasked"))]

    def __str__(self):
        return self.name
