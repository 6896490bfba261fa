from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.crypto import EncryptedTextField
from core.limits import date_validators, range_message, range_validators
from core.pinyin import PinyinKeyField
from core.text_input import CleanCharField, CleanTextField
from records.models import Record, SingletonPolicy, single_row_constraint
from records.numbering import allocate_prefixed_numbers


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


CLIENT_NUMBER_PREFIX = "KH-"  # 客户
# A person's age in years, as the group-client files record it (R-SCOPE 2).
CLIENT_AGES = (0, 150)


class Client(models.Model):
    """A client profile (客户档案). The records filed about the client link
    here, with its contacts and its timeline. The client number is the key
    the directory's spreadsheet is matched on (clients.resources)."""

    code = models.CharField(
        _("client number"), max_length=30, unique=True, blank=True,
        help_text=_("Given automatically (KH-00001) when left empty."),
    )
    client_type = models.CharField(_("client type"), max_length=20, choices=ClientType.choices)
    name = CleanCharField(_("name"), max_length=200, db_index=True)
    # Lists, registers and exports order clients by pinyin (issue 15).
    name_sort_key = PinyinKeyField(_("pinyin sort key"), source="name", person="names_a_person")
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True, default="")
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=range_validators(_("age"), *CLIENT_AGES)
    )
    preferences = CleanTextField(_("preferences"), blank=True)
    notes = CleanTextField(_("notes"), blank=True)
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
    # The sort key follows the name: no fact of its own to keep in history.
    history = HistoricalRecords(m2m_fields=[records], excluded_fields=["name_sort_key"])

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name_sort_key", "name", "pk"]
        permissions = [("view_client_data", _("Can see clients' personal data unmasked"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age__isnull=True) | models.Q(age__gte=CLIENT_AGES[0], age__lte=CLIENT_AGES[1]),
                name="client_age_in_range",
                violation_error_message=range_message(_("age"), *CLIENT_AGES),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def names_a_person(self):
        """An agent trading in their own name (gender or age given) has a
        person's name: a polyphonic surname is read as one (单 shan4)."""
        return bool(self.gender) or self.age is not None

    def save(self, *args, **kwargs):
        if not self.code:
            # The number is taken inside the transaction that saves the row.
            with transaction.atomic():
                self.code = allocate_client_numbers(1)[0]
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)


def allocate_client_numbers(count):
    """The next `count` client numbers; inside the saving transaction."""
    return allocate_prefixed_numbers(Client, "code", CLIENT_NUMBER_PREFIX, width=5, count=count)


class ClientContact(models.Model):
    """A person at the client. Phone, e-mail and ID number are personal data:
    encrypted at rest and shown masked unless the viewer may see them and
    asks to (R-CLIENT)."""

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts")
    name = CleanCharField(_("name"), max_length=100)
    name_sort_key = PinyinKeyField(_("pinyin sort key"), source="name", person=True)
    position = CleanCharField(_("position"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    # Contacts are never deleted: one who leaves the client is marked so.
    is_active = models.BooleanField(_("current contact"), default=True)
    history = HistoricalRecords(excluded_fields=["name_sort_key"])

    class Meta:
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")
        ordering = ["client", "-is_active", "name_sort_key", "name", "pk"]

    def __str__(self):
        return self.name


class EventKind(models.TextChoices):
    TRANSACTION = "transaction", _("Transaction")
    ORDER = "order", _("Order")
    CONTRACT = "contract", _("Contract")
    INVOICE = "invoice", _("Invoice")
    COMPLAINT = "complaint", _("Complaint")
    AFTER_SALES = "after_sales", _("After-sales")
    FEEDBACK = "feedback", _("Feedback")
    VISIT = "visit", _("Visit")


class ClientEvent(models.Model):
    """One dated, attributed entry of a client's timeline (R-CLIENT)."""

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"), validators=date_validators(_("date")))
    summary = CleanTextField(_("summary"))
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, null=True, blank=True, related_name="client_events"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client event")
        verbose_name_plural = _("client events")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class DataAccessAction(models.TextChoices):
    UNMASK = "unmask", _("Personal data shown")
    ADMIN_VIEW = "admin_view", _("Personal data opened in the back office")
    EXPORT = "export", _("Client data exported")


class ClientDataAccess(models.Model):
    """The log of every unmasking and export of client data: who, when,
    which client (R-CLIENT). Written by clients.services only; never edited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=DataAccessAction.choices)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, null=True, blank=True, related_name="data_accesses"
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("client data access")
        verbose_name_plural = _("client data accesses")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ClientPolicy(SingletonPolicy):
    """The client files' own policy value, changed by the department head in
    the back office (records.admin.SingletonPolicyAdmin)."""

    # R-CLIENT: client files are reviewed weekly.
    client_review_interval_days = models.PositiveSmallIntegerField(
        _("client file review interval (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("Client files are tidied and updated this often."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client files policy")
        verbose_name_plural = _("client files policy")
        constraints = [single_row_constraint("clientpolicy_single_row")]

    def __str__(self):
        return str(_("Client files policy"))
