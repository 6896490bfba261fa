"""Every back-office list with a date filter answers a date out of range
(year 1 or 9999, by the drill-down or a hand-made link) without a server
error: the list comes back with a message (core.admin.SaneDateFiltersMixin)."""
import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from tests.admin_support import staff_user_with_perms


def _date_filters():
    """(model, field) for every date in a list filter or a date drill-down."""
    for model, model_admin in admin.site._registry.items():
        names = [entry for entry in model_admin.list_filter if isinstance(entry, str) and "__" not in entry]
        if model_admin.date_hierarchy:
            names.append(model_admin.date_hierarchy)
        for name in dict.fromkeys(names):
            try:
                field = model._meta.get_field(name)
            except Exception:
                continue
            if isinstance(field, (models.DateField, models.DateTimeField)):
                yield pytest.param(model, name, id=f"{model._meta.label_lower}.{name}")


@pytest.mark.parametrize("model, field", list(_date_filters()))
@pytest.mark.parametrize("query", ["{field}__year=9999", "{field}__gte=0001-01-01", "{field}__year=1"])
def test_a_date_out_of_range_in_a_list_filter_is_no_server_error(client, db, model, field, query):
    client.force_login(staff_user_with_perms("root", is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(f"{url}?{query.format(field=field)}", follow=True)
    assert response.status_code == 200
    assert response.context["cl"].model is model
