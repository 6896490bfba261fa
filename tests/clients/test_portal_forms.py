"""Client profiles and contacts entered in the portal (R-CLIENT): who may
create and edit, encryption and masking of what was entered, the logged
unmasking of the contact edit form, validation, and contacts never deleted."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from clients import policies, services, validators
from clients.exceptions import ClientRefused
from clients.models import Client, ClientContact, ClientDataAccess, DataAccessAction
from tests.clients.test_client_files import raw_contact_columns
from tests.conftest import make_user, speak_english

PHONE, EMAIL, ID_NUMBER = "13812345678", "zhangsan@example.com", "11010519491231002X"


@pytest.fixture
def profile(staff):
    return Client.objects.create(name="华东建材有限公司", client_type="agent", responsible=staff)


@pytest.fixture
def contact(profile):
    return ClientContact.objects.create(
        client=profile, name="张三", position="采购经理", phone=PHONE, email=EMAIL, id_number=ID_NUMBER
    )


def profile_data(**overrides):
    data = {
        "code": "", "name": "滨江置业有限公司", "client_type": "appraised", "responsible": "",
        "gender": "", "age": "", "preferences": "", "notes": "", "is_active": "on",
    }
    data.update(overrides)
    return data


def contact_data(**overrides):
    data = {"name": "李四", "position": "总经理", "phone": PHONE, "email": EMAIL, "id_number": ID_NUMBER}
    data.update(overrides)
    return data


def page_of(client, profile):
    return client.get(reverse("client_detail", args=[profile.pk])).content.decode()


# --- Rules ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, add_profile, edit_profile, add_contact, edit_contact", [
    (Role.STAFF, False, False, False, False),  # not responsible for the client
    (Role.ARCHIVIST, True, True, True, True),
    (Role.DEPARTMENT_HEAD, False, False, False, False),
    (Role.OUTSIDE_STAFF, False, False, False, False),
    (Role.LEADERSHIP, False, False, False, False),
    (Role.SYSADMIN, False, False, False, False),
])
def test_r_client_portal_editing_rules(role_users, role, add_profile, edit_profile, add_contact, edit_contact):
    user = role_users[role]
    other = Client.objects.create(name="某代理商", client_type="agent")
    assert policies.may_add_profile(user) is add_profile
    assert policies.may_edit_profile(user) is edit_profile
    assert policies.may_add_contact(user, other) is add_contact
    assert policies.may_edit_contact(user) is edit_contact


def test_r_client_responsible_staff_may_add_but_not_edit_contacts(staff, profile):
    assert policies.may_add_contact(staff, profile)
    assert not policies.may_edit_contact(staff)
    assert not policies.may_add_contact(make_user(Role.STAFF, "colleague"), profile)


@pytest.mark.parametrize("value, valid", [
    ("13812345678", True),
    ("+86 138 1234 5678", True),
    ("021-6234-5678", True),
    ("1234567", True),
    ("123456", False),  # 6 digits
    ("1" * 21, False),  # 21 digits
    ("138 1234 567a", False),
    ("86+13812345678", False),  # + only in front
    ("(021) 62345678", False),
    ("138-", False),
])
def test_r_client_phone_check(value, valid):
    if valid:
        validators.validate_phone(value)
    else:
        with pytest.raises(ValidationError):
            validators.validate_phone(value)


@pytest.mark.parametrize("value, code", [
    ("11010519491231002X", None),  # the example of GB 11643
    ("110101199001011237", None),
    ("440301198506152038", None),
    ("110101199001011234", "invalid_id_checksum"),
    ("110105194912310021", "invalid_id_checksum"),
    ("11010519491231002x", "invalid_id_format"),  # callers upper-case first
    ("11010519491231002", "invalid_id_format"),
    ("1101051949123100211", "invalid_id_format"),
    ("X10105194912310021", "invalid_id_format"),
])
def test_r_client_resident_id_check(value, code):
    if code is None:
        validators.validate_resident_id(value)
    else:
        with pytest.raises(ValidationError) as info:
            validators.validate_resident_id(value)
        assert info.value.code == code


# --- Profiles ---------------------------------------------------------------------------------

def test_r_client_archivist_creates_a_client_with_an_automatic_number(client, archivist, staff):
    Client.objects.create(name="已有客户", client_type="agent")  # KH-00001
    client.force_login(archivist)
    speak_english(client)
    assert client.get(reverse("client_create")).status_code == 200
    response = client.post(reverse("client_create"), profile_data(
        responsible=staff.pk, gender="female", age="42", preferences="喜欢电话沟通", notes="老客户介绍",
    ))
    created = Client.objects.get(name="滨江置业有限公司")
    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[created.pk])
    assert created.code == "KH-00002"
    assert (created.client_type, created.responsible, created.gender, created.age) == ("appraised", staff, "female", 42)
    history = created.history.get()
    assert history.history_type == "+" and history.history_user == archivist
    page = client.get(response["Location"]).content.decode()
    assert "KH-00002" in page and "Client «滨江置业有限公司» was added as KH-00002." in page
    assert "KH-00002" in client.get(reverse("client_list")).content.decode()


def test_r_client_typed_client_number_is_kept_and_must_be_unique(client, archivist):
    Client.objects.create(name="已有客户", client_type="agent", code="KH-00100")
    client.force_login(archivist)
    speak_english(client)
    response = client.post(reverse("client_create"), profile_data(code="KH-00100"))
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not Client.objects.filter(name="滨江置业有限公司").exists()
    response = client.post(reverse("client_create"), profile_data(code="DL-7"))
    assert response.status_code == 302
    assert Client.objects.get(name="滨江置业有限公司").code == "DL-7"


def test_r_client_archivist_edits_the_profile_and_the_number_stays(client, archivist, staff, profile):
    number = profile.code
    client.force_login(archivist)
    speak_english(client)
    url = reverse("client_edit", args=[profile.pk])
    page = client.get(url).content.decode()
    assert number in page and 'name="code"' not in page
    response = client.post(url, profile_data(
        code="KH-99999", name="华东建材集团", client_type="partner", responsible=archivist.pk, notes="更名",
        is_active="",
    ))
    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[profile.pk])
    profile.refresh_from_db()
    assert (profile.name, profile.client_type, profile.responsible, profile.notes, profile.is_active) == (
        "华东建材集团", "partner", archivist, "更名", False)
    assert profile.code == number
    latest = profile.history.latest()
    assert latest.history_type == "~" and latest.history_user == archivist and latest.name == "华东建材集团"
    assert "The profile of «华东建材集团» was saved." in client.get(response["Location"]).content.decode()


def test_profile_form_keeps_a_responsible_user_whose_account_was_closed(client, archivist, staff, profile):
    staff.is_active = False
    staff.save()
    client.force_login(archivist)
    response = client.post(reverse("client_edit", args=[profile.pk]),
                           profile_data(name=profile.name, responsible=staff.pk))
    assert response.status_code == 302
    new = Client.objects.create(name="新客户", client_type="agent")
    response = client.post(reverse("client_edit", args=[new.pk]), profile_data(name="新客户", responsible=staff.pk))
    assert response.status_code == 200 and response.context["form"].errors["responsible"]
    assert Client.objects.get(pk=new.pk).responsible is None


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPARTMENT_HEAD, Role.OUTSIDE_STAFF, Role.SYSADMIN])
def test_r_client_profile_forms_refused_without_permission(client, role_users, role, profile):
    client.force_login(role_users[role])
    before = profile.history.count()
    for url in (reverse("client_create"), reverse("client_edit", args=[profile.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, profile_data(name="改名")).status_code == 403
    assert list(Client.objects.values_list("name", flat=True)) == ["华东建材有限公司"]
    assert profile.history.count() == before
    page = page_of(client, profile) if role in (Role.STAFF, Role.DEPARTMENT_HEAD) else ""
    assert reverse("client_edit", args=[profile.pk]) not in page


def test_profile_forms_wrong_method_is_405(client, archivist, profile):
    client.force_login(archivist)
    assert client.put(reverse("client_create")).status_code == 405
    assert client.delete(reverse("client_edit", args=[profile.pk])).status_code == 405
    assert list(Client.objects.values_list("name", flat=True)) == ["华东建材有限公司"]
    assert profile.history.count() == 1


def test_r_client_list_and_profile_offer_the_forms_to_the_archivist(client, archivist, staff, profile, contact):
    client.force_login(archivist)
    assert reverse("client_create") in client.get(reverse("client_list")).content.decode()
    page = page_of(client, profile)
    for url in (reverse("client_edit", args=[profile.pk]), reverse("client_contact_add", args=[profile.pk]),
                reverse("client_contact_edit", args=[profile.pk, contact.pk])):
        assert url in page
    client.force_login(staff)  # responsible: may add contacts, nothing else
    assert reverse("client_create") not in client.get(reverse("client_list")).content.decode()
    page = page_of(client, profile)
    assert reverse("client_contact_add", args=[profile.pk]) in page
    assert reverse("client_edit", args=[profile.pk]) not in page
    assert reverse("client_contact_edit", args=[profile.pk, contact.pk]) not in page


def test_r_client_create_service_refuses_without_permission(staff):
    with translation.override("en"), pytest.raises(ClientRefused, match="Only the archivist can open client files."):
        services.client_create(by=staff, name="某客户", client_type="agent")
    assert not Client.objects.exists()


# --- Contacts: adding -------------------------------------------------------------------------

def test_r_client_responsible_staff_adds_a_contact_then_sees_it_masked(client, staff, profile):
    client.force_login(staff)
    speak_english(client)
    url = reverse("client_contact_add", args=[profile.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, contact_data(id_number="11010519491231002x"))
    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[profile.pk])
    contact = ClientContact.objects.get()
    assert (contact.client, contact.name, contact.phone, contact.id_number, contact.is_active) == (
        profile, "李四", PHONE, ID_NUMBER, True)
    assert contact.history.get().history_user == staff
    (phone, email, id_number), = raw_contact_columns(ClientContact._meta.db_table)
    assert PHONE not in phone and EMAIL not in email and ID_NUMBER not in id_number
    page = client.get(response["Location"]).content.decode()
    assert "Contact «李四» was added." in page
    assert "138****5678" in page and "z***@example.com" in page and "1101**********002X" in page
    assert PHONE not in page and EMAIL not in page and ID_NUMBER not in page
    assert not ClientDataAccess.objects.exists()


def test_r_client_archivist_adds_a_contact_to_any_client(client, archivist, profile):
    client.force_login(archivist)
    response = client.post(reverse("client_contact_add", args=[profile.pk]), contact_data(phone="", id_number=""))
    assert response.status_code == 302
    contact = ClientContact.objects.get()
    assert (contact.phone, contact.email, contact.id_number) == ("", EMAIL, "")
    assert contact.history.get().history_user == archivist


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPARTMENT_HEAD, Role.OUTSIDE_STAFF])
def test_r_client_adding_a_contact_refused_to_others(client, role_users, role):
    someone_elses = Client.objects.create(
        name="某代理商", client_type="agent", responsible=make_user(Role.STAFF, "colleague"))
    client.force_login(role_users[role])
    url = reverse("client_contact_add", args=[someone_elses.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, contact_data()).status_code == 403
    assert not ClientContact.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("phone", "138-1234-567a", "Enter a phone number of 7 to 20 digits"),
    ("phone", "12345", "Enter a phone number of 7 to 20 digits"),
    ("email", "zhangsan@", "Enter a valid e-mail address, such as name@example.com."),
    ("id_number", "110101199001011234", "This ID number fails its check digit"),
    ("id_number", "1101011990010112", "A resident ID number has 18 characters"),
])
def test_r_client_invalid_contact_data_is_shown_and_nothing_written(client, staff, profile, field, value, message):
    client.force_login(staff)
    speak_english(client)
    response = client.post(reverse("client_contact_add", args=[profile.pk]), contact_data(**{field: value}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in errors[field][0]
    assert message in response.content.decode()
    assert not ClientContact.objects.exists() and not ClientContact.history.exists()


def test_r_client_services_check_contact_data_too(staff, archivist, profile, contact):
    with translation.override("en"):
        with pytest.raises(ClientRefused, match="Enter a phone number of 7 to 20 digits") as info:
            services.contact_add(client=profile, by=staff, name="王五", phone="12", id_number="110101199001011234")
        assert info.value.field == "phone"
        with pytest.raises(ClientRefused, match="This ID number fails its check digit") as info:
            services.contact_add(client=profile, by=staff, name="王五", phone=PHONE, id_number="110101199001011234")
        assert info.value.field == "id_number"
        with pytest.raises(ClientRefused, match="Enter a valid e-mail address") as info:
            services.contact_update(contact=contact, by=archivist, name="张三", position="", phone=PHONE,
                                    email="not-an-address", id_number="", is_active=True)
        assert info.value.field == "email"
    assert ClientContact.objects.count() == 1
    contact.refresh_from_db()
    assert (contact.email, contact.id_number) == (EMAIL, ID_NUMBER)


# --- Contacts: editing ------------------------------------------------------------------------

def test_r_client_archivist_edit_form_is_a_logged_unmasking(client, archivist, profile, contact):
    client.force_login(archivist)
    speak_english(client)
    url = reverse("client_contact_edit", args=[profile.pk, contact.pk])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert PHONE in page and EMAIL in page and ID_NUMBER in page
    log = ClientDataAccess.objects.get()
    assert (log.user, log.client, log.action) == (archivist, profile, DataAccessAction.UNMASK)
    assert "张三" in log.detail and str(contact.pk) in log.detail

    response = client.post(url, contact_data(name="张三", position="销售总监", phone="+86 139 8765 4321",
                                             is_active="on"))
    assert response.status_code == 302 and response["Location"] == reverse("client_detail", args=[profile.pk])
    contact.refresh_from_db()
    assert (contact.position, contact.phone, contact.is_active) == ("销售总监", "+86 139 8765 4321", True)
    assert contact.history.latest().history_user == archivist
    assert ClientDataAccess.objects.count() == 1  # saving shows nothing new
    assert "+86 139 8765 4321" not in raw_contact_columns(ClientContact._meta.db_table)[0][0]


def test_r_client_invalid_edit_is_redisplayed_uncached_and_changes_nothing(client, archivist, profile, contact):
    client.force_login(archivist)
    speak_english(client)
    response = client.post(reverse("client_contact_edit", args=[profile.pk, contact.pk]),
                           contact_data(name="张三", id_number="110101199001011234", is_active="on"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "This ID number fails its check digit" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.name, contact.id_number, contact.position) == ("张三", ID_NUMBER, "采购经理")
    assert contact.history.count() == 1


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.STAFF, Role.OUTSIDE_STAFF])
def test_r_client_contact_edit_refused_without_change_and_data_permissions(client, role_users, role, profile,
                                                                            contact):
    client.force_login(role_users[role])  # the head may unmask, but not change contacts; staff is responsible
    url = reverse("client_contact_edit", args=[profile.pk, contact.pk])
    response = client.get(url)
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert client.post(url, contact_data(name="改名", is_active="")).status_code == 403
    contact.refresh_from_db()
    assert (contact.name, contact.is_active) == ("张三", True)
    assert not ClientDataAccess.objects.exists()


def test_r_client_changing_contacts_without_the_data_permission_is_refused(client, profile, contact):
    from tests.admin_support import staff_user_with_perms

    editor = staff_user_with_perms("editor", "clients.view_client", "clients.change_clientcontact")
    assert not policies.may_edit_contact(editor)
    client.force_login(editor)
    assert client.get(reverse("client_contact_edit", args=[profile.pk, contact.pk])).status_code == 403
    with translation.override("en"), pytest.raises(ClientRefused, match="You may not change client contacts."):
        services.contact_update(contact=contact, by=editor, name="改名", position="", phone="", email="",
                                id_number="", is_active=False)
    contact.refresh_from_db()
    assert (contact.name, contact.is_active) == ("张三", True)
    assert not ClientDataAccess.objects.exists()


def test_contact_of_another_client_is_404(client, archivist, profile, contact):
    other = Client.objects.create(name="某代理商", client_type="agent")
    client.force_login(archivist)
    assert client.get(reverse("client_contact_edit", args=[other.pk, contact.pk])).status_code == 404
    assert not ClientDataAccess.objects.exists()


def test_contact_forms_wrong_method_is_405(client, archivist, profile, contact):
    client.force_login(archivist)
    assert client.put(reverse("client_contact_add", args=[profile.pk])).status_code == 405
    assert client.delete(reverse("client_contact_edit", args=[profile.pk, contact.pk])).status_code == 405
    assert not ClientDataAccess.objects.exists()


def test_r_client_contact_who_left_is_kept_and_shown_as_former(client, archivist, staff, profile, contact):
    ClientContact.objects.create(client=profile, name="赵六", phone="13900001111")
    client.force_login(archivist)
    speak_english(client)
    response = client.post(reverse("client_contact_edit", args=[profile.pk, contact.pk]),
                           contact_data(name="张三", position="采购经理"))  # "current contact" unticked
    assert response.status_code == 302
    assert ClientContact.objects.count() == 2
    contact.refresh_from_db()
    assert contact.is_active is False and contact.history.latest().history_user == archivist
    client.force_login(staff)
    speak_english(client)
    response = client.get(reverse("client_detail", args=[profile.pk]))
    assert [(row.name, row.is_active) for row in response.context["contacts"]] == [("赵六", True), ("张三", False)]
    page = response.content.decode()
    former_row = page[page.index('class="muted contact--former"'):]
    former_row = former_row[:former_row.index("</tr>")]
    assert "张三" in former_row and "former" in former_row and "138****5678" in former_row
    assert PHONE not in page
