"""Every back-office page that names a confidential record leaves an access
log line (R-ACCESS, R-LEND-4): the change page, the history page and one
historical version (BACK_OFFICE), and the change list (LISTED, one line
per confidential record on the page shown). `where` is the page's address.
Only records the reader may see are logged: the others are not named
(records.admin.visibility masks them)."""
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext as _

from records.access_log import log_access_many
from records.models import AccessAction, Record
from records.selectors import visible_records


def _follow(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


class AccessLoggedAdminMixin:
    """For the admin of Record and of every model whose pages name records."""

    #: The path from the model to the record each row is about.
    record_path = "record"

    def record_of(self, obj):
        """The record a row of the change list is about, or None."""
        if isinstance(obj, Record):
            return obj
        record = _follow(obj, self.record_path)
        return record if isinstance(record, Record) else None

    def records_named(self, obj):
        """The records the page of `obj` names: the one it is about and every
        other link to a record (a contract's review papers, a client's
        records)."""
        named = [self.record_of(obj)]
        if not isinstance(obj, Record):
            for field in obj._meta.concrete_fields:
                if field.is_relation and field.related_model is Record:
                    named.append(getattr(obj, field.name))
            for field in obj._meta.many_to_many:
                if field.related_model is Record:
                    named.extend(getattr(obj, field.name).all())
        return [record for record in named if record is not None]

    def log_shown(self, request, records, action):
        """Log the confidential ones among `records` the reader may see."""
        ids = {record.pk for record in records}
        if not ids:
            return 0
        shown = visible_records(request.user).filter(pk__in=ids)
        where = f"{_('Back office')} · {request.get_full_path()}"
        return log_access_many(user=request.user, records=shown, action=action, where=where)

    def _log_opened(self, request, obj, response):
        if obj is not None and response.status_code == 200:
            self.log_shown(request, self.records_named(obj), AccessAction.BACK_OFFICE)

    def _current(self, request, object_id):
        return None if object_id is None else self.get_object(request, unquote(object_id))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        self._log_opened(request, self._current(request, object_id), response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context=extra_context)
        self._log_opened(request, self._current(request, object_id), response)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context=extra_context)
        if response.status_code == 200:
            # The version shown names the records linked then.
            version = self.model.history.filter(history_id=version_id).first()
            self._log_opened(request, version.instance if version else self._current(request, object_id), response)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        change_list = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and change_list is not None:
            rows = [self.record_of(row) for row in change_list.result_list]
            self.log_shown(request, [record for record in rows if record is not None], AccessAction.LISTED)
        return response
