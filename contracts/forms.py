"""Forms of the contract ledger (台帐, R-CONTRACT)."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.limits import INTEGER_MAX, SMALL_INTEGER_MAX, bounded_integer
from core.text_input import CleanTextFormField
from contracts.models import Contract, ContractType, Holder
from contracts.policies import REVIEW_CATEGORY
from records.models import Location, Record, RecordStatus, SecurityLevel
from records.models.record import RECORD_YEARS
from records.selectors import visible_records

FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]


class LedgerFilterForm(forms.Form):
    """What part of the ledger to list, print or export."""

    contract_type = forms.ChoiceField(
        label=_("Contract type"), choices=[("", _("All types")), *ContractType.choices], required=False
    )
    counterparty = CleanTextFormField(label=_("Counterparty"), max_length=200, required=False)
    year = bounded_integer(_("Year signed"), *RECORD_YEARS, required=False)
    expiring_within = bounded_integer(_("Expiring within (days)"), 0, 3650, required=False)
    expired = forms.BooleanField(label=_("Expired only"), required=False)
    holder = forms.ChoiceField(label=_("Held by"), choices=[("", _("Any holder")), *Holder.choices], required=False)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)

    def subtitle(self):
        """What was selected, in words, for the printed ledger."""
        parts = []
        for name, field in self.fields.items():
            if name == "format":
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.BooleanField):
                value = _("yes")
            parts.append(f"{field.label}: {value}")
        return " · ".join(str(part) for part in parts)


class ReviewRecordField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.archive_number} {obj.title}"


class ContractRegisterForm(forms.ModelForm):
    """The archivist enters a contract: the record's description, the
    contract facts and where the originals or copies are held (R-CONTRACT).
    The class of the record follows from the contract type (R-SCOPE 1)."""

    title = CleanTextFormField(label=_("Title"), max_length=Record._meta.get_field("title").max_length)
    security_level = forms.ChoiceField(
        label=_("Security level"), choices=SecurityLevel.choices, initial=SecurityLevel.INTERNAL
    )
    pages = bounded_integer(_("Pages"), 1, INTEGER_MAX, initial=1)
    copies = bounded_integer(_("Copies"), 1, SMALL_INTEGER_MAX, initial=1)
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.all(), required=False)
    held_by_gm_office = bounded_integer(_("Held by the general manager's office"), 0, 99, initial=0)
    held_by_marketing = bounded_integer(_("Held by marketing"), 0, 99, initial=1)
    held_by_other = bounded_integer(_("Held elsewhere"), 0, 99, initial=0)

    HOLDING_FIELDS = {
        "held_by_gm_office": Holder.GENERAL_MANAGER_OFFICE,
        "held_by_marketing": Holder.MARKETING,
        "held_by_other": Holder.OTHER,
    }
    # The form's groups, each under its heading (issue 16: 22 fields in one
    # column were hard to fill in).
    FIELDSETS = (
        (_("The record"), ("title", "security_level", "pages", "copies", "location")),
        (_("Contract facts"), (
            "contract_type", "contract_number", "counterparty", "counterparty_name", "signed_on",
            "starts_on", "ends_on", "amount", "currency", "responsible_person", "original_or_copy",
        )),
        (_("Contract review"), ("review_date", "review_result", "review_record")),
        (_("Where the copies are held"), tuple(HOLDING_FIELDS)),
    )

    class Meta:
        model = Contract
        fields = [
            "contract_type",
            "contract_number",
            "counterparty",
            "counterparty_name",
            "signed_on",
            "starts_on",
            "ends_on",
            "amount",
            "currency",
            "responsible_person",
            "original_or_copy",
            "review_date",
            "review_result",
            "review_record",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "review_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterparty_name"].required = False
        self.fields["counterparty_name"].help_text = _("Leave empty to use the name of the client chosen.")
        self.fields["counterparty"].queryset = Client.objects.order_by("name_sort_key", "name", "pk")
        self.fields["responsible_person"].queryset = get_user_model().objects.filter(is_active=True)
        # Review papers (合同评审) are filed records the archivist may see.
        self.fields["review_record"] = ReviewRecordField(
            label=_("Review papers"),
            required=False,
            queryset=visible_records(user)
            .filter(category__code=REVIEW_CATEGORY, status__in=RecordStatus.catalogued())
            .order_by("archive_number"),
        )
        self.order_fields(["title", "security_level", "pages", "copies", "location", *self.Meta.fields])

    def fieldsets(self):
        """[(heading, [bound fields])] in FIELDSETS' order; a field no group
        names (none today) goes into a last group without a heading."""
        grouped = [(heading, [self[name] for name in names]) for heading, names in self.FIELDSETS]
        named = {name for _heading, names in self.FIELDSETS for name in names}
        rest = [self[name] for name in self.fields if name not in named]
        return grouped + ([("", rest)] if rest else [])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("counterparty_name"):
            client = cleaned.get("counterparty")
            if client is not None:
                cleaned["counterparty_name"] = client.name
                self.instance.counterparty_name = client.name
            elif "counterparty_name" not in self.errors:
                self.add_error("counterparty_name", _("Enter the counterparty or choose a client."))
        return cleaned

    def record_data(self):
        """The description of the record, as records.services takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "security_level": data["security_level"],
            "pages": data["pages"],
            "copies": data["copies"],
            "document_date": data["signed_on"],
            "document_number": data["contract_number"],
            "responsible_party": data["counterparty_name"],
        }

    def contract_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def holdings(self):
        """[(holder, copies)] with at least one copy."""
        return [
            (holder, self.cleaned_data[name])
            for name, holder in self.HOLDING_FIELDS.items()
            if self.cleaned_data.get(name)
        ]
