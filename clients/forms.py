from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients import validators
from clients.models import Client, ClientContact, EventKind
from core.limits import bounded_date
from core.text_input import CleanTextFormField
from records.models import Record
from records.selectors import visible_records


class ClientSearchForm(forms.Form):
    q = CleanTextFormField(label=_("Client or contact name"), required=False, max_length=100)


class ClientEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    date = bounded_date(_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = CleanTextFormField(
        multiline=True, label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    record = forms.ModelChoiceField(label=_("record"), queryset=Record.objects.none(), required=False)

    def __init__(self, *args, user, client, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the client's records that the user may see are offered (R-LEND-4).
        self.fields["record"].queryset = visible_records(user, client.records.all()).order_by("-year", "pk")
        self.fields["record"].help_text = _("One of the records filed about this client.")



class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ClientProfileForm(forms.ModelForm):
    """A new client profile (R-CLIENT). The client number may be left empty
    to be given automatically."""

    class Meta:
        model = Client
        fields = ["code", "name", "client_type", "responsible", "gender", "age", "preferences", "notes", "is_active"]
        labels = {"name": _("client name")}
        field_classes = {"responsible": StaffChoiceField}
        widgets = {
            "preferences": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Active users, plus whoever is responsible now (so that an unchanged
        # profile still saves after that person's account was closed).
        self.fields["responsible"].queryset = (
            get_user_model().objects
            .filter(Q(is_active=True) | Q(pk=self.instance.responsible_id))
            .order_by("name_sort_key", "username")
        )


class ClientProfileEditForm(ClientProfileForm):
    """The profile of an existing client; its number is shown, not edited."""

    class Meta(ClientProfileForm.Meta):
        fields = [name for name in ClientProfileForm.Meta.fields if name != "code"]


class ClientContactForm(forms.ModelForm):
    """A contact at the client (R-CLIENT). The same checks run again in
    clients.services."""

    phone = forms.CharField(
        label=_("phone"), required=False, max_length=40, validators=[validators.validate_phone],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Digits; a leading +, hyphens and spaces are allowed."),
    )
    email = forms.EmailField(
        label=_("e-mail"), required=False, max_length=254, error_messages={"invalid": validators.INVALID_EMAIL},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=_("ID number"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Chinese resident ID number (18 characters); may be left empty."),
    )

    class Meta:
        model = ClientContact
        fields = ["name", "position", "phone", "email", "id_number"]
        labels = {"name": _("contact name")}

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].upper()
        if value:
            validators.validate_resident_id(value)
        return value


class ClientContactEditForm(ClientContactForm):
    """An existing contact, in clear; unticking "current contact" marks one
    who has left (contacts are never deleted)."""

    class Meta(ClientContactForm.Meta):
        fields = [*ClientContactForm.Meta.fields, "is_active"]
