"""Forms of the filing desk: the submission (R-FILE-2), the receipt check
(R-FILE-3), the return and the correction. They check input and hand
plain values to records.services; they never save."""
from django import forms
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.limits import INTEGER_MAX, SMALL_INTEGER_MAX, bounded_integer
from core.text_input import CleanTextFormField

from records import files, policies
from records.filters import CategoryChoiceField
from records.models import Category, Location, LocationKind, Medium, Record

DEFAULT_RETENTION = ""
PERMANENT = "permanent"
RETENTION_CHOICES = [
    (DEFAULT_RETENTION, _("As the class says")),
    (PERMANENT, _("Permanent")),
    ("30", _("30 years")),
    ("10", _("10 years")),
]
MAX_ITEMS_PER_HANDOVER = 200


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django 5.2 docs, "Uploading multiple
    files"); cleans to a list, empty when nothing was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_file_clean(item, initial) for item in data if item]
        cleaned = single_file_clean(data, initial)
        return [cleaned] if cleaned else []


def filing_categories():
    """Classes an item can be filed under: those in use without sub-classes
    in use (a parent class only groups its sub-classes)."""
    active_children = Category.objects.filter(parent=OuterRef("pk"), is_active=True)
    return Category.objects.filter(is_active=True).exclude(Exists(active_children)).select_related("parent")


def grouped_category_choices(categories):
    """The classes as select choices under their parent class's heading
    (optgroups in file-plan order); classes without a parent stand alone."""
    groups, parents = {}, {}
    for item in categories:
        parents[item.parent_id] = item.parent
        groups.setdefault(item.parent_id, []).append((item.pk, f"{item.code} {item.name}"))
    choices = [("", "---------")]
    for parent_id, options in sorted(groups.items(), key=lambda entry: _plan_order(parents[entry[0]])):
        parent = parents[parent_id]
        choices.extend(options if parent is None else [(str(parent), options)])
    return choices


def _plan_order(category):
    return (-1, "") if category is None else (category.sort_order, category.code)


def upload_limits_text():
    """The size and type limits, said before the user chooses files."""
    return _("Up to %(max_mb)d MB per file. Allowed types: %(types)s.") % {
        "max_mb": settings.ARCHIVE_MAX_UPLOAD_MB,
        "types": files.allowed_types_label(),
    }


def box_choices(include=None):
    """The boxes in use as select choices grouped by where they stand
    (room / cabinet / shelf), read in one query (R-FILE-4). `include` keeps
    a record's current location selectable even when it is no longer a box
    in use."""
    nodes = {location.pk: location for location in Location.objects.all()}

    def path(location):
        names, node, seen = [], location, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name or node.code)
            node = nodes.get(node.parent_id)
        return " / ".join(reversed(names))

    boxes = sorted(
        (
            node for node in nodes.values()
            if (node.kind == LocationKind.BOX and node.is_active) or (include is not None and node.pk == include.pk)
        ),
        key=lambda node: node.full_code,
    )
    groups = {}
    for box in boxes:
        parent = nodes.get(box.parent_id)
        label = f"{box.name} · {box.full_code}" if box.name else box.full_code
        groups.setdefault(path(parent) if parent else "", []).append((box.pk, label))
    return [("", "---------"), *groups.items()]


class BoxChoiceField(forms.ModelChoiceField):
    def __init__(self, *, include=None, **kwargs):
        queryset = Location.objects.filter(kind=LocationKind.BOX, is_active=True)
        if include is not None:
            queryset = Location.objects.filter(pk=include.pk) | queryset
        super().__init__(queryset=queryset, **kwargs)
        self.choices = box_choices(include)


def _limits_up_front(field):
    field.help_text = " ".join([upload_limits_text(), str(field.help_text)])
    field.widget.attrs["accept"] = ",".join(files.allowed_extensions())


def _at_least_one_copy(field):
    """At least one copy is filed (R-FILE-1; a database constraint too)."""
    field.validators.append(MinValueValidator(1, message=_("At least one copy is filed.")))
    field.widget.attrs["min"] = 1


