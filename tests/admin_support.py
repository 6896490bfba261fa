"""Helpers for the back-office (Django admin) tests."""
import io

from django.contrib.auth.models import Permission
from django.forms import MultiWidget
from django.urls import reverse

from tests.factories import UserFactory


def admin_url(model, view="changelist", *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def staff_user_with_perms(username, *perm_keys, **kwargs):
    """A back-office user with exactly the permissions named ("app.codename")."""
    user = UserFactory(username=username, is_staff=True, **kwargs)
    for key in perm_keys:
        app_label, codename = key.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def form_data(response, **changes):
    """The POST data a browser would send for the admin form on the page,
    with `changes` applied; inline formsets keep their management forms."""
    context = response.context
    data = {}
    forms = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms.extend(formset.forms)
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(field.widget, MultiWidget):
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{key}_{index}"] = "" if part is None else str(part)
                continue
            if isinstance(value, (list, tuple)):
                data[key] = [str(item) for item in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = str(value)
    data.update(changes)
    return data


def messages_of(response):
    """(level, text) of each message shown on the page."""
    return [(message.level, str(message)) for message in response.context["messages"]]


def export_xlsx(client, model):
    """POST the admin export form asking for every column as .xlsx; return
    the worksheet's rows."""
    import openpyxl

    url = admin_url(model, "export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    format_index = next(value for value, label in form.fields["format"].choices if label == "xlsx")
    data = {"format": format_index, "resource": "0"}
    for name, field in form.fields.items():
        if getattr(field, "is_selectable_field", False):
            data[name] = "on"
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]
