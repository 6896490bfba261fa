"""The correspondence registers' forms (R-SCOPE 3–4): registering and
correcting a line, the list's filter, filing the document (files for a new
submission, or the archive number of a record filed already, typed or
scanned) and the register's selection."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.limits import INTEGER_MAX, bounded_date, bounded_integer
from core.text_input import CleanTextFormField, CodeFormField
from documents.models import Correspondence, Direction, Urgency
from records.forms_filing import MultipleFileField
from records.models import Record
from records.models.record import RECORD_YEARS

FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]


def _max_length(name):
    return Correspondence._meta.get_field(name).max_length


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class DepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CorrespondenceForm(forms.Form):
    """A register line's facts; the number is allocated when it is saved."""

    document_date = bounded_date(_("Date"))
    title = CleanTextFormField(label=_("Title"), max_length=_max_length("title"))
    sender = forms.ModelChoiceField(label=_("Sending department"), queryset=Department.objects.order_by("code"))
    receivers = DepartmentsField(
        label=_("Receiving departments"),
        queryset=Department.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
    )
    pages = bounded_integer(_("Pages"), 1, INTEGER_MAX, initial=1)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    handler = PersonChoiceField(label=_("Handled by"), queryset=None)
    note = CleanTextFormField(label=_("Note"), max_length=_max_length("note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = get_user_model().objects.filter(is_active=True).order_by("name_sort_key", "username")

    def service_data(self):
        """(data, receivers) as the services take them."""
        data = {name: self.cleaned_data[name] for name in
                ("document_date", "title", "pages", "urgency", "sender", "handler", "note")}
        return data, list(self.cleaned_data["receivers"])

    @classmethod
    def initial_of(cls, line):
        return {
            "document_date": line.document_date, "title": line.title, "sender": line.sender_id,
            "receivers": [receiver.pk for receiver in line.receivers.all()], "pages": line.pages,
            "urgency": line.urgency, "handler": line.handler_id, "note": line.note,
        }


class NewCorrespondenceForm(CorrespondenceForm):
    """A new line: incoming or outgoing first (its number follows from it)."""

    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, widget=forms.RadioSelect)
    field_order = ["direction"]


class CorrectionForm(CorrespondenceForm):
    reason = CleanTextFormField(
        label=_("Reason for the correction"), max_length=_max_length("note"), multiline=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrespondenceFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("", _("All")), *Direction.choices], required=False
    )
    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False)
    q = CleanTextFormField(label=_("Title or number"), max_length=100, required=False)

    def filters(self):
        """The filters of a valid form ({} when it is not valid)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"direction": data["direction"] or None, "year": data["year"], "q": data["q"]}


class FileForm(forms.Form):
    """A new submission of the document, with its electronic files if any."""

    files = MultipleFileField(label=_("Electronic files"), required=False)


class LinkForm(forms.Form):
    """A record filed already, by its archive number (typed or scanned)."""

    archive_number = CodeFormField(label=_("Archive number"), max_length=Record._meta.get_field("archive_number").max_length)


class CorrespondenceRegisterForm(forms.Form):
    """收文登记簿 or 发文登记表 of a year (this year when left empty)."""

    direction = forms.ChoiceField(label=_("Which register"), choices=[
        (Direction.INCOMING, _("Incoming register")), (Direction.OUTGOING, _("Outgoing register")),
    ])
    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