class SubmissionForm(forms.ModelForm):
    """What staff hand in for filing (R-FILE-2): the description, how many
    copies and pages, and the electronic files."""

    retention = forms.ChoiceField(
        label=_("Retention"),
        choices=RETENTION_CHOICES,
        required=False,
        help_text=_("Leave it to the class unless a rule says otherwise."),
    )
    files = MultipleFileField(
        label=_("Electronic files"),
        required=False,
        help_text=_("Scans, documents, photos: several files may be chosen at once."),
    )

    class Meta:
        model = Record
        fields = [
            "title",
            "category",
            "document_date",
            "responsible_party",
            "document_number",
            "security_level",
            "retention",
            "medium",
            "copies",
            "pages",
            "keywords",
            "notes",
            "files",
        ]
        field_classes = {"category": CategoryChoiceField}
        widgets = {
            "document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "document_date": _("The archive year is the year of this date; undated items go under this year."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = filing_categories()
        self.fields["category"].choices = grouped_category_choices(self.fields["category"].queryset)
        self.fields["category"].label = _("Class")
        _limits_up_front(self.fields["files"])
        _at_least_one_copy(self.fields["copies"])
        self.fields["pages"].widget.attrs["min"] = 0
        record = self.instance
        if record.pk and record.retention_years != record.category.default_retention_years:
            self.initial["retention"] = PERMANENT if record.retention_years is None else str(record.retention_years)
            if self.initial["retention"] not in dict(RETENTION_CHOICES):
                self.fields["retention"].choices = [
                    *RETENTION_CHOICES, (self.initial["retention"], record.retention_label)
                ]

    def submission_data(self):
        """The values for records.services.record_create / record_update."""
        data = {name: self.cleaned_data[name] for name in policies.SUBMISSION_FIELDS if name != "retention_years"}
        retention = self.cleaned_data.get("retention")
        if retention == PERMANENT:
            data["retention_years"] = None
        elif retention:
            data["retention_years"] = int(retention)
        return data


class ReturnForm(forms.Form):
    reason = CleanTextFormField(
        multiline=True,
        label=_("Reason for return"),
        max_length=Record._meta.get_field("return_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The submitter sees this reason and puts the item right before submitting it again."),
        error_messages={"required": _("Say why the item goes back to its submitter.")},
    )


class ReceiveSelectionForm(forms.Form):
    """The items picked in the receiving queue: submitted, from one person."""

    records = forms.ModelMultipleChoiceField(
        queryset=Record.objects.none(),
        error_messages={
            "required": _("Choose at least one item to receive."),
            "invalid_choice": _("Some of these items are no longer waiting to be received; choose again."),
            "invalid_pk_value": _("Some of these items are no longer waiting to be received; choose again."),
        },
    )

    def __init__(self, *args, receivable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = receivable

    def clean_records(self):
        records = self.cleaned_data["records"]
        if len({record.submitted_by_id for record in records}) > 1:
            raise forms.ValidationError(
                _("A handover holds items from one person only; choose the items of one submitter.")
            )
        if len(records) > MAX_ITEMS_PER_HANDOVER:
            raise forms.ValidationError(
                _("At most %(max)d items in one handover.") % {"max": MAX_ITEMS_PER_HANDOVER}
            )
        return records


class ReceiveItemForm(forms.Form):
    """What the archivist counted and checked for one item (R-FILE-3).
    `records` maps the pks of the items waiting to be received to the
    records; `form.item` is this row's record, None if it no longer waits
    (not `form.record`: templates would find the field of that name)."""

    record = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    copies_received = bounded_integer(_("Copies counted"), 1, SMALL_INTEGER_MAX)
    pages_received = bounded_integer(_("Pages counted"), 0, INTEGER_MAX)
    format_ok = forms.BooleanField(label=_("Format right"), required=False, initial=True)
    location = forms.ModelChoiceField(label=_("Box"), queryset=Location.objects.none(), required=False)
    remarks = CleanTextFormField(label=_("Remarks"), max_length=150, required=False)

    def __init__(self, *args, records, boxes, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = records
        self.fields["record"].choices = [(pk, pk) for pk in records]
        self.fields["location"].queryset = Location.objects.filter(kind=LocationKind.BOX, is_active=True)
        self.fields["location"].choices = boxes
        try:
            self.item = records.get(int(self["record"].value()))
        except (TypeError, ValueError):
            self.item = None

    def clean(self):
        cleaned = super().clean()
        if "record" not in cleaned:
            return cleaned
        record = cleaned["record"] = self.records[cleaned["record"]]
        if not cleaned.get("location") and record.medium != Medium.ELECTRONIC and "location" not in self.errors:
            self.add_error("location", _("Choose the box the paper goes into."))
        if policies.format_check_needs_remark(cleaned.get("format_ok"), cleaned.get("remarks")):
            self.add_error("remarks", _("Say what is wrong with the format, or return the item instead."))
        return cleaned

    @property
    def counts_differ(self):
        record = self.cleaned_data.get("record")
        return record is not None and policies.counts_differ(
            record, self.cleaned_data.get("copies_received"), self.cleaned_data.get("pages_received")
        )


class BaseReceiveFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        records = [form.cleaned_data["record"] for form in self.forms]
        if len({record.pk for record in records}) != len(records):
            raise forms.ValidationError(_("An item is listed twice in this handover."))
        if len({record.submitted_by_id for record in records}) > 1:
            raise forms.ValidationError(
                _("A handover holds items from one person only; receive each person's items separately.")
            )

    def received_items(self):
        """(record, copies, pages, format ok, remarks, box) for
        records.services.handover_receive."""
        return [
            (
                form.cleaned_data["record"],
                form.cleaned_data["copies_received"],
                form.cleaned_data["pages_received"],
                form.cleaned_data["format_ok"],
                form.cleaned_data["remarks"],
                form.cleaned_data["location"],
            )
            for form in self.forms
        ]


ReceiveFormSet = forms.formset_factory(
    ReceiveItemForm,
    formset=BaseReceiveFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_ITEMS_PER_HANDOVER,
    validate_max=True,
)


class HandoverForm(forms.Form):
    notes = CleanTextFormField(
        multiline=True,
        label=_("Notes on the handover"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(forms.ModelForm):
    """A correction of a record on the books: descriptive fields only, with
    a reason history keeps (R-FILE-3)."""

    reason = CleanTextFormField(
        multiline=True,
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the record's history with the old and new values."),
        error_messages={"required": _("Say why the description changes.")},
    )

    class Meta:
        model = Record
        fields = list(policies.CORRECTABLE_FIELDS)
        widgets = {
            "document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"] = BoxChoiceField(
            label=_("Box"), required=False, include=self.instance.location, initial=self.instance.location_id
        )
        _at_least_one_copy(self.fields["copies"])

    def changes(self):
        """The corrected fields and their new values."""
        return {name: self.cleaned_data[name] for name in policies.CORRECTABLE_FIELDS if name in self.changed_data}


class HandoverFilterForm(forms.Form):
    """The list of past handovers narrowed by a word (number or name) and
    the year received (records.selectors.filter_handovers)."""

    q = CleanTextFormField(
        label=_("Number or name"), required=False, max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Handover number or a person's name")}),
    )
    year = forms.IntegerField(
        label=_("Year received"), required=False, min_value=1949, max_value=9999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
