"""What each documents register selects, and its format. The forms read
only the query string: a background job builds the same register from the
same query (records.register_jobs); the purge certificate's list comes
from its address and the view adds it to the query."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import bounded_integer
from documents.models import ControlledDocument, PurgeState, RegisterPurge
from records.models.record import RECORD_YEARS

FORMAT_CHOICES = [("pdf", _("PDF")), ("xlsx", _("Excel"))]


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(year)d-%(serial)03d %(title)s (revision %(revision)d)") % {
            "year": obj.year, "serial": obj.serial, "title": obj.title, "revision": obj.revision,
        }


class DistributionRegisterForm(forms.Form):
    """受控文件发放登记表 of one document, or of the lines issued in a year
    (this year when both are left empty)."""

    document = DocumentChoiceField(
        label=_("Controlled document"),
        queryset=ControlledDocument.objects.only("pk", "year", "serial", "title", "revision").order_by(
            "-year", "-serial"
        ),
        required=False,
        empty_label=_("All documents of the year"),
    )
    year = bounded_integer(_("Year"), *RECORD_YEARS, required=False,
                           help_text=_("Copies issued in this year, when no document is chosen."))
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)


class ValidRegisterForm(forms.Form):
    """受控文件清单: the controlled documents in force today."""

    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)


class PurgeCertificateForm(forms.Form):
    """The certificate of an approved purge list (R-CTRL-7)."""

    purge = forms.ModelChoiceField(
        queryset=RegisterPurge.objects.filter(state=PurgeState.APPROVED), widget=forms.HiddenInput
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
