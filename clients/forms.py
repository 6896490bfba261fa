from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import EventKind
from records.models import Record
from records.selectors import visible_records


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Client or contact name"), required=False, max_length=100)


class ClientEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    record = forms.ModelChoiceField(label=_("record"), queryset=Record.objects.none(), required=False)

    def __init__(self, *args, user, client, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the client's records that the user may see are offered (R-LEND-4).
        self.fields["record"].queryset = visible_records(user, client.records.all()).order_by("-year", "pk")
        self.fields["record"].help_text = _("One of the records filed about this client.")

