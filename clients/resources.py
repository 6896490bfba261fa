"""The client directory (客户名录, R-SCOPE 2, R-CLIENT) as a spreadsheet: one
row per contact, the client's columns repeated on each of its rows; a client
without contacts has one row with the contact columns empty.

Export: every client, its contacts current first. Phone numbers, e-mails and
ID numbers are masked (138****5678) unless the exporting user holds
clients.view_client_data; the back office logs every export (R-CLIENT).

Import (all-or-nothing, like the records catalogue: records.imports and the
back office's preview/confirm; headers in English or Chinese,
records.resources.prepare_headers):

- rows belong to one client when they carry the same client number, or,
  without a number, the same client name. A row without a number whose name
  is that of exactly one existing client is that client; several existing
  clients of that name need the number. A client's cells on its later rows
  must be empty or agree with its first row;
- a new client gets the number in the file or, when empty, the next KH-
  number; new contacts are added to new and existing clients;
- an import adds and never changes: an existing client whose cells differ,
  or an existing contact (same client, same name) whose cells differ, refuses
  the file. A masked value matches the stored value it masks, so a masked
  export re-imports too; a masked value for a new contact is refused;
- phone, e-mail and ID number are checked like the portal's form
  (clients.validators) and stored encrypted (clients.crypto);
- every created client and contact leaves a history row (simple-history's
  bulk helper), with the importing user and reason "imported".

Review dates, who reviewed and when the profile was created are exported for
the reader and not read back.
"""
import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields
from simple_history.utils import bulk_create_with_history

from clients import policies
from clients.models import Client, ClientContact, ClientType, Gender, allocate_client_numbers
from clients.validators import CONTACT_VALIDATORS, looks_masked
from records.history import ChangeReason
from records.ledgers.layout import shown_row
from records.resources import (
    AllOrNothingResource,
    ChoiceLabelWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    exported_moment,
    is_blank,
    row_message,
    person_field,
    prepare_headers,
)
from records.search import index_records

MASKS = {"phone": policies.mask_phone, "email": policies.mask_email, "id_number": policies.mask_id_number}
CLIENT_FIELDS = (
    "code", "name", "client_type", "gender", "age", "preferences", "notes", "responsible", "is_active",
)
CONTACT_FIELDS = (
    "contact_name", "contact_position", "contact_phone", "contact_email", "contact_id_number", "contact_is_active",
)


def _contact_field(attribute, label, widget=None):
    """A contact's column; read by ClientResource itself, not by the client
    row's import (no attribute)."""
    field = fields.Field(column_name=label, widget=widget or TextWidget())
    field.contact_attribute = attribute
    return field


