"""Forms of the repair and copy task screens (R-INV-2) and of restoring a
missing record that turned up. The rules (who may, which states, the due
date from today on, at least one copy) are the services' own
(inventory.services.repairs, records.services.inventory): a refusal reaches
these forms through core.views.refusal_to_form."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.limits import SMALL_INTEGER_MAX, bounded_date, bounded_integer
from core.text_input import CleanTextFormField, CodeFormField
from inventory.models import RepairKind, RepairTask
from records.models import Location, LocationKind, Record, RecordStatus
from records.selectors import visible_records
from records.services.inventory import INVENTORY_REASON_MAX_LENGTH

ARCHIVE_NUMBER_MAX_LENGTH = Record._meta.get_field("archive_number").max_length
BOX_CODE_MAX_LENGTH = Location._meta.get_field("full_code").max_length
NOTE_MAX_LENGTH = RepairTask._meta.get_field("note").max_length
# R-INV-2 asks for a damaged item to be repaired or copied at once: a month
# unless the archivist chooses otherwise.
DEFAULT_DAYS = 30


def _note_field(label, *, required, help_text=""):
    return CleanTextFormField(
        multiline=True,
        label=label,
        required=required,
        max_length=NOTE_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RepairOpenForm(forms.Form):
    """A repair or copy task of one record, by its archive number (typed
    or scanned). A record the user may not see is answered like a number
    nobody has (R-ACCESS)."""

    archive_number = CodeFormField(label=gettext_lazy("Archive number"), max_length=ARCHIVE_NUMBER_MAX_LENGTH)
    kind = forms.ChoiceField(label=gettext_lazy("Task"), choices=RepairKind.choices, widget=forms.RadioSelect)
    due_on = bounded_date(gettext_lazy("Due on"))
    note = _note_field(
        gettext_lazy("Note"), required=False, help_text=gettext_lazy("What is damaged, and what is to be done.")
    )

    record = None

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        self.fields["due_on"].initial = today + datetime.timedelta(days=DEFAULT_DAYS)
        self.fields["due_on"].widget.attrs["min"] = today.isoformat()
        self.fields["kind"].initial = RepairKind.REPAIR

    def clean_archive_number(self):
        number = self.cleaned_data["archive_number"]
        self.record = visible_records(self.user, Record.objects.filter(archive_number=number)).first()
        if self.record is None:
            raise forms.ValidationError(
                _("No record you may see has the archive number %(number)s.") % {"number": number}
            )
        return number


class RepairDoneForm(forms.Form):
    """What was done (required); for a copy task, how many copies were made."""

    done_note = _note_field(
        gettext_lazy("What was done"), required=True, help_text=gettext_lazy("Kept with the task and in the history.")
    )
    copies = bounded_integer(gettext_lazy("Copies made"), 1, SMALL_INTEGER_MAX, initial=1)

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        if task.kind != RepairKind.COPY:
            del self.fields["copies"]


class RestoreForm(forms.Form):
    """Why a missing record is filed again, and in which box if not its own."""

    reason = CleanTextFormField(
        multiline=True,
        label=gettext_lazy("Reason"),
        max_length=INVENTORY_REASON_MAX_LENGTH,
        help_text=gettext_lazy("Where and how it turned up; kept in the record's history."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    location = CodeFormField(
        label=gettext_lazy("Box"),
        required=False,
        max_length=BOX_CODE_MAX_LENGTH,
        help_text=gettext_lazy("The full code of the box it goes into, typed or scanned; empty: its own box."),
    )

    def clean_location(self):
        code = self.cleaned_data["location"]
        if not code:
            return None
        box = Location.objects.filter(full_code=code, kind=LocationKind.BOX, is_active=True).first()
        if box is None:
            raise forms.ValidationError(_("No box in use has the code %(code)s.") % {"code": code})
        return box


def is_missing(record):
    return record.status == RecordStatus.MISSING
