"""How a record created by a catalogue import is filed (R-FILE-5, R-FILE-3):
its archive number must follow the policy's pattern and be unique in the
file and in the database, and gives the record its item number; a row
without a number is submitted for the archivist instead; afterwards each
category's and year's ArchiveSequence is raised past the imported items.

`CatalogueFiling` holds this state for one import. RecordResource uses it,
and through RecordResource so do contracts.resources, whose rows create
records checked the same way."""
import re
import string

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models import ArchiveSequence, Policy, Record
from records.models.choices import RecordStatus
from records.numbering import format_archive_number

PREFETCH_BATCH = 500


def archive_number_regex(pattern):
    """A regular expression for archive numbers made with `pattern`; the
    first {item} is captured as "item"."""
    parts = []
    item_seen = False
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name == "item" and not item_seen:
            parts.append(r"(?P<item>\d+)")
            item_seen = True
        else:
            parts.append(r".+?")
    return re.compile("".join(parts))


class CatalogueFiling:
    """The archive numbers, items and sequences of one import by `user`."""

    def __init__(self, user):
        self.user = user
        self.now = timezone.now()
        self.policy = Policy.current()
        self.number_regex = archive_number_regex(self.policy.archive_number_pattern)
        self.numbers_in_file = {}
        self.items_in_file = {}
        self.sequences = {}
        self.existing = {}
        self.used_items = set()

    def prefetch(self, numbers, years):
        """Existing records with these archive numbers, and the item numbers
        taken in these years, read once for the whole file."""
        self.existing = {}
        number_list = sorted(numbers)
        for start in range(0, len(number_list), PREFETCH_BATCH):
            batch = number_list[start : start + PREFETCH_BATCH]
            for record in Record.objects.filter(archive_number__in=batch).select_related(
                "category", "location", "department"
            ):
                self.existing[record.archive_number] = record
        self.used_items = set(
            Record.objects.filter(item_number__isnull=False, year__in=years).values_list(
                "category_id", "year", "item_number"
            )
        )

    def number_refusal(self, instance, row_number):
        """Why the archive number of the new record `instance` (a row with
        category, year and retention read) cannot be used, or None; when it
        can, its item becomes the record's item_number (R-FILE-5)."""
        number = instance.archive_number
        match = self.number_regex.fullmatch(number)
        item = int(match.group("item")) if match else 0
        expected = format_archive_number(
            category=instance.category,
            year=instance.year,
            retention_years=instance.retention_years,
            item=max(item, 1),
            policy=self.policy,
        )
        if match is None or item < 1 or expected != number:
            return _(
                "%(value)s does not follow the archive number pattern for this category, year and retention "
                "(expected like %(example)s)"
            ) % {"value": number, "example": expected}
        first_row = self.numbers_in_file.setdefault(number, row_number)
        if first_row != row_number:
            return _("archive number %(value)s is also in row %(other)d") % {"value": number, "other": first_row}
        key = (instance.category_id, instance.year, item)
        first_row = self.items_in_file.setdefault(key, row_number)
        if key in self.used_items or first_row != row_number:
            return _("item %(item)d of %(category)s %(year)d is already taken") % {
                "item": item,
                "category": instance.category.code,
                "year": instance.year,
            }
        instance.item_number = item
        return None

    def prepare_new_record(self, instance):
        """Status, filing or submission facts of a record about to be
        created: filed under its number, or submitted without one."""
        if instance.archive_number:
            instance.status = RecordStatus.FILED
            instance.filed_by = self.user
            instance.filed_at = self.now
            key = (instance.category_id, instance.year)
            self.sequences[key] = max(self.sequences.get(key, 0), instance.item_number)
        else:
            instance.status = RecordStatus.SUBMITTED
            instance.submitted_by = self.user
            instance.submitted_at = self.now
        instance.status_changed_at = self.now
        instance.retention_expires_on = instance.compute_retention_expiry()

    def raise_sequences(self):
        """Later filings continue after the highest imported item (R-FILE-5)."""
        if not self.sequences:
            return
        ArchiveSequence.objects.bulk_create(
            [ArchiveSequence(category_id=category, year=year, last_item=0) for category, year in self.sequences],
            ignore_conflicts=True,
        )
        for (category, year), last_item in self.sequences.items():
            ArchiveSequence.objects.filter(category_id=category, year=year, last_item__lt=last_item).update(
                last_item=last_item
            )