class ClientResource(AllOrNothingResource):
    code = fields.Field(attribute="code", column_name=_("client number"), widget=TextWidget())
    name = fields.Field(attribute="name", column_name=_("client name"), widget=TextWidget())
    client_type = fields.Field(
        attribute="client_type", column_name=_("client type"), widget=ChoiceLabelWidget(ClientType)
    )
    gender = fields.Field(attribute="gender", column_name=_("gender"), widget=ChoiceLabelWidget(Gender))
    age = fields.Field(attribute="age", column_name=_("age"), widget=WholeNumberWidget())
    preferences = fields.Field(attribute="preferences", column_name=_("preferences"), widget=TextWidget(multiline=True))
    notes = fields.Field(attribute="notes", column_name=_("notes"), widget=TextWidget(multiline=True))
    responsible = person_field("responsible", _("responsible staff member"))
    is_active = fields.Field(attribute="is_active", column_name=_("active"), widget=YesNoWidget())
    contact_name = _contact_field("name", _("contact name"))
    contact_position = _contact_field("position", _("position"))
    contact_phone = _contact_field("phone", _("phone"))
    contact_email = _contact_field("email", _("e-mail"))
    contact_id_number = _contact_field("id_number", _("ID number"))
    contact_is_active = _contact_field("is_active", _("current contact"), YesNoWidget())
    last_reviewed_at = exported_moment("last_reviewed_at", _("last reviewed at"))
    last_reviewed_by = fields.Field(
        attribute="last_reviewed_by__display_name", column_name=_("last reviewed by"), readonly=True
    )
    created_at = exported_moment("created_at", _("created at"))

    REQUIRED_COLUMNS = ("name", "client_type")
    DEFAULTS = {"gender": Gender.UNKNOWN, "preferences": "", "notes": "", "is_active": True}

    class Meta:
        model = Client
        fields = [*CLIENT_FIELDS, *CONTACT_FIELDS, "last_reviewed_at", "last_reviewed_by", "created_at"]
        export_order = fields

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.unmasked = user is not None and policies.may_see_personal_data(user)

    # --- export ---------------------------------------------------------------

    def get_queryset(self):
        return Client.objects.all()

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("responsible", "last_reviewed_by").prefetch_related("contacts")
        # Pinyin order unless the back office's list was sorted otherwise (issue 15).
        return queryset if queryset.query.order_by else queryset.order_by("name_sort_key", "name", "pk")

    def iter_queryset(self, queryset):
        """One row per contact: the client is repeated, carrying the row's
        contact (or None) as `_contact`."""
        for client in super().iter_queryset(queryset):
            # ClientContact.Meta.ordering puts current contacts first.
            for contact in list(client.contacts.all()) or [None]:
                row = copy.copy(client)
                row._contact = contact
                yield row

    def export_field(self, field, instance, **kwargs):
        attribute = getattr(field, "contact_attribute", None)
        if attribute is None:
            return super().export_field(field, instance, **kwargs)
        contact = instance._contact
        if contact is None:
            return ""
        value = getattr(contact, attribute)
        if attribute in MASKS and not self.unmasked:
            value = MASKS[attribute](value)
        return field.widget.render(value)

    # --- import ---------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self._user = kwargs.get("user")
        self._now = timezone.now()
        self._new_contacts = []
        prepare_headers(self, dataset)
        self._by_code = {}
        self._by_name = {}
        for client in Client.objects.select_related("responsible").prefetch_related("contacts"):
            self._by_code[client.code] = client
            self._by_name.setdefault(client.name, []).append(client)
        self._groups = {}  # group key -> (first row number, client, first row's values)
        self._contacts_in_file = {}  # (group key, contact name) -> row number

    def before_import_row(self, row, **kwargs):
        self._row_number = shown_row(kwargs["row_number"])

    def _cell(self, row, name):
        column = self.fields[name].column_name
        return row.get(column) if column in row else None

    def _group_key(self, row):
        code = self._cell(row, "code")
        if not is_blank(code):
            return ("code", str(code).strip())
        name = self._cell(row, "name")
        return ("name", "" if is_blank(name) else str(name).strip())

    def get_instance(self, instance_loader, row):
        key = self._group_key(row)
        if key in self._groups:
            return self._groups[key][1]
        kind, value = key
        if kind == "code":
            return self._by_code.get(value)
        same_name = self._by_name.get(value, [])
        return same_name[0] if len(same_name) == 1 else None

    def _error(self, errors, name, reason):
        errors[name] = ValidationError(
            str(row_message(self._row_number, self.fields[name].column_name, reason))
        )

    def _read(self, row, names, errors):
        """The cleaned value of each present column among `names`."""
        values = {}
        for name in names:
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                values[name] = field.clean(row) if field.attribute else field.widget.clean(row[field.column_name])
            except ValueError as error:
                self._error(errors, name, error)
        return values

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        values = self._read(row, CLIENT_FIELDS, errors)
        contact_values = self._read(row, CONTACT_FIELDS, errors)
        key = self._group_key(row)
        self._row_contact = None
        if key in self._groups:
            self._check_same_client(key, values, errors)
        elif instance.pk is not None:
            self._check_existing_client(instance, values, errors)
            self._groups[key] = (self._row_number, instance, values)
        else:
            self._check_new_client(instance, key, values, errors)
        if not errors:
            self._read_contact(instance, key, contact_values, errors)
        if errors:
            raise ValidationError(errors)

    def _check_new_client(self, client, key, values, errors):
        kind, value = key
        if kind == "name" and len(self._by_name.get(value, [])) > 1:
            self._error(
                errors, "name",
                _("several clients are named %(value)s; give the client number") % {"value": value},
            )
            return
        for name, value in values.items():
            setattr(client, self.fields[name].attribute, value)
        for name, default in self.DEFAULTS.items():
            if getattr(client, name) is None:
                setattr(client, name, default)
        client.code = client.code or ""
        if not client.name and "name" not in errors:
            self._error(errors, "name", _("a client name is required"))
        if not client.client_type and "client_type" not in errors:
            self._error(errors, "client_type", _("a client type is required"))
        if errors:
            return
        try:
            client.full_clean(exclude=["code", "responsible", "last_reviewed_by", "records"], validate_unique=False)
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                name = attribute if attribute in self.fields else None
                reason = " ".join(messages)
                if name:
                    self._error(errors, name, reason)
                else:
                    errors[attribute] = ValidationError(
                        str(_("Row %(row)d: %(reason)s") % {"row": self._row_number, "reason": reason})
                    )
        if not errors:
            self._groups[key] = (self._row_number, client, values)

    def _check_same_client(self, key, values, errors):
        """A later row of a client in the file: its client cells are empty
        or those of the first row."""
        first_row, _client, first_values = self._groups[key]
        for name, value in values.items():
            if value in (None, "") or value == first_values.get(name):
                continue
            self._error(
                errors, name,
                _("differs from row %(other)d of the same client") % {"other": first_row},
            )

    def _check_existing_client(self, client, values, errors):
        for name, value in values.items():
            if name == "code" and value in (None, ""):
                continue
            stored = getattr(client, self.fields[name].attribute)
            if value == stored or (value is None and stored in ("", None)):
                continue
            self._error(
                errors, name,
                _("client %(value)s is already in the directory with other data; an import does not change "
                  "existing clients") % {"value": client.code},
            )
            return

    def _read_contact(self, client, key, values, errors):
        """The row's contact: a new one to add, an existing one to match, or none."""
        given = {}
        columns = {}
        for field_name, value in values.items():
            if value not in (None, ""):
                attribute = self.fields[field_name].contact_attribute
                given[attribute] = value.upper() if attribute == "id_number" else value
                columns[attribute] = field_name
        if not given:
            return
        name = given.get("name")
        if not name:
            self._error(errors, "contact_name", _("a contact needs a name"))
            return
        first_row = self._contacts_in_file.setdefault((key, name), self._row_number)
        if first_row != self._row_number:
            self._error(
                errors, "contact_name",
                _("contact %(name)s of this client is also in row %(other)d") % {"name": name, "other": first_row},
            )
            return
        existing = [contact for contact in client.contacts.all() if contact.name == name] if client.pk else []
        if existing:
            if not any(self._same_contact(contact, given) for contact in existing):
                self._error(
                    errors, "contact_name",
                    _("contact %(name)s is already in the directory with other data; an import does not change "
                      "existing contacts") % {"name": name},
                )
            return
        for attribute, validate in CONTACT_VALIDATORS.items():
            value = given.get(attribute)
            if not value:
                continue
            if looks_masked(value):
                self._error(
                    errors, columns[attribute],
                    _("the value is masked; export the directory with the client-data permission to import "
                      "contacts"),
                )
                continue
            try:
                validate(value)
            except ValidationError as error:
                self._error(errors, columns[attribute], " ".join(error.messages))
        if not errors:
            self._row_contact = ClientContact(
                client=client,
                name=name,
                position=given.get("position", ""),
                phone=given.get("phone", ""),
                email=given.get("email", ""),
                id_number=given.get("id_number", ""),
                is_active=given.get("is_active", True),
            )

    def _same_contact(self, contact, given):
        for attribute in ("position", "phone", "email", "id_number", "is_active"):
            stored = getattr(contact, attribute)
            value = given.get(attribute, True if attribute == "is_active" else "")
            if value == stored:
                continue
            if attribute in MASKS and looks_masked(value) and value == MASKS[attribute](stored):
                continue
            return False
        return True

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row adding nothing (an existing client, its contact known) is skipped."""
        if import_validation_errors:
            return False
        if self._row_contact is not None:
            self._new_contacts.append(self._row_contact)
            return False
        return instance.pk is not None or self._groups[self._group_key(row)][0] != self._row_number

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the new clients and contacts only when every row of the file
        was read without error, and not in a dry run (the preview)."""
        clients = list({id(client): client for client in self.create_instances}.values())
        contacts = list(self._new_contacts)
        self.create_instances.clear()
        self._new_contacts.clear()
        if dry_run or result.has_errors() or result.has_validation_errors() or not (clients or contacts):
            return
        history = {"default_user": self._user, "default_change_reason": ChangeReason.IMPORTED,
                   "default_date": self._now}
        try:
            with transaction.atomic():
                numbered = [client for client in clients if client.code]
                bulk_create_with_history(numbered, Client, batch_size=500, **history)
                # Numbers in the file are taken first, so new numbers follow them.
                unnumbered = [client for client in clients if not client.code]
                for client, code in zip(unnumbered, allocate_client_numbers(len(unnumbered))):
                    client.code = code
                bulk_create_with_history(unnumbered, Client, batch_size=500, **history)
                # bulk_create takes each contact's client_id from its (now saved) client.
                bulk_create_with_history(contacts, ClientContact, batch_size=500, **history)
                self._index_existing_clients(contacts)
        except Exception as error:  # reported like any import error; the whole import rolls back
            self.handle_import_error(result, error, raise_errors)

    def _index_existing_clients(self, contacts):
        """Contacts' names are searched with the client's records (clients.search)."""
        client_ids = {contact.client_id for contact in contacts}
        index_records(
            Client.records.through.objects.filter(client_id__in=client_ids).values_list("record_id", flat=True)
        )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # Existing clients are never changed; their new contacts were created above.
        self.update_instances.clear()
