"""Forms of the holds screens (冻结, issue 12 point 4): what a hold is placed
on (one record by its archive number, a class and year, the records of a
client or a contract), why and until when; the reason of a release.

Each placing form names its records (`target_records`: what the user may
see of them, and what is left to freeze) and says what the hold was placed
on (`scope_text`, kept on each hold for the holds register). Who may place
or release a hold, the reason and end date rules are records' own
(records.policies, records.services.holds), asked by the views and the
services."""
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.limits import bounded_date, bounded_integer
from core.text_input import CleanTextFormField, CodeFormField
from records.filters import CategoryChoiceField
from records.hold_scopes import hold_scope, hold_scopes
from records.models import Category, Record, RecordStatus
from records.models.record import RECORD_YEARS
from records.selectors import visible_records
from records.services.holds import GONE_STATES, HOLD_REASON_MAX_LENGTH, HOLD_SCOPE_MAX_LENGTH

ARCHIVE_NUMBER_MAX_LENGTH = Record._meta.get_field("archive_number").max_length


def _reason_field(label, help_text):
    return CleanTextFormField(
        multiline=True,
        label=label,
        max_length=HOLD_REASON_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def holdable(user, records):
    """Of `records`, those `user` may see that are on the archive's books or
    waiting to leave them: catalogued, not destroyed or transferred out
    (records.services.holds skips those)."""
    return visible_records(user, records).filter(status__in=RecordStatus.catalogued()).exclude(
        status__in=GONE_STATES
    )


class HoldTermsForm(forms.Form):
    """Why and until when: the same for every record the hold is placed on."""

    reason = _reason_field(
        gettext_lazy("Reason for the hold"),
        gettext_lazy("Why the records must be kept, e.g. a dispute or an audit; shown on each record's page."),
    )
    ends_on = bounded_date(
        gettext_lazy("Ends on"),
        required=False,
        help_text=gettext_lazy("Optional: from the day after, the hold no longer freezes. Empty: until released."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["ends_on"].widget.attrs["min"] = timezone.localdate().isoformat()
        # What the hold is placed on comes first, then why and until when.
        self.order_fields([name for name in self.fields if name not in ("reason", "ends_on")])

    def hold_terms(self):
        """The keyword arguments of records.services.holds.holds_place."""
        return {
            "reason": self.cleaned_data["reason"],
            "ends_on": self.cleaned_data["ends_on"],
            "scope": self.scope_text()[:HOLD_SCOPE_MAX_LENGTH],
        }

    def scope_text(self):
        return ""


class RecordHoldForm(HoldTermsForm):
    """One record, by its archive number (档号). A record the user may not
    see is answered like a number nobody has (R-ACCESS)."""

    # Typed or scanned (a scanner types the number and Enter): normalise_code.
    archive_number = CodeFormField(label=gettext_lazy("Archive number"), max_length=ARCHIVE_NUMBER_MAX_LENGTH)

    record = None

    def clean_archive_number(self):
        number = self.cleaned_data["archive_number"].strip()
        catalogued = Record.objects.filter(archive_number=number, status__in=RecordStatus.catalogued())
        self.record = visible_records(self.user, catalogued).select_related("category").first()
        if self.record is None:
            raise forms.ValidationError(_("No record you may see has the archive number %(number)s.") % {
                "number": number
            })
        return number

    def target_records(self):
        # The record even if it is gone: the service says why it cannot be frozen.
        return Record.objects.filter(pk=self.record.pk)


class ClassHoldForm(HoldTermsForm):
    """Every record of a class (its sub-classes included) and a year."""

    category = CategoryChoiceField(
        label=gettext_lazy("Class"),
        queryset=Category.objects.select_related("parent"),
        help_text=gettext_lazy("The hold includes the sub-classes of the class chosen."),
    )
    year = bounded_integer(gettext_lazy("Year"), *RECORD_YEARS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def target_records(self):
        category, year = self.cleaned_data["category"], self.cleaned_data["year"]
        return holdable(self.user, Record.objects.filter(category_id__in=category.descendant_ids(), year=year))

    def scope_text(self):
        return f"{self.cleaned_data['category'].code}·{self.cleaned_data['year']}"


class ScopeHoldForm(HoldTermsForm):
    """The records of a client or a contract (records.hold_scopes): the
    choices are the clients and contracts the user may see, grouped by
    scope; a value is "<scope>:<value>"."""

    target = forms.ChoiceField(label=gettext_lazy("Records of"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = {}
        groups = []
        for scope in hold_scopes():
            options = [(f"{scope.name}:{value}", label) for value, label in scope.choices(self.user)]
            if options:
                groups.append((str(scope.label), options))
                self.labels.update((key, (scope, label)) for key, label in options)
        self.fields["target"].choices = [("", "---------"), *groups]

    @property
    def has_choices(self):
        return bool(self.labels)

    def _chosen(self):
        """(scope, value, label) of the choice made."""
        key = self.cleaned_data["target"]
        scope, label = self.labels[key]
        return scope, key.partition(":")[2], label

    def target_records(self):
        scope, value, _label = self._chosen()
        return holdable(self.user, hold_scope(scope.name).records(value))

    def scope_text(self):
        scope, _value, label = self._chosen()
        return _("%(scope)s: %(name)s") % {"scope": scope.label, "name": label}


PLACE_FORMS = {"record": RecordHoldForm, "class": ClassHoldForm, "scope": ScopeHoldForm}


class ReleaseForm(forms.Form):
    release_reason = _reason_field(
        gettext_lazy("Reason for the release"),
        gettext_lazy("Why the records need no longer be kept, e.g. the dispute is settled."),
    )


class HoldState:
    ACTIVE = "active"
    ENDED = "ended"
    RELEASED = "released"
    ALL = "all"

    CHOICES = [
        (ACTIVE, gettext_lazy("In force")),
        (ENDED, gettext_lazy("Past their end date")),
        (RELEASED, gettext_lazy("Released")),
        (ALL, gettext_lazy("All")),
    ]


class HoldFilterForm(forms.Form):
    """The holds list's filter: which holds, and a search by archive number,
    reason or scope."""

    state = forms.ChoiceField(label=gettext_lazy("Holds"), choices=HoldState.CHOICES, required=False)
    q = CleanTextFormField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Part of an archive number, a reason or what the hold was placed on."),
    )

    def filter(self, holds):
        """`holds` (a Hold queryset) narrowed by the filter: in force when
        nothing is chosen (records.models.HoldQuerySet.active)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        state = data.get("state") or HoldState.ACTIVE
        if state == HoldState.ACTIVE:
            holds = holds.active(today)
        elif state == HoldState.ENDED:
            holds = holds.past_end(today)
        elif state == HoldState.RELEASED:
            holds = holds.filter(released_at__isnull=False)
        query = (data.get("q") or "").strip()
        if query:
            holds = holds.filter(
                Q(record__archive_number__icontains=query) | Q(reason__icontains=query) | Q(scope__icontains=query)
            )
        return holds
