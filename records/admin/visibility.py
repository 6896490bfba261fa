from django.db.models import ForeignKey, ManyToManyField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.text import join_items
from records.admin.access import AccessLoggedAdminMixin
from records.models import Record
from records.selectors import visible_records


class VisibleRecordFieldsMixin(AccessLoggedAdminMixin):
    """Form fields that point at a Record offer only records the user may
    see, so neither a select list, an autocomplete label nor a history page
    shows the title of a hidden (confidential) record (R-LEND-4).
    Autocomplete searches go through RecordAdmin.get_queryset, which is
    filtered the same way. The confidential records a page does name are
    logged (records.admin.access, R-ACCESS)."""

    #: Relations to records that may include hidden ones, mapped to the
    #: display method shown instead of the field to users who may only view
    #: (a read-only field would print every linked record's title).
    masked_record_fields = {}

    def _masks_record_fields(self, request, obj):
        return obj is not None and bool(self.masked_record_fields) and not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._masks_record_fields(request, obj):
            return fieldsets
        obj._record_viewer = request.user

        def swap(names):
            swapped = []
            for name in names:
                if isinstance(name, (list, tuple)):
                    swapped.append(swap(name))
                else:
                    swapped.append(self.masked_record_fields.get(name, name))
            return swapped

        return [(title, {**options, "fields": swap(options["fields"])}) for title, options in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        # The display methods swapped in are read-only: a page that builds
        # its form from the fieldsets without dropping the view-only fields
        # (simple-history's version page calls get_form() without
        # change=True) would otherwise ask the model for an unknown field.
        readonly = list(super().get_readonly_fields(request, obj))
        if self._masks_record_fields(request, obj):
            readonly += [name for name in self.masked_record_fields.values() if name not in readonly]
        return readonly

    def visible_records_text(self, obj, records):
        """The records' names as `obj`'s viewer may see them; hidden ones
        are only counted. Without a known viewer nothing is named."""
        viewer = getattr(obj, "_record_viewer", None)
        records = [record for record in records if record is not None]
        shown = list(visible_records(viewer).filter(pk__in=[r.pk for r in records])) if viewer else []
        parts = [str(record) for record in shown]
        hidden = len(records) - len(shown)
        if hidden:
            parts.append(
                ngettext("%(count)d record you may not see", "%(count)d records you may not see", hidden)
                % {"count": hidden}
            )
        return join_items(parts)

    def _limit_to_visible_records(self, db_field, request, kwargs):
        if db_field.related_model is Record and request is not None:
            kwargs["queryset"] = visible_records(request.user)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request, **kwargs):
        self._limit_to_visible_records(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: ManyToManyField, request, **kwargs):
        self._limit_to_visible_records(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_value(self, request, value):
        # History of a client or contract names linked records; a hidden one
        # is shown without its title.
        value = super().history_value(request, value)
        if isinstance(value, Record) and not visible_records(request.user).filter(pk=value.pk).exists():
            return _("(a record you may not see)")
        return value

    @staticmethod
    def hidden_record_ids(user, records):
        """Ids among `records` that `user` cannot see; a form that edits a
        set of records must keep these, since the user was never shown them."""
        return list(records.exclude(pk__in=visible_records(user).values("pk")).values_list("pk", flat=True))
