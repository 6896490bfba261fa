"""Export of the client directory (R-SCOPE 2). Export only: clients have
no natural key to match an imported row on, and client files are kept by
the client-files workflow."""
from django.utils.translation import gettext_lazy as _
from import_export import fields

from clients.models import Client
from records.resources import VerboseNameResource, choice_label


class ClientResource(VerboseNameResource):
    client_type = choice_label("client_type", _("client type"))
    gender = choice_label("gender", _("gender"))
    responsible = fields.Field(attribute="responsible__display_name", column_name=_("responsible staff member"))
    last_reviewed_by = fields.Field(attribute="last_reviewed_by__display_name", column_name=_("last reviewed by"))

    class Meta:
        model = Client
        fields = [
            "name",
            "client_type",
            "gender",
            "age",
            "preferences",
            "notes",
            "responsible",
            "last_reviewed_at",
            "last_reviewed_by",
            "is_active",
            "created_at",
        ]
        export_order = fields

    def get_queryset(self):
        return Client.objects.select_related("responsible", "last_reviewed_by")
